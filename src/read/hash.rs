//! SHA-256 of the parts, side by side.
#![warn(clippy::arithmetic_side_effects)]
//!
//! SHA-256 is sequential within a file, so the parallelism comes from hashing
//! parts at the same time on a rayon pool the caller sizes (`--threads`;
//! `0` lets rayon decide, which honours `RAYON_NUM_THREADS`). Parts are
//! scheduled largest first so one big part does not start last.
//!
//! # read or mmap ([`PartAccess`])
//! A part already in the page cache is hashed straight from a memory map: on
//! Linux 6.x the page cache holds large folios, which map for almost nothing,
//! while a read copies every byte once more. 3.2 GB of warm 512 MiB parts on
//! 2 cores (hyperfine, same run): 1.462 s mapped against 1.625 s read; one
//! thread, 1.5 GB: 0.005–0.01 s of system time per GB mapped against
//! 0.13–0.2 s read in 256 KiB–4 MiB blocks.
//!
//! A part that is not (wholly) cached is read in [`READ_BUFFER`] blocks with
//! `POSIX_FADV_SEQUENTIAL`: faulting a map in from the disk reads ahead less
//! well than `read` does (the same 3.2 GB cold: 3.70 s mapped against
//! 3.38 s read). [`PartAccess::Auto`], the default, asks the kernel which
//! case it is ([`platform::cached_fraction`](crate::platform::cached_fraction))
//! part by part; where it cannot tell, it reads.
//!
//! Maps are hashed 4 MiB at a time, each block populated in one call
//! (`MADV_POPULATE_READ`) and unmapped once hashed, so resident memory stays
//! at a few blocks per thread. Mapping a file that another process truncates
//! raises `SIGBUS` (the binary turns it into a clear error; see
//! `exit_on_mapped_read_fault`); [`PartAccess::Read`] (`--no-mmap`) never
//! maps.
//!
//! # Removable media ([`hash_files`])
//! Parts are hashed side by side, one per thread, largest first: where the
//! hash is the limit (the page cache, an SSD) that is what uses every core.
//! A USB stick or disk, a DVD or a card is the limit itself, and reading two
//! parts at once makes it seek between them. So parts that sit on removable
//! media ([`platform::removable_media`](crate::platform::removable_media))
//! and are not in the cache are hashed one after the other, in the order
//! given (the set's, which is the order a copy wrote them in), each read by
//! a thread of its own a few blocks ahead of the hash, so the device is
//! never left waiting for the hash and never asked for two places at once.
//! One core hashes faster than such a device reads (1.5 GB/s and more
//! against a few hundred MB/s). `--threads 1` asks for one part at a time
//! anywhere.
//!
//! The `sha2` crate picks its compression function at run time; [`sha256_backend`]
//! says which one this CPU gets, so a slow machine can be told apart from a
//! slow build.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::vocab::error::{Error, Result};
use crate::vocab::progress::{Cancel, Item, Progress};

/// Parts at least this long are memory-mapped; below it a read is as cheap.
pub const MMAP_THRESHOLD: u64 = 64 * 1024;

/// The share of a part that must be in the page cache for
/// [`PartAccess::Auto`] to map it: a few evicted pages cost little mapped,
/// a mostly cold part reads faster.
const MAP_WHEN_CACHED: f64 = 0.95;

/// Block size of the read path: small enough to stay in L2 cache between the
/// kernel's copy and the hash (256 KiB measured 4–8% faster than 1–4 MiB).
pub const READ_BUFFER: usize = 1 << 18;

/// Block size of the read-ahead on removable media: the read path's, which
/// stays in L2 cache between the copy and the hash. The requests the device
/// sees are the system's own read-ahead's, which the sequential advice
/// enlarges. `benches/hashing.rs`, parts dropped from the cache, 2 cores,
/// against one thread reading and hashing in turns in the same run: 233
/// against 252 ms with 256 KiB blocks; 385 against 327 ms with 4 MiB ones.
const AHEAD_BLOCK: usize = READ_BUFFER;

/// Blocks the read-ahead may be ahead of the hash (beside the one being
/// read and the one being hashed): 2 MiB.
const AHEAD_BLOCKS: usize = 8;

/// A SHA-256 digest.
pub type Digest256 = [u8; 32];

/// How a part's bytes reach the hash; see the module docs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum PartAccess {
    /// Map a part that the page cache holds, read any other (the default).
    #[default]
    Auto,
    /// Map every part of at least 64 KiB (`--mmap`); smaller ones are read.
    Map,
    /// Never map (`--no-mmap`): immune to a part being truncated meanwhile.
    Read,
}

/// How parts are read while hashing. The default uses all cores and maps
/// parts that are already cached ([`PartAccess::Auto`]).
#[derive(Clone, Copy, Debug, Default)]
#[non_exhaustive]
pub struct HashOptions {
    /// Worker threads; `0` lets rayon decide (all cores, or `RAYON_NUM_THREADS`).
    pub threads: usize,
    /// Whether parts are mapped or read (see the module docs).
    pub access: PartAccess,
    /// Hash at a lower priority than the process's other threads: set by
    /// extraction, whose decoder should not take turns with the hashes.
    pub(crate) background: bool,
}

impl HashOptions {
    /// Worker threads; `0` lets rayon decide. Never more than there are
    /// files to hash.
    #[must_use]
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = threads;
        self
    }

    /// Whether parts are mapped or read.
    #[must_use]
    pub fn access(mut self, access: PartAccess) -> Self {
        self.access = access;
        self
    }

    /// The same, hashing at a lower priority than the caller's other threads
    /// (see [`crate::platform::lower_thread_priority`]).
    #[must_use]
    pub(crate) fn in_background(mut self) -> Self {
        self.background = true;
        self
    }
}

/// Which SHA-256 implementation `sha2` runs on this CPU.
pub fn sha256_backend() -> &'static str {
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    {
        cpufeatures::new!(shani, "sha", "sse4.1");
        if shani::get() { "x86 SHA extensions (SHA-NI)" } else { "portable software" }
    }
    #[cfg(target_arch = "aarch64")]
    {
        cpufeatures::new!(sha2_hwcap, "sha2");
        if sha2_hwcap::get() { "ARMv8 SHA2 instructions" } else { "portable software" }
    }
    #[cfg(not(any(target_arch = "x86", target_arch = "x86_64", target_arch = "aarch64")))]
    {
        "portable software"
    }
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// Parses 64 hex digits (either case) into a digest.
pub fn parse_hex(text: &str) -> Option<Digest256> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(text.trim(), &mut out).ok()?;
    Some(out)
}

/// Hashes every file in `paths` on a pool of `options.threads` threads.
///
/// Returns one result per path, in the order given: a file that cannot be
/// read fails alone, and the others are still hashed. `progress` hears of
/// `paths[i]` as [`Item::Part`]`(i)`.
pub fn hash_files(
    paths: &[PathBuf],
    options: HashOptions,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Vec<Result<Digest256>> {
    hash_files_as(paths, Item::Part, options, progress, cancel)
}

/// [`hash_files`], `progress` hearing of `paths[i]` as `item(i)`: for a
/// caller hashing some of a task's parts (stage: the parts already on the
/// media), each under the item it is in the whole task.
pub(crate) fn hash_files_as(
    paths: &[PathBuf],
    item: impl Fn(usize) -> Item + Sync,
    options: HashOptions,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Vec<Result<Digest256>> {
    let in_turn: Vec<bool> = paths.iter().map(|path| device_bound(path, options.access)).collect();
    hash_in_jobs(paths, &in_turn, item, options, progress, cancel)
}

/// [`hash_files_as`] once it is known which parts are read from removable
/// media (`in_turn[i]`): those one after the other, in the order given, as
/// one job; every other part as a job of its own, largest first.
fn hash_in_jobs(
    paths: &[PathBuf],
    in_turn: &[bool],
    item: impl Fn(usize) -> Item + Sync,
    options: HashOptions,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Vec<Result<Digest256>> {
    use rayon::prelude::*;

    let sizes: Vec<u64> = paths.iter().map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)).collect();
    let (in_turn, mut side_by_side): (Vec<usize>, Vec<usize>) =
        (0..paths.len()).partition(|&i| in_turn.get(i).copied().unwrap_or(false));
    side_by_side.sort_by_key(|&i| std::cmp::Reverse(sizes[i]));
    let jobs: Vec<(&[usize], Reading)> = std::iter::once((in_turn.as_slice(), Reading::Ahead))
        .filter(|(parts, _)| !parts.is_empty())
        .chain(side_by_side.chunks(1).map(|part| (part, Reading::Plain)))
        .collect();

    let item = &item;
    let run = || {
        let mut results: Vec<(usize, Result<Digest256>)> = jobs
            .par_iter()
            .flat_map_iter(|&(parts, reading)| {
                parts
                    .iter()
                    .map(move |&i| (i, hash_part(&paths[i], item(i), options.access, reading, progress, cancel)))
            })
            .collect();
        results.sort_by_key(|(i, _)| *i);
        results.into_iter().map(|(_, r)| r).collect()
    };

    // One thread per job at most: more would only sit idle.
    let wanted = if options.threads == 0 { rayon::current_num_threads() } else { options.threads };
    let mut pool = rayon::ThreadPoolBuilder::new().num_threads(wanted.min(jobs.len()).max(1));
    if options.background {
        pool = pool.start_handler(|_| crate::platform::lower_thread_priority());
    }
    match pool.build() {
        Ok(pool) => pool.install(run),
        // A pool that cannot start threads still leaves the global pool.
        Err(_) => run(),
    }
}

/// Whether `path` is read at the speed of its device rather than of the
/// hash: on removable media and not (wholly) in the cache. A part the
/// caller wants mapped ([`PartAccess::Map`]) is hashed as asked.
fn device_bound(path: &Path, access: PartAccess) -> bool {
    if access == PartAccess::Map || crate::platform::removable_media(path) != Some(true) {
        return false;
    }
    let cached = File::open(path)
        .ok()
        .and_then(|file| map(&file))
        .and_then(|map| crate::platform::cached_fraction(&map))
        .is_some_and(|cached| cached >= MAP_WHEN_CACHED);
    !cached
}

/// The hashing of parts on removable media, for `benches/hashing.rs`.
#[cfg(feature = "benching")]
pub mod benching {
    use std::path::PathBuf;

    use super::{Digest256, HashOptions, hash_in_jobs};
    use crate::vocab::error::Result;
    use crate::vocab::progress::{Cancel, Item, NoProgress};

    /// Hashes `paths` as [`crate::hash_files`] hashes parts on removable
    /// media: one after the other, each read ahead of the hash.
    pub fn hash_in_turn(paths: &[PathBuf]) -> Vec<Result<Digest256>> {
        let in_turn = vec![true; paths.len()];
        hash_in_jobs(paths, &in_turn, Item::Part, HashOptions::default(), &NoProgress, &Cancel::new())
    }

    /// Drops `path`'s pages from the page cache, so its next read comes
    /// from the device (`POSIX_FADV_DONTNEED`; nothing on Windows).
    pub fn forget_cached(path: &std::path::Path) {
        if let Ok(file) = std::fs::File::open(path) {
            crate::platform::forget_cached_pages(&file);
        }
    }
}

/// How a part that is not mapped is read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// By the hashing thread, in [`READ_BUFFER`] blocks.
    Plain,
    /// By a thread of its own, ahead of the hash ([`hash_read_ahead`]).
    Ahead,
}

/// SHA-256 of one file, reporting progress per block (the file is
/// [`Item::Part`]`(0)`).
pub fn hash_file(path: &Path, access: PartAccess, progress: &dyn Progress, cancel: &Cancel) -> Result<Digest256> {
    hash_part(path, Item::Part(0), access, Reading::Plain, progress, cancel)
}

/// SHA-256 of one file, reported to `progress` as `item` (started once,
/// finished once, also when the hashing fails).
fn hash_part(
    path: &Path,
    item: Item,
    access: PartAccess,
    reading: Reading,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<Digest256> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    progress.item_started(item, &name, len);
    let digest = hash_started(&file, path, len, item, access, reading, progress, cancel);
    progress.item_finished(item);
    digest
}

/// The hashing `hash_part` started, up to the size check at the end.
#[allow(clippy::too_many_arguments)]
fn hash_started(
    file: &File,
    path: &Path,
    len: u64,
    item: Item,
    access: PartAccess,
    reading: Reading,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<Digest256> {
    let map = match access {
        _ if reading == Reading::Ahead => None,
        PartAccess::Read => None,
        _ if len < MMAP_THRESHOLD => None,
        PartAccess::Map => map(file),
        PartAccess::Auto => map(file)
            .filter(|map| crate::platform::cached_fraction(map).is_some_and(|cached| cached >= MAP_WHEN_CACHED)),
    };
    let digest = match (map, reading) {
        (Some(map), _) => hash_mapped(&map, item, progress, cancel)?,
        (None, Reading::Plain) => hash_read(file, path, item, progress, cancel)?,
        (None, Reading::Ahead) => hash_read_ahead(file, path, item, progress, cancel)?,
    };
    // A part that another process shortened or extended while it was read
    // has no meaningful hash.
    let after = std::fs::metadata(path).map_err(|e| Error::io(path, e))?.len();
    if after != len {
        return Err(Error::io(
            path,
            std::io::Error::other(format!(
                "changed size from {len} to {after} bytes while it was being read; make sure nothing writes to the set and run again"
            )),
        ));
    }
    Ok(digest)
}

fn map(file: &File) -> Option<memmap2::Mmap> {
    // SAFETY: the map is read-only and private; see the module docs for the
    // truncation (SIGBUS) caveat that `PartAccess::Read` avoids.
    unsafe { memmap2::Mmap::map(file) }.ok()
}

fn hash_mapped(map: &memmap2::Mmap, item: Item, progress: &dyn Progress, cancel: &Cancel) -> Result<Digest256> {
    const BLOCK: usize = 4 << 20;
    // Advice is a hint: the hash is right whether or not the kernel takes it.
    // Given here, not in `map`, so a map `PartAccess::Auto` drops gets none.
    crate::platform::advise_map_sequential(map);
    let mut hasher = Sha256::new();
    for (index, block) in map.chunks(BLOCK).enumerate() {
        cancel.check()?;
        // One call maps the block's pages instead of one page fault per 4 KiB
        // (Linux 5.14+; elsewhere, or if refused, the faults happen as usual).
        crate::platform::populate_map(map, index.saturating_mul(BLOCK), block.len());
        hasher.update(block);
        progress.advance(item, block.len() as u64);
        // Hashed pages are not needed again: unmapping them keeps resident
        // memory at a few blocks per thread instead of the whole part.
        // SAFETY: a read-only private map of a file; dropped pages would only
        // be faulted in again from the file.
        // index * BLOCK is the block's offset inside the map: it never saturates.
        let at = index.saturating_mul(BLOCK);
        crate::platform::forget_map_range(map, at, block.len());
    }
    Ok(hasher.finalize().into())
}

/// SHA-256 of `path` as the device holds it (`platform::open_uncached`),
/// for a read-back after a copy.
/// Reports no progress: its one caller, the stage read-back, reads inside
/// an item of its own task whose bytes were counted as they were copied.
pub(crate) fn hash_uncached(path: &Path, cancel: &Cancel) -> Result<Digest256> {
    let reader = crate::platform::open_uncached(path).map_err(|e| Error::io(path, e))?;
    hash_stream(reader, path, Item::Part(0), &crate::vocab::progress::NoProgress, cancel)
}

fn hash_read(file: &File, path: &Path, item: Item, progress: &dyn Progress, cancel: &Cancel) -> Result<Digest256> {
    crate::platform::advise_sequential(file);
    hash_stream(file, path, item, progress, cancel)
}

/// [`hash_read`] with the reads on a thread of their own, [`AHEAD_BLOCKS`]
/// blocks of [`AHEAD_BLOCK`] ahead of the hash: the device always has a
/// large request to serve while the hash works on the last one. The reader
/// stops at the file's end, at its first error (handed on as the hash's),
/// or when the hash stops taking blocks (cancelled, or failed).
fn hash_read_ahead(
    file: &File,
    path: &Path,
    item: Item,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<Digest256> {
    crate::platform::advise_sequential(file);
    hash_ahead(file, path, item, progress, cancel)
}

/// [`hash_read_ahead`] of any reader.
fn hash_ahead(
    mut reader: impl Read + Send,
    path: &Path,
    item: Item,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<Digest256> {
    let (to_hash, blocks) = std::sync::mpsc::sync_channel::<std::io::Result<Vec<u8>>>(AHEAD_BLOCKS);
    let (give_back, spare) = std::sync::mpsc::channel::<Vec<u8>>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            loop {
                let mut block = spare.try_recv().unwrap_or_default();
                block.resize(AHEAD_BLOCK, 0);
                let (filled, failed) = fill(&mut reader, &mut block);
                block.truncate(filled);
                // The bytes before an error are the file's: hashed, so the
                // error is placed where it happened.
                if filled > 0 && to_hash.send(Ok(block)).is_err() {
                    break;
                }
                if let Some(error) = failed {
                    let _ = to_hash.send(Err(error));
                    break;
                }
                if filled < AHEAD_BLOCK {
                    break;
                }
            }
        });
        // Owned here, so returning drops it before the scope waits for the
        // reader: a reader waiting to send then sees it and stops.
        let blocks = blocks;
        let mut hasher = Sha256::new();
        let mut offset = 0u64;
        loop {
            cancel.check()?;
            let block = match blocks.recv() {
                Ok(Ok(block)) => block,
                Ok(Err(e)) => return Err(Error::io(path, crate::read::read_fault::at(path, offset, e))),
                // The reader is done: the file ended.
                Err(_) => break,
            };
            offset = offset.saturating_add(block.len() as u64); // bytes of one file
            hasher.update(&block);
            progress.advance(item, block.len() as u64);
            let _ = give_back.send(block);
        }
        Ok(hasher.finalize().into())
    })
}

/// Reads until `block` is full, the file ends or a read fails: how many
/// bytes were read, and the error if one stopped it.
fn fill(reader: &mut impl Read, block: &mut [u8]) -> (usize, Option<std::io::Error>) {
    let mut filled = 0;
    while filled < block.len() {
        match reader.read(&mut block[filled..]) {
            Ok(0) => break,
            Ok(n) => filled = filled.saturating_add(n), // n <= what was left of the block
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return (filled, Some(e)),
        }
    }
    (filled, None)
}

fn hash_stream(
    mut file: impl Read,
    path: &Path,
    item: Item,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<Digest256> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; READ_BUFFER];
    let mut offset = 0u64;
    loop {
        cancel.check()?;
        let n = match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::io(path, crate::read::read_fault::at(path, offset, e))),
        };
        offset = offset.saturating_add(n as u64); // bytes of one file
        hasher.update(&buffer[..n]);
        progress.advance(item, n as u64);
    }
    Ok(hasher.finalize().into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::progress::NoProgress;

    const ABC: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    #[test]
    fn hex_round_trips() {
        let digest = parse_hex(ABC).unwrap();
        assert_eq!(hex(&digest), ABC);
        assert_eq!(parse_hex(&ABC.to_uppercase()).unwrap(), digest);
        assert!(parse_hex("abc").is_none());
        assert!(parse_hex(&"g".repeat(64)).is_none());
    }

    #[test]
    fn mapped_and_read_paths_agree_and_match_known_values() {
        let dir = tempfile::tempdir().unwrap();
        let small = dir.path().join("small");
        std::fs::write(&small, b"abc").unwrap();
        let big = dir.path().join("big");
        let content: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
        std::fs::write(&big, &content).unwrap();
        let expected_big: Digest256 = Sha256::digest(&content).into();

        let cancel = Cancel::new();
        for access in [PartAccess::Auto, PartAccess::Map, PartAccess::Read] {
            assert_eq!(hex(&hash_file(&small, access, &NoProgress, &cancel).unwrap()), ABC);
            assert_eq!(hash_file(&big, access, &NoProgress, &cancel).unwrap(), expected_big);
        }
        let all = hash_files(
            &[big.clone(), small.clone(), dir.path().join("missing")],
            HashOptions { threads: 2, access: PartAccess::Map, background: false },
            &NoProgress,
            &cancel,
        );
        assert_eq!(all[0].as_ref().unwrap(), &expected_big);
        assert_eq!(hex(all[1].as_ref().unwrap()), ABC);
        assert_eq!(all[2].as_ref().unwrap_err().kind(), crate::ErrorKind::Io);
    }

    #[test]
    fn a_cancelled_hash_stops_with_interrupted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, vec![0u8; 200_000]).unwrap();
        let cancel = Cancel::new();
        cancel.cancel();
        let error = hash_file(&path, PartAccess::Map, &NoProgress, &cancel).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Interrupted);
    }

    fn part(item: Item) -> usize {
        match item {
            Item::Part(i) => i,
            Item::Entry(_) => panic!("hashing reports parts"),
        }
    }

    /// Which parts started and finished, in order.
    #[derive(Default)]
    struct Events(std::sync::Mutex<Vec<(char, usize)>>, std::sync::atomic::AtomicU64);

    impl Progress for Events {
        fn item_started(&self, item: Item, _name: &str, _size: u64) {
            self.0.lock().unwrap().push(('S', part(item)));
        }
        fn advance(&self, _item: Item, bytes: u64) {
            self.1.fetch_add(bytes, std::sync::atomic::Ordering::Relaxed);
        }
        fn item_finished(&self, item: Item) {
            self.0.lock().unwrap().push(('F', part(item)));
        }
    }

    #[test]
    fn parts_on_removable_media_are_hashed_one_after_the_other_in_the_order_given() {
        let dir = tempfile::tempdir().unwrap();
        // Not in size order: side by side, the largest (1) would start first.
        let sizes = [300_000usize, 9_000_000, 5_000_000, 700_000];
        let paths: Vec<PathBuf> = sizes
            .iter()
            .enumerate()
            .map(|(i, &size)| {
                let path = dir.path().join(format!("part{i}"));
                std::fs::write(&path, vec![i as u8; size]).unwrap();
                path
            })
            .collect();
        let expected: Vec<Digest256> =
            sizes.iter().enumerate().map(|(i, &n)| Sha256::digest(vec![i as u8; n]).into()).collect();
        let options = HashOptions { threads: 2, access: PartAccess::Auto, background: false };

        let events = Events::default();
        let digests = hash_in_jobs(&paths, &[true; 4], Item::Part, options, &events, &Cancel::new());
        let digests: Vec<Digest256> = digests.into_iter().map(Result::unwrap).collect();
        assert_eq!(digests, expected);
        let order = events.0.into_inner().unwrap();
        assert_eq!(order, [('S', 0), ('F', 0), ('S', 1), ('F', 1), ('S', 2), ('F', 2), ('S', 3), ('F', 3)]);
        assert_eq!(events.1.into_inner(), sizes.iter().sum::<usize>() as u64);

        // Parts 0 and 2 on removable media, 1 and 3 not: 0 and 2 never
        // overlap and keep their order, whatever the others do beside them.
        let events = Events::default();
        let digests = hash_in_jobs(&paths, &[true, false, true, false], Item::Part, options, &events, &Cancel::new());
        assert_eq!(digests.into_iter().map(Result::unwrap).collect::<Vec<_>>(), expected);
        let order: Vec<(char, usize)> =
            events.0.into_inner().unwrap().into_iter().filter(|&(_, i)| i == 0 || i == 2).collect();
        assert_eq!(order, [('S', 0), ('F', 0), ('S', 2), ('F', 2)]);
    }

    #[test]
    fn the_read_ahead_hashes_every_byte_across_its_blocks() {
        let cancel = Cancel::new();
        for len in [0, 1, AHEAD_BLOCK - 1, AHEAD_BLOCK, AHEAD_BLOCK + 1, 2 * AHEAD_BLOCK + 5] {
            let content: Vec<u8> = (0..len).map(|i| (i % 253) as u8).collect();
            let events = Events::default();
            let digest = hash_ahead(&content[..], Path::new("p"), Item::Part(0), &events, &cancel).unwrap();
            assert_eq!(digest, <[u8; 32]>::from(Sha256::digest(&content)), "{len} bytes");
            assert_eq!(events.1.into_inner(), len as u64);
        }
    }

    /// Yields `left` bytes, then fails as a device does.
    struct FailsAfter {
        left: usize,
    }

    impl Read for FailsAfter {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            if self.left == 0 {
                return Err(crate::platform::device_error());
            }
            let n = out.len().min(self.left);
            self.left = self.left.saturating_sub(n);
            Ok(n)
        }
    }

    #[test]
    fn the_read_aheads_error_is_the_hashs_after_the_bytes_before_it() {
        let events = Events::default();
        let good = AHEAD_BLOCK + 1000;
        let error =
            hash_ahead(FailsAfter { left: good }, Path::new("p"), Item::Part(0), &events, &Cancel::new()).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Io, "{error}");
        // Every byte before the error was hashed, and no more.
        assert_eq!(events.1.into_inner(), good as u64);
    }

    #[test]
    fn a_cancelled_read_ahead_stops_its_reader_too() {
        /// Cancels after the first block.
        struct CancelsOnce<'a>(&'a Cancel);
        impl Progress for CancelsOnce<'_> {
            fn advance(&self, _item: Item, _bytes: u64) {
                self.0.cancel();
            }
        }
        let cancel = Cancel::new();
        // An endless reader: only the cancel ends this, and the reader thread
        // must see that the hash stopped taking blocks, or the scope never ends.
        let error =
            hash_ahead(std::io::repeat(7), Path::new("p"), Item::Part(0), &CancelsOnce(&cancel), &cancel).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Interrupted);
    }

    #[test]
    fn the_backend_is_named() {
        assert!(!sha256_backend().is_empty());
    }
}
