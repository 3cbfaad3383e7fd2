//! `airlock verify` and `airlock manifest`: hashes against manifests written
//! by coreutils, BSD tags and PowerShell, per-part verdicts, and `--deep`.

mod common;

use std::process::Command;

use common::{NAME, airlock, scratch, testdata};

const INTEGRITY: i32 = 1;

fn slice(n: u32) -> String {
    format!("{NAME}-{n}.bin")
}

#[test]
fn every_inno_fixture_verifies_against_its_sha256sums() {
    for fixture in common::INNO_FIXTURES {
        let run = airlock(["verify", "--json", testdata(&format!("inno/{fixture}")).to_str().unwrap()]);
        run.expect(0);
        let json = run.json();
        assert_eq!(json["ok"], true);
        let manifest = std::fs::read_to_string(testdata(&format!("inno/{fixture}/SHA256SUMS"))).unwrap();
        for part in json["parts"].as_array().unwrap() {
            assert_eq!(part["status"], "ok", "{}", run.dump());
            let line = format!("{}  {}", part["sha256"].as_str().unwrap(), part["name"].as_str().unwrap());
            assert!(manifest.contains(&line), "{line} not in SHA256SUMS");
        }
    }
}

#[test]
fn one_flipped_byte_in_a_middle_part_is_named_and_the_others_pass() {
    let (_t, dir) = scratch("inno/inno-6.4.1-lzma2-solid-spanned");
    common::flip_byte(&dir.join(slice(2)), 100_000);
    let run = airlock(["verify", dir.to_str().unwrap()]);
    run.expect(INTEGRITY).mentions(&[
        &format!("{}: FAILED", slice(2)),
        &format!("{}: OK", slice(1)),
        &format!("{}: OK", slice(3)),
        &format!("{NAME}.exe: OK"),
    ]);
    let json = airlock(["verify", "--json", dir.to_str().unwrap()]).json();
    assert_eq!(json["ok"], false);
    assert_eq!(json["error"]["kind"], "integrity");
    let statuses: Vec<&str> = json["parts"].as_array().unwrap().iter().map(|p| p["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["ok", "ok", "mismatch", "ok"]);
}

#[test]
fn a_manifest_written_by_sha256sum_and_bsd_tags_are_accepted() {
    let (_t, dir) = scratch("inno/inno-6.2.0-lzma2-solid-spanned");
    std::fs::remove_file(dir.join("SHA256SUMS")).unwrap();
    let parts: Vec<String> = std::iter::once(format!("{NAME}.exe")).chain((1..=3).map(slice)).collect();
    for (file, tag) in [("gnu.sha256", false), ("bsd.sha256", true)] {
        let mut command = Command::new("sha256sum");
        if tag {
            command.arg("--tag");
        }
        let output = command.args(&parts).current_dir(&dir).output().expect("coreutils sha256sum");
        assert!(output.status.success());
        std::fs::write(dir.parent().unwrap().join(file), &output.stdout).unwrap();
        let manifest = dir.parent().unwrap().join(file);
        airlock(["verify", "--manifest", manifest.to_str().unwrap(), dir.to_str().unwrap()])
            .expect(0)
            .mentions(&[&format!("{}: OK", slice(3))]);
        // And it catches damage.
        common::flip_byte(&dir.join(slice(1)), 50);
        airlock(["verify", "--manifest", manifest.to_str().unwrap(), dir.to_str().unwrap()])
            .expect(INTEGRITY)
            .mentions(&[&format!("{}: FAILED", slice(1))]);
        common::flip_byte(&dir.join(slice(1)), 50);
    }
}

#[test]
fn a_get_filehash_csv_from_powershell_is_accepted() {
    let (_t, dir) = scratch("inno/inno-6.2.0-lzma2-solid-spanned");
    let sums = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    // Export-Csv's layout: a #TYPE line, quoted header, upper-case hashes, full Windows paths.
    let mut csv =
        String::from("#TYPE Microsoft.PowerShell.Commands.FileHashInfo\r\n\"Algorithm\",\"Hash\",\"Path\"\r\n");
    for line in sums.lines() {
        let (hash, name) = line.split_once("  ").unwrap();
        csv.push_str(&format!("\"SHA256\",\"{}\",\"C:\\Users\\admin\\Downloads\\{name}\"\r\n", hash.to_uppercase()));
    }
    std::fs::remove_file(dir.join("SHA256SUMS")).unwrap();
    let manifest = dir.parent().unwrap().join("hashes.csv");
    std::fs::write(&manifest, csv).unwrap();
    airlock(["verify", "--manifest", manifest.to_str().unwrap(), dir.to_str().unwrap()])
        .expect(0)
        .mentions(&[&format!("{NAME}.exe: OK")]);
}

#[test]
fn without_a_manifest_the_hashes_are_printed_as_sha256sum_would() {
    let (_t, dir) = scratch("inno/inno-6.4.1-lzma2-solid-spanned");
    let sums = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    std::fs::remove_file(dir.join("SHA256SUMS")).unwrap();
    let run = airlock(["verify", dir.to_str().unwrap()]);
    run.expect(0);
    let stdout = run.stdout();
    let mut printed: Vec<&str> = stdout.lines().collect();
    let mut expected: Vec<&str> = sums.lines().collect();
    printed.sort();
    expected.sort();
    assert_eq!(printed, expected);
}

#[test]
fn the_manifest_command_writes_what_sha256sum_c_accepts() {
    let (_t, dir) = scratch("inno/inno-6.4.1-lzma2-solid-spanned");
    std::fs::remove_file(dir.join("SHA256SUMS")).unwrap();
    let target = dir.join("SHA256SUMS");
    airlock(["manifest", dir.to_str().unwrap(), "-o", target.to_str().unwrap()]).expect(0);
    let check = Command::new("sha256sum").args(["-c", "SHA256SUMS"]).current_dir(&dir).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    assert_eq!(String::from_utf8_lossy(&check.stdout).matches(": OK").count(), 4);
    // It does not replace an existing file unless told to.
    airlock(["manifest", dir.to_str().unwrap(), "-o", target.to_str().unwrap()])
        .expect(2)
        .mentions(&["already exist", "--overwrite always"]);
    airlock(["manifest", dir.to_str().unwrap(), "-o", target.to_str().unwrap(), "--overwrite", "always"]).expect(0);
}

#[test]
fn a_json_manifest_beside_the_set_is_found_and_its_sizes_enforced() {
    let (_t, dir) = scratch("inno/inno-6.4.1-lzma2-solid-spanned");
    std::fs::remove_file(dir.join("SHA256SUMS")).unwrap();
    let target = dir.join(format!("{NAME}.manifest.json"));
    airlock(["manifest", "--format", "json", dir.to_str().unwrap(), "-o", target.to_str().unwrap()]).expect(0);
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    assert_eq!(json["payload"], "inno");
    assert_eq!(json["parts"].as_array().unwrap().len(), 4);
    let run = airlock(["verify", "--json", dir.to_str().unwrap()]);
    run.expect(0);
    assert!(run.json()["manifest"].as_str().unwrap().ends_with(".manifest.json"));
    // A part cut short is named by the manifest's size before any hashing.
    let path = dir.join(slice(3));
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() - 10]).unwrap();
    airlock(["verify", dir.to_str().unwrap()]).expect(3).mentions(&[&slice(3), "manifest says"]);
}

#[test]
fn deep_verification_finds_a_flipped_byte_without_a_manifest() {
    let (_t, dir) = scratch("inno/inno-6.4.1-zip-single");
    std::fs::remove_file(dir.join("SHA256SUMS")).unwrap();
    airlock(["verify", "--deep", dir.to_str().unwrap()]).expect(0).mentions(&["8 file(s)"]);
    // Damage a byte well inside the compressed data, past the headers.
    let exe = dir.join(format!("{NAME}.exe"));
    let len = std::fs::metadata(&exe).unwrap().len() as i64;
    common::flip_byte(&exe, len / 2);
    let run = airlock(["verify", "--deep", "--json", dir.to_str().unwrap()]);
    // The byte breaks the Deflate stream of an entry: a decoder failure (5).
    run.expect(5);
    let json = run.json();
    assert_eq!(json["ok"], false);
    assert!(!json["deep"]["failures"].as_array().unwrap().is_empty(), "{}", run.dump());
}

#[test]
fn deep_verification_of_every_readable_inno_fixture_passes() {
    for fixture in ["inno-5.5.9-lzma-solid-spanned", "inno-6.2.0-lzma2-solid-spanned", "inno-6.4.1-lzma2-solid-spanned"]
    {
        let run = airlock(["verify", "--deep", "--json", testdata(&format!("inno/{fixture}")).to_str().unwrap()]);
        run.expect(0);
        assert_eq!(run.json()["deep"]["entries_checked"], 8, "{}", run.dump());
    }
}

#[test]
fn hashing_reports_the_sha256_backend_and_agrees_across_threads_and_io_strategies() {
    let dir = testdata("inno/inno-6.4.1-lzma2-solid-spanned");
    let a = airlock(["verify", "--json", "--threads", "1", "--mmap", dir.to_str().unwrap()]);
    let b = airlock(["verify", "--json", "--threads", "4", dir.to_str().unwrap()]);
    a.expect(0);
    b.expect(0);
    assert_eq!(a.json()["parts"], b.json()["parts"]);
    assert!(!a.json()["sha256_backend"].as_str().unwrap().is_empty());
}

/// Issue 25: the SHA-256 of `testdata/zip/stored`'s one part, and another.
const STORED_ZIP: &str = "23b82e778e8164bffec0c45b18efe6d05dc17458a663e62283bbf5e2cccfa95d";
const OTHER: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

#[test]
fn a_manifest_listing_one_part_twice_with_two_hashes_is_never_ok() {
    let (_t, dir) = scratch("zip/stored");
    let part = format!("{NAME}.zip");
    // Either order: the right hash first or the wrong one first.
    for (first, second) in [(STORED_ZIP, OTHER), (OTHER, STORED_ZIP)] {
        std::fs::write(dir.join("SHA256SUMS"), format!("{first}  {part}\n{second}  {part}\n")).unwrap();
        let run = airlock(["verify", dir.to_str().unwrap()]);
        run.expect(2).mentions(&["SHA256SUMS", "line 2", "line 1", first, second, "twice"]);
        let dest = dir.parent().unwrap().join("out");
        airlock(["extract", dir.to_str().unwrap(), "-d", dest.to_str().unwrap(), "--min-free", "0"]).expect(2);
        assert!(!dest.exists());
    }
}

#[test]
fn every_line_sha256sum_c_accepts_is_read_one_space_and_tab_included() {
    let (_t, dir) = scratch("zip/stored");
    let part = format!("{NAME}.zip");
    for line in [format!("{STORED_ZIP} {part}"), format!("{STORED_ZIP}\t{part}"), format!("  {STORED_ZIP} *{part}")] {
        std::fs::write(dir.join("SHA256SUMS"), format!("{line}\n")).unwrap();
        if Command::new("sha256sum").arg("--version").output().is_ok() {
            let ok = Command::new("sha256sum").current_dir(&dir).args(["-c", "SHA256SUMS"]).output().unwrap();
            assert!(ok.status.success(), "sha256sum -c refuses {line:?}");
        }
        airlock(["verify", dir.to_str().unwrap()]).expect(0).mentions(&[&format!("{part}: OK")]);
    }
}

#[test]
fn a_powershell_format_list_is_told_apart_with_how_to_write_a_manifest() {
    let (_t, dir) = scratch("zip/stored");
    let listing = format!(
        "\r\nAlgorithm : SHA256\r\nHash      : {}\r\nPath      : C:\\Downloads\\{NAME}.zip\r\n\r\n",
        STORED_ZIP.to_uppercase()
    );
    std::fs::write(dir.join("hashes.txt"), listing).unwrap();
    let manifest = dir.join("hashes.txt");
    airlock(["verify", "--manifest", manifest.to_str().unwrap(), dir.to_str().unwrap()])
        .expect(2)
        .mentions(&["Format-List", "Export-Csv"]);
}

#[test]
fn two_manifests_beside_the_set_that_disagree_are_both_refused() {
    // A damaged part with a SHA256SUMS made again from it, beside the JSON
    // manifest of the original: neither is believed.
    let (_t, dir) = scratch("inno/inno-6.4.1-lzma2-solid-spanned");
    let json = dir.join(format!("{NAME}.manifest.json"));
    airlock(["manifest", "--format", "json", dir.to_str().unwrap(), "-o", json.to_str().unwrap()]).expect(0);
    common::flip_byte(&dir.join(slice(2)), 100_000);
    // Made again as `sha256sum NAME* > SHA256SUMS` would.
    let sums = dir.join("SHA256SUMS");
    let lines: String = common::tree(&dir)
        .iter()
        .filter(|(name, _)| !name.contains("manifest") && !name.contains("SHA256SUMS"))
        .map(|(name, (_, sha))| format!("{sha}  {name}\n"))
        .collect();
    std::fs::write(&sums, lines).unwrap();
    let run = airlock(["verify", dir.to_str().unwrap()]);
    run.expect(2).mentions(&[
        "SHA256SUMS",
        &format!("{NAME}.manifest.json"),
        &slice(2),
        "disagrees",
        "--manifest FILE",
    ]);
    let dest = dir.parent().unwrap().join("out");
    airlock(["extract", dir.to_str().unwrap(), "-d", dest.to_str().unwrap(), "--min-free", "0"]).expect(2);
    assert!(!dest.exists());
    // Naming one settles it: the JSON finds the damaged part.
    airlock(["verify", "--manifest", json.to_str().unwrap(), dir.to_str().unwrap()])
        .expect(INTEGRITY)
        .mentions(&[&format!("{}: FAILED", slice(2))]);
    // Two that agree are fine.
    std::fs::remove_file(&json).unwrap();
    common::flip_byte(&dir.join(slice(2)), 100_000);
    std::fs::remove_file(&sums).unwrap();
    airlock(["manifest", dir.to_str().unwrap(), "-o", sums.to_str().unwrap()]).expect(0);
    airlock(["manifest", "--format", "json", dir.to_str().unwrap(), "-o", json.to_str().unwrap()]).expect(0);
    airlock(["verify", dir.to_str().unwrap()]).expect(0);
}

#[test]
fn a_file_the_manifest_lists_that_is_not_a_part_is_checked_and_reported() {
    let (_t, dir) = scratch("zip/stored");
    let notes = b"release notes\n";
    let notes_sha = "e0a8a1d6e6c50d6c2a0ec0b5e9a0c0d1c9c9e8c0e5b6e8c1b0a9a1d0c3e2f1a0"; // not its hash
    std::fs::write(dir.join("RELEASE-NOTES.txt"), notes).unwrap();
    let right = {
        use sha2::Digest;
        hex_of(&sha2::Sha256::digest(notes))
    };
    let write = |notes_hash: &str| {
        std::fs::write(
            dir.join("SHA256SUMS"),
            format!("{STORED_ZIP}  {NAME}.zip\n{notes_hash}  RELEASE-NOTES.txt\n{OTHER}  not-downloaded.iso\n"),
        )
        .unwrap();
    };
    write(&right);
    let run = airlock(["verify", dir.to_str().unwrap()]);
    run.expect(0).mentions(&[
        &format!("{NAME}.zip: OK"),
        "RELEASE-NOTES.txt: not part of the set, hash OK",
        "not-downloaded.iso: not part of the set, not found beside it",
    ]);
    let json = airlock(["verify", "--json", dir.to_str().unwrap()]);
    let others = json.json()["others"].clone();
    assert_eq!(others[0]["name"], "RELEASE-NOTES.txt", "{}", json.dump());
    assert_eq!(others[0]["status"], "ok");
    assert_eq!(others[1]["status"], "missing");
    // A wrong hash is never OK, although the set's own parts match.
    write(notes_sha);
    airlock(["verify", dir.to_str().unwrap()])
        .expect(INTEGRITY)
        .mentions(&["RELEASE-NOTES.txt: not part of the set, hash FAILED", &format!("{NAME}.zip: OK")]);
}

#[test]
fn a_sha256sums_of_other_downloads_does_not_hide_the_sets_own_manifest() {
    // The folder's SHA256SUMS covers other downloads only; the set's own
    // JSON manifest beside it says the zip is not what it should be.
    let (_t, dir) = scratch("zip/stored");
    let json = dir.join(format!("{NAME}.zip.manifest.json"));
    airlock(["manifest", "--format", "json", dir.to_str().unwrap(), "-o", json.to_str().unwrap()]).expect(0);
    std::fs::write(dir.join("SHA256SUMS"), format!("{OTHER}  not-downloaded.iso\n")).unwrap();
    common::flip_byte(&dir.join(format!("{NAME}.zip")), 200);
    let run = airlock(["verify", dir.to_str().unwrap()]);
    // Its other line is checked too.
    run.expect(INTEGRITY)
        .mentions(&[&format!("{NAME}.zip: FAILED"), "not-downloaded.iso: not part of the set, not found beside it"]);
    let used = airlock(["verify", "--json", dir.to_str().unwrap()]).json()["manifest"].clone();
    assert_eq!(used.as_str(), Some(json.to_str().unwrap()));
}

#[test]
fn a_file_another_manifest_beside_the_set_lists_is_checked_too() {
    // SHA256SUMS, the one used, lists the zip; NAME.zip.sha256 beside it
    // lists release notes with a wrong hash: never OK.
    let (_t, dir) = scratch("zip/stored");
    std::fs::write(dir.join("RELEASE-NOTES.txt"), b"release notes\n").unwrap();
    std::fs::write(dir.join(format!("{NAME}.zip.sha256")), format!("{OTHER}  RELEASE-NOTES.txt\n")).unwrap();
    airlock(["verify", dir.to_str().unwrap()])
        .expect(INTEGRITY)
        .mentions(&["RELEASE-NOTES.txt: not part of the set, hash FAILED", &format!("{NAME}.zip: OK")]);
}

#[test]
fn a_manifest_beside_the_set_that_lists_no_part_still_has_its_files_checked() {
    // NAME.zip.sha256 lists only the release notes, with a wrong hash: no
    // part is verified against it, but its file is never skipped.
    let (_t, dir) = scratch("zip/stored");
    std::fs::remove_file(dir.join("SHA256SUMS")).unwrap();
    std::fs::write(dir.join("RELEASE-NOTES.txt"), b"release notes\n").unwrap();
    std::fs::write(dir.join(format!("{NAME}.zip.sha256")), format!("{OTHER}  RELEASE-NOTES.txt\n")).unwrap();
    airlock(["verify", dir.to_str().unwrap()])
        .expect(INTEGRITY)
        .mentions(&["RELEASE-NOTES.txt: not part of the set, hash FAILED"]);
}

#[test]
fn the_entry_for_the_file_beside_the_manifest_wins_over_one_in_another_folder() {
    // `C:\dl\NAME.zip` is right, `NAME.zip` (the file beside it) is not.
    let (_t, dir) = scratch("zip/stored");
    std::fs::write(dir.join("SHA256SUMS"), format!("{STORED_ZIP}  C:\\dl\\{NAME}.zip\n{OTHER}  ./{NAME}.zip\n"))
        .unwrap();
    airlock(["verify", dir.to_str().unwrap()]).expect(INTEGRITY).mentions(&[&format!("{NAME}.zip: FAILED")]);
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The manifest workflow is the library's: an existing file refused before
/// the hashing, the key opened first, manifest and signature written
/// together, the signature good for the key's public half.
#[test]
fn the_library_writes_and_signs_a_manifest() {
    let (temp, dir) = scratch("inno/inno-6.4.1-lzma2-solid-spanned");
    let set = airlock::discover(&dir).unwrap();
    let (public, secret) = (temp.path().join("key.pub"), temp.path().join("key.sec"));
    airlock::keygen(&public, &secret, None).unwrap();
    let out = temp.path().join("SUMS");
    std::fs::write(&out, "old").unwrap();
    let options = airlock::ManifestOptions::default().output(Some(out.clone())).signing_key(Some(secret), None);
    let error = airlock::write_manifest(&set, &options, &airlock::NoProgress).unwrap_err();
    assert!(matches!(error, airlock::Error::WouldOverwrite { .. }), "{error:?}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old", "refused, so left as it was");

    let options = options.overwrite(airlock::Overwrite::Always);
    let made = airlock::write_manifest(&set, &options, &airlock::NoProgress).unwrap();
    assert_eq!(made.written, vec![out.clone(), airlock::signature_path(&out)]);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), made.text);
    assert!(made.text.lines().count() >= made.manifest.entries.len() && !made.manifest.entries.is_empty());
    let key = airlock::read_public_key(&public).unwrap();
    airlock::verify_manifest_signature(&out, &key).unwrap();

    // A signature needs a file to sit beside: refused, nothing hashed or written.
    let options = airlock::ManifestOptions::default().signing_key(Some(temp.path().join("key.sec")), None);
    let error = airlock::write_manifest(&set, &options, &airlock::NoProgress).unwrap_err();
    assert_eq!(error.kind(), airlock::ErrorKind::Usage, "{error:?}");
}
