//! The `airlock` command: parses arguments, wires progress bars to the
//! library, prints, and maps the outcome to an exit code. All the work is in
//! the `airlock` library.

mod args;
mod authenticode;
mod bars;
mod cmd;
mod escape;
mod hints;
mod installer;
mod json;
mod output;
mod password;

use std::process::ExitCode;

use airlock::{Cancel, ErrorKind};
use clap::{CommandFactory, FromArgMatches};

use args::{Cli, Command};

/// Exit codes: the library's table (`airlock::EXIT_CODES`, README too).
pub mod exit {
    /// Everything checked out.
    pub const OK: u8 = 0;
    /// Bad arguments (what clap refuses).
    pub const USAGE: u8 = airlock::ErrorKind::Usage.exit_code();
    /// Any other I/O error.
    pub const IO: u8 = airlock::ErrorKind::Io.exit_code();
}

/// The exit code for a kind of failure.
pub fn exit_code(kind: ErrorKind) -> u8 {
    kind.exit_code()
}

/// Whether the command line asks for JSON (looked up by hand when clap
/// refused it, so even a usage error prints one JSON object).
fn wants_json() -> bool {
    std::env::args_os().skip(1).take_while(|a| a != "--").any(|a| a == "--json")
}

/// The subcommand named on the command line, if any, for a usage error's JSON.
fn named_command() -> String {
    let known: Vec<String> = Cli::command().get_subcommands().map(|c| c.get_name().to_owned()).collect();
    std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .find(|a| known.contains(a))
        .unwrap_or_default()
}

/// Reports a usage error airlock found in the arguments (after clap): one
/// `airlock: error:` line, or with `--json` one object.
pub fn argument_error(message: String) {
    if wants_json() {
        let command = named_command();
        let envelope = json::Envelope {
            schema_version: json::SCHEMA_VERSION,
            ok: false,
            command: &command,
            report: json::Nothing {},
            error: Some(json::ErrorBody { kind: ErrorKind::Usage, message }),
        };
        println!("{}", json::to_line(&envelope));
    } else {
        output::error_line(&message);
    }
}

/// Reports a usage error clap found: its text, or with `--json` one object.
fn usage_error(error: clap::Error) -> ExitCode {
    if !error.use_stderr() {
        let _ = error.print(); // --help, --version
        return ExitCode::from(exit::OK);
    }
    if wants_json() {
        // clap's first line, without its "error: " and styling.
        let text = error.render().to_string();
        let first = text.lines().next().unwrap_or_default();
        let message = first.strip_prefix("error: ").unwrap_or(first).to_owned();
        argument_error(format!("{message}; see `airlock --help`"));
    } else {
        let _ = error.print();
    }
    ExitCode::from(exit::USAGE)
}

fn main() -> ExitCode {
    // Before anything builds a message: the library's hints read as flags.
    airlock::name_hints(hints::flag);
    let parsed = Cli::command()
        .long_version(long_version())
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(error) => return usage_error(error),
    };
    survive_mapped_read_faults();
    let cancel = Cancel::new();
    // Ctrl-C, `kill` and a dropped terminal (ssh) ask the work to stop and
    // clean up. The cleanup runs once, in the library, however many signals
    // arrive: a second Ctrl-C does not cut it short (that left staging
    // folders behind). Only SIGKILL skips it; the next run cleans up then.
    airlock::cancel_on_signals(&cancel);

    let code = match cli.command {
        Command::Check { set, output } => cmd::check(&set, &output, &cancel),
        Command::Verify { set, deep, password, password_file, trust, choice, hashing, output } => {
            if let Err(code) = trust_needs_a_file(set.manifest.as_deref(), trust.as_deref()) {
                return ExitCode::from(code);
            }
            match password::resolve(password, password_file.as_deref()) {
                Ok(password) => {
                    let options = airlock::VerifyOptions::default()
                        .manifest(set.manifest.clone())
                        .hash(hashing.options())
                        .deep(deep)
                        .password(password)
                        .cancel(cancel)
                        .manifest_key(trust)
                        .inno(choice.choice());
                    cmd::verify(&set, options, &output)
                }
                Err(code) => code,
            }
        }
        Command::Manifest { set, output, overwrite, format, rerecord, sign, hashing, output_args } => {
            // `-o -` is standard output, as with no `-o` (`curl -o -`).
            let to_stdout = output.as_deref().is_some_and(airlock::manifest_is_stdin);
            if to_stdout && sign.is_some() {
                argument_error(
                    "--sign needs -o FILE, not standard output: the signature is written beside it as FILE.minisig"
                        .to_owned(),
                );
                return ExitCode::from(exit::USAGE);
            }
            let options = airlock::ManifestOptions::default()
                .manifest(set.manifest.clone())
                .format(match format {
                    args::ManifestFormatArg::Sha256sum => airlock::ManifestFormat::Sha256sum,
                    args::ManifestFormatArg::Json => airlock::ManifestFormat::Json,
                })
                .output(output.filter(|_| !to_stdout))
                .overwrite(overwrite.into())
                .rerecord(rerecord)
                .signing_key(sign, password::key_password())
                .hash(hashing.options())
                .cancel(cancel);
            cmd::manifest(&set, &options, &output_args)
        }
        Command::List { set, password, password_file, choice, output } => {
            match password::resolve(password, password_file.as_deref()) {
                Ok(password) => {
                    let options =
                        airlock::ListOptions::default().password(password).inno(choice.choice()).cancel(cancel.clone());
                    cmd::list(&set, options, &output)
                }
                Err(code) => code,
            }
        }
        Command::Extract {
            set,
            dest,
            include,
            exclude,
            choice,
            overwrite,
            collisions,
            min_free,
            no_verify,
            password,
            password_file,
            trust,
            hashing,
            output,
        } => {
            if let Err(code) = trust_needs_a_file(set.manifest.as_deref(), trust.as_deref()) {
                return ExitCode::from(code);
            }
            let password = match password::resolve(password, password_file.as_deref()) {
                Ok(password) => password,
                Err(code) => return ExitCode::from(code),
            };
            let options = args::ExtractArgs {
                dest,
                include,
                exclude,
                overwrite: overwrite.into(),
                collisions: collisions.into(),
                min_free,
                verify: !no_verify,
                password,
                trust,
                choice: choice.choice(),
            };
            cmd::extract(&set, options, &hashing, &output, cancel)
        }
        Command::Stage { set, media, sign, manifest, trust, overwrite, signing, hashing, output } => {
            if let Err(code) = trust_needs_a_file(manifest.as_deref(), trust.as_deref()) {
                return ExitCode::from(code);
            }
            let request = args::StageRequest { sign, manifest, trust, overwrite: overwrite.into() };
            cmd::stage(&set, &media, request, &signing, &hashing, &output, cancel)
        }
        Command::Authenticode { files, signing, output } => authenticode::command(&files, &signing, &output, &cancel),
        Command::Keygen { public, secret, no_password, overwrite, output } => {
            cmd::keygen(&public, &secret, no_password, overwrite.into(), &output)
        }
        Command::Fetch(args) => cmd::fetch::run(args, cancel),
        Command::Generate(what) => cmd::generate::run(what),
    };
    ExitCode::from(code)
}

/// `--trust` with `--manifest -` is refused: the signature is read beside
/// the manifest (`FILE.minisig`), and standard input has nothing beside it.
fn trust_needs_a_file(manifest: Option<&std::path::Path>, trust: Option<&std::path::Path>) -> Result<(), u8> {
    match (manifest, trust) {
        (Some(manifest), Some(_)) if airlock::manifest_is_stdin(manifest) => {
            argument_error(
                "--trust needs --manifest FILE, not standard input: the signature FILE.minisig is read beside the manifest; save it to a file first".to_owned(),
            );
            Err(exit::USAGE)
        }
        _ => Ok(()),
    }
}

/// What `--version` says after the version: the commit and target it was
/// built from (`build.rs`) and the SHA-256 implementation this CPU runs.
fn long_version() -> &'static str {
    let text = format!(
        "{}\ncommit: {}\ntarget: {}\nsha-256: {}",
        env!("CARGO_PKG_VERSION"),
        env!("AIRLOCK_COMMIT"),
        env!("AIRLOCK_TARGET"),
        airlock::sha256_backend()
    );
    // Once per run, for clap's `&'static str`.
    Box::leak(text.into_boxed_str())
}

/// Turns a failed read through a memory map into a clear error instead of a crash.
///
/// Parts are memory-mapped; if another process truncates a part while it is
/// mapped, touching the lost pages faults (SIGBUS on Unix). A device that
/// fails to read a mapped page (EIO) faults too. Nothing can resume the
/// read, so the process says what happened and exits with the I/O code. An
/// interrupted extraction leaves only its staging folder, which the next run
/// removes (as after `kill -9`). Hashing maps the parts already in the page
/// cache unless `--no-mmap` is given; 7z and zip extraction read through maps.
fn survive_mapped_read_faults() {
    const MESSAGE: &str = "airlock: error: a part changed size or could not be read (a device I/O error) while it was being read through a memory map; make sure nothing writes to the set, check the disk, and run again (--no-mmap names the part and the offset)\n";
    airlock::exit_on_mapped_read_fault(MESSAGE, exit::IO);
}
