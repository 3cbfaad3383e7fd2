//! SHA-256 of the parts, side by side.
#![warn(clippy::arithmetic_side_effects)]
//!
//! SHA-256 is sequential within a file, so the parallelism comes from hashing
//! parts at the same time on a rayon pool the caller sizes (`--threads`;
//! `0` lets rayon decide, which honours `RAYON_NUM_THREADS`). Parts are
//! scheduled largest first so one big part does not start last.
//!
//! # read or mmap
//! Parts are read in [`READ_BUFFER`] blocks by default: a block that fits in
//! the core's L2 cache is hashed while still hot from the kernel's copy,
//! which on the machines measured beats hashing straight from a memory map
//! (300 MiB warm, one thread: 212 ms read against 270–295 ms mapped, with or
//! without `MADV_POPULATE_READ` and `MADV_DONTNEED`; see the README's
//! benchmark table). The reads carry `POSIX_FADV_SEQUENTIAL` so the kernel
//! reads ahead on a cold cache.
//!
//! `mmap: true` (`--mmap`) maps parts of at least [`MMAP_THRESHOLD`] bytes
//! instead, with sequential and will-need advice, unmapping each block once
//! hashed so resident memory stays small; a part whose mapping fails falls
//! back to reads. Mapping a file that another process truncates raises
//! `SIGBUS` (the binary turns it into a clear error); reads avoid that risk.
//!
//! The `sha2` crate picks its compression function at run time; [`backend`]
//! says which one this CPU gets, so a slow machine can be told apart from a
//! slow build.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::progress::{Cancel, Progress};

/// Parts at least this long are memory-mapped; below it a read is as cheap.
pub const MMAP_THRESHOLD: u64 = 64 * 1024;

/// Block size of the read path: small enough to stay in L2 cache between the
/// kernel's copy and the hash (256 KiB measured 4–8% faster than 1–4 MiB).
pub const READ_BUFFER: usize = 1 << 18;

/// A SHA-256 digest.
pub type Digest256 = [u8; 32];

/// How parts are read while hashing. The default reads (no memory maps)
/// on all cores: a part truncated by another process while mapped would
/// raise `SIGBUS` in the caller's process.
#[derive(Clone, Copy, Debug, Default)]
#[non_exhaustive]
pub struct HashOptions {
    /// Worker threads; `0` lets rayon decide (all cores, or `RAYON_NUM_THREADS`).
    pub threads: usize,
    /// Memory-map parts when possible (see the module docs).
    pub mmap: bool,
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

    /// Memory-map parts instead of reading them.
    #[must_use]
    pub fn mmap(mut self, mmap: bool) -> Self {
        self.mmap = mmap;
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
pub fn backend() -> &'static str {
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
pub fn hash_files(
    paths: &[PathBuf],
    options: HashOptions,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Vec<Result<Digest256>> {
    use rayon::prelude::*;

    let sizes: Vec<u64> = paths.iter().map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)).collect();
    let mut order: Vec<usize> = (0..paths.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(sizes[i]));

    let run = || {
        let mut results: Vec<(usize, Result<Digest256>)> =
            order.par_iter().map(|&i| (i, hash_file(&paths[i], options.mmap, progress, cancel))).collect();
        results.sort_by_key(|(i, _)| *i);
        results.into_iter().map(|(_, r)| r).collect()
    };

    // One thread per file at most: more would only sit idle.
    let wanted = if options.threads == 0 { rayon::current_num_threads() } else { options.threads };
    let mut pool = rayon::ThreadPoolBuilder::new().num_threads(wanted.min(paths.len()).max(1));
    if options.background {
        pool = pool.start_handler(|_| crate::platform::lower_thread_priority());
    }
    match pool.build() {
        Ok(pool) => pool.install(run),
        // A pool that cannot start threads still leaves the global pool.
        Err(_) => run(),
    }
}

/// SHA-256 of one file, reporting progress per block.
pub fn hash_file(path: &Path, mmap: bool, progress: &dyn Progress, cancel: &Cancel) -> Result<Digest256> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    progress.item_started(&name, len);
    let digest = if mmap && len >= MMAP_THRESHOLD {
        match map(&file) {
            Some(map) => hash_mapped(&map, &name, progress, cancel)?,
            None => hash_read(file, path, &name, progress, cancel)?,
        }
    } else {
        hash_read(file, path, &name, progress, cancel)?
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
    progress.item_finished(&name);
    Ok(digest)
}

fn map(file: &File) -> Option<memmap2::Mmap> {
    // SAFETY: the map is read-only and private; see the module docs for the
    // truncation (SIGBUS) caveat that `--no-mmap` avoids.
    let map = unsafe { memmap2::Mmap::map(file) }.ok()?;
    // Advice is a hint: the hash is right whether or not the kernel takes it.
    crate::platform::advise_map_sequential(&map);
    Some(map)
}

fn hash_mapped(map: &memmap2::Mmap, name: &str, progress: &dyn Progress, cancel: &Cancel) -> Result<Digest256> {
    const BLOCK: usize = 4 << 20;
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

fn hash_read(mut file: File, path: &Path, name: &str, progress: &dyn Progress, cancel: &Cancel) -> Result<Digest256> {
    crate::platform::advise_sequential(&file);
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; READ_BUFFER];
    let mut offset = 0u64;
    loop {
        cancel.check()?;
        let n = match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::io(path, crate::read_fault::at(path, offset, e))),
        };
        offset = offset.saturating_add(n as u64); // bytes of one file
        hasher.update(&buffer[..n]);
        progress.advance(name, n as u64);
    }
    Ok(hasher.finalize().into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::NoProgress;

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
        for mmap in [true, false] {
            assert_eq!(hex(&hash_file(&small, mmap, &NoProgress, &cancel).unwrap()), ABC);
            assert_eq!(hash_file(&big, mmap, &NoProgress, &cancel).unwrap(), expected_big);
        }
        let all = hash_files(
            &[big.clone(), small.clone(), dir.path().join("missing")],
            HashOptions { threads: 2, mmap: true, background: false },
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
        let error = hash_file(&path, true, &NoProgress, &cancel).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Interrupted);
    }

    #[test]
    fn the_backend_is_named() {
        assert!(!backend().is_empty());
    }
}
