//! Fuzzes the Inno Setup header reader where it decides what a run takes:
//! the conditions of `[Files]` entries (languages, components, tasks) and
//! the password test of encrypted installers. The input is byte 0, then a
//! structure-aware installer (layout 5 of `common/mod.rs`: setup ID, primary
//! and secondary header streams *decompressed*, setup-1 data, slices, cut at
//! `%%PART%%`), written as `X.exe` + `X-N.bin` and listed with
//! `airlock::list`, of every entry and with a choice.
//!
//! Byte 0 picks a choice among the installer's own names: bits 0-1 the
//! language (default, or the 1st/2nd/3rd, cycling), bits 2-3 the components
//! and bits 4-5 the tasks (all, the first, the last, every other one); bit 6 also
//! lists with the right password (key derivation is slow).
//!
//! Checks:
//! - no panic, no hang, no unbounded allocation;
//! - `list` with the default choice succeeds whenever `list` of every entry does;
//!   the entries any choice takes are a subsequence of all entries, with safe
//!   landing paths, and every entry not taken is listed as left out; an entry
//!   with a one-name `Languages:` condition is taken only for that language;
//! - a choice of the installer's own names is accepted, and a name it does
//!   not have (language, component or task) is refused with `UnknownChoice`;
//! - a password given for an unencrypted installer changes nothing; for an
//!   encrypted one, a wrong password (`fixture-Pass`; the fixtures' is
//!   `fixture-pass`) is refused by the password test, and extraction with it
//!   fails and leaves nothing: a wrong password never yields an entry's bytes.
#![no_main]

#[path = "common/mod.rs"]
mod common;

#[global_allocator]
static ALLOC: common::CappedAlloc = common::CappedAlloc;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::targets::inno_header(data));
