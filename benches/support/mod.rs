//! What the benches share (a module, not a bench target: Cargo takes only the
//! files directly under `benches/`).
#![allow(dead_code)] // each bench uses some of it

use std::path::Path;

use airlock::{DownloadSet, ExtractOptions, ExtractReport, NoProgress};

/// A deterministic xorshift64 generator: payload bytes that are the same on
/// every run, without a dependency.
pub fn xorshift() -> impl FnMut() -> u64 {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

/// The payload bytes a set's `EXPECTED.tsv` lists (path, size, SHA-256 per line).
pub fn expected_bytes(set: &Path) -> u64 {
    std::fs::read_to_string(set.join("EXPECTED.tsv"))
        .unwrap()
        .lines()
        .filter_map(|l| l.split('\t').nth(1)?.parse::<u64>().ok())
        .sum()
}

/// Extracts `set` into `out/x` as `airlock extract --min-free 0` does, with
/// or without verifying the parts against the manifest beside them.
pub fn extract(set: &DownloadSet, out: &Path, verify_parts: bool) -> ExtractReport {
    let mut options = ExtractOptions::new(out.join("x"));
    options.min_free = 0;
    options.verify_parts = verify_parts;
    airlock::extract(set, &options, &NoProgress).unwrap()
}
