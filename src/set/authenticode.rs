//! The set's Authenticode: the signature of its head part (the installer
//! `.exe`), checked by [`crate::authenticode`], which knows PE files and
//! certificates but not sets.

use crate::authenticode::{AuthenticodeReport, Trust, requirement_problem, verify_file};
use crate::set::discover::DownloadSet;
use crate::vocab::error::{Error, Result};

/// Checks the signature of the set's head part (the installer `.exe`);
/// `Ok(None)` when the set has no head or it is not a PE file.
pub fn verify_set(set: &DownloadSet, trust: &Trust) -> Result<Option<AuthenticodeReport>> {
    match set.head() {
        Some(head) => verify_file(&head.path, trust),
        None => Ok(None),
    }
}

/// [`verify_set`], and when `trust` requires a signer, an
/// [`Error::Integrity`] naming the installer unless it is satisfied.
pub fn verify_set_requiring(set: &DownloadSet, trust: &Trust) -> Result<Option<AuthenticodeReport>> {
    let report = verify_set(set, trust)?;
    match requirement_problem(report.as_ref(), trust) {
        Some(reason) => Err(Error::Integrity { what: set.head().map_or(set.name.clone(), |h| h.name.clone()), reason }),
        None => Ok(report),
    }
}
