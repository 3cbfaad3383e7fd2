//! Fuzzes set discovery by file name: `airlock::discover` on a folder of files
//! whose names come from the input, then `airlock::check` on the set found.
//!
//! Input: file names separated by `\n` (raw bytes, so names need not be
//! UTF-8), up to the first NUL. A name starting with byte 0x01 is created as a
//! folder instead of a file. After the NUL comes the content of every `*.exe`
//! file, then optionally `%%PART%%` and the content of every `*.bin` file
//! (other files are empty). Names that cannot be file names (empty, `.`,
//! `..`, containing `/`, longer than 255 bytes) are skipped; at most 32
//! names are used.
//!
//! Checks:
//! - no panic, no hang, no unbounded allocation, from `discover` on the
//!   folder, `discover` on each of the first 8 files, and `check` on the set;
//! - a set found in the folder has parts that are files of that folder with
//!   their real names and sizes, numbered in strictly increasing order;
//! - discovering through any of its parts finds the same set (same parts).
#![no_main]

#[path = "common/mod.rs"]
mod common;

#[global_allocator]
static ALLOC: common::CappedAlloc = common::CappedAlloc;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::targets::discover_names(data));
