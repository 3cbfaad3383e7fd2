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

mod external;
mod missing;
mod parts;
mod structure;

use std::path::{Path, PathBuf};

use crate::authenticode::SignerPolicy;
use crate::manifest::Manifest;
use crate::payload::detect::{self, Located};
use crate::read::set_reader::SetReader;
use crate::set::authenticode::check_set_signer;
use crate::set::discover::DownloadSet;
use crate::vocab::error::{Error, ErrorKind, Result};
use crate::vocab::naming::Scheme;
use crate::vocab::progress::{Cancel, Progress};
use crate::vocab::states::PartState;

use missing::report_related;
use parts::{Hasher, check_parts, expected_parts, renamed_part, report_unlisted, report_unreadable, unreadable_parts};
/// The path in the set of the file a manifest names at `path`, when an
/// installer's external entry takes it and the path stays inside the set's
/// folder (no `..`, no drive, no empty names).
pub(crate) fn external_member(source: &crate::vocab::external::ExternalSource, path: &str) -> Option<String> {
    external::member_name(source, path)
}

pub use crate::vocab::check_report::{CheckReport, ExternalFiles, PartStatus, Problem, ProblemKind, Severity};
use structure::{archive_looks_cut, check_exe_size, check_structure};

/// How far a size is from the one required, in words (`12 bytes short`).
pub(super) fn short_or_long(actual: u64, expected: u64) -> String {
    let by = actual.abs_diff(expected);
    if actual < expected { format!("{by} bytes short") } else { format!("{by} bytes too long") }
}

/// The highest part number a set may have. Vendor sets have tens of parts;
/// anything past this comes from a damaged header or a hostile name.
pub const MAX_PART_NUMBER: u32 = 9_999;

/// How to check a set. Build it with [`CheckOptions::default`] and the
/// setters: new options may be added without breaking callers.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct CheckOptions {
    /// The manifest; `None` looks beside the set (`SHA256SUMS`,
    /// `NAME.sha256`, `NAME.manifest.json`). With one, its part list is
    /// authoritative, and a part it lists under another name is found by
    /// hashing the parts no entry names.
    pub manifest: Option<PathBuf>,
    /// Roots (and a required signer) for the installer's Authenticode
    /// signature, which the report carries; `None` checks it against the
    /// built-in roots. With a signer required, anything but a valid
    /// signature by it is refused with [`Error::SignerRefused`] before the
    /// parts are looked at, as verify, list, extract and stage do.
    pub signer: Option<SignerPolicy>,
    /// Stops the work early when set (the check hashes parts only to find
    /// a renamed one).
    pub cancel: Cancel,
}

impl CheckOptions {
    /// The manifest to go by instead of one beside the set.
    #[must_use]
    pub fn manifest(mut self, manifest: Option<PathBuf>) -> Self {
        self.manifest = manifest;
        self
    }

    /// The roots and required signer for the installer's signature.
    #[must_use]
    pub fn signer(mut self, policy: Option<SignerPolicy>) -> Self {
        self.signer = policy;
        self
    }

    /// The flag that stops the check early.
    #[must_use]
    pub fn cancel(mut self, cancel: Cancel) -> Self {
        self.cancel = cancel;
        self
    }
}

/// Checks that `set` is complete and consistent, reading headers only
/// (and hashing parts only to find one the manifest lists under another
/// name: that hashing is reported to `progress` as [`Task::Hash`](crate::Task::Hash) and
/// stopped by the options' `cancel` with [`Error::Interrupted`]).
///
/// A missing or short part is a [`Problem`](crate::Problem) in the report,
/// not an `Err`; [`CheckReport::into_result`] makes it one:
///
/// ```
/// use airlock::{CheckOptions, NoProgress};
///
/// let set = airlock::discover("testdata/inno/inno-6.4.1-lzma2-solid-spanned".as_ref())?;
/// let report = airlock::check(&set, &CheckOptions::default(), &NoProgress)?;
/// for problem in &report.problems {
///     eprintln!("{}", problem.message);
/// }
/// assert!(report.is_ok());
/// assert_eq!(report.payload, Some(airlock::PayloadFormat::Inno));
/// assert!(report.manifest.as_deref().is_some_and(|m| m.ends_with("SHA256SUMS"))); // found beside the set
/// let report = report.into_result()?; // Err(Error::Incomplete) names every problem
/// # let _ = report;
/// # Ok::<(), airlock::Error>(())
/// ```
pub fn check(set: &DownloadSet, options: &CheckOptions, progress: &dyn Progress) -> Result<CheckReport> {
    let CheckOptions { manifest, signer, cancel } = options;
    run_chosen(set, manifest.as_deref(), signer.as_ref(), cancel, progress).map(|checked| checked.report)
}

/// The check as a command over the set starts it (`check`, `list`): the
/// signer rule first, then the manifest given or the one beside the set, then
/// [`run`], the installer's signature put in the report.
pub(crate) fn run_chosen(
    set: &DownloadSet,
    manifest: Option<&Path>,
    signer: Option<&SignerPolicy>,
    cancel: &Cancel,
    progress: &dyn Progress,
) -> Result<Checked> {
    let authenticode = check_set_signer(set, signer, cancel)?;
    let manifest = set.choose_manifest(manifest, None)?.manifest;
    let mut checked = run(set, manifest.as_ref(), cancel, progress)?;
    checked.report.authenticode = authenticode;
    Ok(checked)
}

/// What [`check`] found, with what later stages need: the located payload.
#[must_use = "a check may hold errors: check report.is_ok() or call into_result()"]
pub(crate) struct Checked {
    /// The report, as [`check`] returns it.
    pub(crate) report: CheckReport,
    /// Where the payload sits, when it was recognised.
    pub(crate) located: Option<Located>,
}

impl Checked {
    /// Turns a check with errors into [`Error::Incomplete`].
    pub(crate) fn into_result(self) -> Result<Checked> {
        if self.report.is_ok() { Ok(self) } else { Err(Error::Incomplete { report: Box::new(self.report) }) }
    }
}

impl CheckReport {
    /// Turns a report with errors into [`Error::Incomplete`].
    pub fn into_result(self) -> Result<CheckReport> {
        if self.is_ok() { Ok(self) } else { Err(Error::Incomplete { report: Box::new(self) }) }
    }
}

/// [`check`], keeping the located payload for the stages after it.
pub(crate) fn run(
    set: &DownloadSet,
    manifest: Option<&Manifest>,
    cancel: &Cancel,
    progress: &dyn Progress,
) -> Result<Checked> {
    let mut found: Option<Located> = None;
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
        externals: Vec::new(),
        authenticode: None,
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
            let located = Located::Inno { exe: head.path.clone(), info, parsed: Default::default() };
            report.payload = Some(located.format());
            report.payload_detail = Some(describe(&located));
            found = Some(located);
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
                found = Some(located);
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
    if let Some(Located::Inno { info, .. }) = &found
        && !info.data_in_slices
        && set.scheme == Scheme::ExeWithBins
    {
        report.scheme = Scheme::Single;
    }

    let highest = match &found {
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
        return Ok(Checked { report, located: found });
    }
    let hasher = Hasher::new(cancel, progress);
    let mut expected = expected_parts(set, manifest, &found);
    // A manifest never shrinks a set: every part the payload's structure
    // needs is expected, listed or not.
    let mut unlisted = Vec::new();
    if let Some(listing) = manifest
        && found.is_some()
    {
        for (number, name, size) in expected_parts(set, None, &found) {
            let listed_by_name = expected.iter().any(|(_, listed, _)| listed.eq_ignore_ascii_case(&name));
            // A renamed download (`NAME (1).exe`) that is the manifest's
            // `NAME.exe` by size and hash, or the renamed installer itself, is
            // listed, under its old name (and checked against that entry).
            let listed_as_renamed = || {
                expected.iter().filter(|(n, _, _)| *n == u32::MAX).any(|(_, listed, _)| {
                    renamed_part(set, listing, listed, &hasher).is_some_and(|(p, _)| p.name.eq_ignore_ascii_case(&name))
                })
            };
            if !listed_by_name && !listed_as_renamed() {
                unlisted.push(name.clone());
                expected.push((number, name, size));
            }
        }
    }
    check_parts(set, &expected, manifest, found.as_ref(), &hasher, &mut report);
    report_unlisted(&unlisted, manifest, found.as_ref(), &mut report);
    external::check_externals(set, found.as_ref(), manifest, &mut report);
    // Head first, then by number; extras last (a stable sort keeps the
    // manifest's order among parts it names that are not on disk).
    report.parts.sort_by_key(|p| (p.status == PartState::Extra, p.number));
    report_unreadable(&unreadable, &mut report);
    if let Some(reader) = &reader {
        check_structure(set, reader, found.as_ref(), &mut report);
    }
    check_exe_size(set, found.as_ref(), &mut report);
    report_related(set, &mut report);
    // Hashing for a renamed part stops at the next block once cancelled
    // (and finds nothing): the report built without it must not pass for
    // the set's.
    cancel.check()?;
    Ok(Checked { report, located: found })
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
