//! Inno Setup installers that read files from beside themselves at install
//! time (`Flags: external`, `testdata/inno-external/`): those files are
//! members of the set for every command.

mod common;

use std::path::{Path, PathBuf};

use common::{NAME, airlock, testdata};

const INCOMPLETE: i32 = 3;
const FIXTURES: [&str; 2] = ["inno-6.4.1-external-files", "inno-5.5.9-external-files"];

/// `EXTERNAL.tsv`: (path in the set, size, SHA-256, required).
fn external_files(dir: &Path) -> Vec<(String, u64, String, bool)> {
    std::fs::read_to_string(dir.join("EXTERNAL.tsv"))
        .unwrap()
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 4, "{line}");
            (fields[0].to_owned(), fields[1].parse().unwrap(), fields[2].to_owned(), fields[3] == "required")
        })
        .collect()
}

fn fixture(name: &str) -> PathBuf {
    testdata(&format!("inno-external/{name}"))
}

/// A scratch copy of a fixture, without its manifest when `manifest` is false.
/// Subfolders included (the external files are in them), every file writable.
fn copy(name: &str, manifest: bool) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("set");
    copy_tree(&fixture(name), &dir);
    if !manifest {
        std::fs::remove_file(dir.join("SHA256SUMS")).unwrap();
    }
    (temp, dir)
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::write(&target, std::fs::read(entry.path()).unwrap()).unwrap();
        }
    }
}

fn exe(dir: &Path) -> String {
    dir.join(format!("{NAME}.exe")).to_str().unwrap().to_owned()
}

#[test]
fn check_counts_every_external_file_as_a_member_of_the_set() {
    for name in FIXTURES {
        let dir = fixture(name);
        let run = airlock(["check", "--json", &exe(&dir)]);
        run.expect(0);
        let json = run.json();
        let external: Vec<(String, u64)> = json["parts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["external"].is_string())
            .map(|p| (p["name"].as_str().unwrap().to_owned(), p["size"].as_u64().unwrap()))
            .collect();
        let wanted: Vec<(String, u64)> = external_files(&dir).into_iter().map(|(p, s, _, _)| (p, s)).collect();
        let (mut got, mut want) = (external.clone(), wanted.clone());
        got.sort();
        want.sort();
        assert_eq!(got, want, "{name}\n{}", run.dump());
        // The {sys} file is reported as on the target machine, not required.
        let sys = json["externals"].as_array().unwrap().iter().find(|e| e["source"] == r"{sys}\msvcp140.dll").unwrap();
        assert_eq!(sys["need"], "on_target", "{name}");
        let updates = json["externals"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["source"] == r"{src}\SQLSERVER2017\Updates\*")
            .unwrap();
        assert_eq!(updates["files"].as_array().unwrap().len(), 2, "{name}");
        // And in text, with the wildcard saying what it took.
        airlock(["check", &exe(&dir)]).expect(0).mentions(&[
            "SQLSERVER2017/SQLEXPR_x64_ENU.exe",
            "needed on the target machine, not part of the set",
            r"{src}\SQLSERVER2017\Updates\* (with subfolders) takes 2 file(s)",
        ]);
    }
}

#[test]
fn a_missing_required_external_file_is_incomplete_naming_it_and_its_folder() {
    for name in FIXTURES {
        for manifest in [false, true] {
            let (_t, dir) = copy(name, manifest);
            std::fs::remove_file(dir.join("Prereqs/NDP472-KB4054530-x86-x64-AllOS-ENU.exe")).unwrap();
            let run = airlock(["check", &exe(&dir)]);
            run.expect(INCOMPLETE).mentions(&[
                "Prereqs/NDP472-KB4054530-x86-x64-AllOS-ENU.exe is missing",
                &format!("put it in {}", dir.join("Prereqs").display()),
            ]);
        }
    }
}

#[test]
fn a_missing_optional_external_file_is_reported_not_required() {
    let (_t, dir) = copy("inno-6.4.1-external-files", false);
    std::fs::remove_file(dir.join("Optional/ReportViewer.msi")).unwrap();
    airlock(["check", &exe(&dir)])
        .expect(0)
        .mentions(&["Optional/ReportViewer.msi is not here", "skipifsourcedoesntexist"]);
}

#[test]
fn a_wildcard_with_nothing_to_take_is_incomplete() {
    let (_t, dir) = copy("inno-5.5.9-external-files", false);
    std::fs::remove_dir_all(dir.join("SQLSERVER2017/Updates")).unwrap();
    airlock(["check", &exe(&dir)]).expect(INCOMPLETE).mentions(&[
        "no file matches SQLSERVER2017/Updates/*",
        &dir.join("SQLSERVER2017/Updates").display().to_string(),
    ]);
}

#[test]
fn a_file_a_manifest_lists_under_a_wildcard_that_is_gone_is_missing() {
    let (_t, dir) = copy("inno-6.4.1-external-files", true);
    std::fs::remove_file(dir.join("SQLSERVER2017/Updates/x64/KB5029376-x64.msp")).unwrap();
    airlock(["check", &exe(&dir)])
        .expect(INCOMPLETE)
        .mentions(&["SQLSERVER2017/Updates/x64/KB5029376-x64.msp is missing"]);
}

#[test]
fn an_external_file_of_another_size_than_the_installer_records_is_incomplete() {
    let (_t, dir) = copy("inno-6.4.1-external-files", false);
    let file = dir.join("SQLSERVER2017/SQLEXPR_x64_ENU.exe");
    let bytes = std::fs::read(&file).unwrap();
    std::fs::write(&file, &bytes[..bytes.len() - 100]).unwrap();
    airlock(["check", &exe(&dir)]).expect(INCOMPLETE).mentions(&[
        "SQLSERVER2017/SQLEXPR_x64_ENU.exe is 2599933 bytes but the installer records 2600033",
        "100 bytes short",
    ]);
}

#[test]
fn list_shows_external_files_with_source_and_destination() {
    for name in FIXTURES {
        let dir = fixture(name);
        let run = airlock(["list", "--json", &exe(&dir)]);
        run.expect(0);
        let json = run.json();
        let entries = json["entries"].as_array().unwrap();
        for (file, size, _, _) in external_files(&dir) {
            let entry = entries
                .iter()
                .find(|e| e["inno"]["external"]["file"] == file.as_str())
                .unwrap_or_else(|| panic!("{name}: {file} not listed\n{}", run.dump()));
            assert_eq!(entry["size"], size, "{file}");
            assert!(entry["inno"]["external"]["source"].as_str().unwrap().starts_with(r"{src}\"), "{file}");
        }
        let prereq = entries.iter().find(|e| e["name"] == "{tmp}/NDP472-KB4054530-x86-x64-AllOS-ENU.exe").unwrap();
        assert_eq!(prereq["inno"]["external"]["file"], "Prereqs/NDP472-KB4054530-x86-x64-AllOS-ENU.exe");
        airlock(["list", &exe(&dir)]).expect(0).mentions(&[
            r"SQLSERVER2017/Updates/x64/KB5029376-x64.msp  <- SQLSERVER2017/Updates/x64/KB5029376-x64.msp (external: {src}\SQLSERVER2017\Updates\*)",
            r"tmp/NDP472-KB4054530-x86-x64-AllOS-ENU.exe  <- Prereqs/",
            r"{sys}\msvcp140.dll (installed to {app}\) is needed on the target machine, not part of the set",
        ]);
    }
}

#[test]
fn manifest_records_the_external_files_and_verify_checks_them() {
    for name in FIXTURES {
        let (_t, dir) = copy(name, false);
        let run = airlock(["manifest", &exe(&dir)]);
        run.expect(0);
        let text = run.stdout();
        for (file, _, sha256, _) in external_files(&dir) {
            assert!(text.contains(&format!("{sha256}  {file}\n")), "{name}: {file}\n{}", run.dump());
        }
        std::fs::write(dir.join("SHA256SUMS"), &text).unwrap();
        let verified = airlock(["verify", "--json", &exe(&dir)]);
        verified.expect(0);
        let parts = verified.json()["parts"].as_array().unwrap().clone();
        for (file, _, sha256, _) in external_files(&dir) {
            let part = parts.iter().find(|p| p["name"] == file.as_str()).unwrap();
            assert_eq!(
                (part["status"].as_str(), part["sha256"].as_str()),
                (Some("ok"), Some(sha256.as_str())),
                "{file}"
            );
        }
    }
}

#[test]
fn a_changed_external_file_fails_verification_with_a_manifest() {
    for name in FIXTURES {
        let (_t, dir) = copy(name, true);
        common::flip_byte(&dir.join("SQLSERVER2017/Updates/x64/KB5029376-x64.msp"), 1000);
        airlock(["verify", &exe(&dir)])
            .expect(1)
            .mentions(&["SQLSERVER2017/Updates/x64/KB5029376-x64.msp: SHA-256 does not match the manifest"]);
    }
}

#[test]
fn a_manifest_that_omits_the_external_files_does_not_vouch_for_the_set() {
    let (_t, dir) = copy("inno-6.4.1-external-files", true);
    let sums = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    let parts_only: String = sums.lines().filter(|l| !l.contains('/')).map(|l| format!("{l}\n")).collect();
    std::fs::write(dir.join("SHA256SUMS"), parts_only).unwrap();
    airlock(["verify", &exe(&dir)])
        .expect(INCOMPLETE)
        .mentions(&["SQLSERVER2017/SQLEXPR_x64_ENU.exe is needed", "does not list it"]);
}

#[test]
fn a_missing_required_external_file_stops_verify() {
    let (_t, dir) = copy("inno-5.5.9-external-files", true);
    std::fs::remove_file(dir.join("SQLSERVER2017/SQLEXPR_x64_ENU.exe")).unwrap();
    airlock(["verify", &exe(&dir)]).expect(INCOMPLETE).mentions(&["SQLSERVER2017/SQLEXPR_x64_ENU.exe is missing"]);
}

fn extract(dir: &Path, dest: &Path, extra: &[&str]) -> common::Run {
    let mut args = vec!["extract".to_owned(), exe(dir), "-d".to_owned(), dest.to_str().unwrap().to_owned()];
    args.extend(extra.iter().map(|a| (*a).to_owned()));
    airlock(args)
}

#[test]
fn extract_places_external_files_where_the_installer_would() {
    for name in FIXTURES {
        let dir = fixture(name);
        let out = tempfile::tempdir().unwrap();
        let dest = out.path().join("out");
        extract(&dir, &dest, &[]).expect(0);
        assert_eq!(common::tree(&dest), common::expected(&dir.join("EXPECTED.tsv")), "{name}");
    }
}

#[test]
fn include_exclude_and_the_choice_apply_to_external_files() {
    let dir = fixture("inno-6.4.1-external-files");
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("out");
    extract(&dir, &dest, &["--exclude", "SQLSERVER2017/Updates", "--exclude", "tmp"]).expect(0);
    let got: Vec<String> = common::tree(&dest).into_keys().collect();
    assert_eq!(got, ["Optional/ReportViewer.msi", "SQLSERVER2017/SQLEXPR_x64_ENU.exe", "setup.exe"]);
    let dest = out.path().join("only");
    extract(&dir, &dest, &["--include", "**/*.msp"]).expect(0);
    let got: Vec<String> = common::tree(&dest).into_keys().collect();
    assert_eq!(got, ["SQLSERVER2017/Updates/x64/KB5029376-x64.msp"]);
}

#[test]
fn extract_refuses_a_set_without_a_required_external_file_and_writes_nothing() {
    let (_t, dir) = copy("inno-5.5.9-external-files", false);
    std::fs::remove_file(dir.join("SQLSERVER2017/Updates/KB5029376.exe")).unwrap();
    std::fs::remove_file(dir.join("SQLSERVER2017/Updates/x64/KB5029376-x64.msp")).unwrap();
    let dest = dir.parent().unwrap().join("out");
    extract(&dir, &dest, &[]).expect(INCOMPLETE).mentions(&["no file matches SQLSERVER2017/Updates/*"]);
    assert!(!dest.exists() || common::tree(&dest).is_empty());
}

#[test]
fn extract_refuses_a_changed_external_file_with_a_manifest_and_commits_nothing() {
    let (_t, dir) = copy("inno-6.4.1-external-files", true);
    common::flip_byte(&dir.join("Prereqs/NDP472-KB4054530-x86-x64-AllOS-ENU.exe"), 10);
    let dest = dir.parent().unwrap().join("out");
    extract(&dir, &dest, &[]).expect(1).mentions(&["Prereqs/NDP472-KB4054530-x86-x64-AllOS-ENU.exe"]);
    assert!(!dest.exists() || common::tree(&dest).is_empty());
}

#[test]
fn stage_carries_the_external_files_in_their_folders_and_signs_them_into_the_manifest() {
    for name in FIXTURES {
        let temp = tempfile::tempdir().unwrap();
        let (public, secret) = (temp.path().join("k.pub"), temp.path().join("k.key"));
        airlock(["keygen", "--no-password", "-p", public.to_str().unwrap(), "-s", secret.to_str().unwrap()]).expect(0);
        let media = temp.path().join("usb/set");
        let dir = fixture(name);
        let run = airlock(["stage", "--json", "--sign", secret.to_str().unwrap(), &exe(&dir), media.to_str().unwrap()]);
        run.expect(0);
        let staged: Vec<String> =
            run.json()["parts"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_owned()).collect();
        let sums = std::fs::read_to_string(media.join("SHA256SUMS")).unwrap();
        for (file, size, sha256, _) in external_files(&dir) {
            assert!(staged.contains(&file), "{name}: {file} not staged\n{}", run.dump());
            let copy = std::fs::read(media.join(&file)).unwrap();
            assert_eq!(copy.len() as u64, size, "{file}");
            assert!(sums.contains(&format!("{sha256}  {file}\n")), "{name}: {file} not in SHA256SUMS\n{sums}");
        }
        // The far side: the signed manifest vouches for them, and the set extracts whole.
        airlock(["verify", "--trust", public.to_str().unwrap(), &exe(&media)]).expect(0);
        let dest = temp.path().join("out");
        extract(&media, &dest, &[]).expect(0);
        assert_eq!(common::tree(&dest), common::expected(&dir.join("EXPECTED.tsv")), "{name}");
        // A changed external file on the media fails the trusted verification.
        common::flip_byte(&media.join("SQLSERVER2017/SQLEXPR_x64_ENU.exe"), 5);
        airlock(["verify", "--trust", public.to_str().unwrap(), &exe(&media)])
            .expect(1)
            .mentions(&["SQLSERVER2017/SQLEXPR_x64_ENU.exe"]);
    }
}

#[test]
fn stage_refuses_a_set_without_a_required_external_file() {
    let (temp, dir) = copy("inno-6.4.1-external-files", false);
    std::fs::remove_file(dir.join("SQLSERVER2017/SQLEXPR_x64_ENU.exe")).unwrap();
    let media = temp.path().join("usb");
    airlock(["stage", &exe(&dir), media.to_str().unwrap()])
        .expect(INCOMPLETE)
        .mentions(&["SQLSERVER2017/SQLEXPR_x64_ENU.exe is missing"]);
    assert!(!media.join("SHA256SUMS").exists());
}
