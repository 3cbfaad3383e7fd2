//! Issue 9: cleanup survives every interrupt airlock can catch, and two runs
//! into one folder never harm each other. Real processes, real signals; each
//! test waits on what it can see (a staged file exists), never on a sleep.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};

use common::{NAME, all_paths, staging_has_a_file, testdata, wait_until};

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
