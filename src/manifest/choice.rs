//! With a trusted key (`--trust`), which manifest a run believes: the signed
//! one, whose signature is checked before anything else is. And the one check
//! a trusted manifest exists for: every approved part hashed against it.
//!
//! Knows folders and names, not sets: `set::manifest_choice` calls it, and
//! chooses the unsigned manifest beside a set itself.
#![warn(clippy::arithmetic_side_effects)]

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::manifest::Manifest;
use crate::read::hash::{HashOptions, hash_files};
use crate::vocab::check_report::CheckReport;
use crate::vocab::error::{Error, Result};
use crate::vocab::progress::{Cancel, Progress, Task};

/// Whether the manifest's signature verified with the trusted key.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SignatureCheck {
    /// The manifest whose signature was checked.
    pub manifest: Option<PathBuf>,
    /// Whether it verified.
    pub valid: bool,
    /// Why not, when it did not.
    pub message: Option<String>,
}

/// Picks the signed manifest a trusted minisign public key (`key_path`)
/// asks for: the one given, or the first beside the set named `name` in
/// `dir` that carries a signature (the JSON manifest first), and checks its
/// signature. Without a key the manifest beside the set is the set's to
/// choose (`DownloadSet::beside_manifest`: the first that lists a part).
pub(crate) fn choose_signed(
    dir: &Path,
    name: &str,
    given: Option<&Path>,
    key_path: &Path,
) -> Result<(Option<PathBuf>, SignatureCheck)> {
    let key = crate::manifest::minisign::read_public_key(key_path)?;
    let candidates: Vec<PathBuf> = match given {
        Some(path) => vec![path.to_path_buf()],
        None => crate::manifest::Beside::SIGNED_LOOKUP
            .iter()
            .map(|beside| dir.join(beside.file_name(name)))
            .filter(|p| p.is_file())
            .collect(),
    };
    let signed = candidates
        .iter()
        .find(|p| crate::manifest::minisign::signature_path(p).is_file())
        .or(candidates.first())
        .cloned();
    let check = match &signed {
        None => SignatureCheck {
            manifest: None,
            valid: false,
            message: Some(format!(
                "no manifest beside the set in {}; a trusted verification needs a signed manifest",
                dir.display()
            )),
        },
        Some(path) => match crate::manifest::minisign::verify_manifest_signature(path, &key) {
            Ok(()) => SignatureCheck { manifest: Some(path.clone()), valid: true, message: None },
            Err(message) => SignatureCheck { manifest: Some(path.clone()), valid: false, message: Some(message) },
        },
    };
    Ok((signed, check))
}

/// Hashes the approved parts and fails with [`Error::Integrity`] naming every
/// part that does not match `manifest` (used before extraction).
pub(crate) fn verify_against(
    report: &CheckReport,
    manifest: &Manifest,
    require_listed: bool,
    options: HashOptions,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<()> {
    // The installer's external files with the parts: the set is all of them.
    let paths = report.member_paths();
    // The name each part is listed under (a renamed part's manifest name),
    // and how to name it to the user: the file on disk.
    let listed: Vec<(String, String)> = report
        .members()
        .map(|p| match &p.listed_as {
            Some(listed) => (listed.clone(), format!("{} (listed as {listed})", p.name)),
            None => (p.name.clone(), p.name.clone()),
        })
        .collect();
    let total = paths.iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum();
    progress.begin(Task::Hash, total);
    let digests = hash_files(&paths, options, progress, cancel);
    progress.end(Task::Hash);
    let mut bad = Vec::new();
    for (digest, (name, shown)) in digests.into_iter().zip(&listed) {
        let digest = digest?;
        match manifest.find_path(name) {
            Some(entry) if entry.sha256 == digest => {}
            Some(_) => bad.push(shown.clone()),
            None if require_listed => bad.push(format!("{shown} (not in the signed manifest)")),
            None => {}
        }
    }
    if bad.is_empty() {
        Ok(())
    } else {
        Err(Error::Integrity {
            what: bad.join(", "),
            reason: format!(
                "SHA-256 does not match {}: copy or download {} again; nothing was extracted",
                manifest.path.as_deref().map(|p| p.display().to_string()).unwrap_or_else(|| "the manifest".into()),
                if bad.len() == 1 { "it" } else { "them" }
            ),
        })
    }
}
