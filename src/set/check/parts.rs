//! The parts, one by one: which the set should have (from the payload's
//! structure or the manifest), whether each is there, of the size required,
//! a slice with the slice magic, readable; parts beside the set that it does
//! not use.
#![warn(clippy::arithmetic_side_effects)]

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;

use crate::read::hash::{Digest256, PartAccess, hash_file};
use crate::vocab::progress::{Cancel, Progress, Task};

use crate::manifest::Manifest;
use crate::payload::detect::Located;
use crate::payload::inno::slice_header;
use crate::set::discover::{DownloadSet, Part};
use crate::vocab::naming::Scheme;
use crate::vocab::states::PartState;

use super::missing::explain_missing;
use super::short_or_long;
use crate::vocab::check_report::{CheckReport, PartStatus, ProblemKind, Severity};

/// The parts that cannot be opened for reading, with why.
pub(super) fn unreadable_parts(set: &DownloadSet) -> Vec<(PathBuf, std::io::Error)> {
    set.parts.iter().filter_map(|p| std::fs::File::open(&p.path).err().map(|e| (p.path.clone(), e))).collect()
}

/// Marks and reports every part that cannot be read.
pub(super) fn report_unreadable(unreadable: &[(PathBuf, std::io::Error)], report: &mut CheckReport) {
    for (path, error) in unreadable {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if let Some(status) = report.parts.iter_mut().find(|p| p.path.as_deref() == Some(path.as_path())) {
            status.status = PartState::Unreadable;
        }
        report.problems.retain(|p| p.part.as_deref() != Some(name.as_str()));
        report.problem(
            ProblemKind::Unreadable,
            Severity::Error,
            Some(name.clone()),
            format!("{name} cannot be read ({error}); make it readable (permissions, the device) and run again"),
        );
    }
}

/// Each part the set should have: (number, expected name, required size).
pub(super) fn expected_parts(
    set: &DownloadSet,
    manifest: Option<&Manifest>,
    located: &Option<Located>,
) -> Vec<(u32, String, Option<u64>)> {
    if let Some(manifest) = manifest {
        // Files the installer reads from beside itself are checked as its
        // external files (`external`), not as the payload's parts.
        let externals = super::external::sources(located.as_ref());
        return manifest
            .entries
            .iter()
            .filter(|e| !super::external::names_external(externals, e))
            // A file in a subfolder that is not one of the installer's
            // external files is not a part (see `DownloadSet::read_manifest`).
            .filter(|e| !e.path.contains('/') || set.owns_name(&e.name))
            .map(|e| {
                let number =
                    set.parts.iter().find(|p| p.name.eq_ignore_ascii_case(&e.name)).map_or(u32::MAX, |p| p.number);
                (number, e.name.clone(), e.size)
            })
            .collect();
    }
    if let Some(Located::Inno { info, .. }) = located {
        // Slice i is `NAME-(i+1).bin`, or `NAME-1a.bin` … with several a disk.
        let lettered = info.slices_per_disk > 1;
        return std::iter::once(Some(0))
            .chain((0..info.slice_count).map(|i| crate::vocab::naming::slice_number(i, info.slices_per_disk)))
            .flatten()
            .map(|n| (n, set.expected_name_lettered(n, lettered), None))
            .collect();
    }
    let mut numbers: Vec<u32> = match (located, set.scheme) {
        (Some(Located::Inno { info, .. }), _) => (0..=info.slice_count).collect(),
        (_, Scheme::ExeWithBins) => (0..=set.parts.iter().map(|p| p.number).max().unwrap_or(0)).collect(),
        (_, Scheme::SevenZVolumes | Scheme::ZipVolumes) => {
            (1..=set.parts.iter().map(|p| p.number).max().unwrap_or(1)).collect()
        }
        (_, Scheme::Single) => vec![0],
    };
    numbers.dedup();
    numbers.into_iter().map(|n| (n, set.expected_name(n), None)).collect()
}

pub(super) fn check_parts(
    set: &DownloadSet,
    expected: &[(u32, String, Option<u64>)],
    manifest: Option<&Manifest>,
    located: Option<&Located>,
    hasher: &Hasher<'_>,
    report: &mut CheckReport,
) {
    for (number, name, required) in expected {
        let present = set
            .parts
            .iter()
            .find(|p| if manifest.is_some() { p.name.eq_ignore_ascii_case(name) } else { p.number == *number });
        let (renamed, same_bytes) = match (present, manifest) {
            (None, Some(manifest)) => {
                renamed_part(set, manifest, name, hasher).map_or((None, false), |(p, same)| (Some(p), same))
            }
            _ => (None, false),
        };
        if let Some(part) = renamed {
            let how = if same_bytes {
                "same size and SHA-256 as the manifest lists".to_owned()
            } else {
                format!(
                    "the installer paired with the slices, under another name; its bytes differ from what the manifest \
                     lists for {name}, so verification will name it"
                )
            };
            report.problem(
                ProblemKind::Renamed,
                Severity::Warning,
                Some(name.clone()),
                format!("{name} is here as '{}' ({how})", part.name),
            );
        }
        let Some(part) = present.or(renamed) else {
            report.parts.push(PartStatus {
                name: name.clone(),
                size: None,
                expected_size: *required,
                status: PartState::Missing,
                listed_as: None,
                path: None,
                external: None,
                number: *number,
            });
            let message = explain_missing(set, name, *number);
            let kind = message.1;
            report.problem(kind, Severity::Error, Some(name.clone()), message.0);
            continue;
        };
        let mut status = PartStatus {
            name: part.name.clone(),
            size: Some(part.size),
            expected_size: *required,
            status: PartState::Ok,
            listed_as: renamed.map(|_| name.clone()),
            path: Some(part.path.clone()),
            external: None,
            number: part.number,
        };
        if part.size == 0 {
            status.status = PartState::Empty;
            report.problem(
                ProblemKind::Empty,
                Severity::Error,
                Some(part.name.clone()),
                format!("{} is empty (0 bytes): the download did not finish; download it again", part.name),
            );
        } else if let Some(required) = required.filter(|r| *r != part.size) {
            status.status = PartState::WrongSize;
            report.problem(
                ProblemKind::WrongSize,
                Severity::Error,
                Some(part.name.clone()),
                format!(
                    "{} is {} bytes but the manifest says {required}: it is {}; download it again",
                    part.name,
                    part.size,
                    short_or_long(part.size, required)
                ),
            );
        } else if let (Some(Located::Inno { info, .. }), true) = (located, part.number > 0)
            && info.data_in_slices
        {
            check_slice_header(part, &mut status, report);
        }
        report.parts.push(status);
    }
    // Parts on disk that the expectation does not include.
    for part in &set.parts {
        let listed = report.parts.iter().any(|s| s.path.as_deref() == Some(part.path.as_path()));
        if !listed {
            let why = match manifest {
                Some(m) => format!(
                    "{} is not listed in the manifest {}",
                    part.name,
                    m.path.as_deref().map(|p| p.display().to_string()).unwrap_or_default()
                ),
                None => format!(
                    "{} looks like a part of {} but the payload does not use it; move it away if it belongs to another download",
                    part.name, set.name
                ),
            };
            report.parts.push(PartStatus {
                name: part.name.clone(),
                size: Some(part.size),
                expected_size: None,
                status: PartState::Extra,
                listed_as: None,
                path: Some(part.path.clone()),
                external: None,
                number: part.number,
            });
            report.problem(ProblemKind::Extra, Severity::Warning, Some(part.name.clone()), why);
        }
    }
}

/// The part of `set` that is the manifest's `listed` entry under another
/// name: one no manifest entry names, of the listed size (when the manifest
/// records sizes), whose SHA-256 is the listed one. Only such unclaimed
/// parts are hashed, so a complete set costs nothing here.
fn find_renamed<'a>(set: &'a DownloadSet, manifest: &Manifest, listed: &str, hasher: &Hasher<'_>) -> Option<&'a Part> {
    let entry = manifest.find(listed)?;
    set.parts
        .iter()
        .filter(|p| manifest.find(&p.name).is_none())
        .filter(|p| entry.size.is_none_or(|size| size == p.size))
        .find(|p| hasher.digest(p).is_some_and(|digest| digest == entry.sha256))
}

/// How the check hashes a part when it must (to find a renamed download):
/// each part at most once a run however many entries ask, reported to
/// `progress` as a [`Task::Hash`] of that part, stopped by `cancel` (the
/// check then ends with [`crate::Error::Interrupted`], never a report built
/// without the hash).
pub(super) struct Hasher<'a> {
    cancel: &'a Cancel,
    progress: &'a dyn Progress,
    /// Each part's digest, `None` when it could not be read.
    done: RefCell<HashMap<PathBuf, Option<Digest256>>>,
}

impl<'a> Hasher<'a> {
    pub(super) fn new(cancel: &'a Cancel, progress: &'a dyn Progress) -> Self {
        Hasher { cancel, progress, done: RefCell::new(HashMap::new()) }
    }

    fn digest(&self, part: &Part) -> Option<Digest256> {
        if let Some(known) = self.done.borrow().get(&part.path) {
            return *known;
        }
        self.progress.begin(Task::Hash, part.size);
        let digest = hash_file(&part.path, PartAccess::Read, self.progress, self.cancel).ok();
        self.progress.end(Task::Hash);
        // An interrupted hash is not remembered as the part's.
        if !self.cancel.is_cancelled() {
            self.done.borrow_mut().insert(part.path.clone(), digest);
        }
        digest
    }
}

/// The part of `set` that is the manifest's `listed` entry under another
/// name, and whether its bytes are the listed ones: a part with the listed
/// size and SHA-256 ([`find_renamed`]), else the renamed installer
/// ([`renamed_installer`]), whose bytes differ.
pub(super) fn renamed_part<'a>(
    set: &'a DownloadSet,
    manifest: &Manifest,
    listed: &str,
    hasher: &Hasher<'_>,
) -> Option<(&'a Part, bool)> {
    match find_renamed(set, manifest, listed, hasher) {
        Some(part) => Some((part, true)),
        None => renamed_installer(set, manifest, listed).map(|part| (part, false)),
    }
}

/// The set's installer when the manifest lists it under another name and its
/// bytes do not match: the installer discovery paired with the slices (by the
/// base name in its header), the only `.exe` the manifest lists and does not
/// find, and the only head part it does not list. A damaged installer that was
/// also renamed is then checked against its manifest entry (and fails there,
/// naming it) instead of being "missing" beside a part "not in the manifest".
fn renamed_installer<'a>(set: &'a DownloadSet, manifest: &Manifest, listed: &str) -> Option<&'a Part> {
    let is_exe = |name: &str| name.to_ascii_lowercase().ends_with(".exe");
    let absent = |name: &str| !set.parts.iter().any(|p| p.name.eq_ignore_ascii_case(name));
    let mut listed_exes = manifest.entries.iter().filter(|e| is_exe(&e.name) && absent(&e.name));
    let only_listed = listed_exes.next().filter(|_| listed_exes.next().is_none())?;
    if !only_listed.name.eq_ignore_ascii_case(listed) {
        return None;
    }
    let mut heads = set.parts.iter().filter(|p| p.number == 0 && is_exe(&p.name) && manifest.find(&p.name).is_none());
    let head = heads.next()?;
    heads.next().is_none().then_some(head)
}

/// Reports each part the payload needs that the manifest does not list: such
/// a manifest cannot vouch for the set (exit 3), and the part is never
/// counted as matching.
pub(super) fn report_unlisted(
    unlisted: &[String],
    manifest: Option<&Manifest>,
    located: Option<&Located>,
    report: &mut CheckReport,
) {
    if unlisted.is_empty() {
        return;
    }
    let manifest_name =
        manifest.and_then(|m| m.path.as_deref()).map_or_else(|| "the manifest".to_owned(), |p| p.display().to_string());
    let structure = match located {
        Some(Located::Inno { info, .. }) if info.data_in_slices => {
            format!("the installer's header says its data spans {} slice(s)", info.slice_count)
        }
        _ => "the payload's structure uses it".to_owned(),
    };
    for name in unlisted {
        if let Some(status) =
            report.parts.iter_mut().find(|p| p.name.eq_ignore_ascii_case(name) && p.status == PartState::Ok)
        {
            status.status = PartState::Unlisted;
        }
        report.problem(ProblemKind::Unlisted, Severity::Error, Some(name.clone()), format!(
            "{name} is needed ({structure}) but {manifest_name} does not list it: the manifest covers only part of the set; use a manifest that lists every part{}, or record one{}", crate::vocab::hint::Hint::ManifestFile, crate::vocab::hint::Hint::RecordManifest));
    }
}

/// Reads an Inno Setup slice's 12-byte header and compares its size with the file's.
pub(super) fn check_slice_header(part: &Part, status: &mut PartStatus, report: &mut CheckReport) {
    let header = match slice_header::read(&part.path) {
        Ok(header) => header,
        Err(_) => {
            status.status = PartState::BadMagic;
            report.problem(
                ProblemKind::BadMagic,
                Severity::Error,
                Some(part.name.clone()),
                format!("{} is too short to be a disk slice ({} bytes); download it again", part.name, part.size),
            );
            return;
        }
    };
    let Some(header) = header else {
        status.status = PartState::BadMagic;
        report.problem(ProblemKind::BadMagic, Severity::Error, Some(part.name.clone()), format!(
            "{} does not start with an Inno Setup slice magic (idska32, or idskb32 from Inno Setup 6.5.2): it is damaged or not a slice of this installer; download it again", part.name));
        return;
    };
    let declared = header.declared_size;
    status.expected_size = Some(declared);
    if declared != part.size {
        status.status = PartState::WrongSize;
        report.problem(
            ProblemKind::WrongSize,
            Severity::Error,
            Some(part.name.clone()),
            format!(
                "{} is {} bytes but its slice header says {declared}: it is {}; download it again",
                part.name,
                part.size,
                short_or_long(part.size, declared)
            ),
        );
    }
}
