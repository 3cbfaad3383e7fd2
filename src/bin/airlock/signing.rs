//! The installer's Authenticode signature on the command line: `--signer`,
//! `--root`, the signature line in `check`/`verify`/`list`, the JSON
//! `authenticode` member, and the vendor-verified line after `verify --deep`.

use airlock::{AuthenticodeReport, AuthenticodeStatus, DownloadSet, Error, Trust, VendorCoverage};
use serde_json::{Value, json};

use crate::args::{OutputArgs, SignerArgs};
use crate::{exit, exit_code};

/// The signature state of a set's installer, and whether `--signer` holds.
pub struct Signing {
    /// The head part's signature check; `None` when it is not a PE file.
    pub report: Option<AuthenticodeReport>,
    /// Why `--signer` is not satisfied (an integrity error naming the
    /// installer); `None` if it is, or was not given.
    pub problem: Option<Error>,
}

/// The roots and signer requirement the arguments ask for.
pub fn trust(args: &SignerArgs) -> Result<Trust, Error> {
    let mut trust = Trust::builtin();
    for root in &args.roots {
        trust.add_root_file(root)?;
    }
    Ok(match &args.signer {
        Some(name) => trust.signer(name.clone()),
        None => trust,
    })
}

/// Checks the signature of `set`'s installer.
pub fn inspect(set: &DownloadSet, args: &SignerArgs) -> Result<Signing, Error> {
    let trust = trust(args)?;
    let report = airlock::verify_set_authenticode(set, &trust)?;
    let installer = set.head().map_or(set.name.clone(), |h| h.name.clone());
    let reason = airlock::signer_requirement_problem(report.as_ref(), &trust);
    let problem = reason.map(|reason| Error::Integrity { what: installer, reason });
    Ok(Signing { report, problem })
}

/// The JSON `authenticode` member: `{file, status, signer, chain, digest, timestamp, …}` or null.
pub fn json(signing: &Signing) -> Value {
    json!(signing.report)
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

/// The vendor-verified JSON member.
pub fn coverage_json(coverage: &Option<VendorCoverage>) -> Value {
    json!(coverage)
}

/// `airlock authenticode FILE…`: each file's signature; exit 0 only if every
/// one is valid (and by `--signer`), 1 otherwise, 2 for a file that is not
/// a Windows executable or a bad `--root`.
pub fn command(files: &[std::path::PathBuf], args: &SignerArgs, output: &OutputArgs) -> u8 {
    let trust = match trust(args) {
        Ok(trust) => trust,
        Err(error) => {
            if output.json {
                println!(
                    "{}",
                    json!({ "ok": false, "command": "authenticode", "files": [], "error": { "kind": error.kind(), "message": error.full_message() } })
                );
            } else {
                eprintln!("airlock: error: {}", error.full_message());
            }
            return exit_code(error.kind());
        }
    };
    let mut code = exit::OK;
    let mut reports = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        let report = match airlock::verify_authenticode(file, &trust) {
            Ok(Some(report)) => report,
            Ok(None) => {
                errors.push(format!("{}: not a Windows executable (PE file); nothing to check", file.display()));
                code = code.max(exit::USAGE);
                continue;
            }
            Err(error) => {
                errors.push(error.full_message());
                code = code.max(exit_code(error.kind()));
                continue;
            }
        };
        let problem = match trust.required_signer() {
            Some(_) => report.signer_problem(&trust),
            None if report.is_valid() => None,
            None => Some("the signature is not valid".to_owned()),
        };
        if let Some(problem) = &problem {
            if code == exit::OK {
                code = exit::INTEGRITY;
            }
            if trust.required_signer().is_some() {
                errors.push(format!("{}: {problem}", report.file));
            }
        }
        reports.push(report);
    }
    if output.json {
        let error = (code != exit::OK).then(|| json!({ "kind": if code == exit::INTEGRITY { "integrity" } else { "usage" }, "message": errors.join("; ") }));
        let mut object = json!({ "ok": code == exit::OK, "command": "authenticode", "files": reports });
        if let Some(error) = error {
            object["error"] = error;
        }
        println!("{object}");
    } else {
        for report in &reports {
            println!("{}", line(report));
        }
        for error in &errors {
            eprintln!("airlock: error: {error}");
        }
    }
    code
}
