//! Is the set complete? Established from names, sizes and headers only.
//!
//! The payload's own structure is the judge: an Inno Setup header says how
//! many slices the data spans and each slice header its exact size; a 7z
//! start header gives the archive's length; a zip's end record must sit at the
//! very end of the last part and point inside the set. With a manifest, its
//! part list (and, for JSON, sizes) is authoritative instead.
//!
//! Every problem is collected, never just the first, each naming its file and
//! saying what to do: a missing part found one or two folders down, or in the
//! parent, is named with where it is; browser leftovers and second copies are
//! named as such. Problems are errors (the set cannot be used as it is) or
//! warnings (something beside the set deserves a look).
//!
//! Sizes and counts here come from headers and names an attacker may write:
//! arithmetic on them is checked (the lint below keeps it so), and a sum
//! that cannot be held is a payload problem naming the part, never a wrap.
#![warn(clippy::arithmetic_side_effects)]

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::discover::DownloadSet;
use crate::error::{Error, ErrorKind, Result};
use crate::manifest::Manifest;
use crate::naming::{Decoration, Role, Scheme};
use crate::payload::PayloadFormat;
use crate::payload::detect::{self, Located};
use crate::payload::slice_header;
use crate::set_reader::SetReader;
use crate::states::PartState;

/// The highest part number a set may have. Vendor sets have tens of parts;
/// anything past this comes from a damaged header or a hostile name.
pub const MAX_PART_NUMBER: u32 = 9_999;

/// How serious a [`Problem`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The set cannot be used as it is.
    Error,
    /// Worth a look; the set itself is usable.
    Warning,
}

/// What kind of problem was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProblemKind {
    /// A part is not there.
    Missing,
    /// A part is in a subfolder or the parent folder.
    Misplaced,
    /// A browser's unfinished download (`.crdownload`, `.part` …).
    Unfinished,
    /// A browser's second copy (`NAME-3 (1).bin`).
    Copy,
    /// A zero-length part.
    Empty,
    /// A part whose size is not what its header or the manifest says.
    WrongSize,
    /// A slice without the slice magic.
    BadMagic,
    /// The set's bytes fall short of what the payload needs.
    Short,
    /// The set's bytes run past the payload's end.
    Long,
    /// A file named like a part of the set that the set does not use.
    Extra,
    /// The payload's headers cannot be read or are not recognised.
    Payload,
    /// A part the manifest lists is here under another name (matched by
    /// size and SHA-256): a note, not a fault.
    Renamed,
    /// A part the payload's structure needs that the manifest does not list.
    Unlisted,
    /// A part that cannot be opened or read.
    Unreadable,
}

/// One thing wrong with the set.
#[derive(Clone, Debug, Serialize)]
pub struct Problem {
    /// The kind of problem.
    pub kind: ProblemKind,
    /// Error or warning.
    pub severity: Severity,
    /// The file it is about (as it should be named), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    /// One line: what is wrong, which file, what to do.
    pub message: String,
}

/// The state of one part after the check.
#[derive(Clone, Debug, Serialize)]
pub struct PartStatus {
    /// The part's file name (the expected name when it is missing).
    pub name: String,
    /// Its size on disk (absent when missing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// The size the payload or manifest requires, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_size: Option<u64>,
    /// What the check found.
    pub status: PartState,
    /// The name the manifest lists this part under, when it is here under
    /// another (`NAME (1).exe` for `NAME.exe`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listed_as: Option<String>,
    #[serde(skip)]
    pub(crate) path: Option<PathBuf>,
    /// The part's number (0 for the head); orders the report.
    #[serde(skip)]
    pub(crate) number: u32,
}

/// The outcome of a completeness check: it may list errors. Ask
/// [`CheckReport::is_ok`] or call [`CheckReport::into_result`].
#[derive(Clone, Debug, Serialize)]
#[must_use = "a check report may hold errors: check is_ok() or call into_result()"]
pub struct CheckReport {
    /// The set's name.
    pub set: String,
    /// The folder holding it.
    pub dir: PathBuf,
    /// How its parts are named.
    pub scheme: Scheme,
    /// The payload found, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payload: Option<PayloadFormat>,
    /// A description of the payload (version, compression, slices).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payload_detail: Option<String>,
    /// How a renamed installer was paired with its slices.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pairing: Option<String>,
    /// The manifest used, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manifest: Option<PathBuf>,
    /// Every expected part, then extras.
    pub parts: Vec<PartStatus>,
    /// Every problem found.
    pub problems: Vec<Problem>,
    #[serde(skip)]
    pub(crate) located: Option<Located>,
}

impl CheckReport {
    /// Whether the set is usable: no problem of severity error.
    pub fn is_ok(&self) -> bool {
        !self.problems.iter().any(|p| p.severity == Severity::Error)
    }

    /// The errors, then the warnings.
    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| p.severity == Severity::Error)
    }

    /// The kind of failure the errors amount to: [`ErrorKind::Incomplete`]
    /// only when the set's own structure (or its manifest) shows parts
    /// missing, empty, short, of the wrong size or not slices; a payload that
    /// cannot be recognised or read, or one with bytes past its end, is
    /// [`ErrorKind::Payload`].
    pub fn error_kind(&self) -> ErrorKind {
        let incomplete = self.errors().any(|p| {
            matches!(
                p.kind,
                ProblemKind::Missing
                    | ProblemKind::Misplaced
                    | ProblemKind::Unfinished
                    | ProblemKind::Copy
                    | ProblemKind::Empty
                    | ProblemKind::WrongSize
                    | ProblemKind::BadMagic
                    | ProblemKind::Short
                    | ProblemKind::Unlisted
            )
        });
        if incomplete {
            ErrorKind::Incomplete
        } else if self.errors().any(|p| p.kind == ProblemKind::Unreadable) {
            // A part that cannot be read is an I/O failure, not a missing part.
            ErrorKind::Io
        } else {
            ErrorKind::Payload
        }
    }

    /// One line: the first error, and how many more there are.
    pub fn summary(&self) -> String {
        let errors: Vec<&Problem> = self.errors().collect();
        match errors.as_slice() {
            [] => format!("{}: complete", self.set),
            [one] => one.message.clone(),
            [first, rest @ ..] => format!("{} (and {} more problems)", first.message, rest.len()),
        }
    }

    /// The paths of the parts that are present and expected, in order.
    pub fn part_paths(&self) -> Vec<PathBuf> {
        self.parts.iter().filter(|p| p.status != PartState::Extra).filter_map(|p| p.path.clone()).collect()
    }

    /// Turns a report with errors into [`Error::Incomplete`].
    pub fn into_result(self) -> Result<CheckReport> {
        if self.is_ok() { Ok(self) } else { Err(Error::Incomplete { report: Box::new(self) }) }
    }
}

/// Checks that `set` is complete and consistent, reading headers only.
pub fn check(set: &DownloadSet, manifest: Option<&Manifest>) -> Result<CheckReport> {
    let mut report = CheckReport {
        set: set.name.clone(),
        dir: set.dir.clone(),
        scheme: set.scheme,
        payload: None,
        payload_detail: None,
        pairing: set.pairing.clone(),
        manifest: manifest.and_then(|m| m.path.clone()),
        parts: Vec::new(),
        problems: Vec::new(),
        located: None,
    };

    // A part that cannot be opened is reported with the rest, never the end
    // of the check: the other parts are still judged (and, by verify, hashed).
    let unreadable = unreadable_parts(set);
    let reader = if unreadable.is_empty() {
        Some(SetReader::open_buffered(&set.paths())?) // headers only: no map, no SIGBUS risk
    } else {
        if let Some(head) = set.parts.first().filter(|p| !unreadable.iter().any(|(path, _)| *path == p.path))
            && head.number == 0
            && head.name.to_ascii_lowercase().ends_with(".exe")
            && let Ok(Some(info)) = crate::payload::inno::probe(&head.path)
        {
            let located = Located::Inno { exe: head.path.clone(), info };
            report.payload = Some(located.format());
            report.payload_detail = Some(describe(&located));
            report.located = Some(located);
        }
        None
    };
    if let Some(reader) = &reader {
        let head = set.parts.first().map(|head| detect::Head {
            path: &head.path,
            may_be_installer: head.number == 0 && head.name.to_ascii_lowercase().ends_with(".exe"),
        });
        let located = match head {
            Some(head) => detect::locate(head, reader),
            None => Ok(Err(detect::NotFound { what: "no parts".to_owned() })),
        };
        match located {
            Ok(Ok(located)) => {
                report.payload = Some(located.format());
                report.payload_detail = Some(describe(&located));
                report.located = Some(located);
            }
            Ok(Err(not_found)) => {
                if !archive_looks_cut(set, reader) {
                    let severity = if manifest.is_some() { Severity::Warning } else { Severity::Error };
                    let head = set.head().map_or(set.name.as_str(), |p| p.name.as_str());
                    let message = if detect::zip_end_record_present(reader) {
                        format!(
                            "{head}: its zip end record points to a central directory that is not there: the archive is damaged; download it again"
                        )
                    } else if set.name.to_ascii_lowercase().ends_with(".zip") {
                        format!("{head}: no zip end record: the archive is cut short or damaged; download it again")
                    } else {
                        format!(
                            "{head}: {}; airlock reads Inno Setup installers and 7z or zip archives",
                            not_found.what
                        )
                    };
                    report.problem(ProblemKind::Payload, severity, set.head().map(|p| p.name.clone()), message);
                }
            }
            // A part the device cannot read, without a manifest to go on: an
            // I/O error naming the part (exit 6), not a payload problem.
            Err(error) if manifest.is_none() && error.kind() == ErrorKind::Io => return Err(error),
            Err(error) => {
                // With a manifest the part list is known without the payload's
                // help, so the set can still be checked and verified.
                let severity = if manifest.is_some() { Severity::Warning } else { Severity::Error };
                let mut message = error.full_message();
                if manifest.is_some() {
                    message.push_str("; the parts can still be verified against the manifest, but airlock cannot list or extract this payload");
                }
                report.problem(ProblemKind::Payload, severity, set.head().map(|p| p.name.clone()), message);
            }
        }
    }

    // A lone exe whose data is inside it is a single file.
    if let Some(Located::Inno { info, .. }) = &report.located
        && !info.data_in_slices
        && set.scheme == Scheme::ExeWithBins
    {
        report.scheme = Scheme::Single;
    }

    let highest = match &report.located {
        Some(Located::Inno { info, .. }) => info.slice_count,
        _ => set.parts.iter().map(|p| p.number).max().unwrap_or(0),
    };
    if manifest.is_none() && highest > MAX_PART_NUMBER {
        // A name (`X-999999999.bin`) or a header claiming that many parts
        // must not make the check list every number up to it.
        report.problem(ProblemKind::Payload, Severity::Error, None, format!(
            "{}: the set claims part number {highest}; no real set has more than {MAX_PART_NUMBER} parts, so its names or headers are damaged",
            set.name
        ));
        return Ok(report);
    }
    let mut expected = expected_parts(set, manifest, &report.located);
    // A manifest never shrinks a set: every part the payload's structure
    // needs is expected, listed or not.
    let mut unlisted = Vec::new();
    if let Some(listing) = manifest
        && report.located.is_some()
    {
        for (number, name, size) in expected_parts(set, None, &report.located) {
            let listed_by_name = expected.iter().any(|(_, listed, _)| listed.eq_ignore_ascii_case(&name));
            // A renamed download (`NAME (1).exe`) that is the manifest's
            // `NAME.exe` by size and hash is listed, under its old name.
            let listed_as_renamed = || {
                expected.iter().filter(|(n, _, _)| *n == u32::MAX).any(|(_, listed, _)| {
                    find_renamed(set, listing, listed).is_some_and(|p| p.name.eq_ignore_ascii_case(&name))
                })
            };
            if !listed_by_name && !listed_as_renamed() {
                unlisted.push(name.clone());
                expected.push((number, name, size));
            }
        }
    }
    check_parts(set, &expected, manifest, &mut report);
    report_unlisted(&unlisted, manifest, &mut report);
    // Head first, then by number; extras last (a stable sort keeps the
    // manifest's order among parts it names that are not on disk).
    report.parts.sort_by_key(|p| (p.status == PartState::Extra, p.number));
    report_unreadable(&unreadable, &mut report);
    if let Some(reader) = &reader {
        check_structure(set, reader, &mut report);
    }
    check_exe_size(set, &mut report);
    report_related(set, &mut report);
    Ok(report)
}

/// The parts that cannot be opened for reading, with why.
fn unreadable_parts(set: &DownloadSet) -> Vec<(PathBuf, std::io::Error)> {
    set.parts.iter().filter_map(|p| std::fs::File::open(&p.path).err().map(|e| (p.path.clone(), e))).collect()
}

/// Marks and reports every part that cannot be read.
fn report_unreadable(unreadable: &[(PathBuf, std::io::Error)], report: &mut CheckReport) {
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

/// Proves the installer's own size from its setup loader's offset table (see
/// [`crate::exe_size`]). When the setup headers could not be read and the
/// table shows the file is cut short, the truncation is the problem to
/// report, not the unreadable headers it caused.
fn check_exe_size(set: &DownloadSet, report: &mut CheckReport) {
    let Some(head) = set.parts.first().filter(|p| p.number == 0 && p.name.to_ascii_lowercase().ends_with(".exe"))
    else {
        return;
    };
    let table = match &report.located {
        Some(Located::Inno { info, .. }) => info.loader,
        Some(_) => return,
        None => crate::exe_size::LoaderTable::read(&head.path),
    };
    let Some(table) = table else { return };
    let Some(mismatch) = crate::exe_size::check(&head.path, head.size, &table) else { return };
    if report.located.is_none() {
        report.problems.retain(|p| !(p.kind == ProblemKind::Payload && p.part.as_deref() == Some(head.name.as_str())));
    }
    if let Some(status) = report.parts.iter_mut().find(|p| p.path.as_deref() == Some(head.path.as_path())) {
        status.status = PartState::WrongSize;
        status.expected_size = Some(mismatch.expected);
    }
    let message = format!(
        "{} is {} bytes but its setup loader says the installer is {} bytes: it is {}; download it again",
        head.name, mismatch.actual, mismatch.expected, mismatch.why
    );
    // First: the other problems (a payload that cannot be read) follow from it.
    report.problems.insert(
        0,
        Problem { kind: ProblemKind::WrongSize, severity: Severity::Error, part: Some(head.name.clone()), message },
    );
}

/// Each part the set should have: (number, expected name, required size).
fn expected_parts(
    set: &DownloadSet,
    manifest: Option<&Manifest>,
    located: &Option<Located>,
) -> Vec<(u32, String, Option<u64>)> {
    if let Some(manifest) = manifest {
        return manifest
            .entries
            .iter()
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
            .chain((0..info.slice_count).map(|i| crate::naming::slice_number(i, info.slices_per_disk)))
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

fn check_parts(
    set: &DownloadSet,
    expected: &[(u32, String, Option<u64>)],
    manifest: Option<&Manifest>,
    report: &mut CheckReport,
) {
    for (number, name, required) in expected {
        let present = set
            .parts
            .iter()
            .find(|p| if manifest.is_some() { p.name.eq_ignore_ascii_case(name) } else { p.number == *number });
        let renamed = match (present, manifest) {
            (None, Some(manifest)) => find_renamed(set, manifest, name),
            _ => None,
        };
        if let Some(part) = renamed {
            report.problem(
                ProblemKind::Renamed,
                Severity::Warning,
                Some(name.clone()),
                format!("{name} is here as '{}' (same size and SHA-256 as the manifest lists)", part.name),
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
        } else if let (Some(Located::Inno { info, .. }), true) = (&report.located, part.number > 0)
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
fn find_renamed<'a>(set: &'a DownloadSet, manifest: &Manifest, listed: &str) -> Option<&'a crate::discover::Part> {
    let entry = manifest.find(listed)?;
    set.parts
        .iter()
        .filter(|p| manifest.find(&p.name).is_none())
        .filter(|p| entry.size.is_none_or(|size| size == p.size))
        .find(|p| {
            crate::hash::hash_file(&p.path, false, &crate::progress::NoProgress, &crate::progress::Cancel::new())
                .is_ok_and(|digest| digest == entry.sha256)
        })
}

/// Reports each part the payload needs that the manifest does not list: such
/// a manifest cannot vouch for the set (exit 3), and the part is never
/// counted as matching.
fn report_unlisted(unlisted: &[String], manifest: Option<&Manifest>, report: &mut CheckReport) {
    if unlisted.is_empty() {
        return;
    }
    let manifest_name =
        manifest.and_then(|m| m.path.as_deref()).map_or_else(|| "the manifest".to_owned(), |p| p.display().to_string());
    let structure = match &report.located {
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
            "{name} is needed ({structure}) but {manifest_name} does not list it: the manifest covers only part of the set; use a manifest that lists every part (--manifest FILE), or record one with `airlock manifest SET -o FILE`"));
    }
}

/// Reads an Inno Setup slice's 12-byte header and compares its size with the file's.
fn check_slice_header(part: &crate::discover::Part, status: &mut PartStatus, report: &mut CheckReport) {
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

fn short_or_long(actual: u64, expected: u64) -> String {
    let by = actual.abs_diff(expected);
    if actual < expected { format!("{by} bytes short") } else { format!("{by} bytes too long") }
}

/// Says why part `name` is missing: a leftover, a copy, a misplaced file, or gone.
fn explain_missing(set: &DownloadSet, name: &str, number: u32) -> (String, ProblemKind) {
    let lettered = crate::naming::classify(name).is_some_and(|n| matches!(n.role, Role::LetteredSlice(_)));
    let role_matches = |role: &Role| match (role, set.scheme) {
        (Role::Exe, _) => number == 0,
        (Role::Slice(n), Scheme::ExeWithBins) if !lettered => *n == number,
        (Role::LetteredSlice(n), Scheme::ExeWithBins) if lettered => *n == number,
        (Role::Volume(n), Scheme::SevenZVolumes | Scheme::ZipVolumes) => *n == number,
        (Role::Archive, Scheme::Single) => number == 0,
        _ => false,
    };
    for related in &set.related {
        if !role_matches(&related.role) {
            continue;
        }
        match &related.decoration {
            Decoration::Unfinished(".airlock-download") => {
                return (
                    format!(
                        "{name} is missing: {} is an unfinished airlock fetch; run the same airlock fetch again to resume it",
                        related.name
                    ),
                    ProblemKind::Unfinished,
                );
            }
            Decoration::Unfinished(suffix) => {
                return (
                    format!(
                        "{name} is missing: {} is an unfinished browser download ({suffix}); let the download finish or download {name} again",
                        related.name
                    ),
                    ProblemKind::Unfinished,
                );
            }
            Decoration::Copy(_) => {
                return (
                    format!(
                        "{name} is missing but {} is beside it, a second copy a browser saved; if it is complete, rename it to {name}",
                        related.name
                    ),
                    ProblemKind::Copy,
                );
            }
            Decoration::None => {}
        }
    }
    if let Some(found) = find_elsewhere(&set.dir, name) {
        return (
            format!(
                "{name} is not next to the other parts but in {}; move it next to the others (into {})",
                found.parent().unwrap_or(&found).display(),
                set.dir.display()
            ),
            ProblemKind::Misplaced,
        );
    }
    (
        format!("{name} is missing from {}; download it and put it next to the other parts", set.dir.display()),
        ProblemKind::Missing,
    )
}

/// Looks for `name` up to two folders below `dir`, and in its parent.
fn find_elsewhere(dir: &Path, name: &str) -> Option<PathBuf> {
    let matches = |entry: &walkdir::DirEntry| {
        entry.file_type().is_file() && entry.file_name().to_string_lossy().eq_ignore_ascii_case(name)
    };
    let below = walkdir::WalkDir::new(dir)
        .min_depth(2)
        .max_depth(3)
        .follow_links(false)
        .into_iter()
        .filter_map(|e| e.ok())
        .find(matches)
        .map(|e| e.into_path());
    below.or_else(|| {
        let parent = std::path::absolute(dir).ok()?.parent()?.to_path_buf();
        walkdir::WalkDir::new(&parent)
            .min_depth(1)
            .max_depth(1)
            .into_iter()
            .filter_map(|e| e.ok())
            .find(matches)
            .map(|e| e.into_path())
    })
}

/// Compares the set's total length with what the archive's headers require.
fn check_structure(set: &DownloadSet, reader: &SetReader, report: &mut CheckReport) {
    if report.parts.iter().any(|p| p.status == PartState::Missing) {
        return; // the set's length is meaningless with a gap; the gap is reported
    }
    let last = set.parts.last().map_or(set.name.clone(), |p| p.name.clone());
    let actual = reader.len();
    match &report.located {
        Some(Located::SevenZ { offset, length }) => {
            let Some(expected) = offset.checked_add(*length) else {
                let part = reader
                    .locate(*offset)
                    .and_then(|(path, _)| path.file_name())
                    .map_or(set.name.clone(), |n| n.to_string_lossy().into_owned());
                report.problem(ProblemKind::Payload, Severity::Error, Some(part.clone()), format!(
                    "{part}: the 7z start header at offset {offset} declares an archive of {length} bytes, which would end past 2^64 bytes: the header is damaged or hostile; download {part} again"));
                return;
            };
            let by = actual.abs_diff(expected);
            // Bytes past the archive that are exactly an Authenticode
            // certificate table (a signed self-extractor) are the signature.
            let signed_tail = actual > expected && crate::authenticode::is_signature_tail(set, expected);
            if let [only] = set.parts.as_slice()
                && actual != expected
                && !signed_tail
            {
                // One file (a self-extracting `.exe` or a `.7z`): it is that file's size that is wrong.
                if let Some(status) = report.parts.iter_mut().find(|p| p.path.as_deref() == Some(only.path.as_path())) {
                    status.status = PartState::WrongSize;
                    status.expected_size = Some(expected);
                }
                report.problem(
                    ProblemKind::WrongSize,
                    Severity::Error,
                    Some(only.name.clone()),
                    format!(
                        "{} is {actual} bytes but its 7z archive ends at byte {expected}: it is {}; download it again",
                        only.name,
                        short_or_long(actual, expected)
                    ),
                );
            } else if actual < expected {
                report.problem(ProblemKind::Short, Severity::Error, Some(last.clone()), format!(
                    "the set is {actual} bytes but its 7z archive needs {expected} ({by} bytes short): the part after {last} is missing or {last} is cut short; download the rest of the set"));
            } else if actual > expected && !signed_tail {
                report.problem(ProblemKind::Long, Severity::Error, Some(last.clone()), format!(
                    "the set is {actual} bytes but its 7z archive ends at {expected} ({by} bytes too many): {last} has extra bytes or does not belong to this set"));
            }
        }
        Some(Located::Zip(end)) => {
            if let Ok(Some((entry, position))) = detect::misplaced_zip_entry(reader, end) {
                report.problem(ProblemKind::Short, Severity::Error, None, format!(
                    "the parts do not add up to the zip archive their end record describes: entry {entry} should start at byte {position} of the set but does not; a part before {last} is cut short or too long (compare the sizes with the vendor's); download the set again"));
            }
        }
        None if archive_looks_cut(set, reader) => {
            report.problem(ProblemKind::Short, Severity::Error, Some(last.clone()), format!(
                "no zip end record at the end of {last}: the set is incomplete (a later part is missing) or {last} is cut short; download the rest of the set"));
        }
        _ => {}
    }
}

/// Whether the set looks like a zip whose end is missing: named as a zip, or
/// starting (after a stub) with a zip local header but without an end record.
///
/// A single file is never "cut" in this sense: nothing in it says a later
/// part exists, so a zip without a usable end record is a damaged payload
/// (exit 5), not an incomplete set (exit 3). Nor is an archive whose end
/// record is there but damaged.
fn archive_looks_cut(set: &DownloadSet, reader: &SetReader) -> bool {
    if matches!(detect::find_zip_end(reader), Ok(Some(_))) || detect::zip_end_record_present(reader) {
        return false;
    }
    if set.parts.len() == 1 && set.scheme == Scheme::Single {
        return false;
    }
    let named_zip = set.scheme == Scheme::ZipVolumes || set.name.to_ascii_lowercase().ends_with(".zip");
    let mut head = vec![0u8; reader.len().min(1 << 20) as usize];
    let has_local_header =
        reader.read_exact_at(0, &mut head).is_ok() && memchr::memmem::find(&head, b"PK\x03\x04").is_some();
    named_zip || (set.parts.len() > 1 && has_local_header)
}

/// Warns about leftovers and copies of parts that are present anyway.
fn report_related(set: &DownloadSet, report: &mut CheckReport) {
    for related in &set.related {
        let already = report.problems.iter().any(|p| p.message.contains(&related.name));
        if already {
            continue;
        }
        let message = match &related.decoration {
            Decoration::Unfinished(suffix) => {
                format!("{} is an unfinished browser download ({suffix}) beside the set; delete it", related.name)
            }
            Decoration::Copy(_) => {
                format!("{} is a second copy a browser saved beside the set; delete it", related.name)
            }
            Decoration::None => format!(
                "{} is named like a part of {} but is not part of this set; move it away",
                related.name, set.name
            ),
        };
        report.problem(ProblemKind::Extra, Severity::Warning, Some(related.name.clone()), message);
    }
}

fn describe(located: &Located) -> String {
    match located {
        Located::Inno { info, .. } => {
            let data = if info.data_in_slices && info.slices_per_disk > 1 {
                format!("data in {} slice(s), {} a disk", info.slice_count, info.slices_per_disk)
            } else if info.data_in_slices {
                format!("data in {} slice(s)", info.slice_count)
            } else {
                "data inside the .exe".to_owned()
            };
            format!(
                "Inno Setup {}, {} compression, {data}{}",
                info.version,
                info.compression,
                if info.encrypted { ", encrypted" } else { "" }
            )
        }
        Located::SevenZ { offset, length } => format!("7z archive of {length} bytes at offset {offset}"),
        Located::Zip(end) => format!(
            "zip archive{}",
            if end.stub > 0 { format!(" after a {}-byte stub", end.stub) } else { String::new() }
        ),
    }
}

impl CheckReport {
    fn problem(&mut self, kind: ProblemKind, severity: Severity, part: Option<String>, message: String) {
        self.problems.push(Problem { kind, severity, part, message });
    }
}
