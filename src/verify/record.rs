//! `make_manifest`: the parts of a complete set hashed and described in a
//! manifest, refused when the set is incomplete or contradicts the manifest
//! it was checked against.
#![warn(clippy::arithmetic_side_effects)]

use crate::manifest::Manifest;
use crate::read::hash::{HashOptions, hash_files};
use crate::set::check::{ProblemKind, check};
use crate::set::discover::DownloadSet;
use crate::vocab::error::{Error, Result};
use crate::vocab::progress::{Cancel, Progress, Task};
use crate::vocab::states::PartState;

/// Hashes the parts of a complete set and describes them in a [`Manifest`]
/// (names, sizes, SHA-256, scheme and payload), ready to write as
/// `sha256sum` text or JSON. `given` is a manifest to check completeness
/// against, as for [`verify`](crate::verify()). An incomplete set is an error: a manifest of
/// it would vouch for the wrong thing. So is a part whose bytes contradict
/// that manifest ([`Error::Integrity`] naming every such part): recording
/// them would bless damage. `rerecord` says the set changed on purpose: the
/// known manifest is then ignored and the bytes recorded as they are.
///
/// ```
/// use airlock::{Cancel, HashOptions, NoProgress};
///
/// let set = airlock::discover("testdata/inno/inno-6.4.1-lzma2-solid-spanned".as_ref())?;
/// let manifest = airlock::make_manifest(&set, None, HashOptions::default(), false, &NoProgress, &Cancel::new())?;
/// // The fixture's own SHA256SUMS was checked against, and the new one says the same.
/// let beside = std::fs::read_to_string("testdata/inno/inno-6.4.1-lzma2-solid-spanned/SHA256SUMS").unwrap();
/// let sorted = |text: &str| { let mut lines: Vec<String> = text.lines().map(str::to_owned).collect(); lines.sort(); lines };
/// assert_eq!(sorted(&manifest.to_sha256sum()), sorted(&beside));
/// let json = manifest.to_json(); // names, sizes, SHA-256, naming scheme and payload format
/// # assert!(json.contains("\"airlock_manifest\""));
/// # Ok::<(), airlock::Error>(())
/// ```
pub fn make_manifest(
    set: &DownloadSet,
    given: Option<&std::path::Path>,
    options: HashOptions,
    rerecord: bool,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<Manifest> {
    let known = if rerecord { None } else { set.manifest(given)? };
    let mut report = check(set, known.as_ref())?;
    // Parts the known manifest leaves out are what a new manifest adds.
    report.problems.retain(|p| p.kind != ProblemKind::Unlisted);
    let report = report.into_result()?;
    let paths = report.member_paths();
    let names: Vec<String> = report.members().map(|p| p.name.clone()).collect();
    let total = report.parts.iter().filter(|p| p.status != PartState::Extra).filter_map(|p| p.size).sum();
    progress.begin(Task::Hash, total);
    let digests = hash_files(&paths, options, progress, cancel);
    progress.end(Task::Hash);
    let mut parts = Vec::with_capacity(paths.len());
    // A part by its file name, an installer's external file by its path in the set.
    for ((path, digest), name) in paths.iter().zip(digests).zip(names) {
        let size = std::fs::metadata(path).map_err(|e| Error::io(path, e))?.len();
        parts.push((name, size, digest?));
    }
    if let Some(known) = &known {
        let contradicted: Vec<String> = parts
            .iter()
            .filter(|(name, _, digest)| known.find_path(name).is_some_and(|entry| entry.sha256 != *digest))
            .map(|(name, _, _)| name.clone())
            .collect();
        if !contradicted.is_empty() {
            return Err(Error::Integrity {
                what: contradicted.join(", "),
                reason: format!(
                    "SHA-256 does not match {}: the part is damaged or altered, and a new manifest would vouch for the damage; download {} again, or {} if the set changed on purpose",
                    known.path.as_deref().map_or_else(|| "the manifest".to_owned(), |p| p.display().to_string()),
                    if contradicted.len() == 1 { "it" } else { "them" },
                    crate::vocab::hint::Hint::Rerecord
                ),
            });
        }
    }
    Ok(Manifest::from_parts(&set.name, Some(report.scheme), report.payload, parts))
}
