//! Fuzzes set discovery by file name: `airlock::discover` on a folder of files
//! whose names come from the input, then `airlock::check` on the set found.
//!
//! Input: file names separated by `\n` (raw bytes, so names need not be
//! UTF-8), up to the first NUL. A name starting with byte 0x01 is created as a
//! folder instead of a file. After the NUL comes the content of every `*.exe`
//! file, then optionally `%%PART%%` and the content of every `*.bin` file
//! (other files are empty). Names that cannot be file names (empty, `.`,
//! `..`, containing `/`, longer than 255 bytes) are skipped; at most 32
//! names are used.
//!
//! Checks:
//! - no panic, no hang, no unbounded allocation, from `discover` on the
//!   folder, `discover` on each of the first 8 files, and `check` on the set;
//! - a set found in the folder has parts that are files of that folder with
//!   their real names and sizes, numbered in strictly increasing order;
//! - discovering through any of its parts finds the same set (same parts).
#![no_main]

#[path = "common/mod.rs"]
mod common;

#[global_allocator]
static ALLOC: common::CappedAlloc = common::CappedAlloc;

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use airlock::{DownloadSet, check, discover};
use libfuzzer_sys::fuzz_target;

fn names_of(set: &DownloadSet) -> Vec<String> {
    set.parts.iter().map(|p| p.name.clone()).collect()
}

fn check_set(dir: &Path, set: &DownloadSet) {
    assert_eq!(set.dir, dir, "set found in another folder");
    for part in &set.parts {
        assert_eq!(part.path.parent(), Some(dir), "part {:?} is not in the folder", part.path);
        assert_eq!(part.path.file_name().map(|n| n.to_string_lossy().into_owned()), Some(part.name.clone()));
        let meta = std::fs::metadata(&part.path).expect("a part exists");
        assert!(meta.is_file(), "part {:?} is not a file", part.path);
        assert_eq!(meta.len(), part.size, "part {:?} size", part.path);
    }
    for pair in set.parts.windows(2) {
        assert!(pair[0].number < pair[1].number, "parts out of order: {:?}", names_of(set));
    }
}

fuzz_target!(|data: &[u8]| {
    let (names, contents) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let parts = common::split_parts(contents);
    let exe_content = parts.first().copied().unwrap_or(&[]);
    let bin_content = parts.get(1).copied().unwrap_or(&[]);

    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let mut created = Vec::new();
    for raw in names.split(|&b| b == b'\n').take(32) {
        let (is_dir, raw) = match raw.split_first() {
            Some((1, rest)) => (true, rest),
            _ => (false, raw),
        };
        if raw.is_empty() || raw == b"." || raw == b".." || raw.contains(&b'/') || raw.len() > 255 {
            continue;
        }
        let path = dir.join(OsStr::from_bytes(raw));
        if path.exists() {
            continue;
        }
        if is_dir {
            std::fs::create_dir(&path).expect("mkdir");
            continue;
        }
        let lower = raw.to_ascii_lowercase();
        let content = if lower.ends_with(b".exe") {
            exe_content
        } else if lower.ends_with(b".bin") {
            bin_content
        } else {
            &[][..]
        };
        std::fs::write(&path, content).expect("write");
        created.push(path);
    }

    if let Ok(set) = discover(dir) {
        check_set(dir, &set);
        for part in &set.parts {
            let again = discover(&part.path)
                .unwrap_or_else(|e| panic!("discovering through part {:?} of the folder's set fails: {e}", part.name));
            assert_eq!(names_of(&set), names_of(&again), "discovering through {:?} finds another set", part.name);
        }
        let _ = check(&set, None);
    }
    for path in created.iter().take(8) {
        if let Ok(set) = discover(path) {
            check_set(dir, &set);
        }
    }
});
