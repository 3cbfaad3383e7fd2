//! Fuzzes signed manifests: a manifest, its minisign signature and a public
//! key, cut at `%%PART%%`, written as `SHA256SUMS`, `SHA256SUMS.minisig` and
//! `key.pub`, then `airlock::read_public_key`,
//! `airlock::verify_manifest_signature` and `airlock::verify`'s trust path
//! (`--manifest SHA256SUMS --trust key.pub`, on a set made of the manifest's
//! first part).
//!
//! Checks:
//! - no panic, no hang, no unbounded allocation;
//! - a signature airlock accepts is accepted by `minisign-verify` (a separate
//!   implementation of the format) on the same three texts, and is refused
//!   once the manifest has one byte more or its last byte changed: acceptance
//!   only for the exact bytes signed, with that key;
//! - `verify` reports the same verdict on the signature, and never passes a
//!   part whose bytes are not the listed ones.
#![no_main]

#[path = "common/mod.rs"]
mod common;

#[global_allocator]
static ALLOC: common::CappedAlloc = common::CappedAlloc;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::targets::manifest_signature(data));
