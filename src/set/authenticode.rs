//! The set's Authenticode: the signature of its head part (the installer
//! `.exe`), checked by [`crate::authenticode`], which knows PE files and
//! certificates but not sets.

use crate::authenticode::{AuthenticodeReport, SignerPolicy, signer_requirement_problem, verify_authenticode};
use crate::set::discover::DownloadSet;
use crate::vocab::error::{Error, ErrorKind, Result};

/// Checks the signature of the set's head part (the installer `.exe`);
/// `Ok(None)` when the set has no head or it is not a PE file.
pub fn verify_set_authenticode(set: &DownloadSet, policy: &SignerPolicy) -> Result<Option<AuthenticodeReport>> {
    match set.head() {
        Some(head) => verify_authenticode(&head.path, policy),
        None => Ok(None),
    }
}

/// The installer's signature as a command over the set reports it: checked
/// against `signer` (the built-in roots when `None`), and the run refused
/// with [`Error::SignerRefused`] (carrying the signature) when the policy
/// requires a signer it does not satisfy. Without a required signer, an
/// installer that cannot be read is no signature here: the command reports
/// it with every other part (verify names it UNREADABLE).
pub(crate) fn check_set_signer(set: &DownloadSet, signer: Option<&SignerPolicy>) -> Result<Option<AuthenticodeReport>> {
    let builtin;
    let policy = match signer {
        Some(policy) => policy,
        None => {
            builtin = SignerPolicy::builtin();
            &builtin
        }
    };
    let report = match verify_set_authenticode(set, policy) {
        Ok(report) => report,
        Err(error) if policy.required_signer().is_none() && error.kind() == ErrorKind::Io => None,
        Err(error) => return Err(error),
    };
    match signer_requirement_problem(report.as_ref(), policy) {
        Some(reason) => Err(Error::SignerRefused {
            installer: set.head().map_or(set.name.clone(), |h| h.name.clone()),
            reason,
            signature: report.map(Box::new),
        }),
        None => Ok(report),
    }
}
