//! Opening an installer for listing or extraction: its headers, its slices
//! linked under the names the crate looks for, and the entries it installs.
#![warn(clippy::arithmetic_side_effects)]

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use inno::Inno;

use super::info::file_conditions;
use super::probe::{InnoInfo, info_of};
use super::{DECODER, file_label, newer};
use crate::contain::contain;
use crate::error::{Error, Result};
use crate::payload::{Checksum, Entry, EntryKind};

/// An installer opened for listing or extraction, with its slices linked
/// under the names the crate looks for.
pub(super) struct Opened {
    pub(super) inno: Inno<BufReader<File>>,
    pub(super) info: InnoInfo,
    /// Keeps the folder of slice links alive while the crate reads them.
    pub(super) links: Option<tempfile::TempDir>,
}

pub(super) fn open(exe: &Path, slices: &[PathBuf]) -> Result<Opened> {
    let label = file_label(exe);
    contain(&label, DECODER, || {
        let file = File::open(exe).map_err(|e| Error::io(exe, e))?;
        let inno = Inno::new(BufReader::new(file)).map_err(|e| match e {
            inno::error::InnoError::NotInnoFile => Error::payload(&label, "not an Inno Setup installer"),
            e => newer::header_error(exe, &label, e),
        })?;
        let info = info_of(&inno);
        let (inno, links) = if info.data_in_slices {
            let links = link_slices(slices, info.slices_per_disk)?;
            let inno = inno.located_at(&links.path().join("airlock.exe"));
            (inno, Some(links))
        } else {
            (inno, None)
        };
        Ok(Opened { inno, info, links })
    })
}

/// Links `slices` as `airlock-1.bin` … (`airlock-1a.bin` … with several
/// slices a disk) in a new temporary folder.
fn link_slices(slices: &[PathBuf], slices_per_disk: u32) -> Result<tempfile::TempDir> {
    let dir =
        tempfile::Builder::new().prefix("airlock-slices-").tempdir().map_err(|e| Error::io(std::env::temp_dir(), e))?;
    for (index, slice) in slices.iter().enumerate() {
        let target = std::path::absolute(slice).map_err(|e| Error::io(slice, e))?;
        let link = dir.path().join(link_name(index, slices_per_disk));
        crate::platform::link(&target, &link).map_err(|e| Error::io(&link, e))?;
    }
    Ok(dir)
}

/// The name slice `index` (0-based) is linked under, in the crate's own
/// naming (`airlock-N.bin`, or `airlock-Na.bin` with several slices a disk).
pub(super) fn link_name(index: usize, slices_per_disk: u32) -> String {
    let index = u32::try_from(index).unwrap_or(u32::MAX);
    match crate::naming::slice_number(index, slices_per_disk) {
        Some(number) if slices_per_disk > 1 => crate::naming::lettered_name("airlock", number),
        _ => format!("airlock-{}.bin", index.saturating_add(1)),
    }
}

pub(super) fn entries_of<R: Read + std::io::Seek>(inno: &Inno<R>) -> (Vec<Entry>, Vec<usize>) {
    let locations = inno.file_locations();
    let mut entries = Vec::new();
    let mut indices = Vec::new();
    for (index, file) in inno.file_entries().iter().enumerate() {
        let Some(location) = locations.get(file.location() as usize) else {
            continue; // an external file or a font registration: no data here
        };
        let Some(destination) = file.destination() else {
            continue;
        };
        let data = location.file();
        let mut entry = Entry::new(destination.replace('\\', "/"), EntryKind::File, data.size());
        entry.checksum = checksum_of(data.checksum());
        entry.modified = Some(u64::from(location.file_time())).filter(|&t| t != 0).and_then(crate::time::from_filetime);
        entry.inno = Some(file_conditions(file, inno.header().windows_versions()));
        entries.push(entry);
        indices.push(index);
    }
    (entries, indices)
}

fn checksum_of(checksum: inno::entry::Checksum) -> Option<Checksum> {
    use inno::entry::Checksum as Theirs;
    Some(match checksum {
        Theirs::Adler32(v) => Checksum::Adler32(v),
        Theirs::Crc32(v) => Checksum::Crc32(v),
        Theirs::MD5(v) => Checksum::Md5(v.into_inner()),
        Theirs::Sha1(v) => Checksum::Sha1(v.into_inner()),
        Theirs::Sha256(v) => Checksum::Sha256(v.into_inner()),
        Theirs::Check(_) => return None,
    })
}
