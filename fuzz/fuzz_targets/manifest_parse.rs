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

use std::path::Path;

use airlock::Manifest;
use libfuzzer_sys::fuzz_target;

fn pairs(manifest: &Manifest) -> Vec<(String, [u8; 32])> {
    manifest.entries.iter().map(|e| (e.name.clone(), e.sha256)).collect()
}

fn check(manifest: &Manifest) {
    assert!(!manifest.entries.is_empty(), "a parsed manifest lists no entries");
    for entry in &manifest.entries {
        assert!(!entry.name.contains(['/', '\\']), "entry name {:?} is not a bare file name", entry.name);
    }
    if manifest.entries.iter().any(|e| e.name.is_empty()) {
        // `HASH  folder/` names an empty file name; it cannot be written back.
        return;
    }
    let path = Path::new("roundtrip");
    let text = manifest.to_sha256sum();
    let again = Manifest::parse(&text, path)
        .unwrap_or_else(|e| panic!("to_sha256sum output does not parse again: {e}\n{text:?}"));
    assert_eq!(pairs(manifest), pairs(&again), "sha256sum round trip changed the entries\n{text:?}");
    let json = manifest.to_json();
    let again = Manifest::parse(&json, path)
        .unwrap_or_else(|e| panic!("to_json output does not parse again: {e}\n{json}"));
    assert_eq!(pairs(manifest), pairs(&again), "JSON round trip changed the entries\n{json}");
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(manifest) = Manifest::parse(text, Path::new("SHA256SUMS")) {
            check(&manifest);
        }
    }
    if data.starts_with(&[0xff, 0xfe]) || data.starts_with(&[0xfe, 0xff]) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("SHA256SUMS");
        std::fs::write(&path, data).expect("write");
        if let Ok(manifest) = Manifest::read(&path) {
            assert_eq!(manifest.path.as_deref(), Some(path.as_path()));
            check(&manifest);
        }
    }
});
