//! zip archives: listing their entries and streaming them out.
//!
//! # Finding the archive
//! The zip crate locates the end of central directory from the end of the
//! reader and works out where the archive starts, so a set whose first part
//! begins with a self-extractor stub is read as it is, whether the stub's
//! builder adjusted the offsets in the archive or not. A set cut into
//! byte-wise volumes is one reader already ([`SetReader`]).
//!
//! # Parallel decoding
//! Every zip entry is compressed on its own, so selected entries are decoded
//! on a rayon pool of `threads` workers, largest first so the longest entry
//! does not start last. Each job reads through its own clone of the
//! [`ZipArchive`], which shares the parsed central directory and clones the
//! cheap [`SetReader`]. Entries are streamed to the sink, never held whole;
//! a decoder's state is small (deflate: 32 KiB window), so memory stays
//! bounded whatever the entry sizes.
//!
//! # Integrity
//! The zip crate checks an entry's CRC-32 when its reader reaches the end,
//! but reports a mismatch with the same `InvalidData` kind as corrupt
//! compressed data. So its check is switched off and the reader handed to the
//! sink computes the CRC-32 itself (crc32fast, still once per byte): at the
//! end it compares size and CRC with the central directory and, on a CRC
//! mismatch, fails with an `InvalidData` error whose inner error is a
//! [`ChecksumMismatch`](super::ChecksumMismatch) instead of returning the
//! end, which the sink reports as an integrity failure. Any failure of the
//! decoder itself reaches the sink as `InvalidData` carrying the classified
//! [`Error`]. AE-2 encrypted entries record no CRC; their HMAC, which the zip
//! crate checks, takes its place. Every call into the zip crate runs inside
//! [`contain`].
//!
//! The sink decides what a failed entry means: when it returns an error,
//! everything stops and that error is returned unchanged; when it returns
//! `Ok` (deep verification records the failure and goes on), the other
//! entries are still decoded.
//!
//! Sizes and offsets from the central directory are only compared, never
//! summed; what this module counts (bytes decoded) uses saturating forms, and
//! the lint below keeps every other arithmetic out.
#![warn(clippy::arithmetic_side_effects)]

use std::io::{self, Read};
use std::time::{Duration, SystemTime};

mod extra;

use zip::result::ZipError;
use zip::{CompressionMethod, DateTime, ExtraField, HasZipMetadata, System, ZipArchive, ZipReadOptions};

use super::jobs::{CHECK_INTERVAL, Failure, Stop, outcome, run_jobs};
use super::{Checksum, Entry, EntryKind, EntrySink};
use crate::contain::contain;
use crate::error::{Error, Result};
use crate::progress::Cancel;
use crate::set_reader::SetReader;

/// The decoder's name in the messages of [`contain`].
const DECODER: &str = "zip";

const DOS_DIRECTORY: u32 = 0x10;
/// General-purpose flag bit 6: PKWARE's proprietary strong encryption.
const STRONG_ENCRYPTION: u16 = 0x0040;
const WINDOWS_REPARSE_POINT: u32 = 0x400;
/// 7-Zip's flag saying the high 16 bits of the attributes hold a Unix mode.
const UNIX_EXTENSION: u32 = 0x8000;
const UNIX_TYPE_MASK: u32 = 0o170000;
const UNIX_SYMLINK: u32 = 0o120000;
const UNIX_DIRECTORY: u32 = 0o040000;

type Archive = ZipArchive<SetReader>;

/// Lists every entry of the zip archive in `reader`, in central directory
/// order. The password is not needed: zip encrypts data, not names.
pub(crate) fn list(reader: &SetReader, password: Option<&str>, label: &str) -> Result<Vec<Entry>> {
    let _ = password;
    let mut archive = open(reader, label)?;
    contain(label, DECODER, || (0..archive.len()).map(|index| entry_at(&mut archive, index, label)).collect())
}

/// Streams every selected file entry to `sink`; see the module docs for how.
pub(crate) fn extract(
    reader: &SetReader,
    password: Option<&str>,
    label: &str,
    selected: &[bool],
    sink: &dyn EntrySink,
    threads: usize,
    cancel: &Cancel,
) -> Result<()> {
    let archive = open(reader, label)?;
    if selected.len() != archive.len() {
        return Err(Error::payload(
            label,
            format!("{} selection flags given for an archive of {} entries", selected.len(), archive.len()),
        ));
    }
    let jobs = contain(label, DECODER, || jobs(&archive, selected, label))?;
    let stop = Stop::new(cancel);
    let extraction = Extraction { archive: &archive, password, label, sink, stop: &stop };
    run_jobs(&jobs, threads, &stop, |job| extraction.entry(job))
}

/// Reads the central directory. When the zip crate refuses it, malformed
/// optional extra fields are dropped (`zip_extra`) and it is read again: a
/// bad timestamp costs that timestamp, not the archive.
fn open(reader: &SetReader, label: &str) -> Result<Archive> {
    contain(label, DECODER, || {
        let archive = match ZipArchive::new(reader.clone()) {
            Ok(archive) => archive,
            Err(error) => {
                let patches = match super::detect::find_zip_end(reader) {
                    Ok(Some(end)) => extra::patches(reader, end.central_start, end.central_size, end.stub),
                    _ => Vec::new(),
                };
                if patches.is_empty() {
                    return Err(archive_error(label, error));
                }
                ZipArchive::new(reader.with_patches(&patches)).map_err(|_| archive_error(label, error))?
            }
        };
        if archive.has_duplicate_names() {
            // The zip crate keeps one entry per name, and tools disagree on
            // which copy wins; an archive that can be read two ways is refused.
            return Err(Error::payload(
                label,
                "the archive lists the same name more than once, so different tools would extract different files; refusing it",
            ));
        }
        Ok(archive)
    })
}

fn archive_error(label: &str, error: ZipError) -> Error {
    let reason = match &error {
        ZipError::UnsupportedArchive(what) => format!("unsupported zip archive: {what}"),
        ZipError::Io(io) if io.kind() == io::ErrorKind::UnexpectedEof => {
            "the zip central directory ends early: the archive is truncated (a part missing or cut short?)".to_owned()
        }
        _ => "not a readable zip archive: its central directory is missing or corrupt (truncated?)".to_owned(),
    };
    Error::payload_from(label, reason, error)
}

fn entry_at(archive: &mut Archive, index: usize, label: &str) -> Result<Entry> {
    let meta = archive
        .by_index_data(index)
        .map_err(|error| Error::payload_from(label, format!("entry {index} cannot be read"), error))?;
    let name = meta
        .name()
        .map_err(|error| Error::payload_from(label, format!("entry {index} has an unreadable name"), error))?
        .replace('\\', "/");
    let data = meta.get_metadata();
    let mut entry = Entry::new(
        name,
        kind_of(meta.is_dir(), data.system, data.external_attributes, data.uncompressed_size),
        data.uncompressed_size,
    );
    entry.packed_size = Some(data.compressed_size);
    entry.checksum = recorded_crc(&meta).map(Checksum::Crc32);
    let dos_time = data.last_modified_time;
    entry.modified = exact_mtime(archive, index).or_else(|| dos_time.and_then(dos_local_time));
    Ok(entry)
}

/// File, folder or link, as 7-Zip and Info-ZIP decide it: a trailing slash,
/// else a Unix mode (from a Unix host, or flagged by 7-Zip's 0x8000), else
/// the DOS attributes. A DOS folder attribute on an entry with data is
/// ignored rather than losing the data.
fn kind_of(named_as_folder: bool, system: System, attributes: u32, size: u64) -> EntryKind {
    if named_as_folder {
        return EntryKind::Directory;
    }
    if system == System::Unix || attributes & UNIX_EXTENSION != 0 {
        match (attributes >> 16) & UNIX_TYPE_MASK {
            UNIX_SYMLINK => return EntryKind::Symlink,
            UNIX_DIRECTORY if size == 0 => return EntryKind::Directory,
            _ => {}
        }
    }
    if attributes & WINDOWS_REPARSE_POINT != 0 {
        EntryKind::Symlink
    } else if attributes & DOS_DIRECTORY != 0 && size == 0 {
        EntryKind::Directory
    } else {
        EntryKind::File
    }
}

/// The CRC-32 the archive records for the entry's data; AE-2 encrypted
/// entries record none (the field is 0 and the HMAC replaces it).
fn recorded_crc(entry: &impl HasZipMetadata) -> Option<u32> {
    let data = entry.get_metadata();
    let ae2 = data.aes_settings().is_some_and(|(_, version)| version.is_ae2_encrypted());
    (!ae2).then_some(data.crc32)
}

/// The modification time from an extended-timestamp (Unix seconds, UTC) or
/// NTFS (FILETIME) extra field, which are exact where the DOS time is a
/// local time at 2-second resolution. Best effort: the zip crate exposes the
/// extra fields only on an opened entry, so an entry whose local header
/// cannot be read simply falls back to the DOS time.
fn exact_mtime(archive: &mut Archive, index: usize) -> Option<SystemTime> {
    let file = archive.by_index_raw(index).ok()?;
    file.extra_data_fields().find_map(|field| match field {
        ExtraField::ExtendedTimestamp(stamp) => {
            stamp.mod_time().and_then(|seconds| SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(seconds.into())))
        }
        ExtraField::Ntfs(ntfs) => crate::time::from_filetime(ntfs.mtime()),
        _ => None,
    })
}

/// A DOS date and time is the local time of the machine that wrote the
/// archive; like unzip and 7-Zip, read it as local time here.
fn dos_local_time(time: DateTime) -> Option<SystemTime> {
    if !time.is_valid() {
        return None;
    }
    // SAFETY: `tm` is plain data, zero-initialised and then filled in; an
    // all-zero `tm` (null `tm_zone` included) is a valid value.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // DOS years are 1980..=2107 and months 1..=12 (is_valid above).
    tm.tm_year = i32::from(time.year()).saturating_sub(1900);
    tm.tm_mon = i32::from(time.month()).saturating_sub(1);
    tm.tm_mday = i32::from(time.day());
    tm.tm_hour = i32::from(time.hour());
    tm.tm_min = i32::from(time.minute());
    tm.tm_sec = i32::from(time.second());
    tm.tm_isdst = -1;
    // SAFETY: `tm` is a valid, exclusively borrowed `struct tm`; mktime only
    // normalises it in place and returns -1 when the time cannot be held.
    let seconds = unsafe { libc::mktime(&mut tm) };
    let seconds = u64::try_from(seconds).ok()?;
    SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(seconds))
}

/// One selected file entry to decode.
struct Job {
    index: usize,
    name: String,
    size: u64,
    crc: Option<u32>,
    encrypted: bool,
}

/// The selected file entries, largest first; an error if one of them uses
/// a compression method that cannot be decoded.
fn jobs(archive: &Archive, selected: &[bool], label: &str) -> Result<Vec<Job>> {
    let mut jobs = Vec::new();
    for (index, _) in selected.iter().enumerate().filter(|(_, selected)| **selected) {
        let meta = archive
            .by_index_data(index)
            .map_err(|error| Error::payload_from(label, format!("entry {index} cannot be read"), error))?;
        let data = meta.get_metadata();
        if kind_of(meta.is_dir(), data.system, data.external_attributes, data.uncompressed_size) != EntryKind::File {
            continue;
        }
        let name = meta.name().map(|name| name.replace('\\', "/")).unwrap_or_default();
        if data.flags.as_u16() & STRONG_ENCRYPTION != 0 {
            // The zip crate would try the traditional cipher and call the
            // password wrong; no password would help.
            return Err(Error::payload(
                format!("{label}: {name}"),
                "is encrypted with PKWARE strong encryption, which airlock does not support (nor do 7-Zip and Info-ZIP); no password would help: ask for the archive with AES (7-Zip's zip AES) or unencrypted",
            ));
        }
        if !decodable(data.compression_method) {
            // Said before anything is decoded, rather than as a read error.
            return Err(unsupported_method(&format!("{label}: {name}"), method_number(data.compression_method)));
        }
        jobs.push(Job {
            index,
            name,
            size: data.uncompressed_size,
            crc: recorded_crc(&meta),
            encrypted: data.is_encrypted(),
        });
    }
    jobs.sort_by_key(|job| std::cmp::Reverse(job.size));
    Ok(jobs)
}

/// Whether the zip crate, as built, can decode `method`. Its list of
/// supported methods leaves out LZMA and the legacy PKWARE methods (Shrink,
/// Reduce, Implode; feature `legacy-zip`), which it decodes all the same.
fn decodable(method: CompressionMethod) -> bool {
    zip::SUPPORTED_COMPRESSION_METHODS.contains(&method)
        || matches!(
            method,
            CompressionMethod::Lzma
                | CompressionMethod::Shrink
                | CompressionMethod::Reduce(_)
                | CompressionMethod::Implode
        )
}

/// The method's number as the zip format records it.
fn method_number(method: CompressionMethod) -> u16 {
    #[allow(deprecated)] // the replacement constants cannot name an unknown method's number
    method.to_u16()
}

/// What every job needs, shared by all of them.
struct Extraction<'a> {
    archive: &'a Archive,
    password: Option<&'a str>,
    label: &'a str,
    sink: &'a dyn EntrySink,
    stop: &'a Stop<'a>,
}

impl Extraction<'_> {
    /// Decodes one entry into the sink.
    fn entry(&self, job: &Job) -> Result<()> {
        let what = format!("{}: {}", self.label, job.name);
        let mut archive = self.archive.clone();
        let options = ZipReadOptions::new()
            .password(self.password.map(str::as_bytes))
            // This module checks the CRC itself, to tell it from corrupt data.
            .ignore_crc32(true);
        let (archive, subject) = (&mut archive, &what);
        let mut file = contain(&what, DECODER, move || {
            archive.by_index_with_options(job.index, options).map_err(|error| open_error(subject, error))
        })?;
        let mut reader = EntryReader {
            inner: &mut file,
            job,
            what,
            stop: self.stop,
            hasher: crc32fast::Hasher::new(),
            size: 0,
            unchecked: 0,
            verified: false,
            failure: None,
        };
        let result = self.sink.file(job.index, &mut reader);
        outcome(reader.failure.as_ref(), result)
    }
}

/// Why an entry cannot be opened for reading.
fn open_error(what: &str, error: ZipError) -> Error {
    match error {
        ZipError::UnsupportedArchive(ZipError::PASSWORD_REQUIRED) => {
            Error::payload(what, "the entry is encrypted; pass the password with --password or AIRLOCK_PASSWORD")
        }
        ZipError::InvalidPassword => Error::payload(what, "wrong password: the entry does not decrypt"),
        ZipError::CompressionMethodNotSupported(method) => unsupported_method(what, method),
        ZipError::UnsupportedArchive(feature) => {
            Error::payload(what, format!("uses a zip feature airlock cannot decode: {feature}"))
        }
        _ => Error::payload_from(
            what,
            "the entry's local header is missing or corrupt (the archive is truncated or damaged)",
            error,
        ),
    }
}

fn unsupported_method(what: &str, method: u16) -> Error {
    let name = match method {
        7 => "Tokenizing",
        10 => "PKWARE DCL Implode",
        18 => "IBM TERSE",
        19 => "IBM LZ77",
        20 => "Zstandard (old number)",
        94 => "MP3",
        96 => "JPEG",
        97 => "WavPack",
        n => CompressionMethod::name_from_u16(n),
    };
    Error::payload(
        what,
        format!(
            "compressed with method {method} ({name}), which airlock does not support; extract it with a tool that does (7-Zip reads some), or ask for the archive in Deflate"
        ),
    )
}

/// The reader the sink gets for one entry: runs each read of the zip crate
/// inside [`contain`], checks size and CRC-32 at the end, and checks for
/// cancellation every [`CHECK_INTERVAL`] bytes. A failure is classified and
/// given to the sink as an `io::Error`, and remembered, so that later reads
/// fail the same way without touching the decoder again.
struct EntryReader<'a, R> {
    inner: R,
    job: &'a Job,
    what: String,
    stop: &'a Stop<'a>,
    hasher: crc32fast::Hasher,
    size: u64,
    /// Bytes passed on since the last cancellation check.
    unchecked: u64,
    /// The end was reached and matched the central directory.
    verified: bool,
    failure: Option<Failure>,
}

impl<R: Read> EntryReader<'_, R> {
    fn fail(&mut self, error: Error) -> io::Error {
        let (failure, io) = Failure::record(error);
        self.failure = Some(failure);
        io
    }

    /// At the end: does the data have the recorded size and CRC-32?
    fn verify(&self) -> Result<()> {
        let job = self.job;
        if self.size != job.size {
            return Err(Error::payload(
                &self.what,
                format!(
                    "the data ends after {} of its {} bytes: the archive is truncated or damaged",
                    self.size, job.size
                ),
            ));
        }
        let actual = self.hasher.clone().finalize();
        match job.crc {
            Some(expected) if expected != actual => {
                let mismatch =
                    format!("CRC-32 mismatch (the archive records {expected:08x}, the data has {actual:08x})");
                if job.encrypted {
                    Err(Error::payload(&self.what, format!("wrong password, or the entry is damaged: {mismatch}")))
                } else {
                    Err(Error::Integrity { what: job.name.clone(), reason: mismatch })
                }
            }
            _ => Ok(()),
        }
    }

    /// Sorts an error of the zip crate's reader into a payload error.
    fn decode_error(&self, error: io::Error) -> Error {
        if let Some(ZipError::CompressionMethodNotSupported(method)) =
            error.get_ref().and_then(|inner| inner.downcast_ref::<ZipError>())
        {
            return unsupported_method(&self.what, *method);
        }
        let reason = if self.job.encrypted {
            "wrong password, or the entry is damaged: its data does not decrypt"
        } else if error.kind() == io::ErrorKind::UnexpectedEof {
            "the data ends early: the archive is truncated or damaged"
        } else {
            "the compressed data is corrupt"
        };
        Error::payload_from(&self.what, reason, error)
    }
}

impl<R: Read> Read for EntryReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(failure) = &self.failure {
            return Err(failure.to_io());
        }
        if buf.is_empty() || self.verified {
            return Ok(0);
        }
        if self.unchecked >= CHECK_INTERVAL {
            self.unchecked = 0;
            if let Err(stop) = self.stop.cancel.check() {
                return Err(self.fail(stop));
            }
        }
        let inner = &mut self.inner;
        let n = match contain(&self.what, DECODER, || Ok(inner.read(buf))) {
            Ok(Ok(n)) => n,
            Ok(Err(error)) => {
                let failure = self.decode_error(error);
                return Err(self.fail(failure));
            }
            Err(panic) => return Err(self.fail(panic)),
        };
        if n == 0 {
            return match self.verify() {
                Ok(()) => {
                    self.verified = true;
                    Ok(0)
                }
                Err(failure) => Err(self.fail(failure)),
            };
        }
        self.hasher.update(&buf[..n]);
        // Counts of bytes really decoded: they cannot pass u64::MAX, and a
        // saturated count would still differ from a recorded size below it.
        self.size = self.size.saturating_add(n as u64);
        self.unchecked = self.unchecked.saturating_add(n as u64); // reset every CHECK_INTERVAL
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    //! Fixtures under `testdata/` were made by Info-ZIP, Python's zipfile and
    //! 7-Zip (see `testdata/make-archives.sh`); the small encrypted and
    //! duplicate-name archives below are those tools' output kept inline.
    #![allow(clippy::arithmetic_side_effects)] // fixed fixture numbers

    use std::collections::BTreeMap;
    use std::path::PathBuf;

    use super::*;
    use crate::payload::sevenz::tests::{
        HashingSink, LABEL, Seen, check_fixture, expected, flipped, parts, read_all, reader_over, testdata,
    };

    fn fixture(name: &str) -> (PathBuf, SetReader) {
        let dir = testdata().join("zip").join(name);
        let reader = SetReader::open(&parts(&dir)).unwrap();
        (dir, reader)
    }

    #[test]
    fn every_fixture_lists_and_extracts_as_expected() {
        for name in ["infozip", "stored", "python-deflate", "zip64", "zip64-python-local", "sfx-spanned", "volumes"] {
            let (dir, reader) = fixture(name);
            check_fixture(&dir, &reader, list, extract);
        }
    }

    #[test]
    fn sizes_and_checksums_come_from_the_central_directory() {
        let (_, stored) = fixture("stored");
        for entry in list(&stored, None, LABEL).unwrap().iter().filter(|e| e.kind == EntryKind::File) {
            assert_eq!(entry.packed_size, Some(entry.size), "stored: {}", entry.name);
        }
        let (_, deflated) = fixture("infozip");
        let entries = list(&deflated, None, LABEL).unwrap();
        let log = entries.iter().find(|e| e.name == "SQLSERVER2017/x64/setup.log.txt").unwrap();
        assert!(log.packed_size.is_some_and(|packed| packed < log.size));
    }

    /// Where the data of entry `index` starts in the archive.
    fn data_start(reader: &SetReader, index: usize) -> usize {
        let mut archive = ZipArchive::new(reader.clone()).unwrap();
        let file = archive.by_index_raw(index).unwrap();
        file.data_start().unwrap() as usize
    }

    #[test]
    fn a_flipped_byte_in_stored_data_is_an_integrity_failure_naming_the_entry() {
        let (_, reader) = fixture("stored");
        let entries = list(&reader, None, LABEL).unwrap();
        let index = entries.iter().position(|e| e.name == "SQLSERVER2017/SQLEXPR_x64_ENU.box").unwrap();
        let (_dir, damaged) = reader_over(&flipped(&read_all(&reader), data_start(&reader, index) + 1000));
        let all = vec![true; entries.len()];
        for threads in [1, 4] {
            let sink = HashingSink::default();
            let error = extract(&damaged, None, LABEL, &all, &sink, threads, &Cancel::new()).unwrap_err();
            assert_eq!(error.kind(), crate::ErrorKind::Integrity, "{error}");
            assert!(
                error.to_string().contains(&format!("entry {index}")),
                "the sink's error comes back unchanged: {error}"
            );
            assert!(
                matches!(&sink.seen()[&index], Seen::Failed { checksum: true, message } if message.contains("CRC-32 mismatch"))
            );
        }
        // A sink that goes on gets every other entry intact.
        let sink = HashingSink::keep_going();
        extract(&damaged, None, LABEL, &all, &sink, 4, &Cancel::new()).unwrap();
        let seen = sink.seen();
        let failed: Vec<usize> =
            seen.iter().filter(|(_, s)| !matches!(s, Seen::Complete(..))).map(|(i, _)| *i).collect();
        assert_eq!(failed, [index]);
    }

    #[test]
    fn a_flipped_byte_in_deflated_data_fails_the_entry() {
        let (dir, reader) = fixture("infozip");
        let expected = expected(&dir);
        let entries = list(&reader, None, LABEL).unwrap();
        let index = entries.iter().position(|e| e.name == "setup.exe").unwrap();
        let start = data_start(&reader, index);
        let packed = entries[index].packed_size.unwrap() as usize;
        let bytes = read_all(&reader);
        let mut kinds = Vec::new();
        for offset in (start + 10..start + packed).step_by(packed / 7) {
            let (_dir, damaged) = reader_over(&flipped(&bytes, offset));
            let sink = HashingSink::default();
            let all = vec![true; entries.len()];
            let error = extract(&damaged, None, LABEL, &all, &sink, 2, &Cancel::new()).unwrap_err();
            assert!(error.to_string().contains(&format!("entry {index}")), "{error}");
            assert!(!matches!(sink.seen()[&index], Seen::Complete(..)));
            kinds.push(error.kind());
            // Deflate decodes garbage or fails; either way, no other entry is touched.
            let sink = HashingSink::keep_going();
            extract(&damaged, None, LABEL, &all, &sink, 2, &Cancel::new()).unwrap();
            for (i, seen) in sink.seen() {
                if i != index {
                    let (size, sha) = &expected[&entries[i].name];
                    assert_eq!(seen, Seen::Complete(*size, sha.clone()));
                }
            }
        }
        assert!(kinds.iter().all(|k| matches!(k, crate::ErrorKind::Integrity | crate::ErrorKind::Payload)));
    }

    #[test]
    fn an_unsupported_method_names_the_entry_and_the_method() {
        let (_, reader) = fixture("stored");
        let entries = list(&reader, None, LABEL).unwrap();
        let index = entries.iter().position(|e| e.name == "setup.exe").unwrap();
        let (local, central) = {
            let archive = ZipArchive::new(reader.clone()).unwrap();
            let entry = archive.by_index_data(index).unwrap();
            (entry.header_start() as usize, entry.central_header_start() as usize)
        };
        // Method 20 is unassigned; patch it into the local and central headers.
        let mut bytes = read_all(&reader);
        bytes[local + 8..local + 10].copy_from_slice(&20u16.to_le_bytes());
        bytes[central + 10..central + 12].copy_from_slice(&20u16.to_le_bytes());
        let (_dir, patched) = reader_over(&bytes);
        assert_eq!(list(&patched, None, LABEL).unwrap().len(), entries.len());
        let sink = HashingSink::default();
        let error = extract(&patched, None, LABEL, &vec![true; entries.len()], &sink, 2, &Cancel::new()).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Payload);
        let text = error.to_string();
        assert!(text.contains("setup.exe") && text.contains("method") && text.contains("20"), "{text}");
        assert!(sink.seen().is_empty(), "said before anything is decoded");
    }

    #[test]
    fn a_truncated_archive_is_an_error_not_a_panic() {
        let (_, reader) = fixture("infozip");
        let bytes = read_all(&reader);
        for cut in [bytes.len() - 1, bytes.len() - 30, bytes.len() / 2, 100, 4, 0] {
            let (_dir, truncated) = reader_over(&bytes[..cut]);
            let error = list(&truncated, None, LABEL).unwrap_err();
            assert_eq!(error.kind(), crate::ErrorKind::Payload, "cut at {cut}: {error}");
            assert!(error.to_string().contains(LABEL), "{error}");
        }
        // The central directory intact but the first part of the set missing.
        let (dir, _) = fixture("sfx-spanned");
        let without_head = SetReader::open(&parts(&dir)[1..]).unwrap();
        let outcome = list(&without_head, None, LABEL).and_then(|entries| {
            let all = vec![true; entries.len()];
            extract(&without_head, None, LABEL, &all, &HashingSink::default(), 4, &Cancel::new())
        });
        assert!(outcome.is_err());
    }

    #[test]
    fn links_are_listed_as_symlinks_and_never_extracted() {
        let reader = SetReader::open(&[testdata().join("hostile/symlink.zip")]).unwrap();
        let entries = list(&reader, None, LABEL).unwrap();
        let kinds: BTreeMap<&str, EntryKind> = entries.iter().map(|e| (e.name.as_str(), e.kind)).collect();
        assert_eq!(kinds, BTreeMap::from([("link", EntryKind::Symlink), ("normal.txt", EntryKind::File)]));
        let sink = HashingSink::default();
        extract(&reader, None, LABEL, &vec![true; entries.len()], &sink, 1, &Cancel::new()).unwrap();
        let normal = entries.iter().position(|e| e.name == "normal.txt").unwrap();
        assert_eq!(sink.seen().keys().copied().collect::<Vec<_>>(), vec![normal]);
    }

    #[test]
    fn hostile_names_are_listed_as_stored_and_the_rest_extracts() {
        for (archive, evil) in [
            ("zip-slip.zip", "../evil.txt"),
            ("absolute.zip", "/etc/evil.txt"),
            ("drive-letter.zip", "C:/Windows/evil.txt"),
            ("windows-reserved.zip", "docs/CON"),
        ] {
            let reader = SetReader::open(&[testdata().join("hostile").join(archive)]).unwrap();
            let entries = list(&reader, None, LABEL).unwrap();
            let bad = entries.iter().find(|e| e.name == evil).unwrap_or_else(|| panic!("{archive}: {evil} not listed"));
            assert!(bad.path.is_none(), "{archive}: {evil} would land at {:?}", bad.path);
            let ok = entries.iter().position(|e| e.name == "ok.txt").unwrap();
            let selected: Vec<bool> = (0..entries.len()).map(|i| i == ok).collect();
            let sink = HashingSink::default();
            extract(&reader, None, LABEL, &selected, &sink, 1, &Cancel::new()).unwrap();
            assert!(matches!(sink.seen()[&ok], Seen::Complete(3, _)));
        }
    }

    #[test]
    fn the_sinks_error_comes_back_unchanged() {
        struct Refusing;
        impl EntrySink for Refusing {
            fn file(&self, _: usize, _: &mut dyn Read) -> Result<()> {
                Err(Error::payload("the sink", "disk full"))
            }
        }
        let (_, reader) = fixture("infozip");
        let count = list(&reader, None, LABEL).unwrap().len();
        let error = extract(&reader, None, LABEL, &vec![true; count], &Refusing, 4, &Cancel::new()).unwrap_err();
        assert!(
            matches!(&error, Error::Payload { what, reason, .. } if what == "the sink" && reason == "disk full"),
            "{error}"
        );
    }

    #[test]
    fn cancelling_stops_with_interrupted() {
        let (_, reader) = fixture("stored");
        let count = list(&reader, None, LABEL).unwrap().len();
        let cancel = Cancel::new();
        cancel.cancel();
        let sink = HashingSink::default();
        let error = extract(&reader, None, LABEL, &vec![true; count], &sink, 4, &cancel).unwrap_err();
        assert!(matches!(error, Error::Interrupted));
        assert!(sink.seen().is_empty());
    }

    const SECRET_SHA256: &str = "273f4f35ee01e47b83f2a40758a0de2cb31860b3efb3f958faf13c3a464ef9f6";

    #[test]
    fn encrypted_entries_need_the_right_password() {
        for (kind, bytes) in [("ZipCrypto", ZIPCRYPTO_ZIP), ("AES", AES_ZIP)] {
            let (_dir, reader) = reader_over(bytes);
            let entries = list(&reader, None, LABEL).unwrap();
            assert_eq!(entries.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["secret.txt"], "{kind}");

            let error = extract(&reader, None, LABEL, &[true], &HashingSink::default(), 1, &Cancel::new()).unwrap_err();
            assert_eq!(error.kind(), crate::ErrorKind::Payload, "{kind}");
            assert!(
                error.to_string().contains("--password") && error.to_string().contains("AIRLOCK_PASSWORD"),
                "{kind}: {error}"
            );

            let error =
                extract(&reader, Some("wrong horse"), LABEL, &[true], &HashingSink::default(), 1, &Cancel::new())
                    .unwrap_err();
            assert_eq!(error.kind(), crate::ErrorKind::Payload, "{kind}");
            assert!(error.to_string().contains("wrong password"), "{kind}: {error}");

            let sink = HashingSink::default();
            extract(&reader, Some("right horse"), LABEL, &[true], &sink, 1, &Cancel::new()).unwrap();
            assert_eq!(sink.seen()[&0], Seen::Complete(33, SECRET_SHA256.into()), "{kind}");
        }
    }

    #[test]
    fn an_archive_naming_an_entry_twice_is_refused() {
        let (_dir, reader) = reader_over(DUPLICATE_NAMES_ZIP);
        let error = list(&reader, None, LABEL).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Payload);
        assert!(error.to_string().contains("more than once"), "{error}");
    }

    #[test]
    fn kinds_follow_7zip_and_info_zip() {
        let unix = |mode: u32| mode << 16;
        assert_eq!(kind_of(true, System::Dos, 0, 0), EntryKind::Directory);
        assert_eq!(kind_of(false, System::Unix, unix(0o120777), 11), EntryKind::Symlink);
        assert_eq!(kind_of(false, System::Unix, unix(0o100644), 11), EntryKind::File);
        assert_eq!(kind_of(false, System::Unix, unix(0o040755), 0), EntryKind::Directory);
        // 7-Zip on Windows: DOS attributes, Unix mode flagged with 0x8000.
        assert_eq!(kind_of(false, System::Dos, unix(0o120777) | UNIX_EXTENSION | 0x20, 11), EntryKind::Symlink);
        // A Unix mode without the flag from a DOS host means nothing.
        assert_eq!(kind_of(false, System::Dos, unix(0o120777) | 0x20, 11), EntryKind::File);
        assert_eq!(kind_of(false, System::Dos, WINDOWS_REPARSE_POINT | 0x20, 11), EntryKind::Symlink);
        assert_eq!(kind_of(false, System::Dos, DOS_DIRECTORY, 0), EntryKind::Directory);
        // A folder attribute on an entry with data: keep the data.
        assert_eq!(kind_of(false, System::Dos, DOS_DIRECTORY, 5), EntryKind::File);
    }

    #[test]
    fn dos_times_are_read_as_local_time() {
        let time = DateTime::from_date_and_time(2024, 1, 2, 3, 4, 4).unwrap();
        let local = dos_local_time(time).unwrap();
        let as_utc = SystemTime::UNIX_EPOCH + Duration::from_secs(1_704_164_644);
        let apart = local.duration_since(as_utc).unwrap_or_else(|e| e.duration());
        assert!(apart <= Duration::from_secs(14 * 3600), "{apart:?}");
    }

    /// `zip -X -P 'right horse'` of `secret.txt` (traditional ZipCrypto).
    const ZIPCRYPTO_ZIP: &[u8] = &[
        0x50, 0x4b, 0x03, 0x04, 0x0a, 0x00, 0x09, 0x00, 0x00, 0x00, 0x82, 0x18, 0x22, 0x58, 0xea, 0x67, 0xae, 0x1d,
        0x2d, 0x00, 0x00, 0x00, 0x21, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x73, 0x65, 0x63, 0x72, 0x65, 0x74,
        0x2e, 0x74, 0x78, 0x74, 0xeb, 0xdf, 0xd2, 0x3b, 0xcf, 0x1b, 0x20, 0x91, 0xab, 0xdb, 0xa6, 0x88, 0x77, 0x6d,
        0x62, 0x45, 0x20, 0xbc, 0xeb, 0x56, 0x66, 0x21, 0x6e, 0x55, 0x4f, 0x63, 0x4a, 0x23, 0x21, 0x31, 0xfb, 0x8b,
        0x23, 0x51, 0x1c, 0xaf, 0xf2, 0x6e, 0xfd, 0x1f, 0x88, 0xe0, 0x28, 0x50, 0xac, 0x50, 0x4b, 0x07, 0x08, 0xea,
        0x67, 0xae, 0x1d, 0x2d, 0x00, 0x00, 0x00, 0x21, 0x00, 0x00, 0x00, 0x50, 0x4b, 0x01, 0x02, 0x1e, 0x03, 0x0a,
        0x00, 0x09, 0x00, 0x00, 0x00, 0x82, 0x18, 0x22, 0x58, 0xea, 0x67, 0xae, 0x1d, 0x2d, 0x00, 0x00, 0x00, 0x21,
        0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0xa4, 0x81, 0x00,
        0x00, 0x00, 0x00, 0x73, 0x65, 0x63, 0x72, 0x65, 0x74, 0x2e, 0x74, 0x78, 0x74, 0x50, 0x4b, 0x05, 0x06, 0x00,
        0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x38, 0x00, 0x00, 0x00, 0x65, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];
    /// `7zz a -tzip -p'right horse' -mem=AES256` of `secret.txt` (WinZip AES).
    const AES_ZIP: &[u8] = &[
        0x50, 0x4b, 0x03, 0x04, 0x33, 0x00, 0x01, 0x00, 0x63, 0x00, 0x82, 0x18, 0x22, 0x58, 0x00, 0x00, 0x00, 0x00,
        0x3d, 0x00, 0x00, 0x00, 0x21, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x0b, 0x00, 0x73, 0x65, 0x63, 0x72, 0x65, 0x74,
        0x2e, 0x74, 0x78, 0x74, 0x01, 0x99, 0x07, 0x00, 0x02, 0x00, 0x41, 0x45, 0x03, 0x00, 0x00, 0x66, 0xeb, 0xd1,
        0x09, 0x51, 0x63, 0xa1, 0x35, 0x86, 0x82, 0x4b, 0x99, 0xd1, 0x33, 0xbc, 0x94, 0x78, 0x30, 0xb4, 0xe1, 0x00,
        0x77, 0xff, 0x6c, 0xb0, 0x4a, 0x43, 0xed, 0x93, 0xb2, 0xf7, 0xb1, 0x74, 0x6c, 0xc1, 0x79, 0xd8, 0xf0, 0xb9,
        0x6c, 0x92, 0x0a, 0x2a, 0x60, 0x47, 0x69, 0xe0, 0xf2, 0xcd, 0xc9, 0x55, 0x45, 0x9a, 0xb6, 0xb4, 0x88, 0x84,
        0x57, 0x37, 0x31, 0x37, 0x50, 0x4b, 0x01, 0x02, 0x3f, 0x03, 0x33, 0x00, 0x01, 0x00, 0x63, 0x00, 0x82, 0x18,
        0x22, 0x58, 0x00, 0x00, 0x00, 0x00, 0x3d, 0x00, 0x00, 0x00, 0x21, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x2f, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20, 0x80, 0xa4, 0x81, 0x00, 0x00, 0x00, 0x00, 0x73, 0x65, 0x63, 0x72,
        0x65, 0x74, 0x2e, 0x74, 0x78, 0x74, 0x0a, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x18, 0x00,
        0x00, 0x2a, 0xb0, 0x57, 0x28, 0x3d, 0xda, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x99, 0x07, 0x00, 0x02, 0x00, 0x41, 0x45, 0x03, 0x00, 0x00, 0x50,
        0x4b, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x67, 0x00, 0x00, 0x00, 0x70, 0x00, 0x00,
        0x00, 0x00, 0x00,
    ];
    /// Python `zipfile` writing `same.txt` twice ("first\\n", then "second\\n"), stored.
    const DUPLICATE_NAMES_ZIP: &[u8] = &[
        0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x27, 0x93, 0x79, 0x5d, 0x2a, 0xb3, 0x4a, 0xc7,
        0x06, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x73, 0x61, 0x6d, 0x65, 0x2e, 0x74,
        0x78, 0x74, 0x66, 0x69, 0x72, 0x73, 0x74, 0x0a, 0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x27, 0x93, 0x79, 0x5d, 0x7e, 0xc0, 0x0f, 0x06, 0x07, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x08, 0x00,
        0x00, 0x00, 0x73, 0x61, 0x6d, 0x65, 0x2e, 0x74, 0x78, 0x74, 0x73, 0x65, 0x63, 0x6f, 0x6e, 0x64, 0x0a, 0x50,
        0x4b, 0x01, 0x02, 0x14, 0x03, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x27, 0x93, 0x79, 0x5d, 0x2a, 0xb3, 0x4a,
        0xc7, 0x06, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x80, 0x01, 0x00, 0x00, 0x00, 0x00, 0x73, 0x61, 0x6d, 0x65, 0x2e, 0x74, 0x78, 0x74, 0x50,
        0x4b, 0x01, 0x02, 0x14, 0x03, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x27, 0x93, 0x79, 0x5d, 0x7e, 0xc0, 0x0f,
        0x06, 0x07, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x80, 0x01, 0x2c, 0x00, 0x00, 0x00, 0x73, 0x61, 0x6d, 0x65, 0x2e, 0x74, 0x78, 0x74, 0x50,
        0x4b, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x02, 0x00, 0x6c, 0x00, 0x00, 0x00, 0x59, 0x00, 0x00,
        0x00, 0x00, 0x00,
    ];
}
