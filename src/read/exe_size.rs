//! The installer's own size: proven from its headers, never assumed.
//!
//! Every other part of a set carries its size in a header (a slice's own
//! header, a 7z start header, a zip end record), but the `.exe` of an Inno
//! Setup installer is only covered if the setup loader's offset table is read:
//! it records the file's total size (`TotalSize`) and where the setup headers
//! (`Offset0`) and, for a single-file installer, the file data (`Offset1`)
//! begin. A truncated download still opens (the headers sit near the start),
//! so without this check a cut `.exe` passes everything.
//!
//! A file longer than its table says is accepted only when the extra bytes are
//! exactly an Authenticode signature: signing appends the PE certificate table
//! after the installer's data (8-byte aligned), and the loader itself treats
//! `TotalSize` as a minimum for that reason.
//!
//! When the loader table itself cannot be read, the PE headers still tell
//! whether the file is cut short: a program's sections must all be in the
//! file, so a file that ends before its last section does (or inside its own
//! headers) is a truncated download, whatever it was meant to carry.
//!
//! Headers only: the loader table and the PE header, a few kilobytes.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use crate::read::pe;

/// What the setup loader's offset table says about the file that holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct LoaderTable {
    /// The installer's size in bytes, as built (before any signature).
    pub total_size: u64,
    /// Where the compressed setup headers (setup-0) start.
    pub header_offset: u64,
    /// Where the file data (setup-1) starts; 0 when it is in slices.
    pub data_offset: u64,
}

impl LoaderTable {
    /// The table of the loader `inno` parsed.
    pub(crate) fn of(loader: &inno::SetupLoader) -> Option<LoaderTable> {
        Some(LoaderTable {
            total_size: u64::try_from(loader.minimum_setup_exe_size()).ok()?,
            header_offset: u64::try_from(loader.header_offset()).ok()?,
            data_offset: u64::try_from(loader.data_offset()).ok()?,
        })
    }

    /// Reads only the loader table of `exe` (when the setup headers after it
    /// cannot be read, e.g. because the file is cut short). `None` when there
    /// is no readable table.
    pub(crate) fn read(exe: &Path) -> Option<LoaderTable> {
        let file = File::open(exe).ok()?;
        crate::read::contain::contain("", "Inno Setup loader (inno crate)", || {
            Ok(inno::SetupLoader::read_from(BufReader::new(file)).ok().and_then(|l| LoaderTable::of(&l)))
        })
        .ok()
        .flatten()
    }
}

/// How an installer's size disagrees with its loader table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SizeMismatch {
    /// The size the table requires.
    pub expected: u64,
    /// The file's size.
    pub actual: u64,
    /// Why, in words ("… bytes short").
    pub why: String,
}

/// Compares `exe`'s size (`actual` bytes) with `table`; `None` when it fits.
pub(crate) fn check(exe: &Path, actual: u64, table: &LoaderTable) -> Option<SizeMismatch> {
    let expected = table.total_size;
    let inconsistent = table.header_offset >= expected || table.data_offset >= expected;
    if inconsistent {
        return Some(SizeMismatch {
            expected,
            actual,
            why: format!(
                "its loader table is inconsistent (headers at {}, data at {}, total {expected})",
                table.header_offset, table.data_offset
            ),
        });
    }
    if actual < expected {
        return Some(SizeMismatch { expected, actual, why: format!("{} bytes short", expected - actual) });
    }
    if actual > expected && !is_signature_tail(exe, expected, actual) {
        return Some(SizeMismatch {
            expected,
            actual,
            why: format!("{} bytes too long, and the extra bytes are not an Authenticode signature", actual - expected),
        });
    }
    None
}

/// Whether the bytes of `exe` from `end` to `len` are its PE certificate
/// table (an Authenticode signature appended after the installer's data).
pub(crate) fn is_signature_tail(exe: &Path, end: u64, len: u64) -> bool {
    certificate_table(exe).is_some_and(|table| {
        // The table starts 8-byte aligned right after the data and runs to the end.
        table.start >= end && table.start - end < 8 && table.end == len
    })
}

/// The PE certificate table's file range, by [`crate::read::pe`]'s rule.
fn certificate_table(exe: &Path) -> Option<std::ops::Range<u64>> {
    let file = File::open(exe).ok()?;
    let len = file.metadata().ok()?.len();
    match pe::read(&object::ReadCache::new(file)) {
        pe::Headers::Pe(headers) => headers.certificate_table(len).ok().flatten(),
        pe::Headers::NotPe | pe::Headers::Cut { .. } => None,
    }
}

/// The least size `exe` must have to hold its own PE program: the end of its
/// last section's raw data, or, when the file ends inside its headers, the
/// end of the headers it announces ([`crate::read::pe`]). `None` when it is
/// not a PE file (no `MZ`, or no `PE` signature where the DOS header points).
pub(crate) fn pe_image_end(exe: &Path) -> Option<u64> {
    match pe::read(&object::ReadCache::new(File::open(exe).ok()?)) {
        pe::Headers::NotPe => None,
        pe::Headers::Cut { needs, .. } => Some(needs),
        pe::Headers::Pe(headers) => Some(headers.image_end()),
    }
}
