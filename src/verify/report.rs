//! What verification found: a verdict a part, deep verification's entry
//! failures, and the report with the kind of failure it amounts to.
#![warn(clippy::arithmetic_side_effects)]

use std::path::PathBuf;

use serde::Serialize;

use crate::manifest::choice::SignatureCheck;
use crate::set::check::CheckReport;
use crate::vocab::error::{Error, ErrorKind, Result};
use crate::vocab::states::Verdict;

/// The verdict on one part.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PartVerdict {
    /// The part's file name.
    pub name: String,
    /// Its size, when present.
    pub size: Option<u64>,
    /// Its SHA-256, whenever it was computed.
    pub sha256: Option<String>,
    /// The SHA-256 the manifest expects.
    pub expected: Option<String>,
    /// Whether it matched, and if not, why.
    pub status: Verdict,
    /// What went wrong, when something did.
    pub message: Option<String>,
}

/// A file the manifest lists that is not a part of the set (release notes,
/// another download in the folder): checked too, never skipped.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Serialize)]
pub struct OtherFile {
    /// The name the manifest gives.
    pub name: String,
    /// The SHA-256 the manifest gives.
    pub expected: String,
    /// Its SHA-256, when it was found and read.
    pub sha256: Option<String>,
    /// `ok`, `failed`, `missing` (not beside the set) or `unreadable`.
    pub status: OtherStatus,
}

/// What checking an [`OtherFile`] found.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OtherStatus {
    /// Its hash matches the manifest.
    Ok,
    /// Its hash does not match: the file or the manifest is wrong.
    Failed,
    /// No such file beside the set.
    Missing,
    /// It could not be read.
    Unreadable,
}

impl std::fmt::Display for OtherStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            OtherStatus::Ok => "not part of the set, hash OK",
            OtherStatus::Failed => "not part of the set, hash FAILED",
            OtherStatus::Missing => "not part of the set, not found beside it",
            OtherStatus::Unreadable => "not part of the set, UNREADABLE",
        })
    }
}

/// One entry that failed deep verification.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EntryFailure {
    /// The entry's name in the payload.
    pub entry: String,
    /// What went wrong.
    pub message: String,
    /// Integrity (checksum mismatch) or payload (cannot be decoded).
    pub kind: ErrorKind,
}

/// What deep verification found.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DeepReport {
    /// File entries decoded and checked.
    pub entries_checked: usize,
    /// Uncompressed bytes decoded.
    pub bytes: u64,
    /// Entries that failed.
    pub failures: Vec<EntryFailure>,
}

/// The outcome of [`verify`](crate::verify()): a verdict per part, which may be failures.
/// Ask [`VerifyReport::is_ok`], or turn it into a `Result` with
/// [`VerifyReport::into_result`].
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[must_use = "a verify report may hold mismatches: check is_ok() or call into_result()"]
pub struct VerifyReport {
    /// The completeness check.
    pub check: CheckReport,
    /// The manifest compared against, if one was found or given.
    pub manifest: Option<PathBuf>,
    /// A verdict for every part.
    pub parts: Vec<PartVerdict>,
    /// Every other file the manifest lists, checked.
    pub others: Vec<OtherFile>,
    /// The deep verification, when asked for.
    pub deep: Option<DeepReport>,
    /// The SHA-256 implementation used.
    pub sha256_backend: &'static str,
    /// The signature check, when a trusted key was given.
    pub signature: Option<SignatureCheck>,
    /// The installer's Authenticode signature (`None` when the set has no
    /// Windows executable, or it could not be read). Not serialized with the
    /// report: the binary's JSON carries it beside the report, as for check
    /// and list.
    #[serde(skip)]
    pub authenticode: Option<crate::authenticode::AuthenticodeReport>,
    /// With `deep` and an installer signature: what the signature proves
    /// about the files (vendor-verified or why not); `None` otherwise. Not
    /// serialized with the report, as `authenticode`.
    #[serde(skip)]
    pub vendor: Option<super::vendor::VendorCoverage>,
}

impl VerifyReport {
    /// Whether every part matched (and, with `deep`, every entry).
    pub fn is_ok(&self) -> bool {
        self.failure().is_none()
    }

    /// `Ok(self)` when everything passed; otherwise the error the failure
    /// amounts to ([`Error::Integrity`] naming the failed parts or entries,
    /// [`Error::Incomplete`] with the check, [`Error::Payload`] …).
    pub fn into_result(self) -> Result<VerifyReport> {
        let Some(kind) = self.failure() else { return Ok(self) };
        if kind != ErrorKind::Integrity && !self.check.is_ok() {
            return Err(Error::Incomplete { report: Box::new(self.check) });
        }
        let failed_other = |o: &&OtherFile| o.status == OtherStatus::Failed;
        let bad: Vec<&str> = self.parts.iter().filter(|p| !p.status.passed()).map(|p| p.name.as_str()).collect();
        let bad = if bad.is_empty() && kind == ErrorKind::Integrity {
            self.others.iter().filter(failed_other).map(|o| o.name.as_str()).collect()
        } else {
            bad
        };
        let what = if bad.is_empty() { self.check.set.clone() } else { bad.join(", ") };
        let reason = self
            .parts
            .iter()
            .find_map(|p| p.message.clone())
            .or_else(|| self.signature.as_ref().and_then(|s| s.message.clone()))
            .or_else(|| self.deep.as_ref().and_then(|d| d.failures.first().map(|f| f.message.clone())))
            .or_else(|| {
                self.others.iter().find(failed_other).map(|o| {
                    format!(
                        "{} is listed in the manifest but is not part of the set, and its SHA-256 does not match: the file or the manifest is wrong",
                        o.name
                    )
                })
            })
            .unwrap_or_else(|| "failed verification".to_owned());
        Err(match kind {
            ErrorKind::Integrity => Error::Integrity { what, reason },
            ErrorKind::Io => Error::Io { path: PathBuf::from(what), source: std::io::Error::other(reason) },
            _ => Error::payload(what, reason),
        })
    }

    /// `None` when everything passed; otherwise the kind of the most serious
    /// failure: a hash or checksum mismatch first, then an incomplete set,
    /// then an unreadable payload or part.
    pub fn failure(&self) -> Option<ErrorKind> {
        let untrusted = self.signature.as_ref().is_some_and(|s| !s.valid)
            || (self.signature.is_some() && self.parts.iter().any(|p| p.status == Verdict::Unlisted));
        let mismatch = untrusted
            || self.parts.iter().any(|p| p.status == Verdict::Mismatch)
            || self.others.iter().any(|o| o.status == OtherStatus::Failed)
            || self.deep.as_ref().is_some_and(|d| d.failures.iter().any(|f| f.kind == ErrorKind::Integrity));
        if mismatch {
            return Some(ErrorKind::Integrity);
        }
        if !self.check.is_ok() {
            return Some(self.check.error_kind());
        }
        if self.parts.iter().any(|p| p.status == Verdict::Unreadable) {
            return Some(ErrorKind::Io);
        }
        if self.deep.as_ref().is_some_and(|d| !d.failures.is_empty()) {
            return Some(ErrorKind::Payload);
        }
        None
    }
}
