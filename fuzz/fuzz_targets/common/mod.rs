//! Shared by the fuzz targets: turning one fuzz input into a small download
//! set on disk, a guard against unbounded allocations, and the walk used by
//! the extraction invariant.
//!
//! # Input layout of `detect_and_list` and `extract_archive`
//!
//! ```text
//! byte 0      bits 0..=5: layout = value % 6 (see below)
//!             bit 6:      fix the 7z start-header and next-header CRCs
//!                         before writing (so header mutations reach the
//!                         7z parser instead of failing the CRC check)
//!             bit 7:      extract with 2 threads instead of 1
//! bytes 1..   the payload, cut into parts at each "%%PART%%" (at most 8 parts)
//! ```
//!
//! | layout | files written                                                  |
//! |--------|----------------------------------------------------------------|
//! | 0      | `X.exe`, `X-1.bin`, `X-2.bin` … (one per part)                 |
//! | 1      | `X.7z` (the whole payload, not cut)                            |
//! | 2      | `X.zip` (the whole payload, not cut)                           |
//! | 3      | `X.7z.001`, `X.7z.002` … (one per part)                        |
//! | 4      | `X.zip.001`, `X.zip.002` … (one per part)                      |
//! | 5      | raw Inno Setup: `X.exe` built from the parts, see [`inno_exe`] |
//!
//! Layout 5 is structure-aware: the Inno Setup headers are stored in the
//! installer as CRC-checked 4 KiB blocks of (normally LZMA-compressed) data,
//! which plain byte mutation never gets through. Here the fuzzer writes the
//! *decompressed* header bytes, and the target wraps them in a valid loader
//! table and stored (uncompressed) block streams with correct CRCs, so every
//! mutation reaches the `inno` crate's header parser.
#![allow(dead_code)]

pub mod targets;

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The separator between parts in an input.
pub const SEP: &[u8] = b"%%PART%%";
/// At most this many parts (the last keeps any further separators).
pub const MAX_PARTS: usize = 8;
/// The set's base name.
pub const NAME: &str = "X";

/// Splits `data` at [`SEP`] into at most [`MAX_PARTS`] parts.
pub fn split_parts(data: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while parts.len() + 1 < MAX_PARTS {
        match find(rest, SEP) {
            Some(i) => {
                parts.push(&rest[..i]);
                rest = &rest[i + SEP.len()..];
            }
            None => break,
        }
    }
    parts.push(rest);
    parts
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// What one input asks for.
pub struct SetInput {
    /// Files to write into the set's folder: (name, bytes).
    pub files: Vec<(String, Vec<u8>)>,
    /// Decoding threads for extraction (1 or 2).
    pub threads: usize,
}

/// Decodes an input (see the module docs); `None` for an empty input.
pub fn set_input(data: &[u8]) -> Option<SetInput> {
    let (&selector, payload) = data.split_first()?;
    let layout = (selector & 0x3f) % 6;
    let fix_7z = selector & 0x40 != 0;
    let threads = if selector & 0x80 != 0 { 2 } else { 1 };
    let mut files: Vec<(String, Vec<u8>)> = match layout {
        0 => split_parts(payload)
            .into_iter()
            .enumerate()
            .map(|(i, p)| (if i == 0 { format!("{NAME}.exe") } else { format!("{NAME}-{i}.bin") }, p.to_vec()))
            .collect(),
        1 => vec![(format!("{NAME}.7z"), payload.to_vec())],
        2 => vec![(format!("{NAME}.zip"), payload.to_vec())],
        3 | 4 => {
            let ext = if layout == 3 { "7z" } else { "zip" };
            split_parts(payload)
                .into_iter()
                .enumerate()
                .map(|(i, p)| (format!("{NAME}.{ext}.{:03}", i + 1), p.to_vec()))
                .collect()
        }
        _ => inno_raw(payload),
    };
    if fix_7z {
        fix_sevenz_crcs(&mut files);
    }
    Some(SetInput { files, threads })
}

/// Whether `AIRLOCK_FUZZ_DEBUG` is set: the targets then print what the
/// library returned for each input (for checking seeds by hand, e.g. with
/// `cargo fuzz run TARGET -s none SEED_FILE`).
pub fn debug() -> bool {
    static DEBUG: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *DEBUG.get_or_init(|| std::env::var_os("AIRLOCK_FUZZ_DEBUG").is_some())
}

/// Writes `files` into `dir`.
pub fn write_files(dir: &Path, files: &[(String, Vec<u8>)]) {
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes).expect("writing a fuzz input file");
    }
}

const SEVENZ_MAGIC: &[u8; 6] = b"7z\xBC\xAF\x27\x1C";

/// Recomputes the CRCs of the first 7z signature header found in the
/// concatenation of the files (the next header's CRC when it lies inside the
/// data, then the start header's CRC), writing them back in place.
pub fn fix_sevenz_crcs(files: &mut [(String, Vec<u8>)]) {
    let mut all: Vec<u8> = files.iter().flat_map(|(_, b)| b.iter().copied()).collect();
    let Some(p) = find(&all, SEVENZ_MAGIC) else { return };
    if p + 32 > all.len() {
        return;
    }
    let u64_at = |b: &[u8], at: usize| u64::from_le_bytes(b[at..at + 8].try_into().unwrap());
    let (next_offset, next_size) = (u64_at(&all, p + 12), u64_at(&all, p + 20));
    let start = (p as u64 + 32).checked_add(next_offset);
    let end = start.and_then(|s| s.checked_add(next_size));
    if let (Some(start), Some(end)) = (start, end)
        && end <= all.len() as u64
    {
        let crc = crc32fast::hash(&all[start as usize..end as usize]);
        all[p + 28..p + 32].copy_from_slice(&crc.to_le_bytes());
    }
    let crc = crc32fast::hash(&all[p + 12..p + 32]);
    all[p + 8..p + 12].copy_from_slice(&crc.to_le_bytes());
    let mut at = 0;
    for (_, bytes) in files.iter_mut() {
        let n = bytes.len();
        bytes.copy_from_slice(&all[at..at + n]);
        at += n;
    }
}

/// Layout 5: parts are `ID`, primary header, secondary header, setup-1 data,
/// then slices `X-1.bin` ….
pub fn inno_raw(payload: &[u8]) -> Vec<(String, Vec<u8>)> {
    let parts = split_parts(payload);
    let get = |i: usize| parts.get(i).copied().unwrap_or(&[]);
    let mut files = vec![(format!("{NAME}.exe"), inno_exe(get(0), get(1), get(2), get(3)))];
    for (i, slice) in parts.iter().skip(4).enumerate() {
        files.push((format!("{NAME}-{}.bin", i + 1), slice.to_vec()));
    }
    files
}

/// Builds a minimal Inno Setup installer around raw header bytes:
///
/// - a DOS header with the pre-5.1.5 `Inno` pointer at 0x30 to the loader
///   table (the `inno` crate tries this before the PE resource);
/// - a revision-1 loader table (`rDlPtS\xCD\xE6\xD7\x7B\x0B\x2A`) with its CRC;
/// - at the header offset: the 64-byte setup ID (`Inno Setup Setup Data
///   (6.4.0.1)`; bytes past 64 are written raw after it), then the primary
///   and secondary header streams, each stored (not compressed) in 4 KiB
///   blocks with their CRCs;
/// - when `data` is not empty, the setup-1 data after them (the loader's data
///   offset points there); when it is empty the data offset is 0, which means
///   the file data is in slices.
pub fn inno_exe(id: &[u8], primary: &[u8], secondary: &[u8], data: &[u8]) -> Vec<u8> {
    const TABLE_AT: u32 = 0x40;
    const TABLE_LEN: usize = 12 + 4 * 7 + 4;
    let mut out = vec![0u8; TABLE_AT as usize];
    out[..2].copy_from_slice(b"MZ");
    out[0x30..0x34].copy_from_slice(b"Inno");
    out[0x34..0x38].copy_from_slice(&TABLE_AT.to_le_bytes());
    out[0x38..0x3c].copy_from_slice(&(!TABLE_AT).to_le_bytes());

    let header_at = TABLE_AT as usize + TABLE_LEN;
    let mut headers = Vec::new();
    let mut padded = [0u8; 64];
    let n = id.len().min(64);
    padded[..n].copy_from_slice(&id[..n]);
    headers.extend_from_slice(&padded);
    headers.extend_from_slice(id.get(64..).unwrap_or(&[]));
    headers.extend_from_slice(&stored_stream(primary));
    headers.extend_from_slice(&stored_stream(secondary));
    let data_at = if data.is_empty() { 0 } else { header_at + headers.len() };
    let total = header_at + headers.len() + data.len();

    let mut table = Vec::with_capacity(TABLE_LEN);
    table.extend_from_slice(b"rDlPtS\xCD\xE6\xD7\x7B\x0B\x2A");
    for value in [1u32, total as u32, total as u32, 0, 0, header_at as u32, data_at as u32] {
        // revision, minimum size, setup.e32 offset, its size and CRC, setup-0, setup-1
        table.extend_from_slice(&value.to_le_bytes());
    }
    let crc = crc32fast::hash(&table);
    table.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&table);
    out.extend_from_slice(&headers);
    out.extend_from_slice(data);
    out
}

/// An Inno header stream, stored: CRC of (size, flag 0), size, flag, then
/// 4 KiB blocks each preceded by its CRC.
fn stored_stream(raw: &[u8]) -> Vec<u8> {
    let mut blocks = Vec::with_capacity(raw.len() + raw.len() / 1024 + 4);
    for block in raw.chunks(4096) {
        blocks.extend_from_slice(&crc32fast::hash(block).to_le_bytes());
        blocks.extend_from_slice(block);
    }
    let mut head = Vec::with_capacity(5);
    head.extend_from_slice(&(blocks.len() as u32).to_le_bytes());
    head.push(0);
    let mut out = crc32fast::hash(&head).to_le_bytes().to_vec();
    out.extend_from_slice(&head);
    out.extend_from_slice(&blocks);
    out
}

/// Every path under `root` (not `root` itself), depth first, without
/// following links.
pub fn walk(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(read) = std::fs::read_dir(&dir) else { continue };
        for entry in read.flatten() {
            let path = entry.path();
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            out.push(path.clone());
            if is_dir {
                stack.push(path);
            }
        }
    }
    out
}

/// The global allocator of every target: the system allocator, except that a
/// single request above the limit (`AIRLOCK_FUZZ_MALLOC_LIMIT_MB`, default
/// 1024, the same as `-rss_limit_mb`) aborts with a message and a backtrace.
///
/// Without a sanitizer libFuzzer cannot see a huge `malloc` (its
/// `-malloc_limit_mb` needs sanitizer hooks), and a lazily touched allocation
/// may never reach the RSS limit; this makes "allocates without bound" a crash
/// whose input is saved like any other.
pub struct CappedAlloc;

static LIMIT: AtomicUsize = AtomicUsize::new(0);
static IN_REPORT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn limit() -> usize {
    let cached = LIMIT.load(Ordering::Relaxed);
    if cached != 0 {
        return cached;
    }
    // Read the variable without allocating through this allocator's check.
    let mb = std::env::var_os("AIRLOCK_FUZZ_MALLOC_LIMIT_MB")
        .and_then(|v| v.to_str().and_then(|s| s.parse::<usize>().ok()))
        .unwrap_or(1024);
    let bytes = mb.saturating_mul(1 << 20).max(1);
    LIMIT.store(bytes, Ordering::Relaxed);
    bytes
}

#[cold]
fn too_big(size: usize) -> ! {
    if !IN_REPORT.swap(true, Ordering::SeqCst) {
        eprintln!(
            "==airlock-fuzz== out-of-memory: a single allocation of {size} bytes exceeds the {} MB limit (AIRLOCK_FUZZ_MALLOC_LIMIT_MB)\n{}",
            LIMIT.load(Ordering::Relaxed) >> 20,
            std::backtrace::Backtrace::force_capture()
        );
    }
    std::process::abort()
}

unsafe impl GlobalAlloc for CappedAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.size() > (1 << 24) && layout.size() > limit() {
            too_big(layout.size());
        }
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.size() > (1 << 24) && layout.size() > limit() {
            too_big(layout.size());
        }
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > (1 << 24) && new_size > limit() {
            too_big(new_size);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}
