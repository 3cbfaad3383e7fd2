//! `airlock generate` (hidden): the man pages and shell completions, written
//! from the clap definitions, so they always document the options this
//! binary takes. `scripts/dist.sh` ships them; a packager runs it too.

use std::io::Write;
use std::path::Path;

use clap::{CommandFactory, Subcommand};
use clap_complete::Shell;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, roman};

use crate::args::Cli;
use crate::exit;
use crate::output::error_line;

#[derive(Debug, Subcommand)]
pub enum Generate {
    /// Write airlock.1 (with EXIT STATUS and ENVIRONMENT) and one airlock-COMMAND.1 per command into DIR.
    Man {
        /// The folder to write into (created if missing).
        #[arg(value_name = "DIR")]
        dir: std::path::PathBuf,
    },
    /// Write the JSON Schema of each command's `--json` object into DIR (COMMAND.json; docs/schema/ holds them).
    Schema {
        /// The folder to write into (created if missing).
        #[arg(value_name = "DIR")]
        dir: std::path::PathBuf,
    },
    /// Write the completion script for SHELL into DIR (airlock.bash, _airlock, airlock.fish, _airlock.ps1).
    Completions {
        #[arg(value_enum, value_name = "SHELL")]
        shell: Shell,
        /// The folder to write into (created if missing).
        #[arg(value_name = "DIR")]
        dir: std::path::PathBuf,
    },
}

/// The environment variables airlock reads, for the man page's ENVIRONMENT
/// (a test checks that every variable the source reads is here).
pub const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "AIRLOCK_PASSWORD",
        "The password of an encrypted 7z, zip or Inno Setup payload (list, verify --deep, extract); --password and --password-file take precedence.",
    ),
    (
        "AIRLOCK_KEY_PASSWORD",
        "The password of the minisign secret key (manifest --sign, stage --sign, and keygen unless --no-password).",
    ),
    (
        "AIRLOCK_PROGRESS_INTERVAL",
        "Seconds between plain progress lines on stderr when it is no terminal (a log, a pipe) or TERM is dumb (default 10; 0: none).",
    ),
    ("TERM", "dumb: no progress bars (no cursor movement), plain progress lines instead."),
    ("RAYON_NUM_THREADS", "The number of hashing threads when --threads is not given (default: all cores)."),
    ("http_proxy, HTTP_PROXY", "fetch: the proxy for http:// URLs (unless --proxy)."),
    ("https_proxy, HTTPS_PROXY", "fetch: the proxy for https:// URLs (unless --proxy)."),
    ("ALL_PROXY, all_proxy", "fetch: the proxy for URLs whose scheme has none of the above."),
    (
        "NO_PROXY, no_proxy",
        "fetch: comma-separated hosts (and domain suffixes) reached without a proxy; * means every host.",
    ),
    (
        "SSL_CERT_FILE, SSL_CERT_DIR",
        "fetch: trusted CA certificates instead of the system's store (--ca-file adds to them).",
    ),
];

pub fn run(what: Generate) -> u8 {
    let (dir, written) = match &what {
        Generate::Man { dir } => (dir, std::fs::create_dir_all(dir).and_then(|()| man_pages(dir))),
        Generate::Schema { dir } => (dir, std::fs::create_dir_all(dir).and_then(|()| schemas(dir))),
        Generate::Completions { shell, dir } => (
            dir,
            std::fs::create_dir_all(dir)
                .and_then(|()| clap_complete::generate_to(*shell, &mut public_command(), "airlock", dir).map(drop)),
        ),
    };
    match written {
        Ok(()) => exit::OK,
        Err(error) => {
            error_line(&format!("cannot write into {}: {error}", dir.display()));
            exit::IO
        }
    }
}

/// Each command's schema, and `usage.json` for a usage error found before
/// any command was known.
fn schemas(dir: &Path) -> std::io::Result<()> {
    use crate::authenticode::{Files, Signed};
    use crate::cmd::fetch::FetchJson;
    use crate::cmd::keygen::KeygenJson;
    use crate::cmd::manifest::ManifestJson;
    use airlock::{CheckReport, ExtractReport, Listing, StageReport, VerifyReport};
    let all = [
        ("check", command_schema::<Signed<'static, &'static CheckReport>>("check")),
        ("verify", command_schema::<Signed<'static, &'static VerifyReport>>("verify")),
        ("manifest", command_schema::<ManifestJson<'static>>("manifest")),
        ("list", command_schema::<Signed<'static, &'static Listing>>("list")),
        ("extract", command_schema::<ExtractReport>("extract")),
        ("stage", command_schema::<StageReport>("stage")),
        ("authenticode", command_schema::<Files<'static>>("authenticode")),
        ("fetch", command_schema::<FetchJson<'static>>("fetch")),
        ("keygen", command_schema::<KeygenJson<'static>>("keygen")),
        ("usage", command_schema::<crate::json::Nothing>("")),
    ];
    for (name, schema) in all {
        let text = serde_json::to_string_pretty(&schema).map_err(std::io::Error::other)?;
        std::fs::write(dir.join(format!("{name}.json")), format!("{text}\n"))?;
    }
    Ok(())
}

/// The schema of `airlock COMMAND --json`: the command's own object, or a
/// failure (with the set's completeness report when that was the failure),
/// or a `--signer` refusal (the signature state). Every key required.
fn command_schema<T: schemars::JsonSchema + serde::Serialize>(command: &str) -> serde_json::Value {
    use crate::json::{Envelope, Failure, SCHEMA_VERSION};
    let mut generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let variants = [
        generator.subschema_for::<Envelope<'static, T>>(),
        generator.subschema_for::<Envelope<'static, Failure<'static>>>(),
        generator
            .subschema_for::<Envelope<'static, crate::authenticode::Signed<'static, crate::authenticode::Nothing>>>(),
    ];
    let title = if command.is_empty() {
        "airlock --json (a usage error)".to_owned()
    } else {
        format!("airlock {command} --json")
    };
    let command_name =
        if command.is_empty() { serde_json::json!({"type": "string"}) } else { serde_json::json!({"const": command}) };
    let mut schema = serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "description": "The one JSON object airlock prints with --json. schema_version changes when a key is removed or renamed or changes type or meaning; a new key may appear without it.",
        "type": "object",
        "required": ["schema_version", "ok", "command", "error"],
        "properties": {
            "schema_version": {"const": SCHEMA_VERSION},
            "command": command_name,
        },
        "anyOf": variants,
        "$defs": generator.take_definitions(true),
    });
    require_nullable_keys(&mut schema);
    schema
}

/// Every key is always printed, `null` when empty, so an `Option` field
/// (nullable in the schema, but not required by schemars) is required. An
/// object whose optional keys include one that cannot be null holds a
/// flattened `Option` (a failure's completeness report: all of its keys or
/// none) and is left as generated.
fn require_nullable_keys(value: &mut serde_json::Value) {
    fn nullable(schema: &serde_json::Value) -> bool {
        let null = serde_json::json!("null");
        match schema.get("type") {
            Some(serde_json::Value::Array(types)) => types.contains(&null),
            Some(kind) => *kind == null,
            None => schema
                .get("anyOf")
                .or_else(|| schema.get("oneOf"))
                .and_then(|v| v.as_array())
                .is_some_and(|variants| variants.iter().any(nullable)),
        }
    }
    match value {
        serde_json::Value::Object(object) => {
            if let Some(serde_json::Value::Object(properties)) = object.get("properties") {
                let required: Vec<&str> = object
                    .get("required")
                    .and_then(|r| r.as_array())
                    .map(|r| r.iter().filter_map(|k| k.as_str()).collect())
                    .unwrap_or_default();
                let optional: Vec<(&String, &serde_json::Value)> =
                    properties.iter().filter(|(k, _)| !required.contains(&k.as_str())).collect();
                if !optional.is_empty() && optional.iter().all(|(_, schema)| nullable(schema)) {
                    let all: Vec<serde_json::Value> = properties.keys().map(|k| serde_json::json!(k)).collect();
                    object.insert("required".to_owned(), serde_json::Value::Array(all));
                }
            }
            object.values_mut().for_each(require_nullable_keys);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(require_nullable_keys),
        _ => {}
    }
}

/// The command line without its hidden commands (clap_complete's bash and
/// zsh scripts would offer them).
fn public_command() -> clap::Command {
    let full = Cli::command();
    let public = full.get_subcommands().filter(|c| !c.is_hide_set()).cloned().collect::<Vec<_>>();
    let mut command = clap::Command::new("airlock")
        .version(env!("CARGO_PKG_VERSION"))
        .propagate_version(true)
        .subcommand_required(true)
        .args(full.get_arguments().cloned());
    if let Some(about) = full.get_about() {
        command = command.about(about.clone());
    }
    command.subcommands(public)
}

/// airlock.1 and one page per (visible) command.
fn man_pages(dir: &Path) -> std::io::Result<()> {
    let mut cli = Cli::command().disable_help_subcommand(true);
    cli.build();
    for command in cli.get_subcommands().filter(|c| !c.is_hide_set()) {
        Man::new(command.clone()).generate_to(dir)?;
    }
    let mut page = Vec::new();
    render_main(&cli, &mut page)?;
    let mut file = std::fs::File::create(dir.join("airlock.1"))?;
    file.write_all(&page)?;
    file.sync_all()
}

/// The main page: clap's sections, then EXIT STATUS and ENVIRONMENT.
pub fn render_main(cli: &clap::Command, out: &mut dyn Write) -> std::io::Result<()> {
    let man = Man::new(cli.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    man.render_subcommands_section(out)?;
    let mut roff = Roff::default();
    roff.control("SH", ["EXIT STATUS"]);
    roff.text([roman(
        "The same code for the same kind of outcome, whichever command ran into it (a set missing a part is 3 from check, list, verify, extract and manifest alike):",
    )]);
    for row in airlock::EXIT_CODES {
        roff.control("TP", []);
        roff.text([bold(row.code.to_string())]);
        roff.text([roman(row.meaning.replace('`', ""))]);
    }
    roff.control("SH", ["ENVIRONMENT"]);
    for (name, meaning) in ENVIRONMENT {
        roff.control("TP", []);
        roff.text([bold(*name)]);
        roff.text([roman(*meaning)]);
    }
    roff.to_writer(out)?;
    man.render_version_section(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variable the source reads (`env = "…"` on an argument, or
    /// `var("…")`/`var_os("…")` in the library or the binary) is in ENVIRONMENT.
    #[test]
    fn environment_names_every_variable_airlock_reads() {
        let documented: Vec<&str> = ENVIRONMENT.iter().flat_map(|(names, _)| names.split(", ")).collect();
        let mut read = Vec::new();
        fn walk(command: &clap::Command, read: &mut Vec<String>) {
            for arg in command.get_arguments() {
                if let Some(env) = arg.get_env() {
                    read.push(env.to_string_lossy().into_owned());
                }
            }
            for sub in command.get_subcommands() {
                walk(sub, read);
            }
        }
        walk(&Cli::command(), &mut read);
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        for entry in walkdir::WalkDir::new(&src) {
            let entry = entry.unwrap();
            if entry.path().extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(entry.path()).unwrap();
                for call in ["var(\"", "var_os(\""] {
                    for piece in text.split(call).skip(1) {
                        let name = piece.split('"').next().unwrap();
                        if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                            read.push(name.to_owned());
                        }
                    }
                }
            }
        }
        assert!(read.iter().any(|v| v == "AIRLOCK_KEY_PASSWORD"), "the scan found nothing: {read:?}");
        for name in &read {
            assert!(documented.contains(&name.as_str()), "{name} is read but not in the man page's ENVIRONMENT");
        }
    }
}
