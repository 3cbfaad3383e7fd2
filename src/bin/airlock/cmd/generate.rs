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
