//! `airlock check`: every naming scheme, every way of giving SET, and every
//! way a set can be incomplete, each asserting the exit code and that the
//! message names the file.

mod common;

use common::{NAME, airlock, scratch, testdata};

const INCOMPLETE: i32 = 3;

fn slice(n: u32) -> String {
    format!("{NAME}-{n}.bin")
}

/// A scratch copy of the 6.4.1 spanned set without its manifest, so the
/// installer's own headers are the judge.
fn spanned() -> (tempfile::TempDir, std::path::PathBuf) {
    let (temp, dir) = scratch("inno/inno-6.4.1-lzma2-solid-spanned");
    std::fs::remove_file(dir.join("SHA256SUMS")).unwrap();
    (temp, dir)
}

#[test]
fn every_inno_fixture_checks_complete() {
    for fixture in common::INNO_FIXTURES {
        airlock(["check", testdata(&format!("inno/{fixture}")).to_str().unwrap()]).expect(0).mentions(&["complete"]);
    }
}

#[test]
fn set_may_be_the_exe_any_part_or_the_folder() {
    let dir = testdata("inno/inno-6.2.0-lzma2-solid-spanned");
    for given in [dir.clone(), dir.join(format!("{NAME}.exe")), dir.join(slice(2))] {
        let run = airlock(["check", "--json", given.to_str().unwrap()]);
        run.expect(0);
        let json = run.json();
        assert_eq!(json["ok"], true);
        assert_eq!(json["scheme"], "exe_with_bins");
        assert_eq!(json["payload"], "inno");
        assert_eq!(json["parts"].as_array().unwrap().len(), 4, "{}", run.dump());
    }
}

#[test]
fn the_headers_alone_judge_a_set_without_manifest() {
    let (_t, dir) = spanned();
    let run = airlock(["check", "--json", dir.to_str().unwrap()]);
    run.expect(0);
    assert!(run.json()["payload_detail"].as_str().unwrap().contains("3 slice"), "{}", run.dump());
}

#[test]
fn a_missing_middle_slice_is_named() {
    let (_t, dir) = spanned();
    std::fs::remove_file(dir.join(slice(2))).unwrap();
    let run = airlock(["check", dir.to_str().unwrap()]);
    run.expect(INCOMPLETE).mentions(&[&slice(2), "missing"]);
    assert!(!run.stderr().contains(&slice(1)), "only the missing slice is an error\n{}", run.dump());
}

#[test]
fn a_missing_last_slice_is_named_from_the_header() {
    let (_t, dir) = spanned();
    std::fs::remove_file(dir.join(slice(3))).unwrap();
    airlock(["check", dir.to_str().unwrap()]).expect(INCOMPLETE).mentions(&[&slice(3), "missing"]);
}

#[test]
fn a_slice_in_a_subfolder_is_found_with_advice() {
    let (_t, dir) = spanned();
    std::fs::create_dir_all(dir.join("Downloads/more")).unwrap();
    std::fs::rename(dir.join(slice(2)), dir.join("Downloads/more").join(slice(2))).unwrap();
    airlock(["check", dir.to_str().unwrap()]).expect(INCOMPLETE).mentions(&[
        &slice(2),
        "Downloads/more",
        "move it next to the others",
    ]);
}

#[test]
fn a_slice_in_the_parent_folder_is_found_with_advice() {
    let (_t, dir) = spanned();
    let parent = dir.parent().unwrap().to_path_buf();
    std::fs::rename(dir.join(slice(3)), parent.join(slice(3))).unwrap();
    airlock(["check", dir.to_str().unwrap()]).expect(INCOMPLETE).mentions(&[
        &slice(3),
        parent.to_str().unwrap(),
        "move it next to the others",
    ]);
}

#[test]
fn an_unfinished_browser_download_is_named_as_such() {
    let (_t, dir) = spanned();
    std::fs::rename(dir.join(slice(2)), dir.join(format!("{}.crdownload", slice(2)))).unwrap();
    airlock(["check", dir.to_str().unwrap()])
        .expect(INCOMPLETE)
        .mentions(&[&format!("{}.crdownload", slice(2)), "unfinished"]);
}

#[test]
fn a_second_copy_saved_by_a_browser_is_named_as_such() {
    let (_t, dir) = spanned();
    let copy = format!("{NAME}-2 (1).bin");
    std::fs::rename(dir.join(slice(2)), dir.join(&copy)).unwrap();
    airlock(["check", dir.to_str().unwrap()]).expect(INCOMPLETE).mentions(&[
        &copy,
        "second copy",
        &format!("rename it to {}", slice(2)),
    ]);
}

#[test]
fn a_zero_length_part_is_named() {
    let (_t, dir) = spanned();
    std::fs::write(dir.join(slice(2)), b"").unwrap();
    airlock(["check", dir.to_str().unwrap()]).expect(INCOMPLETE).mentions(&[&slice(2), "empty"]);
}

#[test]
fn a_slice_one_byte_short_is_named_with_sizes() {
    let (_t, dir) = spanned();
    let path = dir.join(slice(2));
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
    airlock(["check", dir.to_str().unwrap()]).expect(INCOMPLETE).mentions(&[
        &slice(2),
        "1 bytes short",
        &bytes.len().to_string(),
        &(bytes.len() - 1).to_string(),
    ]);
}

#[test]
fn a_byte_appended_to_a_slice_is_named() {
    let (_t, dir) = spanned();
    let path = dir.join(slice(1));
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.push(0);
    std::fs::write(&path, &bytes).unwrap();
    airlock(["check", dir.to_str().unwrap()]).expect(INCOMPLETE).mentions(&[&slice(1), "1 bytes too long"]);
}

#[test]
fn a_slice_with_damaged_magic_is_named() {
    let (_t, dir) = spanned();
    common::flip_byte(&dir.join(slice(3)), 0);
    airlock(["check", dir.to_str().unwrap()]).expect(INCOMPLETE).mentions(&[&slice(3), "magic"]);
}

#[test]
fn a_renamed_installer_finds_its_slices_by_their_headers() {
    let (_t, dir) = spanned();
    let renamed = dir.join(format!("{NAME} (1).exe"));
    std::fs::rename(dir.join(format!("{NAME}.exe")), &renamed).unwrap();
    let run = airlock(["check", "--json", renamed.to_str().unwrap()]);
    run.expect(0);
    let json = run.json();
    assert!(json["pairing"].as_str().unwrap().contains("slice headers"), "{}", run.dump());
    assert_eq!(json["parts"].as_array().unwrap().len(), 4);
    // The folder works too, and extraction reads the slices through the pairing.
    let out = tempfile::tempdir().unwrap();
    airlock(["extract", dir.to_str().unwrap(), "-d", out.path().join("x").to_str().unwrap(), "--min-free", "0"])
        .expect(0);
}

#[test]
fn slices_of_another_installer_do_not_pair() {
    let (_t, dir) = spanned();
    let renamed = dir.join("setup (1).exe");
    std::fs::rename(dir.join(format!("{NAME}.exe")), &renamed).unwrap();
    for n in 1..=3 {
        std::fs::copy(testdata("inno/inno-6.2.0-lzma2-solid-spanned").join(slice(n)), dir.join(slice(n))).unwrap();
    }
    airlock(["check", renamed.to_str().unwrap()]).expect(INCOMPLETE).mentions(&["setup (1)-1.bin", "missing"]);
}

#[test]
fn names_are_matched_whatever_their_case() {
    let (_t, dir) = spanned();
    std::fs::rename(dir.join(slice(2)), dir.join(slice(2).to_uppercase())).unwrap();
    std::fs::rename(dir.join(slice(3)), dir.join(slice(3).to_lowercase())).unwrap();
    airlock(["check", dir.to_str().unwrap()]).expect(0);
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("x");
    airlock(["extract", dir.to_str().unwrap(), "-d", dest.to_str().unwrap(), "--min-free", "0"]).expect(0);
    assert_eq!(common::tree(&dest), common::expected(&dir.join("EXPECTED.tsv")));
}

#[test]
fn two_sets_in_one_folder_are_listed() {
    let (_t, dir) = spanned();
    common::copy_dir(&testdata("sevenz/volumes"), &dir);
    airlock(["check", dir.to_str().unwrap()]).expect(2).mentions(&[
        &format!("{NAME}.exe"),
        &format!("{NAME}.7z.001"),
        "2 download sets",
    ]);
}

#[test]
fn a_folder_without_a_set_says_what_it_holds() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), b"x").unwrap();
    airlock(["check", dir.path().to_str().unwrap()]).expect(2).mentions(&["no download set", "notes.txt"]);
}

#[test]
fn seven_zip_volumes_check_complete_and_a_missing_last_volume_is_found_by_structure() {
    let (_t, dir) = scratch("sevenz/volumes");
    std::fs::remove_file(dir.join("SHA256SUMS")).unwrap();
    airlock(["check", dir.join(format!("{NAME}.7z.002")).to_str().unwrap()]).expect(0);
    let last = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains(".7z."))
        .max()
        .unwrap();
    std::fs::remove_file(dir.join(&last)).unwrap();
    let run = airlock(["check", dir.to_str().unwrap()]);
    run.expect(INCOMPLETE).mentions(&["7z archive needs", "bytes short"]);
}

#[test]
fn a_7z_after_a_stub_split_into_bins_is_recognised_and_its_missing_last_part_found() {
    let (_t, dir) = scratch("sevenz/sfx-spanned");
    std::fs::remove_file(dir.join("SHA256SUMS")).unwrap();
    let run = airlock(["check", "--json", dir.to_str().unwrap()]);
    run.expect(0);
    assert_eq!(run.json()["payload"], "seven_z");
    std::fs::remove_file(dir.join(slice(3))).unwrap();
    airlock(["check", dir.to_str().unwrap()]).expect(INCOMPLETE).mentions(&[&slice(2), "bytes short"]);
}

#[test]
fn a_zip_set_missing_its_last_part_has_no_end_record() {
    for fixture in ["zip/sfx-spanned", "zip/volumes"] {
        let (_t, dir) = scratch(fixture);
        std::fs::remove_file(dir.join("SHA256SUMS")).unwrap();
        let run = airlock(["check", "--json", dir.to_str().unwrap()]);
        run.expect(0);
        assert_eq!(run.json()["payload"], "zip", "{fixture}");
        let mut parts: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| !n.ends_with(".tsv"))
            .collect();
        parts.sort_by_key(|n| (n.ends_with(".exe"), n.len(), n.clone()));
        let last =
            parts.iter().filter(|n| !n.ends_with(".exe")).max_by_key(|n| (n.len(), (*n).clone())).unwrap().clone();
        std::fs::remove_file(dir.join(&last)).unwrap();
        airlock(["check", dir.to_str().unwrap()]).expect(INCOMPLETE).mentions(&["no zip end record"]);
    }
}

#[test]
fn single_archives_check_complete() {
    for fixture in ["sevenz/solid", "zip/infozip", "zip/zip64"] {
        airlock(["check", testdata(fixture).to_str().unwrap()]).expect(0);
    }
}

#[test]
fn with_a_manifest_its_part_list_is_authoritative() {
    let (_t, dir) = scratch("sevenz/volumes");
    // Remove the last volume: the manifest names it even before the structure does.
    let manifest = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    let last = manifest.lines().map(|l| l[66..].to_owned()).max().unwrap();
    std::fs::remove_file(dir.join(&last)).unwrap();
    airlock(["check", dir.to_str().unwrap()]).expect(INCOMPLETE).mentions(&[&last, "missing"]);
}

#[test]
fn an_extra_slice_beside_the_set_is_reported_without_failing() {
    let (_t, dir) = spanned();
    std::fs::copy(dir.join(slice(3)), dir.join(slice(4))).unwrap();
    let run = airlock(["check", "--json", dir.to_str().unwrap()]);
    run.expect(0);
    let json = run.json();
    let extra = json["parts"].as_array().unwrap().iter().find(|p| p["name"] == slice(4).as_str()).unwrap().clone();
    assert_eq!(extra["status"], "extra", "{}", run.dump());
    assert!(json["problems"].as_array().unwrap().iter().any(|p| p["kind"] == "extra" && p["severity"] == "warning"));
}

#[test]
fn a_sha256sums_covering_other_downloads_applies_only_to_this_set() {
    let (_t, dir) = scratch("inno/inno-6.4.1-lzma2-solid-spanned");
    let mut sums = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    sums.push_str(&format!("{}  OtherProduct.exe\n{}  OtherProduct-1.bin\n", "a".repeat(64), "b".repeat(64)));
    std::fs::write(dir.join("SHA256SUMS"), sums).unwrap();
    airlock(["check", dir.to_str().unwrap()]).expect(0);
    airlock(["verify", dir.to_str().unwrap()]).expect(0);
    // A manifest that names none of the set's parts, given explicitly, is a usage error.
    let other = dir.parent().unwrap().join("other.sha256");
    std::fs::write(&other, format!("{}  OtherProduct.exe\n", "a".repeat(64))).unwrap();
    airlock(["verify", "--manifest", other.to_str().unwrap(), dir.to_str().unwrap()])
        .expect(2)
        .mentions(&["lists none of the parts"]);
}

#[test]
fn a_fifo_under_a_parts_name_is_named_for_what_it_is() {
    let (_t, dir) = common::scratch("inno/inno-6.4.1-lzma2-solid-spanned");
    let part = dir.join(format!("{}-2.bin", common::NAME));
    std::fs::remove_file(&part).unwrap();
    let made = std::process::Command::new("mkfifo").arg(&part).status().unwrap();
    assert!(made.success(), "mkfifo");
    let run = common::airlock(["check", dir.to_str().unwrap()]);
    run.expect(3).mentions(&["-2.bin", "is a FIFO (named pipe), not a file"]);
    assert!(!run.stderr().contains("download it"), "{}", run.dump());
}
