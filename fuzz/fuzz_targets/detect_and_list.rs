//! Fuzzes payload detection and listing: arbitrary bytes written as a small
//! set (`X.exe` + `X-N.bin`, `X.7z`, `X.zip`, `X.7z.NNN`, `X.zip.NNN`, or a
//! structure-aware Inno Setup installer; see `common/mod.rs` for the input
//! layout), then `airlock::discover`, `airlock::check` and
//! `airlock::list` of every entry.
//!
//! Checks:
//! - no panic escapes the library (panics inside the decoders are turned into
//!   errors by the library itself), no hang, no unbounded allocation;
//! - every listed entry has exactly one of `path` and `unsafe_reason`, and a
//!   `path` is a safe relative path: not empty, no leading `/`, no `\`, no
//!   empty, `.` or `..` component, no drive letter, no control character or
//!   character Windows forbids.
#![no_main]

#[path = "common/mod.rs"]
mod common;

#[global_allocator]
static ALLOC: common::CappedAlloc = common::CappedAlloc;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::targets::detect_and_list(data));
