//! The payload's structure against the bytes on disk: the installer's own
//! size from its loader table, a 7z archive's or zip's length against the
//! set's, and whether an archive looks cut short rather than damaged.
#![warn(clippy::arithmetic_side_effects)]

use crate::payload::detect::{self, Located};
use crate::read::set_reader::SetReader;
use crate::set::discover::DownloadSet;
use crate::vocab::naming::Scheme;
use crate::vocab::states::PartState;

use super::short_or_long;
use crate::vocab::check_report::{CheckReport, Problem, ProblemKind, Severity};

/// Proves the installer's own size from its setup loader's offset table (see
/// [`crate::read::exe_size`]). When the setup headers could not be read and the
/// table shows the file is cut short, the truncation is the problem to
/// report, not the unreadable headers it caused.
pub(super) fn check_exe_size(set: &DownloadSet, located: Option<&Located>, report: &mut CheckReport) {
    let Some(head) = set.parts.first().filter(|p| p.number == 0 && p.name.to_ascii_lowercase().ends_with(".exe"))
    else {
        return;
    };
    let table = match located {
        Some(Located::Inno { info, .. }) => info.loader,
        Some(_) => return,
        None => crate::read::exe_size::LoaderTable::read(&head.path),
    };
    let Some(table) = table else {
        if located.is_none() {
            check_pe_cut(head, report);
        }
        return;
    };
    let Some(mismatch) = crate::read::exe_size::check(&head.path, head.size, &table) else { return };
    if located.is_none() {
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

/// An installer whose loader table could not be read at all: cut inside its
/// own program (the PE sections end past the file's end) is a truncated
/// download, not an unknown payload.
fn check_pe_cut(head: &crate::set::discover::Part, report: &mut CheckReport) {
    let Some(needed) = crate::read::exe_size::pe_image_end(&head.path).filter(|&end| end > head.size) else { return };
    report.problems.retain(|p| !(p.kind == ProblemKind::Payload && p.part.as_deref() == Some(head.name.as_str())));
    if let Some(status) = report.parts.iter_mut().find(|p| p.path.as_deref() == Some(head.path.as_path())) {
        status.status = PartState::WrongSize;
        status.expected_size = Some(needed);
    }
    let message = format!(
        "{} is {} bytes but its own program needs at least {needed}: it is cut short by {} bytes or more; \
         download it again",
        head.name,
        head.size,
        needed.saturating_sub(head.size)
    );
    report.problems.insert(
        0,
        Problem { kind: ProblemKind::WrongSize, severity: Severity::Error, part: Some(head.name.clone()), message },
    );
}

/// Compares the set's total length with what the archive's headers require.
pub(super) fn check_structure(
    set: &DownloadSet,
    reader: &SetReader,
    located: Option<&Located>,
    report: &mut CheckReport,
) {
    if report.parts.iter().any(|p| p.status == PartState::Missing) {
        return; // the set's length is meaningless with a gap; the gap is reported
    }
    let last = set.parts.last().map_or(set.name.clone(), |p| p.name.clone());
    let actual = reader.len();
    match located {
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
            let signed_tail = actual > expected
                && matches!(set.parts.as_slice(), [only] if crate::read::exe_size::is_signature_tail(&only.path, expected, actual));
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
pub(super) fn archive_looks_cut(set: &DownloadSet, reader: &SetReader) -> bool {
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
