//! The set's Authenticode: the signature of its head part (the installer
//! `.exe`), checked by [`crate::authenticode`], which knows PE files and
//! certificates but not sets.

use crate::authenticode::{AuthenticodeReport, SignerPolicy, signer_requirement_problem, verify_authenticode};
use crate::set::discover::DownloadSet;
use crate::vocab::error::{Error, Result};

/// Checks the signature of the set's head part (the installer `.exe`);
/// `Ok(None)` when the set has no head or it is not a PE file.
pub fn verify_set_authenticode(set: &DownloadSet, policy: &SignerPolicy) -> Result<Option<AuthenticodeReport>> {
    match set.head() {
        Some(head) => verify_authenticode(&head.path, policy),
        None => Ok(None),
    }
}

/// [`verify_set_authenticode`], and when `policy` requires a signer, an
/// [`Error::Integrity`] naming the installer unless it is satisfied.
pub fn verify_set_requiring(set: &DownloadSet, policy: &SignerPolicy) -> Result<Option<AuthenticodeReport>> {
    let report = verify_set_authenticode(set, policy)?;
    match signer_requirement_problem(report.as_ref(), policy) {
        Some(reason) => Err(Error::Integrity { what: set.head().map_or(set.name.clone(), |h| h.name.clone()), reason }),
        None => Ok(report),
    }
}
