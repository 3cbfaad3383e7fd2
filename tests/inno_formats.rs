//! Inno Setup as vendors build it beyond the plain case: BZip2 data,
//! password-encrypted data, several slices a disk (`NAME-1a.bin` …), and the
//! 64-bit slice headers and newer setup data of Inno Setup 6.5.2 and later.
//!
//! The BZip2, encrypted and slices-per-disk sets are real installers from the
//! real compiler (`testdata/inno/`). Inno Setup 6.5+ could not be built here,
//! so those tests rewrite real fixtures into the published 6.5.2 layout (slice
//! headers) or setup data ID; they prove what the format says, not what a
//! 6.5.2 compiler writes.

mod common;

use std::path::{Path, PathBuf};

use common::{FIXTURE_PASSWORD, NAME, Run, airlock, airlock_env, expected, scratch, testdata, tree};

const PAYLOAD: i32 = 5;
const USAGE: i32 = 2;
const INCOMPLETE: i32 = 3;

fn set(fixture: &str) -> PathBuf {
    testdata(&format!("inno/{fixture}"))
}

fn extract_args(set: &Path, dest: &Path, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = vec![
        "extract".into(),
        set.to_string_lossy().into_owned(),
        "-d".into(),
        dest.to_string_lossy().into_owned(),
        "--min-free".into(),
        "0".into(),
    ];
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    args
}

/// Runs `airlock` from inside `dir`, as a user who `cd`s into the set does.
fn airlock_in(dir: &Path, args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("airlock")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .env_remove("AIRLOCK_PASSWORD")
        .output()
        .unwrap()
}

#[test]
fn bzip2_installers_check_verify_deeply_and_extract_to_their_expected_trees() {
    for fixture in ["inno-6.0.5-bzip-single", "inno-5.5.9-bzip-spanned"] {
        let set = set(fixture);
        airlock(["check", set.to_str().unwrap()]).expect(0).mentions(&["BZip2 compression"]);
        airlock(["verify", "--deep", set.to_str().unwrap()]).expect(0).mentions(&["0 failed"]);
        let temp = tempfile::tempdir().unwrap();
        let dest = temp.path().join("out");
        let run = airlock(extract_args(&set, &dest, &[]));
        run.expect(0);
        assert!(!run.stderr().contains("panicked"), "{}", run.dump());
        assert_eq!(tree(&dest), expected(&set.join("EXPECTED.tsv")), "{fixture}");
    }
}

#[test]
fn encrypted_installers_list_verify_and_extract_with_their_password() {
    for fixture in ["inno-6.4.1-encrypted-single", "inno-6.4.1-encrypted-spanned"] {
        let set = set(fixture);
        airlock(["check", set.to_str().unwrap()]).expect(0).mentions(&["encrypted"]);
        // Only file data is encrypted: the list needs no password.
        airlock(["list", set.to_str().unwrap()]).expect(0).mentions(&["setup.exe"]);
        airlock(["verify", "--deep", "--password", FIXTURE_PASSWORD, set.to_str().unwrap()])
            .expect(0)
            .mentions(&["0 failed"]);
        let temp = tempfile::tempdir().unwrap();
        let dest = temp.path().join("out");
        airlock_env(extract_args(&set, &dest, &[]), &[("AIRLOCK_PASSWORD", FIXTURE_PASSWORD)]).expect(0);
        assert_eq!(tree(&dest), expected(&set.join("EXPECTED.tsv")), "{fixture}");
    }
}

#[test]
fn a_password_file_is_read_by_a_relative_name_from_inside_the_set() {
    let (_temp, dir) = scratch("inno/inno-6.4.1-encrypted-spanned");
    std::fs::write(dir.join("pass.txt"), format!("{FIXTURE_PASSWORD}\n")).unwrap();
    let exe = format!("{NAME}.exe");
    let output = airlock_in(
        &dir,
        &["extract", &exe, "-d", "out", "--min-free", "0", "--password-file", "pass.txt", "--no-verify"],
    );
    assert!(output.status.success(), "{output:?}");
    assert_eq!(tree(&dir.join("out")), expected(&dir.join("EXPECTED.tsv")));
    // A file that is not there is a usage error naming it.
    let output = airlock_in(&dir, &["verify", "--deep", &exe, "--password-file", "nope.txt"]);
    assert_eq!(output.status.code(), Some(USAGE), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("--password-file nope.txt"), "{output:?}");
    // With --json, the one JSON object says so.
    let output = airlock_in(&dir, &["verify", "--json", "--deep", &exe, "--password-file", "nope.txt"]);
    assert_eq!(output.status.code(), Some(USAGE), "{output:?}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    common::validate_json(&json).unwrap();
    assert_eq!(json["error"]["kind"], "usage", "{json}");
    assert!(json["error"]["message"].as_str().unwrap().contains("--password-file nope.txt"), "{json}");
}

fn refused(run: &Run, needle: &str, dest: &Path) {
    run.expect(USAGE).mentions(&[needle, "--password"]);
    assert_eq!(run.stderr().lines().count(), 1, "one line: {}", run.dump());
    assert!(!dest.exists(), "the destination was created: {}", run.dump());
}

#[test]
fn a_missing_or_wrong_password_is_a_usage_error_before_anything_is_written() {
    for fixture in ["inno-6.4.1-encrypted-single", "inno-6.4.1-encrypted-spanned"] {
        let set = set(fixture);
        let temp = tempfile::tempdir().unwrap();
        let dest = temp.path().join("out");
        refused(&airlock(extract_args(&set, &dest, &[])), "no password was given", &dest);
        refused(&airlock(extract_args(&set, &dest, &["--password", "Fixture-pass"])), "wrong password", &dest);
        refused(
            &airlock_env(extract_args(&set, &dest, &[]), &[("AIRLOCK_PASSWORD", "wrong")]),
            "wrong password",
            &dest,
        );
        refused(&airlock(["verify", "--deep", set.to_str().unwrap()]), "no password was given", &dest);
        // A password given to `list` is checked too.
        refused(&airlock(["list", "--password", "x", set.to_str().unwrap()]), "wrong password", &dest);
    }
}

#[test]
fn slices_per_disk_check_verify_deeply_and_extract() {
    let set = set("inno-6.2.0-slices-per-disk");
    let run = airlock(["check", set.to_str().unwrap()]);
    run.expect(0).mentions(&["3 a disk", &format!("{NAME}-1a.bin"), &format!("{NAME}-1c.bin")]);
    airlock(["verify", "--deep", set.to_str().unwrap()]).expect(0).mentions(&["0 failed"]);
    let temp = tempfile::tempdir().unwrap();
    let dest = temp.path().join("out");
    airlock(extract_args(&set, &dest, &[])).expect(0);
    assert_eq!(tree(&dest), expected(&set.join("EXPECTED.tsv")));
}

#[test]
fn a_missing_lettered_slice_is_named_exactly() {
    let (_temp, dir) = scratch("inno/inno-6.2.0-slices-per-disk");
    // The headers judge, not a manifest's part list.
    std::fs::remove_file(dir.join("SHA256SUMS")).unwrap();
    let b = format!("{NAME}-1b.bin");
    std::fs::rename(dir.join(&b), dir.join(format!("{b}.crdownload"))).unwrap();
    airlock(["check", dir.to_str().unwrap()])
        .expect(INCOMPLETE)
        .mentions(&[&format!("{b} is missing: {b}.crdownload is an unfinished browser download")]);
    std::fs::remove_file(dir.join(format!("{b}.crdownload"))).unwrap();
    let run = airlock(["check", "--json", dir.join(format!("{NAME}-1c.bin")).to_str().unwrap()]);
    run.expect(INCOMPLETE);
    let json = run.json();
    let missing: Vec<&str> = json["parts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["status"] == "missing")
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(missing, [b.as_str()], "{}", run.dump());
}

#[test]
fn a_short_lettered_slice_and_a_leftover_one_are_reported() {
    let (_temp, dir) = scratch("inno/inno-6.2.0-slices-per-disk");
    std::fs::remove_file(dir.join("SHA256SUMS")).unwrap();
    let c = dir.join(format!("{NAME}-1c.bin"));
    let size = std::fs::metadata(&c).unwrap().len();
    std::fs::OpenOptions::new().write(true).open(&c).unwrap().set_len(size - 100).unwrap();
    std::fs::write(dir.join(format!("{NAME}-1d.bin")), b"idska32\x1a\x10\0\0\0zlb\x1a").unwrap();
    airlock(["check", dir.to_str().unwrap()]).expect(INCOMPLETE).mentions(&[
        &format!("{NAME}-1c.bin is {} bytes but its slice header says {size}: it is 100 bytes short", size - 100),
        &format!("{NAME}-1d.bin looks like a part of {NAME} but the payload does not use it"),
    ]);
}

/// Rewrites a 32-bit slice header (`idska32\x1a`, u32) into Inno Setup
/// 6.5.2's 64-bit form (`idskb32\x1a`, i64), keeping the data after it: the
/// file grows by 4 bytes and the header declares the new size.
fn to_64_bit_slice(path: &Path) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[..8], b"idska32\x1a");
    let mut out = b"idskb32\x1a".to_vec();
    out.extend_from_slice(&((bytes.len() + 4) as i64).to_le_bytes());
    out.extend_from_slice(&bytes[12..]);
    std::fs::write(path, out).unwrap();
}

#[test]
fn inno_6_5_2_slice_headers_are_checked_and_read_built_from_the_format() {
    // Slices 2 and 3 carry no chunk start, only the continuation of the solid
    // chunk, so a real 6.4.1 installer still reads them in the 6.5.2 form.
    let (_temp, dir) = scratch("inno/inno-6.4.1-lzma2-solid-spanned");
    std::fs::remove_file(dir.join("SHA256SUMS")).unwrap();
    for n in [2, 3] {
        to_64_bit_slice(&dir.join(format!("{NAME}-{n}.bin")));
    }
    airlock(["check", dir.to_str().unwrap()]).expect(0).mentions(&["complete"]);
    let dest = dir.parent().unwrap().join("out");
    airlock(extract_args(&dir, &dest, &[])).expect(0);
    assert_eq!(tree(&dest), expected(&dir.join("EXPECTED.tsv")));
    // The 64-bit size is the one compared with the file.
    let three = dir.join(format!("{NAME}-3.bin"));
    let size = std::fs::metadata(&three).unwrap().len();
    std::fs::OpenOptions::new().write(true).open(&three).unwrap().set_len(size - 7).unwrap();
    airlock(["check", dir.to_str().unwrap()]).expect(INCOMPLETE).mentions(&[&format!(
        "{NAME}-3.bin is {} bytes but its slice header says {size}: it is 7 bytes short",
        size - 7
    )]);
}

/// Replaces the setup data ID (`Inno Setup Setup Data (6.4.0.1)`) of the
/// installer in `dir` with `version`, as a newer compiler would write it.
fn claim_version(dir: &Path, version: &str) {
    let exe = dir.join(format!("{NAME}.exe"));
    let mut bytes = std::fs::read(&exe).unwrap();
    let old = b"Inno Setup Setup Data (6.4.0.1)";
    let new = format!("Inno Setup Setup Data ({version})");
    assert!(new.len() <= old.len());
    let mut replacement = new.into_bytes();
    replacement.resize(old.len(), 0);
    let mut found = 0;
    for start in 0..bytes.len() - old.len() {
        if &bytes[start..start + old.len()] == old {
            bytes[start..start + old.len()].copy_from_slice(&replacement);
            found += 1;
        }
    }
    assert!(found > 0);
    std::fs::write(&exe, bytes).unwrap();
}

#[test]
fn a_newer_version_it_cannot_read_is_named_with_exit_5() {
    for (version, needle) in [
        (
            "6.5.2",
            "Inno Setup 6.5.2 data: the setup headers cannot be read; airlock knows this layout from the published",
        ),
        ("7.5.0", "Inno Setup 7.5.0 data: newer than any layout airlock reads"),
    ] {
        let (_temp, dir) = scratch("inno/inno-6.4.1-zip-single");
        // Without a manifest an unreadable payload is an error, not a warning.
        std::fs::remove_file(dir.join("SHA256SUMS")).unwrap();
        claim_version(&dir, version);
        let run = airlock(["check", dir.to_str().unwrap()]);
        run.expect(PAYLOAD).mentions(&[needle]);
        assert!(!run.stderr().contains("panicked"), "{}", run.dump());
        let dest = dir.parent().unwrap().join("out");
        airlock(extract_args(&dir, &dest, &[])).expect(PAYLOAD).mentions(&[needle]);
        assert!(!dest.exists());
    }
}

/// Writes, after the setup data ID of the installer in `dir`, the 6.5.0
/// encryption header the published format puts there: a CRC-32 of the 49
/// bytes that follow (`EncryptionUse`, 16-byte KDF salt, iterations, 24-byte
/// base nonce, password test), here with `EncryptionUse = Full` (2).
fn write_full_encryption_header(dir: &Path) {
    let exe = dir.join(format!("{NAME}.exe"));
    let mut bytes = std::fs::read(&exe).unwrap();
    let id = b"Inno Setup Setup Data (6.5.0)";
    // Every copy of the ID (the setup program's own, and the header's).
    let copies: Vec<usize> =
        bytes.windows(id.len()).enumerate().filter(|(_, w)| w == id).map(|(i, _)| i + 64).collect();
    assert!(!copies.is_empty());
    let mut header = vec![2_u8];
    header.extend_from_slice(&[0x5a; 16]);
    header.extend_from_slice(&200_000_u32.to_le_bytes());
    header.extend_from_slice(&[0xa5; 24]);
    header.extend_from_slice(&0x1234_5678_u32.to_le_bytes());
    assert_eq!(header.len(), 49);
    let mut record = crc32fast::hash(&header).to_le_bytes().to_vec();
    record.extend_from_slice(&header);
    for at in copies {
        bytes[at..at + record.len()].copy_from_slice(&record);
    }
    std::fs::write(&exe, bytes).unwrap();
}

#[test]
fn inno_6_5_headers_encrypted_with_encryption_full_are_named_built_from_the_format() {
    let (_temp, dir) = scratch("inno/inno-6.4.1-zip-single");
    std::fs::remove_file(dir.join("SHA256SUMS")).unwrap();
    claim_version(&dir, "6.5.0");
    write_full_encryption_header(&dir);
    let needle = "Inno Setup 6.5.0 data: the setup headers themselves are encrypted (Encryption=full)";
    airlock(["check", dir.to_str().unwrap()]).expect(PAYLOAD).mentions(&[needle]);
    airlock(["list", "--password", FIXTURE_PASSWORD, dir.to_str().unwrap()]).expect(PAYLOAD).mentions(&[needle]);
}

#[test]
fn a_renamed_installer_finds_its_lettered_slices() {
    let (_temp, dir) = scratch("inno/inno-6.2.0-slices-per-disk");
    std::fs::remove_file(dir.join("SHA256SUMS")).unwrap();
    std::fs::rename(dir.join(format!("{NAME}.exe")), dir.join("setup (1).exe")).unwrap();
    airlock(["check", dir.to_str().unwrap()])
        .expect(0)
        .mentions(&[&format!("through the slice headers: {NAME}-1a.bin …"), &format!("{NAME}-1b.bin")]);
    let dest = dir.parent().unwrap().join("out");
    airlock(extract_args(&dir.join("setup (1).exe"), &dest, &[])).expect(0);
    assert_eq!(tree(&dest), expected(&dir.join("EXPECTED.tsv")));
}

/// The slices are handed to the reader as the files discovery found, never
/// linked into a temporary folder: with `TMPDIR` naming no folder at all (a
/// chroot without `/tmp`; on Windows, `%TEMP%` on another volume than the
/// set), spanned and lettered sets, a renamed installer among them, still
/// decode and extract to their trees.
#[test]
fn slices_are_read_where_they_are_with_no_temporary_folder() {
    let temp = tempfile::tempdir().unwrap();
    let nowhere = temp.path().join("no-such-folder");
    let env = [("TMPDIR", nowhere.to_str().unwrap())];
    for fixture in ["inno-6.4.1-lzma2-solid-spanned", "inno-6.2.0-slices-per-disk", "inno-5.5.9-bzip-spanned"] {
        let (_set_temp, dir) = scratch(&format!("inno/{fixture}"));
        std::fs::remove_file(dir.join("SHA256SUMS")).unwrap();
        std::fs::rename(dir.join(format!("{NAME}.exe")), dir.join("setup (1).exe")).unwrap();
        let exe = dir.join("setup (1).exe");
        airlock_env(["verify", "--deep", exe.to_str().unwrap()], &env).expect(0);
        let dest = temp.path().join(fixture);
        airlock_env(extract_args(&exe, &dest, &[]), &env).expect(0);
        assert_eq!(tree(&dest), expected(&dir.join("EXPECTED.tsv")), "{fixture}");
        assert!(!nowhere.exists(), "{fixture}: something made the temporary folder");
    }
}
