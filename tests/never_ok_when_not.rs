//! Issue 9: airlock never says OK when the set is not complete and intact,
//! and never leaves a half-written file that looks finished. Each test drives
//! the real binary through one hole a new user found (every one of them was
//! exit 0, or a mess, before): a truncated installer, a manifest that lists
//! fewer parts than the payload needs, re-blessing a damaged set, ignored
//! write errors on stdout, partial reports.

mod common;

use std::path::{Path, PathBuf};

use common::{NAME, airlock, airlock_env, scratch};

const INTEGRITY: i32 = 1;
const USAGE: i32 = 2;
const INCOMPLETE: i32 = 3;
const IO: i32 = 6;

fn exe() -> String {
    format!("{NAME}.exe")
}

fn slice(n: u32) -> String {
    format!("{NAME}-{n}.bin")
}

/// The 6.4.1 spanned set without its manifest: the headers are the judge.
fn spanned() -> (tempfile::TempDir, PathBuf) {
    let (temp, dir) = scratch("inno/inno-6.4.1-lzma2-solid-spanned");
    std::fs::remove_file(dir.join("SHA256SUMS")).unwrap();
    (temp, dir)
}

fn cut_to(path: &Path, len: u64) {
    std::fs::OpenOptions::new().write(true).open(path).unwrap().set_len(len).unwrap();
}

fn size_of(path: &Path) -> u64 {
    std::fs::metadata(path).unwrap().len()
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

// ------------------------------------------------- the installer's own size

#[test]
fn a_truncated_installer_fails_check_verify_stage_and_extract_with_both_sizes() {
    let (temp, dir) = spanned();
    let full = size_of(&dir.join(exe()));
    cut_to(&dir.join(exe()), 1_500_000);
    let (expected, name) = (full.to_string(), exe());
    let named = [name.as_str(), "1500000", expected.as_str(), "short"];
    let run = airlock(["check", s(&dir)]);
    run.expect(INCOMPLETE).mentions(&named);
    assert!(run.stdout().contains("WRONG SIZE") && !run.stdout().contains("complete:"), "{}", run.dump());
    airlock(["verify", s(&dir)]).expect(INCOMPLETE).mentions(&named);
    let media = temp.path().join("media");
    airlock(["stage", s(&dir), s(&media)]).expect(INCOMPLETE).mentions(&named);
    assert!(!media.join(exe()).exists(), "stage copied a truncated installer");
    let dest = temp.path().join("out");
    airlock(["extract", s(&dir), "-d", s(&dest), "--min-free", "0"]).expect(INCOMPLETE).mentions(&named);
    assert!(!dest.exists(), "extract wrote into DEST from a truncated installer");
}

#[test]
fn an_installer_cut_inside_its_own_program_is_wrong_size_not_complete() {
    // Cut before the loader table can be read (inside the DOS/PE headers, or
    // inside the setup program's sections): no Inno Setup payload can be
    // found, but the slices beside it and the PE headers say what this is —
    // a truncated download, never "complete".
    let (temp, dir) = spanned();
    let original = std::fs::read(dir.join(exe())).unwrap();
    for cut in [100u64, 1000, 30_000, 200_000] {
        std::fs::write(dir.join(exe()), &original[..cut as usize]).unwrap();
        let named = [exe(), cut.to_string(), "cut short".to_owned()];
        let named: Vec<&str> = named.iter().map(String::as_str).collect();
        let run = airlock(["check", s(&dir)]);
        run.expect(INCOMPLETE).mentions(&named);
        assert!(run.stdout().contains("WRONG SIZE") && !run.stdout().contains("complete:"), "{}", run.dump());
        airlock(["verify", s(&dir)]).expect(INCOMPLETE).mentions(&named);
        let dest = temp.path().join("out");
        airlock(["extract", s(&dir), "-d", s(&dest), "--min-free", "0"]).expect(INCOMPLETE).mentions(&named);
        assert!(!dest.exists(), "extract wrote into DEST from an installer cut to {cut} bytes");
    }
    // The whole installer again: complete.
    std::fs::write(dir.join(exe()), &original).unwrap();
    airlock(["check", s(&dir)]).expect(0);
}

#[test]
fn an_installer_one_byte_short_or_long_is_wrong_size_in_json_too() {
    for (delta, why) in [(-1i64, "1 bytes short"), (1, "1 bytes too long")] {
        let (_t, dir) = spanned();
        let path = dir.join(exe());
        let full = size_of(&path);
        let mut bytes = std::fs::read(&path).unwrap();
        if delta < 0 {
            bytes.pop();
        } else {
            bytes.push(0);
        }
        std::fs::write(&path, &bytes).unwrap();
        let run = airlock(["check", "--json", s(&dir)]);
        run.expect(INCOMPLETE).mentions(&[why]);
        let json = run.json();
        let head = &json["parts"][0];
        assert_eq!(head["name"], exe().as_str(), "{}", run.dump());
        assert_eq!(head["status"], "wrong_size", "{}", run.dump());
        assert_eq!(head["expected_size"], full, "{}", run.dump());
        assert_eq!(head["size"], bytes.len() as u64, "{}", run.dump());
    }
}

#[test]
fn an_authenticode_signature_after_the_installer_data_is_not_extra_bytes() {
    // Signing appends the PE certificate table after the data and points
    // data directory 4 at it: such an installer is longer than its loader
    // table says and still complete.
    let (_t, dir) = spanned();
    let path = dir.join(exe());
    let mut bytes = std::fs::read(&path).unwrap();
    let total = bytes.len() as u32;
    let pe = u32::from_le_bytes(bytes[60..64].try_into().unwrap()) as usize;
    let optional = pe + 24;
    let directories = match u16::from_le_bytes([bytes[optional], bytes[optional + 1]]) {
        0x10b => optional + 96,
        _ => optional + 112,
    };
    let certificate = vec![0x5a; 24];
    bytes[directories + 32..directories + 36].copy_from_slice(&total.to_le_bytes());
    bytes[directories + 36..directories + 40].copy_from_slice(&(certificate.len() as u32).to_le_bytes());
    bytes.extend_from_slice(&certificate);
    std::fs::write(&path, &bytes).unwrap();
    airlock(["check", s(&dir)]).expect(0).mentions(&["complete"]);
    // The same bytes without the directory entry pointing at them are extra.
    let mut unsigned = bytes.clone();
    unsigned[directories + 32..directories + 40].fill(0);
    std::fs::write(&path, &unsigned).unwrap();
    airlock(["check", s(&dir)]).expect(INCOMPLETE).mentions(&["24 bytes too long", "not an Authenticode signature"]);
}

#[test]
fn a_single_file_inno_installer_cut_by_one_byte_is_wrong_size() {
    let (_t, dir) = scratch("inno/inno-6.4.1-zip-single");
    std::fs::remove_file(dir.join("SHA256SUMS")).unwrap();
    let path = dir.join(exe());
    cut_to(&path, size_of(&path) - 1);
    airlock(["check", s(&path)]).expect(INCOMPLETE).mentions(&[&exe(), "1 bytes short"]);
}

#[test]
fn a_self_extracting_7z_cut_or_padded_is_wrong_size_naming_the_exe() {
    // One `.exe`: the stub and the whole 7z archive, as a vendor's
    // single-file self-extractor ships.
    let (_t, dir) = scratch("sevenz/sfx-spanned");
    let mut joined = Vec::new();
    for name in [exe(), slice(1), slice(2), slice(3)] {
        joined.extend(std::fs::read(dir.join(&name)).unwrap());
        std::fs::remove_file(dir.join(&name)).unwrap();
    }
    std::fs::remove_file(dir.join("SHA256SUMS")).unwrap();
    let path = dir.join(exe());
    std::fs::write(&path, &joined).unwrap();
    airlock(["check", s(&path)]).expect(0);
    let full = joined.len().to_string();
    cut_to(&path, joined.len() as u64 - 1);
    airlock(["check", s(&path)]).expect(INCOMPLETE).mentions(&[&exe(), &full, "1 bytes short"]);
    let mut long = joined.clone();
    long.push(0);
    std::fs::write(&path, &long).unwrap();
    airlock(["check", s(&path)]).expect(INCOMPLETE).mentions(&[&exe(), &full, "1 bytes too long"]);
}

// ------------------------------------------- the manifest and the structure

fn sha256_of(path: &Path) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(std::fs::read(path).unwrap()))
}

/// The spanned set with a `SHA256SUMS` that lists only the `.exe` (with its
/// right hash), as when a vendor publishes one hash.
fn exe_only_manifest() -> (tempfile::TempDir, PathBuf) {
    let (temp, dir) = spanned();
    std::fs::write(dir.join("SHA256SUMS"), format!("{}  {}\n", sha256_of(&dir.join(exe())), exe())).unwrap();
    (temp, dir)
}

fn keygen(dir: &Path) -> (String, String) {
    let (public, secret) = (dir.join("airlock.pub"), dir.join("airlock.key"));
    airlock(["keygen", "--no-password", "-p", s(&public), "-s", s(&secret)]).expect(0);
    (public.to_string_lossy().into_owned(), secret.to_string_lossy().into_owned())
}

#[test]
fn a_manifest_listing_only_the_exe_does_not_make_check_say_complete() {
    let (_t, dir) = exe_only_manifest();
    let run = airlock(["check", s(&dir)]);
    run.expect(INCOMPLETE).mentions(&[&slice(1), &slice(2), &slice(3), "does not list it", "3 slice(s)"]);
    assert!(!run.stdout().contains("complete:"), "{}", run.dump());
    let json = airlock(["check", "--json", s(&dir)]).json();
    assert_eq!(json["ok"], false);
    let statuses: Vec<&str> = json["parts"].as_array().unwrap().iter().map(|p| p["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["ok", "unlisted", "unlisted", "unlisted"], "{json}");
}

#[test]
fn verify_never_counts_a_part_missing_from_the_manifest_as_matching() {
    let (_t, dir) = exe_only_manifest();
    let run = airlock(["verify", s(&dir)]);
    run.expect(INCOMPLETE).mentions(&[&format!("{}: NOT IN MANIFEST", slice(2))]);
    assert!(!run.stderr().contains("match"), "{}", run.dump());
    let json = airlock(["verify", "--json", s(&dir)]).json();
    assert_eq!(json["ok"], false);
    for part in json["parts"].as_array().unwrap().iter().skip(1) {
        assert_eq!(part["status"], "unlisted", "{json}");
        assert!(part["sha256"].is_string(), "every part is still hashed: {json}");
    }
}

#[test]
fn stage_refuses_a_set_whose_manifest_lists_only_some_parts() {
    let (temp, dir) = exe_only_manifest();
    let (_public, secret) = keygen(temp.path());
    let media = temp.path().join("media");
    airlock(["stage", "--sign", &secret, s(&dir), s(&media)])
        .expect(INCOMPLETE)
        .mentions(&[&slice(1), "does not list"]);
    assert!(!media.exists(), "stage wrote to the media: {:?}", common::all_paths(&media));
}

#[test]
fn a_signed_manifest_that_lists_only_some_parts_is_refused_by_verify_and_extract_trust() {
    let (temp, dir) = exe_only_manifest();
    let (public, secret) = keygen(temp.path());
    airlock::sign_manifest(&dir.join("SHA256SUMS"), Path::new(&secret), None).unwrap();
    let run = airlock(["verify", "--trust", &public, s(&dir)]);
    assert_ne!(run.code(), 0, "{}", run.dump());
    run.mentions(&[&slice(1), &slice(3)]);
    // The media such a staging made: the `.exe` and its signed one-line manifest.
    for n in 1..=3 {
        std::fs::remove_file(dir.join(slice(n))).unwrap();
    }
    airlock(["verify", "--trust", &public, s(&dir)]).expect(INCOMPLETE).mentions(&[&slice(1), &slice(3), "missing"]);
    let dest = temp.path().join("out");
    let run = airlock(["extract", "--trust", &public, s(&dir), "-d", s(&dest), "--min-free", "0"]);
    run.expect(INCOMPLETE).mentions(&[&slice(1)]);
    assert!(!run.stderr().contains("/tmp/airlock-slices"), "a temp path leaked: {}", run.dump());
    assert!(!dest.exists());
}

#[test]
fn a_signed_staging_lists_every_part_the_structure_requires() {
    let (temp, dir) = spanned();
    let (public, secret) = keygen(temp.path());
    let media = temp.path().join("media");
    airlock(["stage", "--sign", &secret, s(&dir), s(&media)]).expect(0);
    let sums = std::fs::read_to_string(media.join("SHA256SUMS")).unwrap();
    for name in [exe(), slice(1), slice(2), slice(3)] {
        assert!(sums.contains(&format!("  {name}\n")), "{name} missing from\n{sums}");
    }
    airlock(["verify", "--trust", &public, s(&media)]).expect(0);
}

// ------------------------------------------------------ manifest re-blessing

#[test]
fn manifest_refuses_to_record_bytes_the_manifest_beside_the_set_contradicts() {
    let (_t, dir) = scratch("inno/inno-6.4.1-lzma2-solid-spanned");
    common::flip_byte(&dir.join(slice(2)), 5000);
    let before = std::fs::read(dir.join("SHA256SUMS")).unwrap();
    let out = dir.join("NEW.sha256");
    let run = airlock(["manifest", s(&dir), "-o", s(&out)]);
    run.expect(INTEGRITY).mentions(&[&slice(2), "SHA256SUMS", "--rerecord"]);
    assert!(!run.stderr().contains(&slice(1)), "only the damaged part is named\n{}", run.dump());
    assert!(!out.exists(), "a manifest of the damaged bytes was written");
    airlock(["manifest", s(&dir)]).expect(INTEGRITY);
    assert_eq!(std::fs::read(dir.join("SHA256SUMS")).unwrap(), before);
    // The user says the set changed on purpose.
    airlock(["manifest", "--rerecord", s(&dir), "-o", s(&out)]).expect(0);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains(&format!("{}  {}", sha256_of(&dir.join(slice(2))), slice(2))), "{text}");
}

// ------------------------------------------------------------- key problems

#[test]
fn a_wrong_key_password_is_found_before_any_work_and_leaves_nothing() {
    let (temp, dir) = spanned();
    let (public, secret) = (temp.path().join("k.pub"), temp.path().join("k.key"));
    airlock_env(["keygen", "-p", s(&public), "-s", s(&secret)], &[("AIRLOCK_KEY_PASSWORD", "right")]).expect(0);
    // An incomplete set: were the key checked after the work, the set's
    // problem would be reported instead.
    std::fs::remove_file(dir.join(slice(3))).unwrap();
    let out = dir.join("SHA256SUMS");
    let wrong = [("AIRLOCK_KEY_PASSWORD", "wrong")];
    airlock_env(["manifest", s(&dir), "-o", s(&out), "--sign", s(&secret)], &wrong)
        .expect(USAGE)
        .mentions(&["k.key", "wrong password"]);
    assert!(!out.exists() && !dir.join("SHA256SUMS.minisig").exists(), "a manifest was left behind");
    let media = temp.path().join("media");
    airlock_env(["stage", "--sign", s(&secret), s(&dir), s(&media)], &wrong)
        .expect(USAGE)
        .mentions(&["k.key", "wrong password"]);
    assert!(!media.exists(), "stage started before checking the key");
    // (Each password check is a deliberately slow key derivation, so the
    // right-password path is left to the staging tests.)
}

// ------------------------------------------------------- every write checked

fn to_dev_full(args: &[&str]) -> common::Run {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("airlock"))
        .args(args)
        .stdout(full)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    common::Run { args: args.iter().map(|a| a.to_string()).collect(), output }
}

#[test]
fn a_failed_write_on_stdout_is_exit_6_with_one_line() {
    let (_t, dir) = spanned();
    let d = s(&dir);
    for args in [
        vec!["manifest", d],
        vec!["manifest", "--format", "json", d],
        vec!["list", "--json", d],
        vec!["verify", d], // no manifest: prints the hashes
        vec!["check", d],
    ] {
        let run = to_dev_full(&args);
        run.expect(IO).mentions(&["write error", "standard output"]);
        assert_eq!(run.stderr().lines().count(), 1, "one line\n{}", run.dump());
    }
}

/// `airlock ARGS` started with its standard output closed (`>&-`), through
/// a shell, as a user would.
fn with_stdout_closed(args: &[&str]) -> common::Run {
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg("exec \"$0\" \"$@\" >&-")
        .arg(assert_cmd::cargo::cargo_bin("airlock"))
        .args(args)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    common::Run { args: args.iter().map(|a| a.to_string()).collect(), output }
}

#[test]
fn a_closed_stdout_is_exit_6_with_one_line_and_a_broken_pipe_stays_quiet() {
    let (_t, dir) = spanned();
    let d = s(&dir);
    for args in [vec!["manifest", d], vec!["list", d], vec!["list", "--json", d], vec!["verify", d]] {
        let run = with_stdout_closed(&args);
        run.expect(IO).mentions(&["write error", "standard output", "closed"]);
        assert_eq!(run.stderr().lines().filter(|l| l.contains("error")).count(), 1, "one error line\n{}", run.dump());
    }
    // A reader that went away (`airlock list SET | head -1`) is no error: the
    // pipe's read end is closed before airlock writes.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("airlock"))
        .args(["list", d])
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success() && !stderr.contains("error"), "{output:?}");
    // Nothing to print is nothing to fail at: extract --quiet prints nothing.
    let dest = dir.parent().unwrap().join("out");
    with_stdout_closed(&["extract", d, "-d", s(&dest), "--min-free", "0", "--quiet"]).expect(0);
}

/// The exit code of `airlock ARGS` with stderr on `/dev/full`.
fn code_with_stderr_full(args: &[&str]) -> Option<i32> {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
    std::process::Command::new(assert_cmd::cargo::cargo_bin("airlock"))
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(full)
        .status()
        .unwrap()
        .code()
}

#[test]
fn a_full_disk_on_stderr_keeps_every_exit_code() {
    // Each case reaches a different stderr writer: an error line, warnings and
    // notes, the verify summary. With stderr unwritable the message is lost,
    // but the exit code must still be the one the condition has, not a panic
    // (101).
    let (temp, dir) = spanned();
    let d = s(&dir);
    let missing = temp.path().join("nowhere.exe");
    let dest = temp.path().join("out");
    let sums = temp.path().join("SHA256SUMS");
    airlock(["manifest", d, "-o", s(&sums)]).expect(0);
    std::fs::write(dir.join(slice(2)), b"damaged").unwrap();
    for args in [
        vec!["check", s(&missing)],
        vec!["check", d],
        vec!["verify", "--manifest", s(&sums), d],
        vec!["extract", d, "-d", s(&dest)],
    ] {
        let expected = airlock(args.iter().copied()).output.status.code();
        assert_ne!(expected, Some(0), "{args:?} should fail");
        assert_eq!(code_with_stderr_full(&args), expected, "{args:?} with 2>/dev/full");
    }
    std::fs::remove_file(dir.join(slice(2))).unwrap();
    let expected = airlock(["check", d]).output.status.code();
    assert_eq!(code_with_stderr_full(&["check", d]), expected, "missing part, 2>/dev/full");
}

#[cfg(unix)]
#[test]
fn manifests_are_0644_under_the_usual_umask_and_staged_parts_keep_their_mode() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let (temp, dir) = spanned();
    std::fs::set_permissions(dir.join(exe()), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(dir.join(slice(1)), std::fs::Permissions::from_mode(0o640)).unwrap();
    let out = temp.path().join("SHA256SUMS");
    // The test binary's umask is the user's; pin it through a shell.
    let bin = assert_cmd::cargo::cargo_bin("airlock");
    let media = temp.path().join("media");
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(r#"umask 022 && "$0" manifest --quiet "$1" -o "$2" && "$0" stage --quiet "$1" "$3" >/dev/null"#)
        .arg(&bin)
        .arg(&dir)
        .arg(&out)
        .arg(&media)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(mode(&out), 0o644);
    assert_eq!(mode(&media.join("SHA256SUMS")), 0o644);
    assert_eq!(mode(&media.join(format!("{NAME}.manifest.json"))), 0o644);
    assert_eq!(mode(&media.join(exe())), 0o755);
    assert_eq!(mode(&media.join(slice(1))), 0o640);
}

// --------------------------------------------------------- complete reports

/// Runs airlock as a user for whom mode 000 means unreadable: this user,
/// or `nobody` when the tests run as root (root reads mode 000 files).
#[cfg(unix)]
fn airlock_unprivileged(args: &[&str]) -> common::Run {
    use std::os::unix::process::CommandExt;
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("airlock"));
    command.args(args).env_remove("AIRLOCK_PASSWORD");
    if common::is_root() {
        command.uid(65534).gid(65534);
    }
    let output = command.output().unwrap();
    common::Run { args: args.iter().map(|a| a.to_string()).collect(), output }
}

#[cfg(unix)]
#[test]
fn verify_tries_and_reports_every_part_when_some_cannot_be_read() {
    use std::os::unix::fs::PermissionsExt;
    let (temp, dir) = scratch("inno/inno-6.4.1-lzma2-solid-spanned");
    for path in [temp.path(), dir.as_path()] {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    for name in [exe(), slice(2)] {
        std::fs::set_permissions(dir.join(name), std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    let run = airlock_unprivileged(&["verify", s(&dir)]);
    run.expect(IO).mentions(&[
        &format!("{}: UNREADABLE", exe()),
        &format!("{}: OK", slice(1)),
        &format!("{}: UNREADABLE", slice(2)),
        &format!("{}: OK", slice(3)),
        "ermission denied",
    ]);
    let run = airlock_unprivileged(&["verify", "--json", s(&dir)]);
    run.expect(IO);
    let json = run.json();
    let parts = json["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 4, "{json}");
    for part in parts {
        let name = part["name"].as_str().unwrap();
        if name == exe() || name == slice(2) {
            assert_eq!(part["status"], "unreadable", "{json}");
            assert!(part["message"].as_str().unwrap().to_lowercase().contains("permission denied"), "{json}");
        } else {
            assert_eq!(part["status"], "ok", "{json}");
            assert_eq!(part["sha256"], part["expected"], "{json}");
        }
    }
}

// ------------------------------------------------------------ no silent loss

/// A zip of `(name, content)` entries, written with the `zip` crate.
fn zip_of(path: &Path, entries: &[(&str, &str)]) {
    use std::io::Write;
    let mut writer = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, content) in entries {
        writer.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        writer.write_all(content.as_bytes()).unwrap();
    }
    writer.finish().unwrap();
}

#[test]
fn names_that_differ_only_in_case_are_all_written_where_the_filesystem_holds_both() {
    let temp = tempfile::tempdir().unwrap();
    let archive = temp.path().join("Names.zip");
    zip_of(&archive, &[("ПРИВЕТ.txt", "upper"), ("привет.txt", "lower"), ("README", "A"), ("readme", "a")]);
    let dest = temp.path().join("out");
    let run = airlock(["extract", s(&archive), "-d", s(&dest), "--min-free", "0"]);
    run.expect(0);
    assert!(!run.stderr().contains("warning"), "{}", run.dump());
    // This test's filesystem tells case apart (Linux): both of each pair are there.
    for (name, content) in [("ПРИВЕТ.txt", "upper"), ("привет.txt", "lower"), ("README", "A"), ("readme", "a")]
    {
        assert_eq!(std::fs::read_to_string(dest.join(name)).unwrap(), content, "{name}");
    }
}

/// A zip holding `same.txt` twice (first "first", then "second"): the zip
/// crate refuses to write that, so a different name is patched afterwards.
fn zip_with_a_name_twice(path: &Path) {
    zip_of(path, &[("samf.txt", "first"), ("same.txt", "second")]);
    let bytes = std::fs::read(path).unwrap();
    let patched: Vec<u8> = {
        let mut out = bytes.clone();
        let needle = b"samf.txt";
        let mut i = 0;
        while i + needle.len() <= out.len() {
            if &out[i..i + needle.len()] == needle {
                out[i + 3] = b'e';
            }
            i += 1;
        }
        out
    };
    std::fs::write(path, patched).unwrap();
}

#[test]
fn an_archive_naming_one_file_twice_is_refused_before_writing() {
    // The zip layer refuses it outright (tools disagree on which copy wins);
    // the case-folding rule and `--collisions` are unit-tested in `collisions`.
    let temp = tempfile::tempdir().unwrap();
    let archive = temp.path().join("Twice.zip");
    zip_with_a_name_twice(&archive);
    let dest = temp.path().join("out");
    airlock(["extract", s(&archive), "-d", s(&dest), "--min-free", "0"]).expect(5).mentions(&["more than once"]);
    assert!(!dest.exists(), "refused but wrote {:?}", common::all_paths(&dest));
}

#[test]
fn an_include_that_matches_nothing_is_exit_2_naming_it() {
    let (temp, dir) = scratch("inno/inno-6.4.1-lzma2-solid-spanned");
    let dest = temp.path().join("out");
    airlock(["extract", s(&dir), "-d", s(&dest), "--min-free", "0", "--include", "setup.exe", "--include", "nomatch"])
        .expect(USAGE)
        .mentions(&["--include 'nomatch'", "airlock list"]);
    assert!(!dest.exists());
}

#[test]
fn include_matches_the_paths_list_shows_including_inno_constants() {
    let (temp, dir) = scratch("inno/inno-6.4.1-lzma2-solid-spanned");
    let listed = airlock(["list", "--json", s(&dir)]).json();
    let names: Vec<&str> = listed["entries"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"{app}/setup.exe"), "{names:?}");
    let dest = temp.path().join("out");
    airlock(["extract", s(&dir), "-d", s(&dest), "--min-free", "0", "--include", "{app}/setup.exe"]).expect(0);
    assert_eq!(common::all_paths(&dest), ["setup.exe"]);
    let dest = temp.path().join("out2");
    airlock(["extract", s(&dir), "-d", s(&dest), "--min-free", "0", "--include", "{app}\\SQLSERVER2017"]).expect(0);
    assert!(common::all_paths(&dest).iter().all(|p| p.starts_with("SQLSERVER2017")), "{:?}", common::all_paths(&dest));
}

#[test]
fn extracting_into_the_sets_own_folder_is_refused_and_a_subfolder_is_fine() {
    let (_t, dir) = scratch("inno/inno-6.4.1-lzma2-solid-spanned");
    let before = common::all_paths(&dir);
    // As a user types it, from inside the set's folder.
    let run = std::process::Command::new(assert_cmd::cargo::cargo_bin("airlock"))
        .current_dir(&dir)
        .args(["extract", ".", "-d", ".", "--min-free", "0"])
        .output()
        .unwrap();
    let run = common::Run { args: vec!["extract . -d .".into()], output: run };
    run.expect(USAGE).mentions(&["set's own folder", "extracted"]);
    assert_eq!(common::all_paths(&dir), before, "files were written into the set's folder");
    let run = std::process::Command::new(assert_cmd::cargo::cargo_bin("airlock"))
        .current_dir(&dir)
        .args(["extract", ".", "-d", "extracted", "--min-free", "0"])
        .output()
        .unwrap();
    common::Run { args: vec!["extract . -d extracted".into()], output: run }.expect(0);
    airlock(["check", s(&dir)]).expect(0);
}

#[test]
fn a_stub_exe_cut_by_one_byte_before_a_spanned_7z_or_zip_fails_check() {
    for fixture in ["zip/sfx-spanned", "sevenz/sfx-spanned"] {
        let (temp, dir) = scratch(fixture);
        std::fs::remove_file(dir.join("SHA256SUMS")).unwrap();
        let path = dir.join(exe());
        cut_to(&path, size_of(&path) - 1);
        airlock(["check", s(&dir)]).expect(INCOMPLETE).mentions(&["short"]);
        airlock(["verify", s(&dir)]).expect(INCOMPLETE);
        let dest = temp.path().join("out");
        airlock(["extract", s(&dir), "-d", s(&dest), "--min-free", "0"]).expect(INCOMPLETE);
        assert!(!dest.exists(), "{fixture}");
    }
}
