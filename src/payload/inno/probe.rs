//! What an Inno Setup installer's headers say about it, and whether slices
//! are its own — read without touching file data.
//!
//! This is what discovery and the completeness check ask of an installer, so
//! it depends only on leaf modules (the crate, [`contain`], the error types,
//! the slice header and the loader table), never on the rest of the payload.
//!
//! The slice layout (chunk offsets and sizes, slice numbers) comes from the
//! headers: its arithmetic is checked (the lint below keeps it so), and a
//! layout that cannot be computed simply does not fit the slices.
#![warn(clippy::arithmetic_side_effects)]

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use inno::Inno;
use inno::header::Compression;

use super::slice_header::{self, read_at};
use super::{DECODER, file_label, newer};
use crate::read::contain::contain;
use crate::vocab::error::{Error, Result};

/// How many bytes may follow the last chunk in the last slice for the slices
/// to still fit an installer. Measured: 0 on Inno Setup 6.2 and 6.4, 15 on
/// 5.5; slices of another build of the same product missed by 811.
const LAST_SLICE_SLACK: u64 = 64;

/// The magic at the start of every compressed data chunk.
const CHUNK_MAGIC: &[u8; 4] = b"zlb\x1a";

/// What the setup headers say about an installer, read without touching file data.
#[derive(Clone, Debug)]
pub(crate) struct InnoInfo {
    /// Inno Setup version that built it, e.g. `6.4.0.1 (u)`.
    pub version: String,
    /// The file data compression (`LZMA2`, `Zlib`, `BZip2` …).
    pub compression: Compression,
    /// Whether file data is encrypted.
    pub encrypted: bool,
    /// Whether file data lives in slices beside the `.exe`.
    pub data_in_slices: bool,
    /// How many slices the file data spans (0 when it is in the `.exe`).
    pub slice_count: u32,
    /// Slices per disk (1 for the `NAME-N.bin` naming).
    pub slices_per_disk: u32,
    /// The base name the slices were built with, if the header records one.
    pub base_filename: Option<String>,
    /// Each compressed chunk: (first slice, offset in it, compressed size, last slice).
    pub chunks: Vec<ChunkSpan>,
    /// The setup loader's offset table (the `.exe`'s own size), when it holds numbers.
    pub loader: Option<crate::read::exe_size::LoaderTable>,
    /// The `[Files]` entries it reads from outside itself at install time.
    pub externals: Vec<crate::vocab::external::ExternalSource>,
}

/// Where one compressed chunk lies across the slices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ChunkSpan {
    /// Slice index (from 0) the chunk starts in.
    pub first_slice: u32,
    /// Offset of its magic in that slice file.
    pub offset: u64,
    /// Compressed bytes after the 4-byte magic.
    pub size: u64,
    /// Slice index it ends in.
    pub last_slice: u32,
}

impl InnoInfo {
    /// Whether `slices` (in order, slice 0 first) are this installer's: there
    /// are as many as the header says, each chunk's recorded start holds the
    /// chunk magic, and walking each chunk's compressed size across the
    /// slices' sizes ends in the slice the header says it ends in.
    pub(crate) fn fits(&self, slices: &[PathBuf]) -> bool {
        if slices.len() != self.slice_count as usize {
            return false;
        }
        let sizes: Vec<u64> = slices.iter().map(|p| std::fs::metadata(p).map_or(0, |m| m.len())).collect();
        // Where data continues in each slice: after its 12- or 16-byte header.
        let starts: Vec<u64> =
            slices.iter().map(|p| slice_header::read(p).ok().flatten().map_or(12, |header| header.len)).collect();
        let last = self.chunks.iter().max_by_key(|c| (c.last_slice, c.first_slice, c.offset));
        self.chunks.iter().all(|chunk| {
            let magic_ok = slices
                .get(chunk.first_slice as usize)
                .and_then(|path| read_at(path, chunk.offset, 4).ok())
                .is_some_and(|bytes| bytes == CHUNK_MAGIC);
            let end = chunk_end(chunk, &sizes, &starts);
            let placed = match end {
                // The installer's last chunk fills its last slice, up to a
                // few bytes of padding (Inno Setup 5.5 leaves 15).
                Some((slice, offset)) if Some(chunk) == last => {
                    slice == chunk.last_slice
                        && sizes
                            .get(slice as usize)
                            .and_then(|size| size.checked_sub(offset))
                            .is_some_and(|slack| slack <= LAST_SLICE_SLACK)
                }
                Some((slice, _)) => slice == chunk.last_slice,
                None => false,
            };
            magic_ok && placed
        })
    }
}

/// Where a chunk ends — the slice its last byte falls in and the offset just
/// past it — given the slice files' sizes, or `None` if the slices run out.
fn chunk_end(chunk: &ChunkSpan, sizes: &[u64], starts: &[u64]) -> Option<(u32, u64)> {
    let mut slice = chunk.first_slice as usize;
    let mut offset = chunk.offset;
    let mut remaining = chunk.size.checked_add(CHUNK_MAGIC.len() as u64)?;
    loop {
        let available = sizes.get(slice)?.checked_sub(offset)?;
        if remaining <= available {
            return Some((u32::try_from(slice).ok()?, offset.checked_add(remaining)?));
        }
        remaining = remaining.checked_sub(available)?;
        slice = slice.checked_add(1)?;
        offset = *starts.get(slice)?;
    }
}

/// Reads the setup headers of `exe`; `Ok(None)` if it is not an Inno Setup installer.
pub(crate) fn probe(exe: &Path) -> Result<Option<InnoInfo>> {
    Ok(probe_parsed(exe)?.map(|(info, _)| info))
}

/// [`probe`], keeping the crate's handle on the parsed headers for the
/// door ([`crate::payload::open`]) to take, so a run that locates the
/// payload and then opens it parses the headers once.
pub(crate) fn probe_parsed(exe: &Path) -> Result<Option<(InnoInfo, Parsed)>> {
    let label = file_label(exe);
    contain(&label, DECODER, || {
        let Some(inno) = parse(exe, &label)? else { return Ok(None) };
        let info = info_of(&inno);
        Ok(Some((info, Parsed(Arc::new(Mutex::new(Some(inno)))))))
    })
}

/// Parses the setup headers of `exe` (inside the caller's `contain`): the
/// one place the crate reads them; `Ok(None)` if it is not an Inno Setup
/// installer.
pub(super) fn parse(exe: &Path, label: &str) -> Result<Option<Inno<BufReader<File>>>> {
    #[cfg(test)]
    crate::payload::testing::count(crate::payload::testing::Counted::InnoHeaders);
    let file = File::open(exe).map_err(|e| Error::io(exe, e))?;
    match Inno::new(BufReader::new(file)) {
        Ok(inno) => Ok(Some(inno)),
        Err(inno::error::InnoError::NotInnoFile) => Ok(None),
        Err(e) => Err(newer::header_error(exe, label, e)),
    }
}

/// The crate's handle on headers the probe parsed, for the door to take
/// once (a clone shares it); empty when the payload was located without it.
#[derive(Clone, Default)]
pub(crate) struct Parsed(Arc<Mutex<Option<Inno<BufReader<File>>>>>);

impl Parsed {
    /// The handle, if nobody took it yet.
    pub(crate) fn take(&self) -> Option<Inno<BufReader<File>>> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take()
    }
}

impl std::fmt::Debug for Parsed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Parsed(..)")
    }
}

pub(super) fn info_of<R: Read + std::io::Seek>(inno: &Inno<R>) -> InnoInfo {
    let data_in_slices = inno.setup_loader().data_offset() == 0;
    let chunks: Vec<_> = inno.file_locations().iter().map(|l| *l.chunk()).collect();
    // Saturating: a header naming slice u32::MAX claims more slices than
    // check's MAX_PART_NUMBER, which is refused there as a damaged header.
    let slice_count =
        if data_in_slices { chunks.iter().map(|c| c.last_slice().saturating_add(1)).max().unwrap_or(0) } else { 0 };
    let mut spans: Vec<ChunkSpan> = if data_in_slices {
        chunks
            .iter()
            .map(|c| ChunkSpan {
                first_slice: c.first_slice(),
                offset: c.start_offset(),
                size: c.original_size(),
                last_slice: c.last_slice(),
            })
            .collect()
    } else {
        Vec::new()
    };
    spans.sort_unstable();
    spans.dedup();
    InnoInfo {
        version: inno.version().to_string(),
        compression: inno.header().compression(),
        // Inno Setup 6.4 always carries an encryption header; whether data is
        // actually encrypted is recorded per chunk.
        encrypted: chunks.iter().any(|c| c.is_encrypted()),
        data_in_slices,
        slice_count,
        slices_per_disk: inno.header().slices_per_disk(),
        base_filename: inno.header().base_filename().map(str::to_owned),
        chunks: spans,
        loader: crate::read::exe_size::LoaderTable::of(inno.setup_loader()),
        externals: super::external::externals_of(inno),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::arithmetic_side_effects)] // fixed fixture numbers
    use super::*;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/inno").join(name)
    }

    fn slices_of(dir: &Path, count: u32) -> Vec<PathBuf> {
        (1..=count).map(|n| dir.join(format!("MicrosoftAzureBackupInstaller-{n}.bin"))).collect()
    }

    #[test]
    fn probe_reads_slice_counts_from_the_headers() {
        for (name, slices) in [
            ("inno-6.4.1-lzma2-solid-spanned", 3),
            ("inno-6.2.0-lzma2-solid-spanned", 3),
            ("inno-5.5.9-lzma-solid-spanned", 2),
            ("inno-6.4.1-zip-single", 0),
        ] {
            let exe = fixture(name).join("MicrosoftAzureBackupInstaller.exe");
            let info = probe(&exe).unwrap().unwrap();
            assert_eq!(info.slice_count, slices, "{name}");
            assert_eq!(info.data_in_slices, slices > 0, "{name}");
            if slices > 0 {
                assert!(info.fits(&slices_of(&fixture(name), slices)), "{name}");
            }
        }
    }

    #[test]
    fn a_chunk_layout_past_u64_max_fits_nothing_and_does_not_panic() {
        // Sizes and offsets as a hostile header could declare them.
        let sizes = [u64::MAX, u64::MAX];
        for (offset, size, end) in [
            (12, u64::MAX, None),     // size + magic overflows
            (12, u64::MAX - 3, None), // exactly one past u64::MAX
            (u64::MAX, 1, Some((1, 12 + 5))),
            (u64::MAX - 2, 0, Some((1, 12 + 2))),
        ] {
            let chunk = ChunkSpan { first_slice: 0, offset, size, last_slice: 1 };
            assert_eq!(chunk_end(&chunk, &sizes, &[12, 12]), end, "offset {offset}, size {size}");
        }
        let chunk = ChunkSpan { first_slice: 0, offset: 12, size: u64::MAX, last_slice: 0 };
        assert_eq!(chunk_end(&chunk, &[100, 100], &[12, 12]), None);
        let chunk = ChunkSpan { first_slice: u32::MAX, offset: 12, size: 10, last_slice: u32::MAX };
        assert_eq!(chunk_end(&chunk, &[100], &[12]), None);
    }

    #[test]
    fn slices_of_another_installer_do_not_fit() {
        let exe = fixture("inno-6.4.1-lzma2-solid-spanned").join("MicrosoftAzureBackupInstaller.exe");
        let info = probe(&exe).unwrap().unwrap();
        let other = slices_of(&fixture("inno-6.2.0-lzma2-solid-spanned"), 3);
        assert!(!info.fits(&other));
    }

    #[test]
    fn a_file_that_is_not_an_installer_probes_as_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.exe");
        std::fs::write(&path, b"MZ not really").unwrap();
        assert!(probe(&path).unwrap().is_none());
    }
}
