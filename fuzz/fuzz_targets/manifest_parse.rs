//! Fuzzes manifest parsing: `airlock::Manifest::parse` on arbitrary UTF-8
//! text (coreutils `sha256sum` lines with and without escapes, BSD tags,
//! PowerShell CSV, airlock JSON), and `Manifest::read` on inputs that start
//! with a UTF-16 byte-order mark (the only way into the UTF-16 decoder).
//!
//! Checks:
//! - no panic, no hang, no unbounded allocation, on any input;
//! - a parsed manifest lists at least one entry, and every entry name is a
//!   bare file name (no `/` or `\`: names are cut to their last component);
//! - round trips: when every name is non-empty, the manifest written back with
//!   `to_sha256sum()` and with `to_json()` parses again to the same
//!   (name, sha256) list.
#![no_main]

#[path = "common/mod.rs"]
mod common;

#[global_allocator]
static ALLOC: common::CappedAlloc = common::CappedAlloc;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::targets::manifest_parse(data));
