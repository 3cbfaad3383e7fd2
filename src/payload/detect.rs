//! Which payload a set carries, and where it sits in the set's bytes.
//!
//! - An `.exe` head is first asked for its Inno Setup loader and headers (the
//!   `inno` crate).
//! - Otherwise the start of the set is scanned for the 7z signature the way
//!   7-Zip finds an archive after a self-extractor stub: each candidate is
//!   accepted only if its start-header CRC matches, so a stray
//!   `7z\xBC\xAF\x27\x1C` inside the stub's code is not mistaken for one.
//!   The start header also gives the archive's total length, which is how a
//!   missing last part is found without a manifest.
//! - Otherwise the end of the set is searched for a zip end-of-central-directory
//!   record (zip64 included), which must end exactly at the end of the last
//!   part and point at a central directory inside the set.
//!
//! All of this reads headers only: a few kilobytes, whatever the set's size.
//! Every offset and length read here is hostile until checked: sums of them
//! use checked forms (the lint below keeps it so), and a record that points
//! past the set or past `u64::MAX` is simply not a record.
#![warn(clippy::arithmetic_side_effects)]

use std::path::{Path, PathBuf};

use crate::payload::PayloadFormat;
use crate::payload::inno::{self, InnoInfo};
use crate::read::set_reader::SetReader;
use crate::vocab::error::Result;

/// The 7z signature.
const SEVENZ_MAGIC: &[u8; 6] = b"7z\xBC\xAF\x27\x1C";
/// Length of the 7z signature header (magic, version, start header).
const SEVENZ_HEADER_LEN: u64 = 32;
/// How far into the set a 7z signature is looked for: self-extractor stubs
/// are well under this, and the scan costs a few milliseconds at most.
const SEVENZ_SCAN_LIMIT: u64 = 16 << 20;

/// The zip end-of-central-directory signature and its fixed length.
const EOCD_MAGIC: &[u8; 4] = b"PK\x05\x06";
const EOCD_LEN: u64 = 22;
const EOCD64_LOCATOR_MAGIC: &[u8; 4] = b"PK\x06\x07";
const EOCD64_MAGIC: &[u8; 4] = b"PK\x06\x06";
const CENTRAL_MAGIC: &[u8; 4] = b"PK\x01\x02";

/// A payload found in a set.
#[derive(Clone, Debug)]
pub(crate) enum Located {
    /// An Inno Setup installer.
    Inno {
        /// The installer (head part).
        exe: PathBuf,
        /// What its headers say.
        info: InnoInfo,
        /// The crate's handle on those headers, for the door to take
        /// (`payload::open`), so they are parsed once a run.
        parsed: inno::Parsed,
    },
    /// A 7z archive starting at `offset`, `length` bytes long by its start header.
    SevenZ { offset: u64, length: u64 },
    /// A zip archive; see [`ZipEnd`].
    Zip(ZipEnd),
}

impl Located {
    /// The format found.
    pub(crate) fn format(&self) -> PayloadFormat {
        match self {
            Located::Inno { .. } => PayloadFormat::Inno,
            Located::SevenZ { .. } => PayloadFormat::SevenZ,
            Located::Zip(_) => PayloadFormat::Zip,
        }
    }
}

/// Where a zip's end records say its central directory is.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ZipEnd {
    /// Bytes before the archive's first byte (a stub), as the offsets imply.
    pub stub: u64,
    /// Where the central directory starts in the set.
    pub central_start: u64,
    /// Its length in bytes.
    pub central_size: u64,
}

/// The first entry (name, set offset) of the zip's central directory whose
/// local header is not where the directory puts it: the bytes before it do
/// not add up (a part cut short or padded, which the end record alone cannot
/// show, since it sits at the end either way). Headers only: the central
/// directory (at most 16 MiB of it) and four bytes per entry.
pub(crate) fn misplaced_zip_entry(reader: &SetReader, end: &ZipEnd) -> std::io::Result<Option<(String, u64)>> {
    const CENTRAL_LIMIT: u64 = 16 << 20;
    const CENTRAL_ENTRY_LEN: usize = 46;
    let (start, size) = (end.central_start, end.central_size);
    let mut directory = vec![0u8; size.min(CENTRAL_LIMIT) as usize];
    reader.read_exact_at(start, &mut directory)?;
    let mut at = 0usize;
    while let Some(entry) = directory.get(at..).filter(|e| e.len() >= CENTRAL_ENTRY_LEN && e.starts_with(CENTRAL_MAGIC))
    {
        let (header, rest) = entry.split_at(CENTRAL_ENTRY_LEN);
        let u16_at = |lo: u8, hi: u8| usize::from(u16::from_le_bytes([lo, hi]));
        let (name_len, extra_len, comment_len) =
            (u16_at(header[28], header[29]), u16_at(header[30], header[31]), u16_at(header[32], header[33]));
        let offset = u32::from_le_bytes([header[42], header[43], header[44], header[45]]);
        let name = String::from_utf8_lossy(&rest[..name_len.min(rest.len())]).into_owned();
        // A zip64 offset (0xFFFFFFFF) lives in the extra field; not checked.
        if offset != u32::MAX {
            let position = end.stub.saturating_add(u64::from(offset));
            let mut magic = [0u8; 4];
            if reader.read_exact_at(position, &mut magic).is_err() || &magic != b"PK\x03\x04" {
                return Ok(Some((name, position)));
            }
        }
        // Lengths are u16s, so this cannot overflow; saturating says so.
        at = at
            .saturating_add(CENTRAL_ENTRY_LEN)
            .saturating_add(name_len)
            .saturating_add(extra_len)
            .saturating_add(comment_len);
    }
    Ok(None)
}

/// A payload could not be located: what was found instead.
#[derive(Clone, Debug)]
pub(crate) struct NotFound {
    pub what: String,
}

/// The first part of a set, as detection needs it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Head<'a> {
    /// Where it is.
    pub path: &'a Path,
    /// Whether it may be an installer: a whole `.exe`, not a numbered part.
    pub may_be_installer: bool,
}

/// Finds the payload of the set whose first part is `head` and whose parts
/// `reader` reads as one, reading only headers.
///
/// `Ok(Err(NotFound))` when nothing is recognised (exit 5 for extraction);
/// `Err` when a header was found but cannot be read.
pub(crate) fn locate(head: Head<'_>, reader: &SetReader) -> Result<std::result::Result<Located, NotFound>> {
    if head.may_be_installer
        && let Some((info, parsed)) = inno::probe_parsed(head.path)?
    {
        return Ok(Ok(Located::Inno { exe: head.path.to_path_buf(), info, parsed }));
    }
    // The 7z scan reads up to 16 MiB, which in a small set reaches later
    // parts: a read error there matters only if no zip end is found either.
    let scan_error = match find_sevenz(reader) {
        Ok(Some((offset, length))) => return Ok(Ok(Located::SevenZ { offset, length })),
        Ok(None) => None,
        Err(error) => Some(error),
    };
    if let Some(end) = find_zip_end(reader).map_err(|e| crate::read::read_fault::io_error(head.path, e))? {
        return Ok(Ok(Located::Zip(end)));
    }
    if let Some(error) = scan_error {
        return Err(crate::read::read_fault::io_error(head.path, error));
    }
    let mut magic = [0u8; 2];
    let what = if reader.read_exact_at(0, &mut magic).is_ok() && &magic == b"MZ" {
        "PE executable with no Inno Setup, 7z or zip payload"
    } else {
        "no Inno Setup, 7z or zip payload"
    };
    Ok(Err(NotFound { what: what.to_owned() }))
}

/// The first 7z signature with a valid start header in the first
/// [`SEVENZ_SCAN_LIMIT`] bytes: `(offset, archive length)`.
fn find_sevenz(reader: &SetReader) -> std::io::Result<Option<(u64, u64)>> {
    // Small windows: a signature right after a stub is found without reading
    // on into later parts (check reads headers only, not whole small parts).
    const WINDOW: usize = 64 << 10;
    let limit = reader.len().min(SEVENZ_SCAN_LIMIT);
    // Windows overlap by the magic's length, so a signature across a window boundary is seen.
    let mut buffer = vec![0u8; WINDOW.saturating_add(SEVENZ_MAGIC.len())];
    let mut at = 0u64;
    while at < limit {
        let n = read_some(reader, at, &mut buffer)?;
        if n < SEVENZ_MAGIC.len() {
            break;
        }
        for i in memchr_all(&buffer[..n], SEVENZ_MAGIC) {
            // at < SEVENZ_SCAN_LIMIT and i < WINDOW: far from overflowing.
            let offset = at.saturating_add(i as u64);
            if let Some(length) = sevenz_length(reader, offset)? {
                return Ok(Some((offset, length)));
            }
        }
        at = at.saturating_add(WINDOW as u64);
    }
    Ok(None)
}

/// The archive length a 7z start header at `offset` declares, if its CRC holds.
fn sevenz_length(reader: &SetReader, offset: u64) -> std::io::Result<Option<u64>> {
    let mut header = [0u8; 32];
    const _: () = assert!(SEVENZ_HEADER_LEN == 32);
    if reader.read_exact_at(offset, &mut header).is_err() {
        return Ok(None);
    }
    Ok(sevenz_archive_length(&header))
}

/// The archive length a 7z signature header (its first 32 bytes) declares,
/// if it starts with the magic and its start-header CRC holds.
pub(crate) fn sevenz_archive_length(header: &[u8]) -> Option<u64> {
    let header = header.get(..SEVENZ_HEADER_LEN as usize)?;
    if !header.starts_with(SEVENZ_MAGIC) {
        return None;
    }
    let stored_crc = u32::from_le_bytes(header[8..12].try_into().unwrap_or_default());
    if crc32fast::hash(&header[12..32]) != stored_crc {
        return None;
    }
    let next_offset = u64::from_le_bytes(header[12..20].try_into().unwrap_or_default());
    let next_size = u64::from_le_bytes(header[20..28].try_into().unwrap_or_default());
    SEVENZ_HEADER_LEN.checked_add(next_offset).and_then(|n| n.checked_add(next_size))
}

/// The zip end records at the end of the set, if present and consistent.
///
/// The end record normally ends the set, followed only by its comment. As
/// 7-Zip, bsdtar and Python's zipfile do, a record followed by more bytes
/// than its comment length says (stray bytes appended, or a comment length
/// that is wrong) is still used, but only when the central directory it
/// points to is really there.
pub(crate) fn find_zip_end(reader: &SetReader) -> std::io::Result<Option<ZipEnd>> {
    let len = reader.len();
    if len < EOCD_LEN {
        return Ok(None);
    }
    // The record is followed by a comment of at most 65535 bytes (more
    // when stray bytes follow; those are searched too, up to the same span).
    const RECORD: usize = EOCD_LEN as usize;
    let tail_len = len.min(EOCD_LEN + 2 * 65_535);
    let tail_start = len.saturating_sub(tail_len); // tail_len <= len
    let mut tail = vec![0u8; usize::try_from(tail_len).unwrap_or(RECORD)];
    reader.read_exact_at(tail_start, &mut tail)?;
    // Candidate records (position, the 22 bytes), from the end.
    let records: Vec<(usize, &[u8])> =
        tail.windows(RECORD).enumerate().rev().filter(|(_, record)| record.starts_with(EOCD_MAGIC)).collect();
    let comment_end = |(i, record): (usize, &[u8])| {
        let comment = usize::from(u16::from_le_bytes([record[20], record[21]]));
        i.checked_add(RECORD).and_then(|end| end.checked_add(comment))
    };
    // Exact fits first, from the end; then records with stray bytes after them.
    let exact = records.iter().copied().filter(|&r| comment_end(r) == Some(tail.len()));
    let loose = records.iter().copied().filter(|&r| comment_end(r) != Some(tail.len()));
    for (pos, record) in exact.chain(loose) {
        let Some(eocd) = tail_start.checked_add(pos as u64) else { continue };
        if let Some(end) = zip_end_at(reader, record, eocd)? {
            return Ok(Some(end));
        }
    }
    Ok(None)
}

/// Whether the last bytes of the set hold a zip end record at all, usable
/// or not (an archive with a damaged end record is not a cut-short one).
pub(crate) fn zip_end_record_present(reader: &SetReader) -> bool {
    let len = reader.len();
    let tail_len = len.min(EOCD_LEN + 2 * 65_535);
    let mut tail = vec![0u8; usize::try_from(tail_len).unwrap_or(0)];
    // A record's magic followed by at least the rest of a record.
    const AFTER_MAGIC: usize = EOCD_LEN as usize - 4;
    let searched = tail.len().checked_sub(AFTER_MAGIC);
    reader.read_exact_at(len.saturating_sub(tail_len), &mut tail).is_ok()
        && searched.is_some_and(|end| memchr::memmem::find(&tail[..end], EOCD_MAGIC).is_some())
}

/// The archive the end record `record` at `eocd` describes, if the central
/// directory it points to is there.
fn zip_end_at(reader: &SetReader, record: &[u8], eocd: u64) -> std::io::Result<Option<ZipEnd>> {
    let mut cd_size = u64::from(u32::from_le_bytes(record[12..16].try_into().unwrap_or_default()));
    let mut cd_offset = u64::from(u32::from_le_bytes(record[16..20].try_into().unwrap_or_default()));
    let mut cd_end = eocd;
    // zip64: the locator sits right before the end record and gives the
    // zip64 record's offset (relative to the archive, so possibly shifted).
    // It is there whenever one of the classic fields overflowed: the
    // offsets (0xFFFFFFFF), or only the entry count (more than 65 535
    // entries, 0xFFFF), when the offsets still fit and are written as they
    // are but the central directory ends before the zip64 records.
    let zip64_needed = cd_size == 0xFFFF_FFFF || cd_offset == 0xFFFF_FFFF;
    let mut locator = [0u8; 20];
    let locator_at = eocd.checked_sub(20);
    let has_locator = locator_at.is_some_and(|at| reader.read_exact_at(at, &mut locator).is_ok())
        && &locator[..4] == EOCD64_LOCATOR_MAGIC;
    if zip64_needed && !has_locator {
        return Ok(None);
    }
    // The zip64 record is usually 56 bytes right before the locator.
    let record_at = locator_at.and_then(|at| at.checked_sub(56)).filter(|_| has_locator);
    let mut record64 = [0u8; 56];
    match record_at {
        Some(record_at) if reader.read_exact_at(record_at, &mut record64).is_ok() && &record64[..4] == EOCD64_MAGIC => {
            cd_size = u64::from_le_bytes(record64[40..48].try_into().unwrap_or_default());
            cd_offset = u64::from_le_bytes(record64[48..56].try_into().unwrap_or_default());
            cd_end = record_at;
        }
        _ if zip64_needed => return Ok(None),
        _ => {}
    }
    let Some(central_start) = cd_end.checked_sub(cd_size) else { return Ok(None) };
    // Offsets are either adjusted for a stub (cd_offset == central_start) or
    // relative to the archive's own start (cd_offset < central_start).
    let Some(stub) = central_start.checked_sub(cd_offset) else { return Ok(None) };
    if cd_size > 0 {
        let mut magic = [0u8; 4];
        reader.read_exact_at(central_start, &mut magic)?;
        if &magic != CENTRAL_MAGIC {
            return Ok(None);
        }
    }
    Ok(Some(ZipEnd { stub, central_start, central_size: cd_size }))
}

/// Reads as much of `buf` as the set has at `offset`.
fn read_some(reader: &SetReader, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0usize;
    while filled < buf.len() {
        let Some(at) = offset.checked_add(filled as u64) else { break };
        let n = reader.read_at(at, &mut buf[filled..])?;
        if n == 0 {
            break;
        }
        filled = filled.saturating_add(n); // n <= buf.len() - filled
    }
    Ok(filled)
}

/// Every offset of `needle` in `haystack`.
fn memchr_all<'a>(haystack: &'a [u8], needle: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
    memchr::memmem::find_iter(haystack, needle)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::arithmetic_side_effects)] // fixed fixture numbers
    use super::*;

    fn reader_of(dir: &std::path::Path, parts: &[&str]) -> SetReader {
        let paths: Vec<PathBuf> = parts.iter().map(|p| dir.join(p)).collect();
        SetReader::open(&paths).unwrap()
    }

    fn testdata(rel: &str) -> PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata").join(rel)
    }

    #[test]
    fn the_7z_after_a_stub_is_found_with_its_length() {
        let dir = testdata("sevenz/sfx-spanned");
        let names = [
            "MicrosoftAzureBackupInstaller.exe",
            "MicrosoftAzureBackupInstaller-1.bin",
            "MicrosoftAzureBackupInstaller-2.bin",
            "MicrosoftAzureBackupInstaller-3.bin",
        ];
        let reader = reader_of(&dir, &names);
        let (offset, length) = find_sevenz(&reader).unwrap().unwrap();
        assert_eq!(offset, 4096);
        assert_eq!(offset + length, reader.len());
    }

    #[test]
    fn a_zip_after_a_stub_is_found_and_its_stub_measured() {
        let dir = testdata("zip/sfx-spanned");
        let names = [
            "MicrosoftAzureBackupInstaller.exe",
            "MicrosoftAzureBackupInstaller-1.bin",
            "MicrosoftAzureBackupInstaller-2.bin",
            "MicrosoftAzureBackupInstaller-3.bin",
            "MicrosoftAzureBackupInstaller-4.bin",
        ];
        let reader = reader_of(&dir, &names);
        let end = find_zip_end(&reader).unwrap().unwrap();
        assert_eq!(end.stub, 4096);
        // Without the last part the end record is not at the end.
        let short = reader_of(&dir, &names[..4]);
        assert!(find_zip_end(&short).unwrap().is_none());
    }

    /// A zip64 end record whose central directory size or offset is near
    /// u64::MAX: no record, and no panic or wrap.
    #[test]
    fn zip64_sizes_past_the_set_are_no_zip_end() {
        let dir = tempfile::tempdir().unwrap();
        for (cd_size, cd_offset) in [(u64::MAX, 0), (0, u64::MAX), (u64::MAX, u64::MAX), (1, u64::MAX - 1)] {
            let mut bytes = vec![0u8; 64];
            let record_at = bytes.len() as u64;
            let mut record64 = vec![0u8; 56];
            record64[..4].copy_from_slice(EOCD64_MAGIC);
            record64[40..48].copy_from_slice(&cd_size.to_le_bytes());
            record64[48..56].copy_from_slice(&cd_offset.to_le_bytes());
            bytes.extend_from_slice(&record64);
            let mut locator = vec![0u8; 20];
            locator[..4].copy_from_slice(EOCD64_LOCATOR_MAGIC);
            locator[8..16].copy_from_slice(&record_at.to_le_bytes());
            bytes.extend_from_slice(&locator);
            let mut eocd = vec![0u8; 22];
            eocd[..4].copy_from_slice(EOCD_MAGIC);
            eocd[12..20].copy_from_slice(&[0xFF; 8]); // both 32-bit fields say "see zip64"
            bytes.extend_from_slice(&eocd);
            std::fs::write(dir.path().join("x.zip"), &bytes).unwrap();
            let reader = reader_of(dir.path(), &["x.zip"]);
            assert!(find_zip_end(&reader).unwrap().is_none(), "size {cd_size}, offset {cd_offset}");
        }
    }

    #[test]
    fn zip64_end_records_are_followed() {
        let dir = testdata("zip/zip64");
        let reader = reader_of(&dir, &["MicrosoftAzureBackupInstaller.zip"]);
        let end = find_zip_end(&reader).unwrap().unwrap();
        assert_eq!(end.stub, 0);
    }
}
