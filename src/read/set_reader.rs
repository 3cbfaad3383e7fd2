//! One `Read + Seek` view over the ordered parts of a set.
//!
//! A self-extracting archive split as `NAME.exe ‖ NAME-1.bin ‖ …`, or 7-Zip
//! volumes `NAME.7z.001 ‖ .002 ‖ …`, is one byte stream cut into files. The 7z
//! and zip decoders want a single seekable reader; this gives them one without
//! copying the parts into a temporary file.
//!
//! Two ways to reach the bytes, chosen when the reader is opened:
//! [`SetReader::open`] memory-maps each part (reads become `memcpy` from the
//! page cache; pages a reader has read through are unmapped again in 8 MiB
//! steps so resident memory does not grow with the set), and
//! [`SetReader::open_buffered`] uses positioned reads on the open files.
//! Extraction uses positioned reads: measured faster and smaller on the
//! benchmark set (see `payload::SetOpener::open`). A part that cannot be
//! mapped falls back to positioned reads. Clones are cheap and independent:
//! each has its own position over the shared parts.
//!
//! # Safety of the maps
//! A mapping of a file another process truncates raises `SIGBUS` on access to
//! the lost pages. airlock maps only files it has just checked for size and
//! reads them read-only; the set is expected not to change while it is being
//! read, and this is documented in docs/guide.md. [`SetReader::open_buffered`]
//! avoids mapping entirely for callers who cannot accept that risk.
//!
//! # Offsets
//! Decoders seek to offsets read from hostile headers (anywhere up to
//! `u64::MAX`), so no offset arithmetic here may wrap or panic: a position past
//! the end reads as the end of the set. The lint below keeps it that way.
#![warn(clippy::arithmetic_side_effects)]

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use memmap2::Mmap;

use crate::vocab::error::{Error, Result};

/// How one part's bytes are reached.
enum Backing {
    /// Memory-mapped.
    Map(Mmap),
    /// Read with positioned reads (mapping failed, was refused, or the part is empty).
    File(File),
}

struct Segment {
    path: PathBuf,
    /// Offset of the part's first byte in the whole set.
    start: u64,
    len: u64,
    backing: Backing,
}

/// A seekable reader over a sequence of files as if they were one.
#[derive(Clone)]
pub struct SetReader {
    segments: Arc<[Segment]>,
    /// Offset in the whole set of this view's byte 0 (see [`SetReader::starting_at`]).
    base: u64,
    /// Length of this view.
    len: u64,
    pos: u64,
    /// Where this reader's sequential run began (view offset): mapped pages
    /// from here up to `pos` are released in large steps (see [`RELEASE_STEP`]).
    run_start: u64,
    /// Bytes to show instead of what the parts hold: (offset in the whole
    /// set, two bytes). Used to blank a malformed optional zip extra field
    /// (`payload::zip::extra`) without copying the archive. Usually empty.
    patches: Arc<[(u64, [u8; 2])]>,
}

/// Consumed mapped pages are handed back to the kernel in steps of this many
/// bytes: one `madvise` per step instead of one per read call.
const RELEASE_STEP: u64 = 8 << 20;

impl std::fmt::Debug for SetReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SetReader")
            .field("parts", &self.segments.len())
            .field("len", &self.len)
            .field("pos", &self.pos)
            .finish()
    }
}

impl SetReader {
    /// Opens `paths` in order, mapping each part into memory.
    pub fn open(paths: &[PathBuf]) -> Result<Self> {
        Self::open_with(paths, true)
    }

    /// Opens `paths` in order with plain positioned reads, never mapping.
    pub fn open_buffered(paths: &[PathBuf]) -> Result<Self> {
        Self::open_with(paths, false)
    }

    fn open_with(paths: &[PathBuf], map: bool) -> Result<Self> {
        let mut segments = Vec::with_capacity(paths.len());
        let mut start = 0u64;
        for path in paths {
            let file = File::open(path).map_err(|e| Error::io(path, e))?;
            let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
            let backing = if map && len > 0 {
                // SAFETY: the map is read-only and private to this process; see
                // the module docs for the truncation (SIGBUS) caveat.
                match unsafe { Mmap::map(&file) } {
                    Ok(map) => Backing::Map(map),
                    Err(_) => Backing::File(file),
                }
            } else {
                Backing::File(file)
            };
            segments.push(Segment { path: path.clone(), start, len, backing });
            start = start.checked_add(len).ok_or_else(|| {
                Error::payload(path.display().to_string(), "the parts together are longer than 2^64 bytes")
            })?;
        }
        Ok(Self { segments: segments.into(), base: 0, len: start, pos: 0, run_start: 0, patches: Arc::new([]) })
    }

    /// A view whose byte 0 is byte `offset` of this one: an archive after a
    /// self-extractor stub is read as if the stub were not there.
    pub fn starting_at(&self, offset: u64) -> SetReader {
        let offset = offset.min(self.len);
        SetReader {
            segments: Arc::clone(&self.segments),
            // base + len is at most the whole set's length, so with
            // offset <= len neither form ever saturates.
            base: self.base.saturating_add(offset),
            len: self.len.saturating_sub(offset),
            pos: 0,
            run_start: 0,
            patches: Arc::clone(&self.patches),
        }
    }

    /// This reader with `patches` (offsets relative to this view) showing
    /// instead of the bytes underneath.
    pub(crate) fn with_patches(&self, patches: &[(u64, [u8; 2])]) -> SetReader {
        let mut reader = self.clone();
        reader.patches = patches.iter().map(|(at, bytes)| (at.saturating_add(self.base), *bytes)).collect();
        reader
    }

    /// Overlays the patches on `buf`, just read from set offset `at`.
    fn apply_patches(&self, at: u64, buf: &mut [u8]) {
        for (patch_at, bytes) in self.patches.iter() {
            for (i, byte) in bytes.iter().enumerate() {
                let Some(position) = patch_at.checked_add(i as u64) else { continue };
                if let Some(index) = position.checked_sub(at).filter(|&d| d < buf.len() as u64) {
                    buf[index as usize] = *byte;
                }
            }
        }
    }

    /// Total length of all parts.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether the set has no bytes at all.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Which part holds byte `offset` of the set, and where in it.
    pub fn locate(&self, offset: u64) -> Option<(&Path, u64)> {
        let offset = offset.checked_add(self.base)?;
        let index = self.segment_at(offset)?;
        let segment = &self.segments[index];
        Some((&segment.path, offset.checked_sub(segment.start)?))
    }

    /// Reads up to `buf.len()` bytes at `offset`, without moving the cursor.
    pub fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        if offset >= self.len {
            return Ok(0);
        }
        // offset < len, and base + len never passes the set's length.
        let Some(offset) = offset.checked_add(self.base) else { return Ok(0) };
        let Some(index) = self.segment_at(offset) else {
            return Ok(0);
        };
        let segment = &self.segments[index];
        // segment_at found start <= offset < start + len.
        let Some(within) = offset.checked_sub(segment.start) else { return Ok(0) };
        let left = segment.len.saturating_sub(within);
        let available = usize::try_from(left).map_or(buf.len(), |left| left.min(buf.len()));
        let n = match &segment.backing {
            Backing::Map(map) => {
                let bytes = usize::try_from(within).ok().and_then(|from| map.get(from..)?.get(..available));
                let Some(bytes) = bytes else { return Ok(0) };
                buf[..available].copy_from_slice(bytes);
                available
            }
            Backing::File(file) => crate::platform::read_at(file, &mut buf[..available], within)
                .map_err(|e| crate::read::read_fault::at(&segment.path, within, e))?,
        };
        if !self.patches.is_empty() {
            self.apply_patches(offset, &mut buf[..n]);
        }
        Ok(n)
    }

    /// Fills `buf` from `offset`, failing if the set ends first.
    pub fn read_exact_at(&self, mut offset: u64, mut buf: &mut [u8]) -> io::Result<()> {
        while !buf.is_empty() {
            let n = self.read_at(offset, buf)?;
            if n == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            offset = offset.checked_add(n as u64).ok_or(io::ErrorKind::UnexpectedEof)?;
            buf = &mut buf[n..];
        }
        Ok(())
    }

    /// The index of the non-empty segment containing `offset` (counted from
    /// the start of the whole set, not of this view).
    fn segment_at(&self, offset: u64) -> Option<usize> {
        // The first segment starting after `offset`, minus one; empty parts
        // share their start with the next one, so skip past them.
        let first = self.segments.partition_point(|s| s.start <= offset).checked_sub(1)?;
        let holds = |s: &Segment| offset.checked_sub(s.start).is_some_and(|within| within < s.len);
        self.segments.get(first..)?.iter().position(holds).and_then(|i| i.checked_add(first))
    }
}

impl SetReader {
    /// Hands the mapped pages of view range `from..to` back to the kernel:
    /// they were copied out, and keeping them would make resident memory grow
    /// with the set's size. They stay in the page cache; a later read maps
    /// them again.
    fn release(&self, from: u64, to: u64) {
        const PAGE: u64 = 4096;
        let (Some(from), Some(to)) = (from.checked_add(self.base), to.checked_add(self.base)) else { return };
        for segment in self.segments.iter() {
            let Backing::Map(map) = &segment.backing else { continue };
            // start + len was checked when the set was opened.
            let segment_end = segment.start.saturating_add(segment.len);
            let start = from.max(segment.start).saturating_sub(segment.start);
            let end = to.min(segment_end).saturating_sub(segment.start);
            // Whole pages only: round the start up and the end down.
            let (Some(start), end) = (start.checked_next_multiple_of(PAGE), end & !(PAGE - 1)) else { continue };
            let (Ok(offset), Some(Ok(len))) = (usize::try_from(start), end.checked_sub(start).map(usize::try_from))
            else {
                continue;
            };
            if len > 0 {
                // SAFETY: a private read-only map of a file: dropping its pages
                // only makes the next access fault them in from the file again.
                crate::platform::forget_map_range(map, offset, len);
            }
        }
    }
}

impl Read for SetReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.read_at(self.pos, buf)?;
        // n > 0 only below the end of the set, so this never saturates.
        self.pos = self.pos.saturating_add(n as u64);
        if self.pos.saturating_sub(self.run_start) >= RELEASE_STEP {
            self.release(self.run_start, self.pos);
            self.run_start = self.pos;
        }
        Ok(n)
    }
}

impl Seek for SetReader {
    fn seek(&mut self, from: SeekFrom) -> io::Result<u64> {
        let target = match from {
            SeekFrom::Start(offset) => Some(offset),
            SeekFrom::End(delta) => self.len.checked_add_signed(delta),
            SeekFrom::Current(delta) => self.pos.checked_add_signed(delta),
        };
        match target {
            Some(target) => {
                // A jump starts a new sequential run.
                if target < self.run_start || target.saturating_sub(self.pos) > RELEASE_STEP {
                    self.run_start = target;
                }
                self.pos = target;
                Ok(target)
            }
            None => Err(io::Error::new(io::ErrorKind::InvalidInput, "seek before the start of the set")),
        }
    }

    fn stream_position(&mut self) -> io::Result<u64> {
        Ok(self.pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(contents: &[&[u8]]) -> (tempfile::TempDir, Vec<PathBuf>) {
        let dir = tempfile::tempdir().unwrap();
        let paths = contents
            .iter()
            .enumerate()
            .map(|(i, bytes)| {
                let path = dir.path().join(format!("p{i}"));
                std::fs::write(&path, bytes).unwrap();
                path
            })
            .collect();
        (dir, paths)
    }

    #[test]
    fn reads_across_part_boundaries_and_empty_parts() {
        let (_dir, paths) = parts(&[b"abc", b"", b"defg", b"h"]);
        for reader in [SetReader::open(&paths).unwrap(), SetReader::open_buffered(&paths).unwrap()] {
            let mut reader = reader;
            assert_eq!(reader.len(), 8);
            let mut all = Vec::new();
            reader.read_to_end(&mut all).unwrap();
            assert_eq!(all, b"abcdefgh");
            reader.seek(SeekFrom::Start(2)).unwrap();
            let mut four = [0u8; 4];
            reader.read_exact(&mut four).unwrap();
            assert_eq!(&four, b"cdef");
            reader.seek(SeekFrom::End(-1)).unwrap();
            let mut one = [0u8; 1];
            reader.read_exact(&mut one).unwrap();
            assert_eq!(&one, b"h");
            assert_eq!(reader.read(&mut one).unwrap(), 0);
            assert_eq!(reader.locate(3).unwrap().0, paths[2].as_path());
            assert_eq!(reader.locate(3).unwrap().1, 0);
        }
    }

    #[test]
    fn clones_keep_their_own_position() {
        let (_dir, paths) = parts(&[b"0123", b"4567"]);
        let mut a = SetReader::open(&paths).unwrap();
        let mut b = a.clone();
        a.seek(SeekFrom::Start(5)).unwrap();
        let mut x = [0u8; 2];
        b.read_exact(&mut x).unwrap();
        assert_eq!(&x, b"01");
        a.read_exact(&mut x).unwrap();
        assert_eq!(&x, b"56");
    }

    #[test]
    fn a_view_after_a_stub_starts_at_its_offset() {
        let (_dir, paths) = parts(&[b"stub", b"ARCH", b"IVE"]);
        let whole = SetReader::open(&paths).unwrap();
        let mut view = whole.starting_at(4);
        assert_eq!(view.len(), 7);
        let mut all = Vec::new();
        view.read_to_end(&mut all).unwrap();
        assert_eq!(all, b"ARCHIVE");
        assert_eq!(view.locate(4).unwrap(), (paths[2].as_path(), 0));
    }

    #[test]
    fn offsets_near_u64_max_read_as_the_end_without_panicking() {
        // Decoders seek wherever a hostile header points.
        let (_dir, paths) = parts(&[b"stub", b"ARCH", b"IVE"]);
        for reader in [SetReader::open(&paths).unwrap(), SetReader::open_buffered(&paths).unwrap()] {
            let mut view = reader.starting_at(4);
            let mut buf = [0u8; 16];
            for far in [u64::MAX, u64::MAX - 1, u64::MAX - RELEASE_STEP, view.len()] {
                assert_eq!(view.seek(SeekFrom::Start(far)).unwrap(), far);
                assert_eq!(view.read(&mut buf).unwrap(), 0, "at {far}");
                assert_eq!(view.read_at(far, &mut buf).unwrap(), 0, "at {far}");
                assert!(view.read_exact_at(far, &mut buf[..1]).is_err());
                assert!(view.locate(far).is_none(), "at {far}");
            }
            view.seek(SeekFrom::Start(u64::MAX)).unwrap();
            assert!(view.seek(SeekFrom::Current(1)).is_err(), "past u64::MAX");
            view.seek(SeekFrom::Start(0)).unwrap();
            view.read_exact(&mut buf[..7]).unwrap();
            assert_eq!(&buf[..7], b"ARCHIVE");
            assert!(view.starting_at(u64::MAX).is_empty());
        }
    }

    #[test]
    fn seeking_before_the_start_is_an_error() {
        let (_dir, paths) = parts(&[b"0123"]);
        let mut reader = SetReader::open(&paths).unwrap();
        assert!(reader.seek(SeekFrom::Current(-1)).is_err());
    }
}
