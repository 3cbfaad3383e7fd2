//! The body of each fuzz target, shared with `tests/fuzz_regressions.rs`
//! (which replays `fuzz/regressions/<target>/*` through exactly these
//! functions). Each panics when an invariant is broken; what each checks is
//! described on the fuzz target of the same name.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use airlock::{DownloadSet, Entry, ExtractOptions, Manifest, NoProgress, check, discover, extract, list};

use super::{debug, set_input, split_parts, walk, write_files};

/// Runs the body of the target called `name`.
pub fn run(name: &str, data: &[u8]) {
    match name {
        "manifest_parse" => manifest_parse(data),
        "discover_names" => discover_names(data),
        "detect_and_list" => detect_and_list(data),
        "extract_archive" => extract_archive(data),
        "authenticode" => authenticode(data),
        other => panic!("no fuzz target {other:?}"),
    }
}

// ------------------------------------------------------------ manifest_parse

fn pairs(manifest: &Manifest) -> Vec<(String, [u8; 32])> {
    manifest.entries.iter().map(|e| (e.name.clone(), e.sha256)).collect()
}

fn check_manifest(manifest: &Manifest) {
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
    let again =
        Manifest::parse(&json, path).unwrap_or_else(|e| panic!("to_json output does not parse again: {e}\n{json}"));
    assert_eq!(pairs(manifest), pairs(&again), "JSON round trip changed the entries\n{json}");
}

pub fn manifest_parse(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        match Manifest::parse(text, Path::new("SHA256SUMS")) {
            Ok(manifest) => check_manifest(&manifest),
            Err(e) if debug() => eprintln!("parse: {e}"),
            Err(_) => {}
        }
    }
    if data.starts_with(&[0xff, 0xfe]) || data.starts_with(&[0xfe, 0xff]) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("SHA256SUMS");
        std::fs::write(&path, data).expect("write");
        match Manifest::read(&path) {
            Ok(manifest) => {
                assert_eq!(manifest.path.as_deref(), Some(path.as_path()));
                check_manifest(&manifest);
            }
            Err(e) if debug() => eprintln!("read: {e}"),
            Err(_) => {}
        }
    }
}

// ------------------------------------------------------------ discover_names

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

pub fn discover_names(data: &[u8]) {
    let (names, contents) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let parts = split_parts(contents);
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
        if path.symlink_metadata().is_ok() {
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

    match discover(dir) {
        Ok(set) => {
            check_set(dir, &set);
            for part in &set.parts {
                let again = discover(&part.path).unwrap_or_else(|e| {
                    panic!("discovering through part {:?} of the folder's set fails: {e}", part.name)
                });
                assert_eq!(names_of(&set), names_of(&again), "discovering through {:?} finds another set", part.name);
            }
            let checked = check(&set, None);
            if debug() {
                eprintln!(
                    "discover: {:?}; check: {:?}",
                    names_of(&set),
                    checked.map(|r| r.summary()).map_err(|e| e.to_string())
                );
            }
        }
        Err(e) if debug() => eprintln!("discover: {e}"),
        Err(_) => {}
    }
    for path in created.iter().take(8) {
        if let Ok(set) = discover(path) {
            check_set(dir, &set);
        }
    }
}

// ----------------------------------------------------------- detect_and_list

/// A listed entry has exactly one of `path` and `unsafe_reason`, and its path
/// is a safe relative path.
pub fn assert_safe_entry(entry: &Entry) {
    match (&entry.path, &entry.unsafe_reason) {
        (Some(path), None) => {
            assert!(!path.is_empty(), "entry {:?}: empty landing path", entry.name);
            assert!(!path.starts_with('/') && !path.contains('\\'), "entry {:?}: landing path {path:?}", entry.name);
            for component in path.split('/') {
                assert!(
                    !component.is_empty() && component != "." && component != "..",
                    "entry {:?}: landing path {path:?} has component {component:?}",
                    entry.name
                );
                assert!(
                    !component.chars().any(|c| c.is_control() || "<>:\"|?*".contains(c)),
                    "entry {:?}: landing path {path:?} has a forbidden character",
                    entry.name
                );
            }
        }
        (None, Some(_)) => {}
        (path, reason) => panic!("entry {:?}: path {path:?} with unsafe_reason {reason:?}", entry.name),
    }
}

pub fn detect_and_list(data: &[u8]) {
    let Some(input) = set_input(data) else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    write_files(tmp.path(), &input.files);
    let set = match discover(tmp.path()) {
        Ok(set) => set,
        Err(e) => {
            if debug() {
                eprintln!("discover: {e}");
            }
            return;
        }
    };
    let checked = check(&set, None);
    let listed = list(&set, None, None);
    if debug() {
        match &checked {
            Ok(report) => eprintln!("check: {:?} {:?}: {}", report.payload, report.payload_detail, report.summary()),
            Err(e) => eprintln!("check: {e}"),
        }
        match &listed {
            Ok((_, entries)) => {
                eprintln!("list: {} entries, first {:?}", entries.len(), entries.first().map(|e| &e.name))
            }
            Err(e) => eprintln!("list: {e}"),
        }
    }
    if let Ok((report, entries)) = listed {
        assert!(report.is_ok(), "list returned a report with errors");
        for entry in &entries {
            assert_safe_entry(entry);
        }
    }
}

// ----------------------------------------------------------- extract_archive

pub fn extract_archive(data: &[u8]) {
    let Some(input) = set_input(data) else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    write_files(tmp.path(), &input.files);
    let inputs: Vec<PathBuf> = input.files.iter().map(|(name, _)| tmp.path().join(name)).collect();
    let set = match discover(tmp.path()) {
        Ok(set) => set,
        Err(e) => {
            if debug() {
                eprintln!("discover: {e}");
            }
            return;
        }
    };
    let dest = tmp.path().join("dest");
    let mut options = ExtractOptions::new(&dest);
    options.min_free = 0;
    options.verify_parts = false;
    options.hash.threads = input.threads;
    let result = extract(&set, &options, &NoProgress);
    if debug() {
        match &result {
            Ok(report) => eprintln!("extract: {} files, {} bytes", report.files.len(), report.bytes_written),
            Err(e) => eprintln!("extract: {e}"),
        }
    }

    for path in walk(tmp.path()) {
        if path.starts_with(&dest) {
            let meta = std::fs::symlink_metadata(&path).expect("lstat");
            assert!(!meta.file_type().is_symlink(), "extraction left a symbolic link: {path:?}");
        } else {
            assert!(inputs.contains(&path), "extraction wrote outside the destination: {path:?} ({result:?})");
        }
    }
    match &result {
        Err(error) => {
            assert!(!dest.exists(), "a failed extraction ({error}) left the destination it created: {:?}", walk(&dest));
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
}

// ------------------------------------------------------------ authenticode

/// Authenticode verification of arbitrary bytes as a PE image: never a
/// panic; a non-PE is `None`, and a verdict of valid needs a signature that
/// chains to a built-in Microsoft root (which random bytes cannot make).
pub fn authenticode(data: &[u8]) {
    let trust = airlock::Trust::builtin();
    let status = airlock::verify_authenticode_bytes(data, &trust);
    if debug() {
        eprintln!("{status:?}");
    }
    if !data.starts_with(b"MZ") {
        assert!(status.is_none(), "a file not starting with MZ was taken for a PE: {status:?}");
    }
}
