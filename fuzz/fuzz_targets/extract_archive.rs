//! Fuzzes extraction: arbitrary bytes written as a small set (input layout in
//! `common/mod.rs`: `X.exe` + `X-N.bin`, `X.7z`, `X.zip`, volumes, or a
//! structure-aware Inno Setup installer) in a temporary folder `tmp/`, then
//! `airlock::extract` into `tmp/dest` (which does not exist yet) with
//! `min_free = 0`, `verify_parts = false` and 1 or 2 decoding threads.
//!
//! Checks, after every call, `Ok` or `Err`:
//! - no panic escapes the library, no hang, no unbounded allocation;
//! - nothing exists in `tmp/` other than the input files and `tmp/dest/` and
//!   what is under it (no write outside the destination);
//! - no symbolic link exists under `tmp/dest`;
//! - on `Err`, `tmp/dest` does not exist (the run created it, so rolling back
//!   removes it: all or nothing);
//! - on `Ok`, every reported file is a regular file of the reported size at
//!   `dest/path`, and no staging folder (`.airlock-partial-*`) is left.
#![no_main]

#[path = "common/mod.rs"]
mod common;

#[global_allocator]
static ALLOC: common::CappedAlloc = common::CappedAlloc;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::targets::extract_archive(data));
