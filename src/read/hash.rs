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
//! The `sha2` crate picks its compression function at run time; [`sha256_backend`]
//! says which one this CPU gets, so a slow machine can be told apart from a
//! slow build.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::vocab::error::{Error, Result};
use crate::vocab::progress::{Cancel, Progress};

/// Parts at least this long are memory-mapped; below it a read is as cheap.
pub const MMAP_THRESHOLD: u64 = 64 * 1024;

/// The share of a part that must be in the page cache for
/// [`PartAccess::Auto`] to map it: a few evicted pages cost little mapped,
/// a mostly cold part reads faster.
const MAP_WHEN_CACHED: f64 = 0.95;

/// Block size of the read path: small enough to stay in L2 cache between the
/// kernel's copy and the hash (256 KiB measured 4–8% faster than 1–4 MiB).
pub const READ_BUFFER: usize = 1 << 18;

/// A SHA-256 digest.
pub type Digest256 = [u8; 32];

/// How a part's bytes reach the hash; see the module docs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum PartAccess {
    /// Map a part that the page cache holds, read any other (the default).
    #[default]
    Auto,
    /// Map every part of at least [`MMAP_THRESHOLD`] bytes (`--mmap`).
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
/// read fails alone, and the others are still hashed.
///
/// Parts that are mapped (cached ones under [`PartAccess::Auto`]) are hashed
/// straight from their maps, largest first. Parts that are read come from
/// [`reader`]'s threads, which keep the device busy with large sequential
/// reads in the order given while the hashers work.
pub fn hash_files(
    paths: &[PathBuf],
    options: HashOptions,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Vec<Result<Digest256>> {
    // One thread per file at most: more would only sit idle.
    let wanted = if options.threads == 0 { rayon::current_num_threads() } else { options.threads };
    let hashers = wanted.min(paths.len()).max(1);
    let mut results: Vec<Option<Result<Digest256>>> = (0..paths.len()).map(|_| None).collect();
    let mut parts: Vec<Option<Opened>> = Vec::with_capacity(paths.len());
    for (path, result) in paths.iter().zip(results.iter_mut()) {
        match Opened::open(path, options.access) {
            Ok(opened) => parts.push(Some(opened)),
            Err(error) => {
                *result = Some(Err(error));
                parts.push(None);
            }
        }
    }
    // Read parts first, in the order given (the device's order: see
    // `reader`), so the device starts at once; mapped ones after, largest first.
    let mut order: Vec<(usize, &Opened)> =
        parts.iter().enumerate().filter_map(|(i, part)| part.as_ref().map(|opened| (i, opened))).collect();
    order.sort_by_key(|&(i, opened)| match opened.map {
        Some(_) => (1, std::cmp::Reverse(opened.len), i),
        None => (0, std::cmp::Reverse(0), i),
    });
    let to_read: Vec<(usize, &File, &Path)> = order
        .iter()
        .filter(|(_, opened)| opened.map.is_none())
        .map(|&(i, opened)| (i, &opened.file, paths[i].as_path()))
        .collect();
    let streams = reader::Streams::new(&to_read, cancel);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(results);
    std::thread::scope(|scope| {
        streams.spawn_readers(scope);
        for _ in 0..hashers {
            scope.spawn(|| {
                if options.background {
                    crate::platform::lower_thread_priority();
                }
                // Parts are taken in `order`, the readers' own order, so a
                // hasher never waits for a part behind one nobody takes.
                while let Some(&(i, opened)) = order.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
                    let result = hash_opened(&paths[i], opened, &streams, i, progress, cancel);
                    streams.done_with(i);
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(result);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.unwrap_or(Err(Error::Interrupted)))
        .collect()
}

/// A part opened for hashing: its file, its length then, and its map when
/// it is to be hashed mapped.
struct Opened {
    file: File,
    len: u64,
    map: Option<memmap2::Mmap>,
}

impl Opened {
    fn open(path: &Path, access: PartAccess) -> Result<Opened> {
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
        let map = match access {
            PartAccess::Read => None,
            _ if len < MMAP_THRESHOLD => None,
            PartAccess::Map => map(&file),
            PartAccess::Auto => map(&file)
                .filter(|map| crate::platform::cached_fraction(map).is_some_and(|cached| cached >= MAP_WHEN_CACHED)),
        };
        Ok(Opened { file, len, map })
    }
}

fn hash_opened(
    path: &Path,
    opened: &Opened,
    streams: &reader::Streams,
    index: usize,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<Digest256> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    progress.item_started(&name, opened.len);
    let digest = match &opened.map {
        Some(map) => hash_mapped(map, &name, progress, cancel)?,
        None => {
            let mut hasher = Sha256::new();
            streams.each_block(index, path, cancel, |block| {
                hasher.update(block);
                progress.advance(&name, block.len() as u64);
            })?;
            hasher.finalize().into()
        }
    };
    unchanged(path, opened.len)?;
    progress.item_finished(&name);
    Ok(digest)
}

/// A part that another process shortened or extended while it was read has
/// no meaningful hash.
fn unchanged(path: &Path, len: u64) -> Result<()> {
    let after = std::fs::metadata(path).map_err(|e| Error::io(path, e))?.len();
    if after != len {
        return Err(Error::io(
            path,
            std::io::Error::other(format!(
                "changed size from {len} to {after} bytes while it was being read; make sure nothing writes to the set and run again"
            )),
        ));
    }
    Ok(())
}

/// SHA-256 of one file, reporting progress per block, read (or mapped) on
/// the calling thread.
pub fn hash_file(path: &Path, access: PartAccess, progress: &dyn Progress, cancel: &Cancel) -> Result<Digest256> {
    let Opened { file, len, map } = Opened::open(path, access)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    progress.item_started(&name, len);
    let digest = match map {
        Some(map) => hash_mapped(&map, &name, progress, cancel)?,
        None => hash_read(file, path, &name, progress, cancel)?,
    };
    unchanged(path, len)?;
    progress.item_finished(&name);
    Ok(digest)
}

fn map(file: &File) -> Option<memmap2::Mmap> {
    // SAFETY: the map is read-only and private; see the module docs for the
    // truncation (SIGBUS) caveat that `PartAccess::Read` avoids.
    unsafe { memmap2::Mmap::map(file) }.ok()
}

fn hash_mapped(map: &memmap2::Mmap, name: &str, progress: &dyn Progress, cancel: &Cancel) -> Result<Digest256> {
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
        progress.advance(name, block.len() as u64);
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
pub(crate) fn hash_uncached(path: &Path, progress: &dyn Progress, cancel: &Cancel) -> Result<Digest256> {
    let len = std::fs::metadata(path).map_err(|e| Error::io(path, e))?.len();
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let reader = crate::platform::open_uncached(path).map_err(|e| Error::io(path, e))?;
    progress.item_started(&name, len);
    let digest = hash_stream(reader, path, &name, progress, cancel)?;
    progress.item_finished(&name);
    Ok(digest)
}

fn hash_read(file: File, path: &Path, name: &str, progress: &dyn Progress, cancel: &Cancel) -> Result<Digest256> {
    crate::platform::advise_sequential(&file);
    hash_stream(file, path, name, progress, cancel)
}

fn hash_stream(
    mut file: impl Read,
    path: &Path,
    name: &str,
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
        progress.advance(name, n as u64);
    }
    Ok(hasher.finalize().into())
}

/// The readers behind [`hash_files`]: threads that read the parts to be read
/// (not mapped) in [`reader::CHUNK`] blocks, as fast as the device gives
/// them, and hand each block to whichever hasher took that part, at most
/// [`reader::AHEAD`] blocks ahead of it.
///
/// Hashing on the reading thread makes the two take turns: cold, one thread
/// read and hashed 3.3 GB in read time plus hash time (0.45× of `cat`). With
/// a reader of its own the device is never left waiting for the hash.
///
/// Parts on one device are read one after another, in the set's order (a
/// USB stick, a DVD or a disk reads one stream fastest, and the set's order
/// is the order the parts were written in); parts on different devices, and
/// on a device that says it has no seek penalty (`rotational` 0 in Linux's
/// sysfs: SSD, NVMe), are read side by side, two readers per such device
/// ([`crate::platform::storage_of`]). A device that cannot tell counts as
/// one that seeks: reading it in turn costs a fast device little, reading a
/// slow one side by side costs it much.
mod reader {
    use std::fs::File;
    use std::path::Path;
    use std::sync::Mutex;
    use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};

    use crate::vocab::progress::Cancel;

    /// Bytes per read, as [`super::READ_BUFFER`]: the kernel's readahead
    /// gives the device long requests whatever the read size. (System time
    /// was higher than the single-threaded read's with 1 MiB and with
    /// 256 KiB blocks alike, 2.1–3.5 s against 1.5–2.2 s per 3.3 GB on a
    /// loaded machine; not yet explained.)
    pub(super) const CHUNK: usize = super::READ_BUFFER;

    /// Blocks a reader may be ahead of the hasher of its part: bounds memory
    /// (with [`CHUNK`], 16 MiB a reader) and lets the device run on while the
    /// hasher catches up.
    pub(super) const AHEAD: usize = 64;

    /// Readers for one device without a seek penalty.
    const FAST_DEVICE_READERS: usize = 2;

    enum Message {
        Block(Vec<u8>, usize),
        End,
        Failed(std::io::Error),
    }

    struct Job<'a> {
        file: &'a File,
        path: &'a Path,
        sender: SyncSender<Message>,
    }

    /// Both ends of the pile of spare buffers.
    type Spare = (Sender<Vec<u8>>, Receiver<Vec<u8>>);

    pub(super) struct Streams<'a> {
        /// Each reader thread's parts, in reading order.
        readers: Mutex<Vec<Vec<Job<'a>>>>,
        /// Each part's blocks, by its index in the caller's list.
        receivers: Vec<(usize, Mutex<Option<Receiver<Message>>>)>,
        /// Buffers the hashers are done with, for the readers to fill again.
        spare: Mutex<Spare>,
        cancel: &'a Cancel,
    }

    impl<'a> Streams<'a> {
        /// Readers for `parts` (index, file, path), which are read in the
        /// order given on each device.
        pub(super) fn new(parts: &[(usize, &'a File, &'a Path)], cancel: &'a Cancel) -> Self {
            // (device, its readers' slots in `readers`, the next slot to give a part)
            let mut devices: Vec<(Option<u64>, Vec<usize>, usize)> = Vec::new();
            let mut readers: Vec<Vec<Job<'a>>> = Vec::new();
            let mut receivers = Vec::with_capacity(parts.len());
            for &(index, file, path) in parts {
                let storage = crate::platform::storage_of(file);
                let known = devices.iter().position(|(id, _, _)| storage.device.is_some() && *id == storage.device);
                let position = known.unwrap_or_else(|| {
                    let count = if storage.rotational == Some(false) { FAST_DEVICE_READERS } else { 1 };
                    let slots = (readers.len()..readers.len().saturating_add(count)).collect();
                    readers.extend((0..count).map(|_| Vec::new()));
                    devices.push((storage.device, slots, 0));
                    devices.len().saturating_sub(1)
                });
                let device = &mut devices[position];
                let slot = device.1[device.2.checked_rem(device.1.len()).unwrap_or(0)];
                device.2 = device.2.wrapping_add(1);
                let (sender, receiver) = sync_channel(AHEAD);
                readers[slot].push(Job { file, path, sender });
                receivers.push((index, Mutex::new(Some(receiver))));
            }
            readers.retain(|jobs| !jobs.is_empty());
            Streams { readers: Mutex::new(readers), receivers, spare: Mutex::new(channel()), cancel }
        }

        /// Starts the reader threads in `scope`; each ends after its last
        /// part, or when the run is cancelled.
        pub(super) fn spawn_readers<'scope>(&'scope self, scope: &'scope std::thread::Scope<'scope, '_>) {
            let readers = std::mem::take(&mut *self.readers.lock().unwrap_or_else(|e| e.into_inner()));
            for jobs in readers {
                scope.spawn(move || jobs.into_iter().for_each(|job| self.read(job)));
            }
        }

        fn read(&self, job: Job<'_>) {
            crate::platform::advise_sequential(job.file);
            let mut offset = 0u64;
            loop {
                if self.cancel.is_cancelled() {
                    return; // the hasher sees the stream end without `End`
                }
                let spare = self.spare.lock().unwrap_or_else(|e| e.into_inner()).1.try_recv().ok();
                let mut buffer = spare.unwrap_or_else(|| vec![0u8; CHUNK]);
                let mut filled = 0usize;
                while filled < buffer.len() {
                    let at = offset.saturating_add(filled as u64);
                    // The file's own cursor, not positioned reads: the part is
                    // read once from start to end by this thread alone, and
                    // the position stays visible to tools that watch it
                    // (/proc/PID/fdinfo, `progress`).
                    match std::io::Read::read(&mut &*job.file, &mut buffer[filled..]) {
                        Ok(0) => break,
                        Ok(n) => filled = filled.saturating_add(n),
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => {
                            let _ = job.sender.send(Message::Failed(crate::read::read_fault::at(job.path, at, e)));
                            return;
                        }
                    }
                }
                if filled == 0 {
                    let _ = job.sender.send(Message::End);
                    return;
                }
                offset = offset.saturating_add(filled as u64);
                // A hasher that gave up (cancelled, failed) dropped its end.
                if job.sender.send(Message::Block(buffer, filled)).is_err() {
                    return;
                }
            }
        }

        /// Hands each block of part `index` to `each`, in order; the read's
        /// error, or `Interrupted` when the reader stopped on cancellation.
        pub(super) fn each_block(
            &self,
            index: usize,
            path: &Path,
            cancel: &Cancel,
            mut each: impl FnMut(&[u8]),
        ) -> std::result::Result<(), crate::vocab::error::Error> {
            let receiver = self
                .receivers
                .iter()
                .find(|(i, _)| *i == index)
                .and_then(|(_, receiver)| receiver.lock().unwrap_or_else(|e| e.into_inner()).take());
            let Some(receiver) = receiver else { return Err(crate::vocab::error::Error::Interrupted) };
            loop {
                cancel.check()?;
                match receiver.recv() {
                    Ok(Message::Block(buffer, filled)) => {
                        each(&buffer[..filled]);
                        let _ = self.spare.lock().unwrap_or_else(|e| e.into_inner()).0.send(buffer);
                    }
                    Ok(Message::End) => return Ok(()),
                    Ok(Message::Failed(error)) => return Err(crate::vocab::error::Error::io(path, error)),
                    Err(_) => return Err(crate::vocab::error::Error::Interrupted),
                }
            }
        }

        /// Lets part `index`'s reader move on whether or not its blocks were
        /// taken (its hasher failed or was cancelled).
        pub(super) fn done_with(&self, index: usize) {
            if let Some((_, receiver)) = self.receivers.iter().find(|(i, _)| *i == index) {
                drop(receiver.lock().unwrap_or_else(|e| e.into_inner()).take());
            }
        }
    }
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

    /// The reader threads hand every block of every part to its hasher, in
    /// order, whatever the part's size against the block and the read-ahead
    /// (empty, one byte, a block and one, more than the read-ahead holds),
    /// with one hasher or several; a part that cannot be opened fails alone.
    #[test]
    fn parts_read_by_the_reader_threads_hash_as_a_whole_file_does() {
        let dir = tempfile::tempdir().unwrap();
        let block = reader::CHUNK;
        let sizes = [0, 1, block - 1, block + 1, block * (reader::AHEAD + 3) + 17, 3 * block];
        let mut paths = Vec::new();
        let mut expected = Vec::new();
        for (n, size) in sizes.iter().enumerate() {
            let bytes: Vec<u8> = (0..*size).map(|i| ((i * 31 + n) % 251) as u8).collect();
            let path = dir.path().join(format!("part{n}"));
            std::fs::write(&path, &bytes).unwrap();
            expected.push(Digest256::from(Sha256::digest(&bytes)));
            paths.push(path);
        }
        paths.insert(2, dir.path().join("missing"));
        for threads in [1, 2, 4] {
            let all = hash_files(
                &paths,
                HashOptions { threads, access: PartAccess::Read, background: false },
                &NoProgress,
                &Cancel::new(),
            );
            assert_eq!(all.len(), paths.len());
            assert_eq!(all[2].as_ref().unwrap_err().kind(), crate::ErrorKind::Io);
            let digests: Vec<Digest256> =
                all.iter().enumerate().filter(|(i, _)| *i != 2).map(|(_, r)| *r.as_ref().unwrap()).collect();
            assert_eq!(digests, expected, "{threads} thread(s)");
        }
    }

    /// A cancelled run of the reader threads ends (no reader left waiting
    /// for a hasher that gave up) with every read part interrupted.
    #[test]
    fn a_cancelled_run_of_the_readers_ends_interrupted() {
        let dir = tempfile::tempdir().unwrap();
        let paths: Vec<PathBuf> = (0..3).map(|n| dir.path().join(format!("p{n}"))).collect();
        for path in &paths {
            std::fs::write(path, vec![1u8; reader::CHUNK * (reader::AHEAD + 2)]).unwrap();
        }
        let cancel = Cancel::new();
        cancel.cancel();
        let all = hash_files(&paths, HashOptions::default().access(PartAccess::Read), &NoProgress, &cancel);
        assert!(all.iter().all(|r| matches!(r, Err(Error::Interrupted))), "{all:?}");
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

    #[test]
    fn the_backend_is_named() {
        assert!(!sha256_backend().is_empty());
    }
}
