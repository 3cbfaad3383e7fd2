//! One exit code per condition, whichever command meets it (README's table,
//! `airlock::EXIT_CODES`). Each fault fixture is run through every command
//! that reaches the condition, in text and in `--json`, where `error.kind`
//! must name the same row of the table.

mod common;

use std::path::{Path, PathBuf};

use common::{NAME, airlock, scratch};

/// A command line for `set`, with DEST / MEDIA_DIR under `scratch`.
#[derive(Clone, Copy, Debug)]
enum Cmd {
    Check,
    List,
    Verify,
    VerifyDeep,
    Extract,
    Manifest,
    Stage,
}

const ALL: [Cmd; 7] = [Cmd::Check, Cmd::List, Cmd::Verify, Cmd::VerifyDeep, Cmd::Extract, Cmd::Manifest, Cmd::Stage];

impl Cmd {
    fn args(self, set: &Path, scratch: &Path, extra: &[&str]) -> Vec<String> {
        let set = set.to_str().unwrap().to_owned();
        let dest = scratch.join("dest").to_str().unwrap().to_owned();
        let mut args: Vec<String> = match self {
            Cmd::Check => vec!["check".into(), set],
            Cmd::List => vec!["list".into(), set],
            Cmd::Verify => vec!["verify".into(), set],
            Cmd::VerifyDeep => vec!["verify".into(), "--deep".into(), set],
            Cmd::Extract => vec!["extract".into(), set, "-d".into(), dest, "--min-free".into(), "0".into()],
            Cmd::Manifest => vec!["manifest".into(), set],
            Cmd::Stage => vec!["stage".into(), set, dest],
        };
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        args
    }
}

/// Runs `cmd` in text and JSON; both must end with `code`, and the JSON
/// must be one object with `ok: false` and `error.kind == kind`.
#[track_caller]
fn expect(cmd: Cmd, set: &Path, extra: &[&str], code: i32, kind: &str) {
    let temp = tempfile::tempdir().unwrap();
    let text = airlock(cmd.args(set, temp.path(), extra));
    text.expect(code);
    assert!(!text.stderr().trim().is_empty(), "{cmd:?}: failed without saying why\n{}", text.dump());
    let temp = tempfile::tempdir().unwrap();
    let mut args = cmd.args(set, temp.path(), extra);
    args.insert(1, "--json".into());
    let json = airlock(&args);
    json.expect(code);
    let object = json.json();
    assert_eq!(object["ok"], false, "{}", json.dump());
    assert_eq!(object["error"]["kind"], kind, "{cmd:?}: wrong error.kind\n{}", json.dump());
    assert!(!object["error"]["message"].as_str().unwrap_or_default().is_empty(), "{}", json.dump());
}

/// A folder holding only `name` with `bytes`.
fn lone_file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let path = temp.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    (temp, path)
}

fn random_bytes(len: usize) -> Vec<u8> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

#[test]
fn an_unrecognised_payload_is_5_from_every_command() {
    let (_a, junk) = lone_file("junk.exe", &random_bytes(300_000));
    let (_b, text) = lone_file("readme.exe", &b"just some text, not an installer\n".repeat(100));
    let (_c, not_zip) = lone_file("backup.zip", &b"PK but not really a zip file\n".repeat(100));
    for set in [&junk, &text, &not_zip] {
        for cmd in ALL {
            expect(cmd, set, &[], 5, "payload");
        }
    }
}

#[test]
fn a_missing_part_is_3_from_every_command() {
    let (_t, dir) = scratch("inno/inno-6.4.1-lzma2-solid-spanned");
    std::fs::remove_file(dir.join(format!("{NAME}-2.bin"))).unwrap();
    for cmd in ALL {
        expect(cmd, &dir, &[], 3, "incomplete");
    }
}

#[test]
fn missing_input_files_are_usage_errors_from_every_command() {
    let temp = tempfile::tempdir().unwrap();
    let absent = temp.path().join("nothing-here.exe");
    for cmd in ALL {
        expect(cmd, &absent, &[], 2, "usage");
    }
    let (_t, dir) = scratch("inno/inno-6.4.1-lzma2-solid-spanned");
    let no_manifest = temp.path().join("SHA256SUMS.missing");
    for cmd in [Cmd::Check, Cmd::List, Cmd::Verify, Cmd::VerifyDeep, Cmd::Extract, Cmd::Manifest] {
        expect(cmd, &dir, &["--manifest", no_manifest.to_str().unwrap()], 2, "usage");
    }
    let no_key = temp.path().join("airlock.pub");
    for cmd in [Cmd::Verify, Cmd::Extract] {
        expect(cmd, &dir, &["--trust", no_key.to_str().unwrap()], 2, "usage");
    }
    let run = airlock(Cmd::Verify.args(&dir, temp.path(), &["--trust", no_key.to_str().unwrap()]));
    run.mentions(&["airlock.pub", "does not exist"]);
    assert!(!run.stderr().contains("os error"), "{}", run.dump());
}

#[test]
fn a_destination_that_is_a_file_is_a_usage_error_naming_it() {
    let (_t, dir) = scratch("inno/inno-6.4.1-lzma2-solid-spanned");
    let temp = tempfile::tempdir().unwrap();
    let file = temp.path().join("afile");
    std::fs::write(&file, b"in the way").unwrap();
    for (cmd, flag) in [("extract", "-d"), ("stage", "")] {
        let mut args = vec![cmd.to_owned(), dir.to_str().unwrap().to_owned()];
        if !flag.is_empty() {
            args.push(flag.to_owned());
        }
        args.push(file.to_str().unwrap().to_owned());
        let run = airlock(&args);
        run.expect(2).mentions(&["afile", "is a file, not a folder"]);
        assert!(!run.stderr().contains(".airlock-partial"), "a temp name leaked\n{}", run.dump());
        assert_eq!(std::fs::read(&file).unwrap(), b"in the way");
        // Under the file, too.
        args.pop();
        args.push(file.join("sub").to_str().unwrap().to_owned());
        airlock(&args).expect(2).mentions(&["which is a file, not a folder"]);
    }
}

#[test]
fn bad_arguments_are_2_with_one_json_object_under_json() {
    let (_t, dir) = scratch("inno/inno-6.4.1-lzma2-solid-spanned");
    let dir = dir.to_str().unwrap();
    for args in [
        vec!["verify", "--json", "--threads", "9999", dir],
        vec!["verify", "--json", "--threads", "0", dir],
        vec!["check", "--json", "--no-such-flag", dir],
        vec!["extract", "--json", dir],
        vec!["keygen", "--json", "--overwrite", "sometimes"],
        vec!["manifest", "--json", "--overwrite", "always", dir],
    ] {
        let run = airlock(&args);
        run.expect(2);
        let object = run.json();
        assert_eq!(object["ok"], false, "{}", run.dump());
        assert_eq!(object["error"]["kind"], "usage", "{}", run.dump());
        assert_eq!(object["command"], args[0], "{}", run.dump());
        assert!(run.stdout().trim().lines().count() == 1, "not one object\n{}", run.dump());
    }
    airlock(["verify", "--threads", "9999", dir]).expect(2).mentions(&["1 to 1024"]);
}

#[test]
fn a_zip_with_stray_bytes_after_its_end_record_is_read_and_a_cut_one_is_5() {
    let zip = common::testdata("peers/zip2__comment_garbage.zip/comment_garbage.zip");
    for cmd in [Cmd::Check, Cmd::List, Cmd::Verify, Cmd::Extract] {
        let temp = tempfile::tempdir().unwrap();
        airlock(cmd.args(&zip, temp.path(), &[])).expect(0);
    }
    let infozip = common::testdata("zip/infozip");
    let archive = std::fs::read_dir(&infozip)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "zip"))
        .unwrap();
    let bytes = std::fs::read(&archive).unwrap();
    let (_t, cut) = lone_file("cut.zip", &bytes[..bytes.len() / 2]);
    for cmd in [Cmd::Check, Cmd::List, Cmd::Extract] {
        expect(cmd, &cut, &[], 5, "payload");
    }
    let run = airlock(["check", cut.to_str().unwrap()]);
    run.mentions(&["cut.zip", "cut short or damaged"]);
    assert!(!run.stderr().contains("download the rest of the set"), "{}", run.dump());
}
