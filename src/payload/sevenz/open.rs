//! Opening a 7z archive: its headers (with or without the password) and the
//! entries they list.
#![warn(clippy::arithmetic_side_effects)]

use sevenz_rust2::{Archive, ArchiveEntry, Password};

use super::errors::header_error;
use super::{DECODER, MEMORY_LIMIT_KB, SevenZError};
use crate::payload::{Checksum, Entry, EntryKind, attributes};
use crate::read::contain::contain;
use crate::read::set_reader::SetReader;
use crate::vocab::error::Result;

/// A parsed archive and the password its blocks are decoded with.
pub(super) struct Opened {
    pub(super) archive: Archive,
    pub(super) password: Password,
}

/// Parses the archive headers.
///
/// The first attempt goes without the password, so that a user who always
/// sets `AIRLOCK_PASSWORD` does not have corrupt plain headers reported as a
/// wrong password (sevenz-rust2 blames the password for any header error when
/// one is given). Only encrypted headers are read again with it.
pub(super) fn open(reader: &SetReader, password: Option<&str>, label: &str) -> Result<Opened> {
    let given = password.map(Password::from).unwrap_or_else(Password::empty);
    #[cfg(test)]
    crate::payload::testing::count(crate::payload::testing::Counted::SevenZHeaders);
    if is_empty_archive(reader) {
        // 7-Zip writes an archive of nothing as a start header pointing at
        // no header at all; sevenz-rust2 takes that for a truncated file.
        return Ok(Opened { archive: Archive::default(), password: given });
    }
    contain(label, DECODER, || match read_headers(reader, &Password::empty()) {
        Ok(archive) => Ok(Opened { archive, password: given }),
        Err(SevenZError::PasswordRequired) if password.is_some() => match read_headers(reader, &given) {
            Ok(archive) => Ok(Opened { archive, password: given }),
            Err(error) => Err(header_error(label, error, true)),
        },
        Err(error) => Err(header_error(label, error, false)),
    })
}

/// Whether the start header says the archive holds nothing: no next
/// header (offset and size 0). The caller found the start header's CRC valid.
fn is_empty_archive(reader: &SetReader) -> bool {
    let mut start = [0u8; 32];
    reader.read_exact_at(0, &mut start).is_ok() && start[12..28].iter().all(|&b| b == 0)
}

fn read_headers(reader: &SetReader, password: &Password) -> Result<Archive, SevenZError> {
    Archive::read_with_memory_limit(&mut reader.clone(), password, MEMORY_LIMIT_KB)
}

/// The name as the archive stores it, with Windows separators made `/`.
pub(super) fn entry_name(file: &ArchiveEntry) -> String {
    file.name.replace('\\', "/")
}

/// The name 7-Zip gives an entry stored without one (`7z a -si` writes
/// such entries): the archive's name without `.7z`.
pub(super) fn unnamed_entry_name(label: &str) -> String {
    let lower = label.to_ascii_lowercase();
    let stem = if lower.ends_with(".7z") { &label[..label.len().saturating_sub(3)] } else { label };
    if stem.is_empty() { "unnamed".to_owned() } else { stem.to_owned() }
}

pub(super) fn to_entry(file: &ArchiveEntry, packed_size: Option<u64>, unnamed: &str) -> Entry {
    let name = entry_name(file);
    let name = if name.is_empty() && !file.is_directory { unnamed.to_owned() } else { name };
    let mut entry = Entry::new(name, kind_of(file), file.size);
    entry.packed_size = packed_size;
    entry.checksum = file.has_crc.then_some(Checksum::Crc32(file.crc as u32));
    entry.modified = file
        .has_last_modified_date
        .then(|| crate::vocab::time::from_filetime(u64::from(file.last_modified_date)))
        .flatten();
    entry
}

pub(super) fn kind_of(file: &ArchiveEntry) -> EntryKind {
    if file.is_directory {
        EntryKind::Directory
    } else if file.has_windows_attributes && attributes::is_link(file.windows_attributes) {
        EntryKind::Symlink
    } else {
        EntryKind::File
    }
}

/// The compressed size of each entry, where it is its own: an entry alone in
/// its block (a non-solid archive) owns the block's packed streams. Entries
/// sharing a block get `None`, as a share of a solid stream means nothing.
pub(super) fn packed_sizes(archive: &Archive) -> Vec<Option<u64>> {
    let map = &archive.stream_map;
    let mut files_in_block = vec![0usize; archive.blocks.len()];
    for (file, block) in archive.files.iter().zip(&map.file_block_index) {
        if let (true, Some(count)) = (file.has_stream, block.and_then(|b| files_in_block.get_mut(b))) {
            *count = count.saturating_add(1); // at most the number of entries
        }
    }
    let block_packed = |block: usize| -> Option<u64> {
        let first = *map.block_first_pack_stream_index().get(block)?;
        let next = block.checked_add(1)?;
        let end = map.block_first_pack_stream_index().get(next).copied().unwrap_or(archive.pack_sizes().len());
        let sizes = archive.pack_sizes().get(first..end)?;
        sizes.iter().try_fold(0u64, |total, size| total.checked_add(*size))
    };
    archive
        .files
        .iter()
        .enumerate()
        .map(|(index, file)| {
            let block = (*map.file_block_index.get(index)?)?;
            (file.has_stream && files_in_block.get(block) == Some(&1)).then(|| block_packed(block)).flatten()
        })
        .collect()
}
