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
//! benchmark set (see `payload::Source::reader`). A part that cannot be
//! mapped falls back to positioned reads. Clones are cheap and independent:
//! each has its own position over the shared parts.
//!
//! # Safety of the maps
//! A mapping of a file another process truncates raises `SIGBUS` on access to
//! the lost pages. airlock maps only files it has just checked for size and
//! reads them read-only; the set is expected not to change while it is being
//! read, and this is documented in the README. [`SetReader::open_buffered`]
//! avoids mapping entirely for callers who cannot accept that risk.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use memmap2::Mmap;

use crate::error::{Error, Result};

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
    /// (`payload::zip_extra`) without copying the archive. Usually empty.
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
            start += len;
        }
        Ok(Self { segments: segments.into(), base: 0, len: start, pos: 0, run_start: 0, patches: Arc::new([]) })
    }

    /// A view whose byte 0 is byte `offset` of this one: an archive after a
    /// self-extractor stub is read as if the stub were not there.
    pub fn starting_at(&self, offset: u64) -> SetReader {
        let offset = offset.min(self.len);
        SetReader {
            segments: Arc::clone(&self.segments),
            base: self.base + offset,
            len: self.len - offset,
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
        Some((&segment.path, offset - segment.start))
    }

    /// Reads up to `buf.len()` bytes at `offset`, without moving the cursor.
    pub fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        if offset >= self.len {
            return Ok(0);
        }
        let offset = offset + self.base;
        let Some(index) = self.segment_at(offset) else {
            return Ok(0);
        };
        let segment = &self.segments[index];
        let within = offset - segment.start;
        let available = (segment.len - within).min(buf.len() as u64) as usize;
        let n = match &segment.backing {
            Backing::Map(map) => {
                let from = within as usize;
                buf[..available].copy_from_slice(&map[from..from + available]);
                available
            }
            Backing::File(file) => {
                use std::os::unix::fs::FileExt;
                file.read_at(&mut buf[..available], within)?
            }
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
            offset += n as u64;
            buf = &mut buf[n..];
        }
        Ok(())
    }

    /// The index of the non-empty segment containing `offset` (counted from
    /// the start of the whole set, not of this view).
    fn segment_at(&self, offset: u64) -> Option<usize> {
        // The first segment starting after `offset`, minus one; empty parts
        // share their start with the next one, so skip past them.
        let mut index = self.segments.partition_point(|s| s.start <= offset).checked_sub(1)?;
        while self.segments[index].len == 0 || offset >= self.segments[index].start + self.segments[index].len {
            index += 1;
            if index >= self.segments.len() {
                return None;
            }
        }
        Some(index)
    }
}

impl SetReader {
    /// Hands the mapped pages of view range `from..to` back to the kernel:
    /// they were copied out, and keeping them would make resident memory grow
    /// with the set's size. They stay in the page cache; a later read maps
    /// them again.
    fn release(&self, from: u64, to: u64) {
        const PAGE: u64 = 4096;
        let (from, to) = (from + self.base, to + self.base);
        for segment in self.segments.iter() {
            let Backing::Map(map) = &segment.backing else { continue };
            let start = from.max(segment.start) - segment.start;
            let end = to.min(segment.start + segment.len).saturating_sub(segment.start);
            let (start, end) = (start.div_ceil(PAGE) * PAGE, end / PAGE * PAGE);
            if end > start {
                // SAFETY: a private read-only map of a file: dropping its pages
                // only makes the next access fault them in from the file again.
                let _ = unsafe {
                    map.unchecked_advise_range(
                        memmap2::UncheckedAdvice::DontNeed,
                        start as usize,
                        (end - start) as usize,
                    )
                };
            }
        }
    }
}

impl Read for SetReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.read_at(self.pos, buf)?;
        self.pos += n as u64;
        if self.pos >= self.run_start + RELEASE_STEP {
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
                if target < self.run_start || target > self.pos + RELEASE_STEP {
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
    fn seeking_before_the_start_is_an_error() {
        let (_dir, paths) = parts(&[b"0123"]);
        let mut reader = SetReader::open(&paths).unwrap();
        assert!(reader.seek(SeekFrom::Current(-1)).is_err());
    }
}
