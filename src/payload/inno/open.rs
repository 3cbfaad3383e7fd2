//! Opening an installer for listing or extraction: its headers, its slices
//! handed to the crate as the files discovery found, and the entries it
//! installs.
#![warn(clippy::arithmetic_side_effects)]

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use inno::Inno;

use super::info::file_conditions;
use super::probe::{InnoInfo, info_of, parse};
use super::{DECODER, file_label};
use crate::payload::{Checksum, Entry};
use crate::read::contain::contain;
use crate::vocab::error::{Error, Result};

/// An installer opened for listing or extraction, reading its slices from
/// the files discovery found.
pub(super) struct Opened {
    pub(super) inno: Inno<BufReader<File>>,
    pub(super) info: InnoInfo,
}

/// Opens `exe` and gives the crate `slices` as they are, slice `N` from
/// `slices[N]`: nothing is linked or copied anywhere, so the set can sit on
/// a read-only volume, another drive than the temporary folder, or a system
/// without one.
///
/// `parsed` is the probe's handle on the same headers, when it kept one: it
/// is used as it is instead of parsing them again.
pub(super) fn open(exe: &Path, slices: &[PathBuf], parsed: Option<Inno<BufReader<File>>>) -> Result<Opened> {
    let label = file_label(exe);
    contain(&label, DECODER, || {
        let inno = match parsed {
            Some(inno) => inno,
            None => parse(exe, &label)?.ok_or_else(|| Error::payload(&label, "not an Inno Setup installer"))?,
        };
        let info = info_of(&inno);
        let inno = if info.data_in_slices { inno.with_slices(slices.to_vec()) } else { inno };
        Ok(Opened { inno, info })
    })
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
        let mut entry = super::landing::file_entry(destination.replace('\\', "/"), data.size());
        entry.checksum = checksum_of(data.checksum());
        entry.modified =
            Some(u64::from(location.file_time())).filter(|&t| t != 0).and_then(crate::vocab::time::from_filetime);
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
