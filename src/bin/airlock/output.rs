//! What every command prints with: stdout lines that fail loudly, stderr
//! notes and errors, the JSON object, the report's problems. The commands
//! themselves are in `cmd/`, one file each: call the library, print text or
//! JSON, return the exit code.
//!
//! Text goes to stdout (results) and stderr (problems: one line each, saying
//! what is wrong, which file, and what to do). `--json` prints exactly one
//! JSON object on stdout (see `json.rs`): `ok`, `command`, the report and, on
//! failure, `error: {kind, message}`. `--quiet` leaves only errors and the
//! data a command exists to print (`list`'s entries, `verify`'s hashes when
//! there is no manifest, `manifest`'s text on stdout).
//!
//! Names and messages pass through `escape.rs` before they reach a terminal;
//! JSON carries them exactly.

use std::io::Write;

use airlock::{CheckReport, Error, ErrorKind, Severity};
use serde::Serialize;

use crate::args::OutputArgs;
use crate::authenticode;
use crate::escape::{escape_controls, quote};
use crate::json::{Envelope, ErrorBody, to_line};
use crate::{exit, exit_code};

/// Writes a line to stdout; a closed pipe (`airlock … | head`) ends quietly.
///
/// Any other failed or short write (`> SHA256SUMS` on a full disk) ends the
/// run with one line and the I/O exit code, as `sha256sum` does: a result
/// that did not reach its file must not pass for one that did.
pub fn say(line: impl std::fmt::Display) {
    // A closed standard output (`>&-`): Rust's stdout would drop the line
    // and report success, so it is said here, as coreutils says it.
    if !airlock::standard_output_is_open() {
        tell("airlock: error: write error on standard output: it is closed; the output went nowhere");
        std::process::exit(i32::from(exit::IO));
    }
    let mut out = std::io::stdout().lock();
    let written = writeln!(out, "{line}").and_then(|()| out.flush());
    match written {
        Ok(()) => {}
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(error) => {
            tell(format_args!("airlock: error: write error on standard output: {error}; the output is incomplete"));
            std::process::exit(i32::from(exit::IO));
        }
    }
}

/// Writes a line to stderr. A failed write is ignored: stderr is where
/// failures are reported, so there is nowhere left to report this one, and
/// the exit code still says what happened (`eprintln!` would panic instead,
/// and `2>/dev/full` would turn every exit code into 101).
pub fn tell(line: impl std::fmt::Display) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
}

/// One error line on stderr.
pub fn complain(error: &Error) {
    error_line(&error.full_message());
}

/// `airlock: error: MESSAGE` on stderr, its control characters escaped.
pub fn error_line(message: &str) {
    tell(format_args!("airlock: error: {}", escape_controls(message)));
}

/// `airlock: warning: …` / `airlock: …` notes on stderr, unless `--quiet`.
pub fn note(quiet: bool, line: impl std::fmt::Display) {
    if !quiet {
        tell(format_args!("airlock: {}", escape_controls(&line.to_string())));
    }
}

/// Prints a command's JSON object: `ok`, `command`, `report`'s fields and,
/// when `error` is given, the error.
pub fn print_json<T: Serialize>(command: &str, report: T, error: Option<(ErrorKind, String)>) {
    let envelope = Envelope {
        schema_version: crate::json::SCHEMA_VERSION,
        ok: error.is_none(),
        command,
        report,
        error: error.map(|(kind, message)| ErrorBody { kind, message }),
    };
    say(to_line(&envelope));
}

/// Prints a failure (as text or as the JSON object) and returns its exit code.
pub fn fail(command: &str, error: &Error, output: &OutputArgs) -> u8 {
    if let Error::SignerRefused { signature, .. } = error {
        // The refusal shows the signature it refused.
        if output.json {
            let report = authenticode::Signed {
                report: authenticode::Nothing {},
                authenticode: signature.as_deref(),
                vendor: None,
            };
            print_json(command, report, Some((error.kind(), error.full_message())));
        } else {
            if let Some(signature) = signature {
                note(output.quiet, authenticode::line(signature));
            }
            complain(error);
        }
    } else if output.json {
        say(to_line(&Envelope::failure(command, error, error.full_message())));
    } else if let Error::Incomplete { report } = error {
        print_problems(report, output.quiet);
    } else {
        complain(error);
    }
    exit_code(error.kind())
}

pub fn print_problems(report: &CheckReport, quiet: bool) {
    for problem in &report.problems {
        match problem.severity {
            Severity::Error => error_line(&problem.message),
            Severity::Warning => note(quiet, format_args!("warning: {}", problem.message)),
            _ => note(quiet, format_args!("note: {}", problem.message)),
        }
    }
}

pub fn print_header(report: &CheckReport) {
    let payload = report.payload_detail.clone().unwrap_or_else(|| "payload not recognised or unreadable".to_owned());
    say(format_args!("{} ({}): {}", quote(&report.set), report.scheme, payload));
    if let Some(pairing) = &report.pairing {
        say(format_args!("  slices paired with the installer {}", escape_controls(pairing)));
    }
    if let Some(manifest) = &report.manifest {
        say(format_args!("  manifest: {}", quote(&manifest.display().to_string())));
    }
}
