//! `airlock extract` and `airlock list`: every fixture extracts to exactly
//! what its EXPECTED.tsv says; every refusal leaves the destination as it was.

mod common;

use std::path::{Path, PathBuf};

use common::{NAME, airlock, all_paths, expected, scratch, testdata, tree};

const INTEGRITY: i32 = 1;
const USAGE: i32 = 2;
const NO_SPACE: i32 = 4;
const PAYLOAD: i32 = 5;

/// Extracts `set` into a new `dest` inside a temp dir, asserting exit 0.
fn extract_ok(set: &Path, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let dest = temp.path().join("out");
    let mut args = vec![
        "extract".to_owned(),
        set.to_string_lossy().into_owned(),
        "-d".into(),
        dest.to_string_lossy().into_owned(),
        "--min-free".into(),
        "0".into(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    airlock(&args).expect(0);
    (temp, dest)
}

#[test]
fn every_readable_inno_fixture_extracts_exactly_its_expected_files() {
    for fixture in [
        "inno-5.5.9-lzma-solid-spanned",
        "inno-6.2.0-lzma2-solid-spanned",
        "inno-6.4.1-lzma2-solid-spanned",
        "inno-6.4.1-zip-single",
    ] {
        let set = testdata(&format!("inno/{fixture}"));
        let (_t, dest) = extract_ok(&set, &[]);
        assert_eq!(tree(&dest), expected(&set.join("EXPECTED.tsv")), "{fixture}");
        // Nothing else is left behind: no staging folder, no temporary files.
        assert!(all_paths(&dest).iter().all(|p| !p.contains(".airlock")), "{fixture}: {:?}", all_paths(&dest));
    }
}

#[test]
fn the_last_line_says_where_setup_exe_landed() {
    let set = testdata("inno/inno-6.4.1-lzma2-solid-spanned");
    let temp = tempfile::tempdir().unwrap();
    let dest = temp.path().join("out");
    let run = airlock(["extract", set.to_str().unwrap(), "-d", dest.to_str().unwrap(), "--min-free", "0"]);
    run.expect(0);
    let last = run.stdout().lines().last().unwrap().to_owned();
    assert_eq!(last, format!("setup.exe is at {}", dest.join("setup.exe").display()));
}

#[test]
fn include_and_exclude_take_exactly_what_they_name() {
    let set = testdata("inno/inno-6.4.1-lzma2-solid-spanned");
    let (_t, dest) = extract_ok(&set, &["--include", "setup.exe", "--include", "SQL*/**"]);
    let got: Vec<String> = tree(&dest).into_keys().collect();
    let want: Vec<String> = expected(&set.join("EXPECTED.tsv"))
        .into_keys()
        .filter(|p| p == "setup.exe" || p.starts_with("SQLSERVER2017/"))
        .collect();
    assert_eq!(got, want);
    let (_t, dest) = extract_ok(&set, &["--exclude", "sqlserver2017\\X64", "--exclude", "**/*.TXT"]);
    let got: Vec<String> = tree(&dest).into_keys().collect();
    assert_eq!(
        got,
        ["SQLSERVER2017/ConfigurationFile.ini", "SQLSERVER2017/SQLEXPR_x64_ENU.box", "docs/empty.dat", "setup.exe"]
    );
}

#[test]
fn modification_times_are_restored() {
    let set = testdata("inno/inno-6.4.1-zip-single");
    let (_t, dest) = extract_ok(&set, &[]);
    let listing = airlock(["list", "--json", set.to_str().unwrap()]);
    listing.expect(0);
    let entry =
        listing.json()["entries"].as_array().unwrap().iter().find(|e| e["path"] == "setup.exe").unwrap().clone();
    let recorded = humantime::parse_rfc3339(entry["modified"].as_str().unwrap()).unwrap();
    let actual = std::fs::metadata(dest.join("setup.exe")).unwrap().modified().unwrap();
    let delta = actual.duration_since(recorded).unwrap_or_else(|e| e.duration());
    assert!(delta.as_secs() < 1, "recorded {recorded:?}, on disk {actual:?}");
}

#[test]
fn list_shows_every_entry_with_size_checksum_and_time() {
    let set = testdata("inno/inno-6.4.1-lzma2-solid-spanned");
    let run = airlock(["list", "--json", set.to_str().unwrap()]);
    run.expect(0);
    let json = run.json();
    let entries = json["entries"].as_array().unwrap();
    let want = expected(&set.join("EXPECTED.tsv"));
    assert_eq!(entries.len(), want.len());
    for entry in entries {
        let (size, sha) = &want[entry["path"].as_str().unwrap()];
        assert_eq!(entry["size"], *size);
        // Inno Setup 6.4 records SHA-256 per file: the listing carries it.
        assert_eq!(entry["checksum"], format!("sha256:{sha}"));
        assert!(entry["modified"].is_string());
        assert!(entry["name"].as_str().unwrap().starts_with("{app}/"));
    }
    airlock(["list", set.to_str().unwrap()]).expect(0).mentions(&["setup.exe", "8 entries"]);
}

#[test]
fn existing_files_are_refused_by_default_and_listed() {
    let set = testdata("inno/inno-6.4.1-lzma2-solid-spanned");
    let temp = tempfile::tempdir().unwrap();
    let dest = temp.path().join("out");
    std::fs::create_dir_all(dest.join("docs")).unwrap();
    std::fs::write(dest.join("setup.exe"), b"mine").unwrap();
    std::fs::write(dest.join("docs/readme.txt"), b"also mine").unwrap();
    let before = tree(&dest);
    airlock(["extract", set.to_str().unwrap(), "-d", dest.to_str().unwrap(), "--min-free", "0"])
        .expect(USAGE)
        .mentions(&["setup.exe", "docs/readme.txt", "--overwrite"]);
    assert_eq!(tree(&dest), before, "the destination changed");
    assert_eq!(all_paths(&dest).len(), 3);
    // `if-different` replaces them; a second run finds everything identical.
    airlock([
        "extract",
        set.to_str().unwrap(),
        "-d",
        dest.to_str().unwrap(),
        "--min-free",
        "0",
        "--overwrite",
        "if-different",
    ])
    .expect(0);
    assert_eq!(tree(&dest), expected(&set.join("EXPECTED.tsv")));
    airlock([
        "extract",
        set.to_str().unwrap(),
        "-d",
        dest.to_str().unwrap(),
        "--min-free",
        "0",
        "--overwrite",
        "if-different",
    ])
    .expect(0)
    .mentions(&["8 identical file(s) left as they were"]);
    airlock([
        "extract",
        set.to_str().unwrap(),
        "-d",
        dest.to_str().unwrap(),
        "--min-free",
        "0",
        "--overwrite",
        "always",
    ])
    .expect(0);
    assert_eq!(tree(&dest), expected(&set.join("EXPECTED.tsv")));
}

#[test]
fn the_free_space_floor_refuses_before_writing() {
    let set = testdata("inno/inno-6.4.1-lzma2-solid-spanned");
    let temp = tempfile::tempdir().unwrap();
    let mount = temp.path().join("one-gib");
    std::fs::create_dir(&mount).unwrap();
    // A real 1 GiB filesystem (tmpfs costs no memory until written). CI runs
    // as root; elsewhere this test fails rather than pass without checking.
    assert!(common::is_root(), "this test mounts a tmpfs and needs root (CI runs as root)");
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1g", "tmpfs"])
        .arg(&mount)
        .status()
        .unwrap();
    assert!(mounted.success());
    let dest = mount.join("out");
    // The default 4 GiB floor, against 1 GiB available.
    let refused = airlock(["extract", set.to_str().unwrap(), "-d", dest.to_str().unwrap()]);
    let left = dest.exists();
    // --min-free lowers the floor.
    let lowered = airlock(["extract", set.to_str().unwrap(), "-d", dest.to_str().unwrap(), "--min-free", "500MB"]);
    let _ = std::process::Command::new("umount").arg(&mount).status();
    refused.expect(NO_SPACE).mentions(&["4.00 GiB", "1.00 GiB", "needed", "available"]);
    assert!(!left, "the refused extraction created DEST");
    lowered.expect(0);
}

#[test]
fn a_filesystem_too_small_for_the_payload_is_refused_before_writing() {
    let set = testdata("inno/inno-6.4.1-lzma2-solid-spanned");
    let temp = tempfile::tempdir().unwrap();
    let mount = temp.path().join("small");
    std::fs::create_dir(&mount).unwrap();
    assert!(common::is_root(), "this test mounts a tmpfs and needs root (CI runs as root)");
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
        .arg(&mount)
        .status()
        .unwrap();
    assert!(mounted.success());
    let dest = mount.join("out");
    let run = airlock(["extract", set.to_str().unwrap(), "-d", dest.to_str().unwrap(), "--min-free", "0"]);
    let listing = all_paths(&mount);
    let _ = std::process::Command::new("umount").arg(&mount).status();
    run.expect(NO_SPACE).mentions(&["not enough free space", "needed"]);
    assert!(listing.is_empty(), "something was written: {listing:?}");
}

#[test]
fn a_damaged_entry_is_named_and_nothing_is_left() {
    let (_t, set) = scratch("inno/inno-6.4.1-lzma2-solid-spanned");
    common::flip_byte(&set.join(format!("{NAME}-2.bin")), 1_000_000);
    let temp = tempfile::tempdir().unwrap();
    let dest = temp.path().join("out");
    // The manifest would catch the part first; skip it to reach the entry's own checksum.
    airlock(["extract", set.to_str().unwrap(), "-d", dest.to_str().unwrap(), "--min-free", "0", "--no-verify"])
        .expect(INTEGRITY)
        .mentions(&["SQLSERVER2017/SQLEXPR_x64_ENU.box", "checksum mismatch"]);
    assert!(!dest.exists(), "left behind: {:?}", all_paths(&dest));
    // With verification, the damaged part is named before anything is decoded.
    airlock(["extract", set.to_str().unwrap(), "-d", dest.to_str().unwrap(), "--min-free", "0"])
        .expect(INTEGRITY)
        .mentions(&[&format!("{NAME}-2.bin"), "SHA-256 does not match"]);
    assert!(!dest.exists());
}

#[test]
fn a_damaged_entry_in_an_existing_destination_leaves_it_as_it_was() {
    let (_t, set) = scratch("inno/inno-6.4.1-lzma2-solid-spanned");
    common::flip_byte(&set.join(format!("{NAME}-3.bin")), -5000);
    let temp = tempfile::tempdir().unwrap();
    let dest = temp.path().join("out");
    std::fs::create_dir_all(&dest).unwrap();
    std::fs::write(dest.join("setup.exe"), b"mine").unwrap();
    let before = tree(&dest);
    let run = airlock([
        "extract",
        set.to_str().unwrap(),
        "-d",
        dest.to_str().unwrap(),
        "--min-free",
        "0",
        "--no-verify",
        "--overwrite",
        "always",
    ]);
    // The flipped byte breaks the LZMA2 stream before any checksum is
    // reached: a decoder failure, exit 5 (a checksum mismatch would be 1).
    run.expect(PAYLOAD);
    assert_eq!(tree(&dest), before);
    assert_eq!(all_paths(&dest), ["setup.exe"]);
}

#[test]
fn an_interrupted_run_is_completed_by_the_next_one() {
    // The state `kill -9` leaves mid-commit: a staging folder with a partial
    // file and a journal naming a file already moved into place.
    let set = testdata("inno/inno-6.4.1-lzma2-solid-spanned");
    let temp = tempfile::tempdir().unwrap();
    let dest = temp.path().join("out");
    let staging = dest.join(".airlock-partial-4242");
    std::fs::create_dir_all(&staging).unwrap();
    std::fs::write(staging.join("3"), b"half a file").unwrap();
    std::fs::write(dest.join("setup.exe"), b"placed by the killed run, maybe partial").unwrap();
    std::fs::write(staging.join("journal"), "setup.exe\n").unwrap();
    airlock(["extract", set.to_str().unwrap(), "-d", dest.to_str().unwrap(), "--min-free", "0"]).expect(0);
    assert_eq!(tree(&dest), expected(&set.join("EXPECTED.tsv")));
    assert!(all_paths(&dest).iter().all(|p| !p.contains(".airlock")));
}

#[test]
fn a_run_killed_with_sigkill_is_completed_by_the_next_one() {
    use std::os::unix::process::CommandExt;
    let set = testdata("inno-bench");
    let temp = tempfile::tempdir().unwrap();
    let dest = temp.path().join("out");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("airlock"))
        .args([
            "extract",
            set.to_str().unwrap(),
            "-d",
            dest.to_str().unwrap(),
            "--min-free",
            "0",
            "--no-verify",
            "--quiet",
        ])
        .process_group(0)
        .spawn()
        .unwrap();
    // Wait (bounded) until the run has staged at least one file, then kill it.
    let staged = common::wait_until(&mut child, || common::staging_has_a_file(&dest));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(staged, "the run finished or never staged a file before it could be killed");
    airlock(["extract", set.to_str().unwrap(), "-d", dest.to_str().unwrap(), "--min-free", "0", "--no-verify"])
        .expect(0);
    assert_eq!(tree(&dest), expected(&set.join("EXPECTED.tsv")));
    assert!(all_paths(&dest).iter().all(|p| !p.contains(".airlock")));
}

#[test]
fn an_incomplete_set_is_refused_before_extraction() {
    let (_t, set) = scratch("inno/inno-6.4.1-lzma2-solid-spanned");
    std::fs::remove_file(set.join(format!("{NAME}-3.bin"))).unwrap();
    let temp = tempfile::tempdir().unwrap();
    let dest = temp.path().join("out");
    airlock(["extract", set.to_str().unwrap(), "-d", dest.to_str().unwrap(), "--min-free", "0"])
        .expect(3)
        .mentions(&[&format!("{NAME}-3.bin"), "missing"]);
    assert!(!dest.exists());
}

#[test]
fn archives_made_by_7zip_info_zip_and_python_extract_byte_identical_trees() {
    for fixture in [
        "sevenz/solid",
        "sevenz/nonsolid",
        "sevenz/bcj2",
        "sevenz/volumes",
        "sevenz/sfx-spanned",
        "zip/infozip",
        "zip/stored",
        "zip/python-deflate",
        "zip/zip64",
        "zip/zip64-python-local",
        "zip/sfx-spanned",
        "zip/volumes",
    ] {
        let set = testdata(fixture);
        for threads in ["1", "2"] {
            let (_t, dest) = extract_ok(&set, &["--threads", threads]);
            assert_eq!(tree(&dest), expected(&set.join("EXPECTED.tsv")), "{fixture}");
            // The empty folder and the empty file come out too.
            assert!(dest.join("docs/empty-folder").is_dir(), "{fixture}: empty folder missing");
            assert_eq!(std::fs::metadata(dest.join("docs/empty.dat")).unwrap().len(), 0);
            assert!(dest.join("docs/資料說明.txt").is_file(), "{fixture}: unicode name");
        }
    }
}

#[test]
fn a_7z_or_zip_entry_with_a_damaged_byte_is_named_and_nothing_is_left() {
    for (fixture, file) in [("sevenz/nonsolid", format!("{NAME}.7z")), ("zip/stored", format!("{NAME}.zip"))] {
        let (_t, set) = scratch(fixture);
        std::fs::remove_file(set.join("SHA256SUMS")).unwrap();
        // Inside the largest entry's data (the random .box file), well past the headers.
        let archive = set.join(&file);
        let bytes = std::fs::read(&archive).unwrap();
        let needle = &bytes.len() / 2;
        common::flip_byte(&archive, needle as i64);
        let temp = tempfile::tempdir().unwrap();
        let dest = temp.path().join("out");
        let run = airlock(["extract", set.to_str().unwrap(), "-d", dest.to_str().unwrap(), "--min-free", "0"]);
        // The entry decodes (stored data; the 7z block decodes) but its
        // CRC-32 does not match: an integrity failure, exit 1.
        run.expect(INTEGRITY).mentions(&["SQLSERVER2017/", "CRC-32 mismatch"]);
        assert!(!dest.exists(), "{fixture}: left {:?}", all_paths(&dest));
    }
}

#[test]
fn hostile_entries_are_refused_and_nothing_is_written() {
    for (archive, needle) in [
        ("zip-slip.zip", "'..'"),
        ("zip-slip.7z", "'..'"),
        ("absolute.zip", "absolute path"),
        ("drive-letter.zip", "drive letter"),
        ("windows-reserved.zip", "Windows"),
        ("symlink.zip", "symbolic link"),
        ("symlink.7z", "symbolic link"),
    ] {
        let temp = tempfile::tempdir().unwrap();
        let set = temp.path().join("set");
        std::fs::create_dir(&set).unwrap();
        std::fs::copy(testdata("hostile").join(archive), set.join(archive)).unwrap();
        let dest = temp.path().join("out");
        airlock(["extract", set.join(archive).to_str().unwrap(), "-d", dest.to_str().unwrap(), "--min-free", "0"])
            .expect(PAYLOAD)
            .mentions(&[needle, "nothing was written"]);
        assert!(!dest.exists(), "{archive}: wrote {:?}", all_paths(&dest));
        let outside: Vec<String> = all_paths(temp.path()).into_iter().filter(|p| !p.starts_with("set")).collect();
        assert!(outside.is_empty(), "{archive}: wrote outside: {outside:?}");
        // Listing shows them, marked.
        let listing = airlock(["list", set.join(archive).to_str().unwrap()]);
        listing.expect(0);
        assert!(
            listing.stdout().contains("UNSAFE") || listing.stdout().contains("symbolic link"),
            "{}",
            listing.dump()
        );
    }
}

#[test]
fn excluding_a_hostile_entry_extracts_the_rest() {
    let temp = tempfile::tempdir().unwrap();
    let dest = temp.path().join("out");
    let set = testdata("hostile/symlink.zip");
    let listing = airlock(["list", "--json", set.to_str().unwrap()]);
    let link = listing.json()["entries"].as_array().unwrap().iter().find(|e| e["kind"] == "symlink").unwrap()["name"]
        .as_str()
        .unwrap()
        .to_owned();
    airlock(["extract", set.to_str().unwrap(), "-d", dest.to_str().unwrap(), "--min-free", "0", "--exclude", &link])
        .expect(0);
    assert!(all_paths(&dest).iter().all(|p| !p.ends_with(link.rsplit('/').next().unwrap())));
    assert!(walkdir::WalkDir::new(&dest).into_iter().all(|e| !e.unwrap().path_is_symlink()));
}

#[test]
fn a_refusal_names_every_blocked_path_and_advises_only_what_would_help() {
    use std::io::Write;
    let temp = tempfile::tempdir().unwrap();
    let archive = temp.path().join("Blocked.zip");
    let mut writer = zip::ZipWriter::new(std::fs::File::create(&archive).unwrap());
    for name in ["docs/readme.txt", "setup.exe", "notes.txt"] {
        writer.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        writer.write_all(name.as_bytes()).unwrap();
    }
    writer.finish().unwrap();
    let dest = temp.path().join("out");
    std::fs::create_dir_all(dest.join("setup.exe")).unwrap(); // a folder where a file goes
    std::fs::write(dest.join("docs"), b"a file where a folder goes").unwrap();
    std::fs::write(dest.join("notes.txt"), b"the user's").unwrap();
    let (a, d) = (archive.to_str().unwrap(), dest.to_str().unwrap());
    for overwrite in ["always", "never"] {
        let run = airlock(["extract", a, "-d", d, "--min-free", "0", "--overwrite", overwrite]);
        run.expect(2)
            .mentions(&["setup.exe (a folder is where a file must go)", "docs (a file is where a folder must go)"]);
        assert!(!run.stderr().contains("--overwrite"), "no overwrite setting helps here\n{}", run.dump());
    }
    // Files that only exist: the overwrite setting is what helps.
    std::fs::remove_dir(dest.join("setup.exe")).unwrap();
    std::fs::remove_file(dest.join("docs")).unwrap();
    std::fs::write(dest.join("setup.exe"), b"old").unwrap();
    airlock(["extract", a, "-d", d, "--min-free", "0"]).expect(2).mentions(&["notes.txt", "setup.exe", "--overwrite"]);
}
