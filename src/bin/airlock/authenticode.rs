//! The installer's Authenticode signature on the command line: `--signer`,
//! `--root`, the signature line in `check`/`verify`/`list`, the JSON
//! `authenticode` member, and the vendor-verified line after `verify --deep`.

use airlock::{AuthenticodeReport, AuthenticodeStatus, Cancel, Error, ErrorKind, SignerPolicy, VendorCoverage};
use serde::Serialize;

use crate::args::{OutputArgs, SignerArgs};
use crate::escape::escape_controls;
use crate::json::{Envelope, ErrorBody, to_line};
use crate::output::error_line;
use crate::{exit, exit_code};

/// The roots and signer requirement the arguments ask for.
pub fn policy(args: &SignerArgs) -> Result<SignerPolicy, Error> {
    let mut trust = SignerPolicy::builtin();
    for root in &args.roots {
        trust.add_root_file(root)?;
    }
    Ok(match &args.signer {
        Some(name) => trust.signer(name.clone()),
        None => trust,
    })
}

/// A report with the installer's signature (`authenticode`: `{file, status,
/// signer, chain, digest, timestamp, …}` or null) and, after `verify --deep`,
/// what it proves (`vendor`).
#[derive(Serialize, schemars::JsonSchema)]
pub struct Signed<'a, T: Serialize> {
    #[serde(flatten)]
    pub report: T,
    pub authenticode: Option<&'a AuthenticodeReport>,
    pub vendor: Option<&'a VendorCoverage>,
}

/// No report of its own (a refusal).
#[derive(Serialize, schemars::JsonSchema)]
pub struct Nothing {}

/// What `airlock authenticode --json` reports.
#[derive(Serialize, schemars::JsonSchema)]
pub struct Files<'a> {
    files: &'a [AuthenticodeReport],
}

/// One line about the signature, for people.
pub fn line(report: &AuthenticodeReport) -> String {
    match &report.status {
        AuthenticodeStatus::Valid { signer, chain, digest, timestamp, .. } => {
            let when = match timestamp {
                Some(t) => format!(", timestamped {} by {}", t.time, t.authority),
                None => ", no timestamp".to_owned(),
            };
            let weak = if digest.is_weak() { " (weaker)" } else { "" };
            format!(
                "signature of {}: valid, signed by \"{signer}\" ({}), {}{weak}{when}",
                report.file,
                chain.join(" <- "),
                digest.label()
            )
        }
        AuthenticodeStatus::Invalid { reason } => format!("signature of {}: INVALID: {reason}", report.file),
        AuthenticodeStatus::Unsigned => format!("signature of {}: none (the installer is not signed)", report.file),
    }
}

/// `airlock authenticode FILE…`: each file's signature; exit 0 only if every
/// one is valid (and by `--signer`), 1 otherwise, 2 for a file that is not
/// a Windows executable or a bad `--root`.
pub fn command(files: &[std::path::PathBuf], args: &SignerArgs, output: &OutputArgs, cancel: &Cancel) -> u8 {
    let print = |reports: &[AuthenticodeReport], error: Option<(ErrorKind, String)>| {
        let envelope = Envelope {
            schema_version: crate::json::SCHEMA_VERSION,
            ok: error.is_none(),
            command: "authenticode",
            report: Files { files: reports },
            error: error.map(|(kind, message)| ErrorBody { kind, message }),
        };
        println!("{}", to_line(&envelope));
    };
    let trust = match policy(args) {
        Ok(trust) => trust,
        Err(error) => {
            if output.json {
                print(&[], Some((error.kind(), error.full_message())));
            } else {
                error_line(&error.full_message());
            }
            return exit_code(error.kind());
        }
    };
    let mut code = exit::OK;
    let mut kind = ErrorKind::Integrity;
    let mut reports = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        let report = match airlock::verify_authenticode(file, &trust, cancel) {
            Ok(Some(report)) => report,
            Ok(None) => {
                errors.push(format!("{}: not a Windows executable (PE file); nothing to check", file.display()));
                code = code.max(exit::USAGE);
                kind = ErrorKind::Usage;
                continue;
            }
            Err(error) => {
                errors.push(error.full_message());
                code = code.max(exit_code(error.kind()));
                kind = error.kind();
                if kind == ErrorKind::Interrupted {
                    break; // Ctrl-C: the files after it are not looked at
                }
                continue;
            }
        };
        let problem = match trust.required_signer() {
            Some(_) => report.signer_problem(&trust),
            None if report.is_valid() => None,
            None => Some("the signature is not valid".to_owned()),
        };
        if let Some(problem) = problem {
            code = code.max(exit_code(ErrorKind::Integrity));
            errors.push(format!("{}: {problem}", report.file));
        }
        reports.push(report);
    }
    if output.json {
        print(&reports, (code != exit::OK).then(|| (kind, errors.join("; "))));
    } else {
        for report in &reports {
            println!("{}", escape_controls(&line(report)));
        }
        for error in
            errors.iter().filter(|_| trust.required_signer().is_some() || code != exit_code(ErrorKind::Integrity))
        {
            error_line(error);
        }
    }
    code
}
