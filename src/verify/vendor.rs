//! "Vendor-verified": what a valid installer signature plus a clean deep
//! verification prove about the extracted files, and what they do not.
//!
//! The chain of proof for an Inno Setup installer: the Authenticode digest
//! covers the `.exe` up to its certificate table, which includes the setup
//! headers (at the loader table's Offset0); the headers record a checksum of
//! every file (SHA-256 from Inno Setup 6.4, SHA-1 from 5.3.9, MD5 or CRC-32
//! before); deep verification recomputed every one. The proof is as strong
//! as the weaker of the signature's digest and the files' checksum, and
//! fails when either is MD5 or CRC-32 or the headers lie outside the signed
//! range.
//!
//! For a 7z or zip after a signed stub, the signature covers the archive
//! bytes inside the `.exe` only; further volumes carry nothing but CRC-32,
//! which anyone can recompute after tampering.

use serde::Serialize;

use crate::authenticode::{AuthenticodeReport, AuthenticodeStatus, DigestAlgorithm};
use crate::payload::detect::Located;
use crate::payload::{self, Checksum, EntryKind, Source};
use crate::set::check::CheckReport;
use crate::set::discover::DownloadSet;
use crate::vocab::error::Result;

/// What the installer's signature vouches for in the payload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[must_use]
pub struct VendorCoverage {
    /// Whether every file in the payload is proven to be what the signer shipped.
    pub vendor_verified: bool,
    /// The signer, when the signature is valid.
    pub signer: Option<String>,
    /// The weakest link of the proof (`sha256`, `sha1` …), when it holds.
    pub strength: Option<DigestAlgorithm>,
    /// How many files it covers.
    pub files: usize,
    /// One sentence for people.
    pub statement: String,
}

/// What `signature` (the head part's) proves about the files of `set`,
/// whose payload the check located at `located` and whose deep verification
/// (`deep_ok`) passed or not. `None` when the signature is not valid: then
/// it proves nothing. Called by [`super::verify`] with `deep`.
pub(super) fn coverage(
    set: &DownloadSet,
    check: &CheckReport,
    located: &Located,
    signature: &AuthenticodeReport,
    deep_ok: bool,
) -> Result<Option<VendorCoverage>> {
    let AuthenticodeStatus::Valid { signer, digest, signed_bytes, .. } = &signature.status else {
        return Ok(None);
    };
    let parts = check.part_paths();
    let payload = payload::open(&Source { parts: &parts, located, label: &set.name }, None)?;
    let files: Vec<_> = payload.entries().iter().filter(|e| e.kind == EntryKind::File).collect();
    let exe = &signature.file;
    let not = |statement: String| VendorCoverage {
        vendor_verified: false,
        signer: Some(signer.clone()),
        strength: None,
        files: files.len(),
        statement,
    };
    if !deep_ok {
        return Ok(Some(not(format!(
            "{exe} is validly signed by \"{signer}\", but the files were not all verified ({}; see the errors above)",
            crate::vocab::hint::Hint::DeepVerify
        ))));
    }
    let coverage = match located {
        Located::Inno { info, .. } => {
            let inside = info
                .loader
                .as_ref()
                .is_some_and(|table| table.header_offset < *signed_bytes && table.data_offset < *signed_bytes);
            if !inside {
                return Ok(Some(not(format!(
                    "{exe} is validly signed by \"{signer}\", but its setup headers lie outside the signed range, so the signature does not vouch for the files"
                ))));
            }
            let weakest = files.iter().map(|e| checksum_strength(e.checksum.as_ref())).min().unwrap_or(Some(*digest));
            match weakest {
                Some(file_strength) => {
                    let strength = file_strength.min(*digest);
                    let weaker = if strength.is_weak() {
                        " (weaker: SHA-1 collisions can be made, so a vendor-side attacker could prepare a look-alike)"
                    } else {
                        ""
                    };
                    VendorCoverage {
                        vendor_verified: true,
                        signer: Some(signer.clone()),
                        strength: Some(strength),
                        files: files.len(),
                        statement: format!(
                            "vendor-verified: every file ({}) is what \"{signer}\" signed, by {}{weaker}",
                            files.len(),
                            strength.label()
                        ),
                    }
                }
                None => not(format!(
                    "{exe} is validly signed by \"{signer}\", but its setup headers record only CRC-32/MD5 checksums of the files, which do not prove them unaltered"
                )),
            }
        }
        Located::SevenZ { .. } | Located::Zip(_) => {
            let others = set.parts.len().saturating_sub(1);
            let archive_signed = match located {
                Located::SevenZ { offset, length } => {
                    offset.checked_add(*length).is_some_and(|end| end <= *signed_bytes)
                }
                _ => true,
            };
            if others == 0 && parts.len() == 1 && archive_signed {
                VendorCoverage {
                    vendor_verified: true,
                    signer: Some(signer.clone()),
                    strength: Some(*digest),
                    files: files.len(),
                    statement: format!(
                        "vendor-verified: the archive lies inside {exe}, which \"{signer}\" signed, by {}: every file ({}) is what they signed",
                        digest.label(),
                        files.len()
                    ),
                }
            } else {
                not(format!(
                    "not vendor-verified: the signature by \"{signer}\" covers only {exe}; the archive's bytes in the {others} other part(s) are covered only by its CRC-32 checksums, which prove nothing against tampering: verify those parts against a signed manifest {}",
                    crate::vocab::hint::Hint::SignedManifest
                ))
            }
        }
    };
    Ok(Some(coverage))
}

/// The strength of a file checksum as a proof, `None` when it is none
/// (CRC-32, Adler-32, MD5) or absent.
fn checksum_strength(checksum: Option<&Checksum>) -> Option<DigestAlgorithm> {
    match checksum? {
        Checksum::Sha256(_) => Some(DigestAlgorithm::Sha256),
        Checksum::Sha1(_) => Some(DigestAlgorithm::Sha1),
        _ => None,
    }
}
