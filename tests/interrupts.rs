//! Issue 9: cleanup survives every interrupt airlock can catch, and two runs
//! into one folder never harm each other. Real processes, real signals; each
//! test waits on what it can see (a staged file exists), never on a sleep.

mod common;
mod faultfs;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use common::{NAME, all_paths, staging_has_a_file, testdata, wait_until};
use faultfs::{FaultFs, Faults, Gate, Mounted};

const INTERRUPTED: i32 = 130;

fn spawn(args: &[&str]) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("airlock"))
        .args(args)
        .env_remove("AIRLOCK_TEST_AVAILABLE_BYTES")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn signal(child: &Child, signal: libc::c_int) {
    // SAFETY: sending a signal to our own child.
    unsafe { libc::kill(child.id() as i32, signal) };
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// DEST with one file of the user's in it.
fn dest_with_a_user_file(temp: &tempfile::TempDir) -> std::path::PathBuf {
    let dest = temp.path().join("out");
    std::fs::create_dir(&dest).unwrap();
    std::fs::write(dest.join("keep.txt"), b"the user's").unwrap();
    dest
}

fn extract_bench(dest: &Path) -> Child {
    spawn(&["extract", s(&testdata("inno-bench")), "-d", s(dest), "--min-free", "0", "--no-verify", "--quiet"])
}

/// Sends `signals` back to back once the extraction has staged a file, and
/// asserts the run ended interrupted with DEST as it was.
fn interrupt_extraction(signals: &[libc::c_int]) {
    let temp = tempfile::tempdir().unwrap();
    let dest = dest_with_a_user_file(&temp);
    let mut child = extract_bench(&dest);
    assert!(wait_until(&mut child, || staging_has_a_file(&dest)), "extraction never started writing");
    for &sig in signals {
        signal(&child, sig);
    }
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(INTERRUPTED), "{:?}: {:?}\n{stderr}", signals, output.status);
    assert!(stderr.contains("interrupted") && stderr.contains("removed"), "{stderr}");
    assert_eq!(all_paths(&dest), ["keep.txt"], "{signals:?} left files behind");
}

#[test]
fn a_double_ctrl_c_still_cleans_up_everything() {
    interrupt_extraction(&[libc::SIGINT, libc::SIGINT]);
}

#[test]
fn a_dropped_terminal_sighup_cleans_up() {
    interrupt_extraction(&[libc::SIGHUP]);
}

#[test]
fn sigterm_then_sigint_cleans_up_once() {
    interrupt_extraction(&[libc::SIGTERM, libc::SIGINT, libc::SIGHUP]);
}

#[test]
fn an_interrupted_stage_removes_what_it_copied_keeps_what_was_there_and_says_so() {
    let temp = tempfile::tempdir().unwrap();
    let set = testdata("inno-bench");
    let media = temp.path().join("media");
    std::fs::create_dir(&media).unwrap();
    // An identical copy of the last slice is already on the media.
    let kept = format!("{NAME}-5.bin");
    std::fs::copy(set.join(&kept), media.join(&kept)).unwrap();
    let mut child = spawn(&["stage", "--threads", "1", s(&set), s(&media)]);
    let first = media.join(format!("{NAME}.exe"));
    assert!(wait_until(&mut child, || first.exists()), "staging never copied a part");
    signal(&child, libc::SIGINT);
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(INTERRUPTED), "{stderr}");
    assert!(stderr.contains(&format!("{NAME}.exe")) && stderr.contains("removed"), "{stderr}");
    assert!(stderr.contains(&kept) && stderr.contains("already there"), "{stderr}");
    assert_eq!(all_paths(&media), [kept], "{stderr}");
}

/// Stops `child` (SIGSTOP) while `during` runs, then lets it go on.
fn while_stopped<T>(child: &Child, during: impl FnOnce() -> T) -> T {
    signal(child, libc::SIGSTOP);
    let outcome = during();
    signal(child, libc::SIGCONT);
    outcome
}

#[test]
fn a_second_extraction_into_the_same_dest_refuses_and_never_harms_the_first() {
    let temp = tempfile::tempdir().unwrap();
    let dest = dest_with_a_user_file(&temp);
    let mut first = extract_bench(&dest);
    assert!(wait_until(&mut first, || staging_has_a_file(&dest)), "the first extraction never started writing");
    let (second, staging) = while_stopped(&first, || {
        let before: Vec<String> = all_paths(&dest);
        let second = common::airlock(["extract", s(&testdata("inno-bench")), "-d", s(&dest), "--min-free", "0"]);
        (second, (before, all_paths(&dest)))
    });
    second.expect(2).mentions(&["another airlock run", s(&dest)]);
    assert_eq!(staging.0, staging.1, "the second run touched the first one's files");
    let output = first.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(std::fs::read(dest.join("keep.txt")).unwrap(), b"the user's");
    std::fs::remove_file(dest.join("keep.txt")).unwrap();
    assert_eq!(common::tree(&dest), common::expected(&testdata("inno-bench/EXPECTED.tsv")));
}

#[test]
fn a_second_staging_onto_the_same_media_refuses_and_never_harms_the_first() {
    let temp = tempfile::tempdir().unwrap();
    let set = testdata("inno-bench");
    let media = temp.path().join("media");
    let mut first = spawn(&["stage", "--threads", "1", s(&set), s(&media)]);
    let exe = media.join(format!("{NAME}.exe"));
    assert!(wait_until(&mut first, || exe.exists()), "the first staging never copied a part");
    let second = while_stopped(&first, || common::airlock(["stage", s(&set), s(&media)]));
    second.expect(2).mentions(&["another airlock run"]);
    let output = first.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    common::airlock(["verify", s(&media)]).expect(0);
    assert!(!media.join(".airlock-lock").exists(), "the lock file was left behind");
}

#[test]
fn ctrl_c_while_check_hashes_a_part_for_a_renamed_one_exits_130() {
    // The manifest lists slice 3, which is gone; slice 4 is not listed, so
    // the check hashes it to see whether it is slice 3 under another name:
    // the only bulk read of a check. A 4 GiB sparse slice keeps it busy.
    let (_temp, set) = common::scratch("inno/inno-6.2.0-lzma2-solid-spanned");
    std::fs::remove_file(set.join(format!("{NAME}-3.bin"))).unwrap();
    let big = set.join(format!("{NAME}-4.bin"));
    std::fs::File::create(&big).unwrap().set_len(4 << 30).unwrap();
    let mut child = spawn(&["check", s(&set)]);
    let pid = child.id();
    let hashing = || common::position_in(pid, &big) > 64 << 20;
    assert!(wait_until(&mut child, hashing), "the check never hashed the unlisted slice");
    signal(&child, libc::SIGINT);
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(INTERRUPTED), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
}

// ---- the Authenticode digest ---------------------------------------------------------

/// A read of the signed installer's byte 1 MiB (inside its program, which the
/// digest reads and nothing before it does) is held at the gate.
const HELD: u64 = 1 << 20;

/// A signed Inno Setup installer alone on a faultfs mount whose reads of
/// [`HELD`] in it wait at `gate`; `None` when FUSE cannot be used.
fn signed_installer_held(temp: &tempfile::TempDir, gate: &Arc<Gate>) -> Option<Mounted> {
    if !faultfs::available() {
        return None;
    }
    let source = temp.path().join("source");
    std::fs::create_dir(&source).unwrap();
    let exe = format!("{NAME}.exe");
    std::fs::copy(testdata("authenticode/inno/inno-6.4.1-signed.exe"), source.join(&exe)).unwrap();
    assert!(std::fs::metadata(source.join(&exe)).unwrap().len() > HELD + 4096, "the held byte is past the program");
    let faults = Faults { hold: Some((exe, HELD..HELD + 1, Arc::clone(gate))), ..Faults::default() };
    Some(Mounted::new(FaultFs::with_files_of(Some(&source), faults), &temp.path().join("mnt")).unwrap())
}

/// Runs `args`, sends SIGINT once the digest's read is held at the gate,
/// then opens it; returns the output.
fn interrupt_the_digest(mut child: Child, gate: &Gate) -> std::process::Output {
    let held = wait_until(&mut child, || gate.reached());
    signal(&child, libc::SIGINT);
    gate.open();
    let output = child.wait_with_output().unwrap();
    assert!(held, "the digest never reached the held read\n{}", String::from_utf8_lossy(&output.stderr));
    output
}

#[test]
fn ctrl_c_while_the_authenticode_digest_reads_the_installer_exits_130() {
    let temp = tempfile::tempdir().unwrap();
    let gate = Arc::new(Gate::default());
    let Some(mount) = signed_installer_held(&temp, &gate) else { return };
    let root = testdata("authenticode/pki/root.pem");
    let exe = mount.path.join(format!("{NAME}.exe"));
    // Nothing after the digest looks at the cancel: without it, the check
    // ends with the verdict (valid, exit 0).
    let child = spawn(&["authenticode", "--root", s(&root), s(&exe)]);
    let output = interrupt_the_digest(child, &gate);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(INTERRUPTED), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(!String::from_utf8_lossy(&output.stdout).contains("valid"), "a verdict after Ctrl-C: {output:?}");
}

#[test]
fn ctrl_c_while_extract_checks_the_signer_exits_130_and_writes_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let gate = Arc::new(Gate::default());
    let Some(mount) = signed_installer_held(&temp, &gate) else { return };
    let root = testdata("authenticode/pki/root.pem");
    let dest = temp.path().join("out");
    let manifest = temp.path().join("not-there.sha256");
    let child = spawn(&[
        "extract",
        "--manifest",
        s(&manifest),
        "--signer",
        "Airlock Test Vendor",
        "--root",
        s(&root),
        "--min-free",
        "0",
        "-d",
        s(&dest),
        s(&mount.path),
    ]);
    // The signer check comes first; without the cancel in its digest the
    // run would go on to read the manifest, which is not there (exit 2).
    let output = interrupt_the_digest(child, &gate);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(INTERRUPTED), "{stderr}");
    assert!(stderr.contains("interrupted") && !stderr.contains("not-there"), "{stderr}");
    assert!(!dest.exists(), "extract wrote {:?} after Ctrl-C", all_paths(&dest));
}
