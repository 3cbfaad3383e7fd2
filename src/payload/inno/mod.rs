//! Inno Setup installers, through the `inno` crate.
//!
//! The installer's `.exe` holds the setup loader and the compressed setup
//! headers; file data sits either in the `.exe` itself or in disk slices
//! `NAME-1.bin` … beside it. The `inno` crate (feature `extract`) parses the
//! headers of Inno Setup 5.5 to 6.4 and streams file data with its per-file
//! checksum (CRC-32, MD5, SHA-1 or SHA-256 by version) verified at the end of
//! each file.
//!
//! The crate finds slices by name beside the path it is told the installer is
//! at. airlock has already decided which files are the slices (they may differ
//! in case, or the `.exe` may have been renamed), so it links them under the
//! names the crate expects in a private temporary folder and points the crate
//! there: the crate reads exactly the files the completeness check approved.
//!
//! Every call into the crate runs inside [`contain`]: it is third-party code
//! reading hostile bytes, and it panics on at least one real installer.
//!
//! The slice layout (chunk offsets and sizes, slice numbers) comes from those
//! headers too: its arithmetic is checked (the lint below keeps it so), and a
//! layout that cannot be computed simply does not fit the slices.
#![warn(clippy::arithmetic_side_effects)]

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use inno::Inno;
use inno::header::Compression;

pub(crate) mod choice;
pub(crate) mod info;
mod newer;
pub(crate) mod password;
pub(crate) mod slice_header;

use crate::contain::contain;
use crate::error::{Error, Result};
use crate::payload::{Checksum, Entry, EntryKind, EntrySink};
use crate::progress::Cancel;
use info::{InnoSetupInfo, describe, file_conditions};

/// The decoder's name in messages.
const DECODER: &str = "Inno Setup (inno crate)";

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
    pub loader: Option<crate::exe_size::LoaderTable>,
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
    let label = file_label(exe);
    contain(&label, DECODER, || {
        let file = File::open(exe).map_err(|e| Error::io(exe, e))?;
        let inno = match Inno::new(BufReader::new(file)) {
            Ok(inno) => inno,
            Err(inno::error::InnoError::NotInnoFile) => return Ok(None),
            Err(e) => return Err(newer::header_error(exe, &label, e)),
        };
        Ok(Some(info_of(&inno)))
    })
}

fn info_of<R: Read + std::io::Seek>(inno: &Inno<R>) -> InnoInfo {
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
        loader: crate::exe_size::LoaderTable::of(inno.setup_loader()),
    }
}

/// Refuses installers whose data this build cannot decode, before any work.
fn ensure_decodable(info: &InnoInfo, label: &str) -> Result<()> {
    match info.compression {
        Compression::Stored | Compression::Zlib | Compression::BZip2 | Compression::LZMA1 | Compression::LZMA2 => {
            Ok(())
        }
        other => Err(Error::payload(
            label,
            format!(
                "Inno Setup {} data: the installer uses {other} compression, which airlock cannot decode (it reads stored, zlib, BZip2, LZMA and LZMA2); run the installer on Windows",
                info.version
            ),
        )),
    }
}

/// An installer opened for listing or extraction, with its slices linked
/// under the names the crate looks for.
struct Opened {
    inno: Inno<BufReader<File>>,
    info: InnoInfo,
    /// Keeps the folder of slice links alive while the crate reads them.
    _links: Option<tempfile::TempDir>,
}

fn open(exe: &Path, slices: &[PathBuf]) -> Result<Opened> {
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
        Ok(Opened { inno, info, _links: links })
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
        symlink(&target, &link).map_err(|e| Error::io(&link, e))?;
    }
    Ok(dir)
}

/// The name slice `index` (0-based) is linked under, in the crate's own
/// naming (`airlock-N.bin`, or `airlock-Na.bin` with several slices a disk).
fn link_name(index: usize, slices_per_disk: u32) -> String {
    let index = u32::try_from(index).unwrap_or(u32::MAX);
    match crate::naming::slice_number(index, slices_per_disk) {
        Some(number) if slices_per_disk > 1 => crate::naming::lettered_name("airlock", number),
        _ => format!("airlock-{}.bin", index.saturating_add(1)),
    }
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(windows)]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    // Hard links need no privilege on Windows, unlike symbolic links.
    std::fs::hard_link(target, link)
}

/// The files the installer would install, in its entry order.
///
/// The second value maps each returned entry to the installer's file-entry index.
/// A `password` given for an encrypted installer is checked here (listing
/// itself needs none: only file data is encrypted).
pub(crate) fn list(exe: &Path, slices: &[PathBuf], password: Option<&str>) -> Result<Vec<Entry>> {
    let mut opened = open(exe, slices)?;
    let label = file_label(exe);
    contain(&label, DECODER, || {
        password::unlock(&mut opened.inno, &opened.info, password, &label, false)?;
        Ok(entries_of(&opened.inno).0)
    })
}

/// The files, as [`list`], and the installer as a whole.
pub(crate) fn list_described(
    exe: &Path,
    slices: &[PathBuf],
    password: Option<&str>,
) -> Result<(Vec<Entry>, InnoSetupInfo)> {
    let mut opened = open(exe, slices)?;
    let label = file_label(exe);
    contain(&label, DECODER, || {
        password::unlock(&mut opened.inno, &opened.info, password, &label, false)?;
        Ok((entries_of(&opened.inno).0, describe(&opened.inno, &opened.info)))
    })
}

fn entries_of<R: Read + std::io::Seek>(inno: &Inno<R>) -> (Vec<Entry>, Vec<usize>) {
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

/// Streams every selected file entry into `sink`, in installer order.
///
/// An Inno Setup data chunk is one compressed stream (one per installer when
/// solid), so decoding is sequential; the crate holds nothing larger than its
/// block buffer, so memory stays flat whatever the file sizes.
pub(crate) fn extract(
    exe: &Path,
    slices: &[PathBuf],
    password: Option<&str>,
    selected: &[bool],
    sink: &dyn EntrySink,
    cancel: &Cancel,
) -> Result<()> {
    let label = file_label(exe);
    let mut opened = open(exe, slices)?;
    ensure_decodable(&opened.info, &label)?;
    contain(&label, DECODER, || password::unlock(&mut opened.inno, &opened.info, password, &label, true))?;
    let (_, indices) = contain(&label, DECODER, || Ok(entries_of(&opened.inno)))?;
    let plan =
        DecodePlan::new(&indices, selected, |theirs| opened.inno.file_entries().get(theirs).map(|f| f.location()));
    if plan.wanted.is_empty() {
        return Ok(());
    }
    let links = opened._links.as_ref().map(|dir| dir.path().to_path_buf());
    // The crate reads the parts itself: a device error from it is located
    // by re-reading them (once, after the failure) to name part and offset.
    let parts: Vec<PathBuf> = std::iter::once(exe.to_path_buf()).chain(slices.iter().cloned()).collect();
    contain(&label, DECODER, || {
        let mut files = opened.inno.streaming_files(|e| plan.wanted.contains_key(&e.index()));
        while let Some(next) = files.next() {
            cancel.check()?;
            let (extract_entry, mut reader) = next.map_err(|e| {
                let fault = match &e {
                    inno::error::InnoError::Io(io) => located(&parts, io),
                    _ => None,
                };
                match fault {
                    Some(fault) => crate::read_fault::to_error(&fault),
                    None => data_error(&label, &e, links.as_deref(), slices, opened.info.slices_per_disk),
                }
            })?;
            let ours = plan.wanted[&extract_entry.index()];
            let mut checked = CheckedRead { inner: &mut reader, parts: &parts };
            sink.file(ours, &mut checked)?;
            for &copy in plan.copies.get(&ours).map_or(&[][..], Vec::as_slice) {
                cancel.check()?;
                sink.duplicate(copy, ours)?;
            }
        }
        Ok(())
    })
}

/// Which file entries to ask the crate for: the first selected entry of each
/// data location. The others that install the same location (one source
/// file listed twice in `[Files]`) are produced from the first one's bytes,
/// so each location is decoded once: asking the crate for both would make it
/// restart a solid chunk from its beginning for the second.
struct DecodePlan {
    /// The crate's file-entry index → ours, for the entries to decode.
    wanted: std::collections::HashMap<usize, usize>,
    /// Ours (decoded) → ours (the other entries with the same data).
    copies: std::collections::HashMap<usize, Vec<usize>>,
}

impl DecodePlan {
    fn new(indices: &[usize], selected: &[bool], location_of: impl Fn(usize) -> Option<u32>) -> Self {
        let mut wanted = std::collections::HashMap::new();
        let mut copies: std::collections::HashMap<usize, Vec<usize>> = std::collections::HashMap::new();
        let mut first_of_location: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
        for (ours, &theirs) in indices.iter().enumerate() {
            if !selected.get(ours).copied().unwrap_or(false) {
                continue;
            }
            match location_of(theirs).map(|location| (location, first_of_location.get(&location).copied())) {
                Some((_, Some(first))) => copies.entry(first).or_default().push(ours),
                Some((location, None)) => {
                    first_of_location.insert(location, ours);
                    wanted.insert(theirs, ours);
                }
                None => {
                    wanted.insert(theirs, ours);
                }
            }
        }
        DecodePlan { wanted, copies }
    }
}

/// A data error that names the slices as the user knows them, not the
/// private links the crate read them through (a temporary path means nothing
/// to the user and is gone by the time they read it).
fn data_error(
    label: &str,
    error: &inno::error::InnoError,
    links: Option<&Path>,
    slices: &[PathBuf],
    slices_per_disk: u32,
) -> Error {
    let mut text = error.to_string();
    if let Some(dir) = links {
        for (index, slice) in slices.iter().enumerate().rev() {
            let link = dir.join(link_name(index, slices_per_disk));
            let name = slice.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            text = text.replace(&link.display().to_string(), &name);
        }
        text = text.replace(&dir.display().to_string(), "the set's folder");
    }
    Error::payload(label, format!("the installer's data cannot be read: {text}"))
}

/// Marks the crate's checksum mismatches so the sink reports them as
/// integrity failures rather than decoding failures.
struct CheckedRead<'a, R> {
    inner: &'a mut R,
    /// The installer and its slices, to locate a device error in.
    parts: &'a [PathBuf],
}

/// Where a device error the crate returned happened, if it was one.
fn located(parts: &[PathBuf], error: &std::io::Error) -> Option<crate::read_fault::PartReadError> {
    crate::read_fault::is_device_error(error).then(|| crate::read_fault::locate(parts)).flatten()
}

impl<R: Read> Read for CheckedRead<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf).map_err(|e| {
            if let Some(fault) = located(self.parts, &e) {
                return std::io::Error::new(e.kind(), fault);
            }
            let text = e.to_string();
            if text.to_ascii_lowercase().contains("checksum") {
                std::io::Error::new(std::io::ErrorKind::InvalidData, crate::payload::ChecksumMismatch(text))
            } else {
                e
            }
        })
    }
}

/// Reads `len` bytes at `offset` of `path`.
pub(crate) fn read_at(path: &Path, offset: u64, len: usize) -> std::io::Result<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    let file = File::open(path)?;
    let mut buf = vec![0u8; len];
    file.read_exact_at(&mut buf, offset)?;
    Ok(buf)
}

fn file_label(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
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
    fn each_data_location_is_decoded_once_for_every_entry_that_installs_it() {
        // Our entries 0..4 are the crate's 10..14; 11 and 13 share location 7
        // with 10; 12 is not selected.
        let locations = [7, 7, 8, 7, 9];
        let plan = DecodePlan::new(&[10, 11, 12, 13, 14], &[true, true, false, true, true], |theirs| {
            locations.get(theirs - 10).copied()
        });
        let mut wanted: Vec<_> = plan.wanted.iter().map(|(t, o)| (*t, *o)).collect();
        wanted.sort();
        assert_eq!(wanted, [(10, 0), (14, 4)]);
        assert_eq!(plan.copies.get(&0), Some(&vec![1, 3]));
        // Without the first one selected, the next one of its location is decoded.
        let plan = DecodePlan::new(&[10, 11, 13], &[false, true, true], |_| Some(7));
        assert_eq!(plan.wanted.get(&11), Some(&1));
        assert_eq!(plan.copies.get(&1), Some(&vec![2]));
    }

    #[test]
    fn a_file_that_is_not_an_installer_probes_as_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.exe");
        std::fs::write(&path, b"MZ not really").unwrap();
        assert!(probe(&path).unwrap().is_none());
    }
}
