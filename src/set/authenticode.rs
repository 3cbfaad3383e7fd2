//! The set's Authenticode: the signature of its head part (the installer
//! `.exe`), checked by [`crate::authenticode`], which knows PE files and
//! certificates but not sets.

use crate::authenticode::{AuthenticodeReport, SignerPolicy, signer_requirement_problem, verify_authenticode};
use crate::set::discover::DownloadSet;
use crate::vocab::error::{Error, ErrorKind, Result};
use crate::vocab::progress::Cancel;

/// Checks the signature of the set's head part (the installer `.exe`);
/// `Ok(None)` when the set has no head or it is not a PE file;
/// [`Error::Interrupted`] when `cancel` is set while the digest reads it.
pub fn verify_set_authenticode(
    set: &DownloadSet,
    policy: &SignerPolicy,
    cancel: &Cancel,
) -> Result<Option<AuthenticodeReport>> {
    match set.head() {
        Some(head) => verify_authenticode(&head.path, policy, cancel),
        None => Ok(None),
    }
}

/// The installer's signature as a command over the set reports it: checked
/// against `signer` (the built-in roots when `None`), and the run refused
/// with [`Error::SignerRefused`] (carrying the signature) when the policy
/// requires a signer it does not satisfy. Without a required signer, an
/// installer that cannot be read is no signature here: the command reports
/// it with every other part (verify names it UNREADABLE). An interruption
/// (`cancel` set while the digest reads the installer) is
/// [`Error::Interrupted`], whatever the policy.
pub(crate) fn check_set_signer(
    set: &DownloadSet,
    signer: Option<&SignerPolicy>,
    cancel: &Cancel,
) -> Result<Option<AuthenticodeReport>> {
    let builtin;
    let policy = match signer {
        Some(policy) => policy,
        None => {
            builtin = SignerPolicy::builtin();
            &builtin
        }
    };
    let report = match verify_set_authenticode(set, policy, cancel) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A Ctrl-C while the installer's digest is read stops every command's
    /// signer check, also without a required signer (where an installer that
    /// cannot be read is no signature): an interruption is not a verdict.
    #[test]
    fn a_set_cancel_stops_the_signer_check_whatever_the_policy() {
        let installer =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/authenticode/inno/inno-6.4.1-signed.exe");
        let set = crate::set::discover::discover(&installer).unwrap();
        assert!(set.head().is_some());
        let cancel = Cancel::new();
        assert!(check_set_signer(&set, None, &cancel).unwrap().is_some(), "a PE file has a signature report");
        cancel.cancel();
        let required = SignerPolicy::builtin().signer("Airlock Test Vendor");
        for signer in [None, Some(&required)] {
            let stopped = check_set_signer(&set, signer, &cancel);
            assert!(matches!(stopped, Err(Error::Interrupted)), "{signer:?}: {stopped:?}");
        }
    }
}
