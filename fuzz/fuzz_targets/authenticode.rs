//! Fuzzes Authenticode verification: `airlock::verify_authenticode_bytes` on
//! arbitrary bytes (seed it with the signed files in
//! `testdata/authenticode/`).
//!
//! Checks: no panic, no hang, no unbounded allocation; bytes that do not
//! start with `MZ` are never taken for a PE file.
#![no_main]

#[path = "common/mod.rs"]
mod common;

#[global_allocator]
static ALLOC: common::CappedAlloc = common::CappedAlloc;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::targets::authenticode(data));
