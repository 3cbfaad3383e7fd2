//! Fuzzes the manifest model of `verify` (issue 25): which manifest beside a
//! set is used, that the others beside it agree with it, and that every file
//! it lists beside the set is checked. The set is always `X.zip` (a stored
//! zip of one small file); the input writes the manifests around it.
//!
//! Input: byte 0 is flags (bits 0–2: write `SHA256SUMS`, `X.zip.sha256`,
//! `X.zip.manifest.json`; bit 3: write `notes.txt`; bit 4: discover through the
//! folder instead of the part), then parts cut at `%%PART%%`: the text of
//! the three manifests, the content of `notes.txt`, the content of the zip's
//! one file. In the manifests `%%SHA%%` becomes the SHA-256 of `X.zip`,
//! `%%NOTES%%` that of `notes.txt` and `%%SIZE%%` the size of `X.zip`, so
//! agreeing and disagreeing manifests are both within reach.
//!
//! Checks:
//! - no panic, no hang, no unbounded allocation;
//! - the manifest `verify` reports using is one beside the set;
//! - never OK while a manifest beside the set that airlock can read gives
//!   another SHA-256 for `X.zip` or for `notes.txt` (two manifests that
//!   disagree, one line of a manifest against another, a file the manifest
//!   lists beside the set that is not what it says).
#![no_main]

#[path = "common/mod.rs"]
mod common;

#[global_allocator]
static ALLOC: common::CappedAlloc = common::CappedAlloc;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::targets::manifest_model(data));
