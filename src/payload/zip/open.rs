//! Opening a zip archive: its central directory and the entries it lists.
#![warn(clippy::arithmetic_side_effects)]

use std::io;
use std::time::{Duration, SystemTime};

use zip::result::ZipError;
use zip::{DateTime, ExtraField, HasZipMetadata, System, ZipArchive};

use super::{Archive, DECODER};
use crate::payload::attributes::{DOS_DIRECTORY, UNIX_EXTENSION, UnixType, WINDOWS_REPARSE_POINT, unix_type};
use crate::payload::{Checksum, Entry, EntryKind};
use crate::read::contain::contain;
use crate::read::set_reader::SetReader;
use crate::vocab::error::{Error, Result};

/// Reads the central directory. When the zip crate refuses it, malformed
/// optional extra fields are dropped (`super::extra`) and it is read again: a
/// bad timestamp costs that timestamp, not the archive.
pub(super) fn open(reader: &SetReader, label: &str) -> Result<Archive> {
    contain(label, DECODER, || {
        let archive = match ZipArchive::new(reader.clone()) {
            Ok(archive) => archive,
            Err(error) => {
                let patches = match crate::payload::detect::find_zip_end(reader) {
                    Ok(Some(end)) => super::extra::patches(reader, end.central_start, end.central_size, end.stub),
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
        super::consistency::check(&archive, reader, label)?;
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

pub(super) fn entry_at(archive: &mut Archive, index: usize, label: &str) -> Result<Entry> {
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
pub(super) fn kind_of(named_as_folder: bool, system: System, attributes: u32, size: u64) -> EntryKind {
    if named_as_folder {
        return EntryKind::Directory;
    }
    if system == System::Unix || attributes & UNIX_EXTENSION != 0 {
        match unix_type(attributes) {
            UnixType::Symlink => return EntryKind::Symlink,
            UnixType::Directory if size == 0 => return EntryKind::Directory,
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
pub(super) fn recorded_crc(entry: &impl HasZipMetadata) -> Option<u32> {
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
        ExtraField::Ntfs(ntfs) => crate::vocab::time::from_filetime(ntfs.mtime()),
        _ => None,
    })
}

/// A DOS date and time is the local time of the machine that wrote the
/// archive; like unzip and 7-Zip, read it as local time here.
pub(super) fn dos_local_time(time: DateTime) -> Option<SystemTime> {
    if !time.is_valid() {
        return None;
    }
    // DOS years are 1980..=2107 and months 1..=12 (is_valid above).
    crate::platform::local_time(time.year(), time.month(), time.day(), time.hour(), time.minute(), time.second())
}
