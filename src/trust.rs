//! Which manifest a run trusts: the one given, or one beside the set; with
//! a trusted key (`--trust`), the signed one, whose signature is checked
//! before anything else is believed. And the one check a trusted manifest
//! exists for: every approved part hashed against it.
//!
//! Verify, extract and stage all start here; it sits below them and names
//! none of them.
#![warn(clippy::arithmetic_side_effects)]

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::check::CheckReport;
use crate::discover::DownloadSet;
use crate::error::{Error, Result};
use crate::hash::{HashOptions, hash_files};
use crate::manifest::Manifest;
use crate::progress::{Cancel, Progress, Task};

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

/// Picks the manifest to verify against: the one given, or one beside the
/// set. With a trusted key, the first of them that carries a signature, which
/// is then checked.
pub(crate) fn choose_manifest(
    set: &DownloadSet,
    given: Option<&Path>,
    trust: Option<&Path>,
) -> Result<(Option<PathBuf>, Option<SignatureCheck>)> {
    let Some(trust) = trust else {
        return Ok((given.map(Path::to_path_buf).or_else(|| set.beside_manifest()), None));
    };
    let key = crate::sign::read_public_key(trust)?;
    let candidates: Vec<PathBuf> = match given {
        Some(path) => vec![path.to_path_buf()],
        // The JSON manifest first: it also fixes the parts' sizes.
        None => [2usize, 0, 1]
            .iter()
            .map(|&i| set.dir.join(crate::manifest::BESIDE_NAMES[i].replace("{}", &set.name)))
            .filter(|p| p.is_file())
            .collect(),
    };
    let signed = candidates.iter().find(|p| crate::sign::signature_path(p).is_file()).or(candidates.first()).cloned();
    let check = match &signed {
        None => SignatureCheck {
            manifest: None,
            valid: false,
            message: Some(format!(
                "no manifest beside the set in {}; a trusted verification needs a signed manifest",
                set.dir.display()
            )),
        },
        Some(path) => match crate::sign::verify_manifest_signature(path, &key) {
            Ok(()) => SignatureCheck { manifest: Some(path.clone()), valid: true, message: None },
            Err(message) => SignatureCheck { manifest: Some(path.clone()), valid: false, message: Some(message) },
        },
    };
    Ok((signed, Some(check)))
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
