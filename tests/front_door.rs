//! The front door as a user and a script meet it: `--json` on every
//! command, messages that are one clean line naming real flags, hostile
//! names escaped on the terminal (exact in JSON), `--quiet` as errors only,
//! a renamed installer matched to its manifest.

mod common;

use std::io::Write;
use std::path::PathBuf;

use common::{NAME, airlock, airlock_in, scratch, testdata};

const SET: &str = "inno/inno-6.4.1-lzma2-solid-spanned";

/// A zip in its own folder with one entry per `(name, content)`.
fn zip_with(names: &[(&str, &[u8])]) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let path = temp.path().join("hostile.zip");
    let mut writer = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    for (name, content) in names {
        writer.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        writer.write_all(content).unwrap();
    }
    writer.finish().unwrap();
    (temp, path)
}

/// Asserts nothing printed holds a raw control byte.
#[track_caller]
fn no_raw_controls(run: &common::Run) {
    let all = [run.output.stdout.as_slice(), run.output.stderr.as_slice()].concat();
    assert!(!all.iter().any(|&b| (b < 0x20 && b != b'\n') || b == 0x7f), "raw control bytes printed\n{}", run.dump());
}

#[test]
fn hostile_entry_names_are_escaped_on_the_terminal_and_exact_in_json() {
    let clear = "evil\x1b[2J\x1b]0;owned\x07.txt";
    let bidi = "invoice\u{202e}txt.exe";
    let (_t, zip) = zip_with(&[(clear, b"a"), (bidi, b"b")]);
    let list = airlock(["list", zip.to_str().unwrap()]);
    list.expect(0);
    no_raw_controls(&list);
    // Quoted as bash reads it back (os_display): ANSI-C escapes for the controls and the bidi override.
    list.mentions(&["$'evil\\x1B[2J\\x1B]0;owned\\x07.txt'", "$'invoice\\xE2\\x80\\xAEtxt.exe'"]);
    // JSON carries the exact names.
    let json = airlock(["list", "--json", zip.to_str().unwrap()]).json();
    let names: Vec<&str> = json["entries"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(names, [clear, bidi]);
    // The error about the unsafe name is one escaped line.
    let temp = tempfile::tempdir().unwrap();
    let run =
        airlock(["extract", zip.to_str().unwrap(), "-d", temp.path().join("o").to_str().unwrap(), "--min-free", "0"]);
    run.expect(5).mentions(&["unsafe name", "U+001B"]);
    no_raw_controls(&run);
    assert_eq!(run.stderr().lines().count(), 1, "{}", run.dump());
}

#[test]
fn quiet_prints_errors_only() {
    let (_t, dir) = scratch(SET);
    let dir_arg = dir.to_str().unwrap();
    for args in [vec!["check", "--quiet", dir_arg], vec!["verify", "--quiet", dir_arg]] {
        let run = airlock(&args);
        run.expect(0);
        assert!(run.stdout().is_empty() && run.stderr().is_empty(), "--quiet printed\n{}", run.dump());
    }
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    let run = airlock(["extract", "--quiet", dir_arg, "-d", out.to_str().unwrap(), "--min-free", "0"]);
    run.expect(0);
    assert!(run.stdout().is_empty() && run.stderr().is_empty(), "--quiet printed\n{}", run.dump());
    let run = airlock(["stage", "--quiet", dir_arg, temp.path().join("media").to_str().unwrap()]);
    run.expect(0);
    assert!(run.stdout().is_empty() && run.stderr().is_empty(), "--quiet printed\n{}", run.dump());
    // An error still shows, and only the failing part's line.
    common::flip_byte(&dir.join(format!("{NAME}-2.bin")), 1000);
    let run = airlock(["verify", "--quiet", dir_arg]);
    run.expect(1);
    assert_eq!(run.stdout().trim(), format!("{NAME}-2.bin: FAILED"), "{}", run.dump());
    assert!(run.stderr().contains("SHA-256 does not match"), "{}", run.dump());
}

#[test]
fn manifest_and_keygen_take_json() {
    let (_t, dir) = scratch(SET);
    let run = airlock(["manifest", "--json", dir.to_str().unwrap()]);
    run.expect(0);
    let json = run.json();
    assert_eq!(json["ok"], true);
    assert_eq!(json["command"], "manifest");
    assert_eq!(json["parts"].as_array().unwrap().len(), 4, "{}", run.dump());
    let sums = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    for part in json["parts"].as_array().unwrap() {
        assert!(sums.contains(&format!("{}  {}", part["sha256"].as_str().unwrap(), part["name"].as_str().unwrap())));
    }
    let keys = tempfile::tempdir().unwrap();
    let (public, secret) = (keys.path().join("k.pub"), keys.path().join("k.key"));
    let args = ["keygen", "--json", "--no-password", "-p", public.to_str().unwrap(), "-s", secret.to_str().unwrap()];
    let run = airlock(args);
    run.expect(0);
    assert_eq!(run.json()["public"], public.to_str().unwrap());
    assert!(public.is_file() && secret.is_file());
    // Again: refused as JSON, naming the flag that replaces the keys, which works.
    let run = airlock(args);
    run.expect(2);
    let message = run.json()["error"]["message"].as_str().unwrap().to_owned();
    assert!(message.contains("--overwrite always"), "{message}");
    let old = std::fs::read(&public).unwrap();
    let mut again = args.to_vec();
    again.extend(["--overwrite", "always"]);
    airlock(&again).expect(0);
    assert_ne!(std::fs::read(&public).unwrap(), old, "the key was not replaced");
}

#[test]
fn the_advice_names_flags_that_exist_and_work() {
    let temp = tempfile::tempdir().unwrap();
    let media = temp.path().join("media");
    std::fs::create_dir(&media).unwrap();
    std::fs::write(media.join(format!("{NAME}-1.bin")), b"somebody else's").unwrap();
    let set = testdata(SET);
    let run = airlock(["stage", set.to_str().unwrap(), media.to_str().unwrap()]);
    run.expect(2).mentions(&["--overwrite always"]);
    airlock(["stage", set.to_str().unwrap(), media.to_str().unwrap(), "--overwrite", "always"]).expect(0);
    // The manifest's own file, too.
    let target = temp.path().join("SHA256SUMS");
    std::fs::write(&target, b"old").unwrap();
    airlock(["manifest", set.to_str().unwrap(), "-o", target.to_str().unwrap()])
        .expect(2)
        .mentions(&["--overwrite always"]);
    airlock(["manifest", set.to_str().unwrap(), "-o", target.to_str().unwrap(), "--overwrite", "always"]).expect(0);
    // if-different leaves an identical file alone.
    let before = std::fs::metadata(&target).unwrap().modified().unwrap();
    let run = airlock([
        "manifest",
        "--json",
        set.to_str().unwrap(),
        "-o",
        target.to_str().unwrap(),
        "--overwrite",
        "if-different",
    ]);
    run.expect(0);
    assert_eq!(run.json()["written"].as_array().unwrap().len(), 0, "{}", run.dump());
    assert_eq!(std::fs::metadata(&target).unwrap().modified().unwrap(), before);
}

#[test]
fn errors_are_one_line_without_debug_text_raw_os_errors_or_temp_names() {
    let (_t, dir) = scratch("sevenz/solid");
    let archive = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "7z"))
        .unwrap();
    // Cut inside the headers: sevenz-rust2 reports Io(Error { kind: UnexpectedEof … }).
    let bytes = std::fs::read(&archive).unwrap();
    std::fs::write(&archive, &bytes[..bytes.len() - 40]).unwrap();
    std::fs::remove_file(dir.join("SHA256SUMS")).unwrap();
    let temp = tempfile::tempdir().unwrap();
    for args in [
        vec!["list".to_owned(), dir.to_str().unwrap().to_owned()],
        vec!["verify".to_owned(), "--deep".to_owned(), dir.to_str().unwrap().to_owned()],
        vec![
            "extract".to_owned(),
            dir.to_str().unwrap().to_owned(),
            "-d".to_owned(),
            temp.path().join("o").to_str().unwrap().to_owned(),
        ],
    ] {
        let run = airlock(&args);
        assert_ne!(run.code(), 0, "{}", run.dump());
        let stderr = run.stderr();
        for leak in ["Error {", "kind:", "Custom", "os error", ".airlock-partial", "Unsupported("] {
            assert!(!stderr.contains(leak), "{leak:?} leaked\n{}", run.dump());
        }
        assert!(stderr.lines().filter(|l| l.starts_with("airlock: error:")).count() >= 1, "{}", run.dump());
    }
    // A key that cannot be written (under a file): plain words and advice
    // instead of "Not a directory (os error 20)".
    let locked = tempfile::tempdir().unwrap();
    let sub = locked.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    let run =
        airlock(["keygen", "--no-password", "-p", "/proc/version/k.pub", "-s", sub.join("k.key").to_str().unwrap()]);
    assert_ne!(run.code(), 0, "{}", run.dump());
    assert!(!run.stderr().contains("os error"), "{}", run.dump());
    assert!(run.stderr().contains("/proc/version"), "{}", run.dump());
}

#[test]
fn a_renamed_installer_is_matched_to_the_manifest_by_size_then_hash() {
    let (_t, dir) = scratch(SET);
    let renamed = format!("{NAME} (1).exe");
    std::fs::rename(dir.join(format!("{NAME}.exe")), dir.join(&renamed)).unwrap();
    airlock_in(&dir, ["check", &renamed]).expect(0).mentions(&[&format!("{NAME}.exe is here as '{renamed}'")]);
    let run = airlock_in(&dir, ["verify", &renamed]);
    run.expect(0).mentions(&[&format!("'{renamed}': OK"), &format!("{NAME}.exe is here as '{renamed}'")]);
    let json = airlock_in(&dir, ["verify", "--json", &renamed]).json();
    let head = &json["parts"][0];
    assert_eq!(head["status"], "ok", "{json}");
    assert_eq!(json["check"]["parts"][0]["listed_as"], format!("{NAME}.exe"));
    // A JSON manifest's size narrows the match before hashing; extraction verifies it.
    airlock_in(&dir, ["extract", &renamed, "-d", "out", "--min-free", "0"])
        .expect(0)
        .mentions(&["parts verified against"]);
    // A renamed installer with other bytes is still the installer (its
    // header pairs it with the slices): verification checks it against the
    // manifest's entry and names it as damaged, rather than calling the
    // installer missing beside a file "not in the manifest".
    let mut bytes = std::fs::read(dir.join(&renamed)).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(dir.join(&renamed), bytes).unwrap();
    let run = airlock_in(&dir, ["verify", &renamed]);
    run.expect(1).mentions(&[&format!("'{renamed}': FAILED"), "does not match the manifest", "bytes differ"]);
    assert!(!run.stdout().contains("MISSING") && !run.stdout().contains("NOT IN MANIFEST"), "{}", run.dump());
    airlock_in(&dir, ["check", &renamed]).expect(0).mentions(&[&format!("{NAME}.exe is here as '{renamed}'")]);
    airlock_in(&dir, ["extract", &renamed, "-d", "out2", "--min-free", "0"]).expect(1).mentions(&[renamed.as_str()]);
    assert!(!dir.join("out2").exists(), "extract wrote from a damaged installer");
}

#[test]
fn the_library_reports_say_whether_they_passed() {
    let (_t, dir) = scratch(SET);
    common::flip_byte(&dir.join(format!("{NAME}-1.bin")), 100);
    let set = airlock::discover(&dir).unwrap();
    let report = airlock::verify(&set, &airlock::VerifyOptions::default(), &airlock::NoProgress).unwrap();
    assert!(!report.is_ok(), "a mismatch passed as ok");
    let error = report.into_result().unwrap_err();
    assert_eq!(error.kind(), airlock::ErrorKind::Integrity);
    assert!(error.to_string().contains(&format!("{NAME}-1.bin")), "{error}");
    assert_eq!(error.kind().exit_code(), 1);
    // The defaults choose between maps and reads part by part, as documented.
    let defaults = airlock::HashOptions::default();
    assert!(defaults.access == airlock::PartAccess::Auto && defaults.threads == 0);
}
