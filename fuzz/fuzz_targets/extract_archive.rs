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

use std::path::PathBuf;

use airlock::{ExtractOptions, NoProgress, discover, extract};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(input) = common::set_input(data) else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    common::write_files(tmp.path(), &input.files);
    let inputs: Vec<PathBuf> = input.files.iter().map(|(name, _)| tmp.path().join(name)).collect();
    let Ok(set) = discover(tmp.path()) else { return };
    let dest = tmp.path().join("dest");
    let mut options = ExtractOptions::new(&dest);
    options.min_free = 0;
    options.verify_parts = false;
    options.hash.threads = input.threads;
    let result = extract(&set, &options, &NoProgress);

    for path in common::walk(tmp.path()) {
        if path.starts_with(&dest) {
            let meta = std::fs::symlink_metadata(&path).expect("lstat");
            assert!(!meta.file_type().is_symlink(), "extraction left a symbolic link: {path:?}");
        } else {
            assert!(inputs.contains(&path), "extraction wrote outside the destination: {path:?} ({result:?})");
        }
    }
    match &result {
        Err(error) => {
            assert!(!dest.exists(), "a failed extraction ({error}) left the destination it created: {:?}", common::walk(&dest));
        }
        Ok(report) => {
            for file in &report.files {
                let meta = std::fs::symlink_metadata(dest.join(&file.path))
                    .unwrap_or_else(|e| panic!("reported file {:?} is missing: {e}", file.path));
                assert!(meta.is_file(), "reported file {:?} is not a regular file", file.path);
                assert_eq!(meta.len(), file.size, "reported file {:?} size", file.path);
            }
            let staging: Vec<_> = std::fs::read_dir(&dest)
                .expect("dest exists")
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().starts_with(".airlock-partial-"))
                .map(|e| e.path())
                .collect();
            assert!(staging.is_empty(), "staging folder left: {staging:?}");
        }
    }
});
