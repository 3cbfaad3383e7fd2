//! Replays every input saved under `fuzz/regressions/<target>/` through the
//! body of the fuzz target of that name (`fuzz/fuzz_targets/common/targets.rs`,
//! included here so the replay is exactly what the fuzzer ran), and fails on
//! any panic, abort (including the fuzzers' single-allocation cap of
//! `AIRLOCK_FUZZ_MALLOC_LIMIT_MB`, default 1024) or hang.
//!
//! Each input runs in a child process (this test binary re-run with
//! `AIRLOCK_FUZZ_REPLAY` set) so that an abort or a hang is reported against
//! its file instead of taking down the whole test binary.
//!
//! To replay one file by hand:
//! `AIRLOCK_FUZZ_REPLAY=$'extract_archive\tfuzz/regressions/extract_archive/NAME' \
//!  cargo test --test fuzz_regressions replay_one -- --exact --nocapture`

#[allow(unused_imports)]
#[path = "../fuzz/fuzz_targets/common/mod.rs"]
mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

#[global_allocator]
static ALLOC: common::CappedAlloc = common::CappedAlloc;

/// Set in the child: `TARGET<TAB>PATH`.
const CHILD_ENV: &str = "AIRLOCK_FUZZ_REPLAY";
/// An input that takes longer than this (debug build) is reported as a hang;
/// the fuzzers' limit was 10 s on an optimized build.
const HANG: Duration = Duration::from_secs(120);

/// The inputs saved for `target`. A missing or empty folder is a failure,
/// not a pass: a replay of nothing tests nothing.
fn regressions(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/regressions")).join(target);
    let read =
        std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}; every target needs its folder", dir.display()));
    let mut files: Vec<PathBuf> = read.flatten().map(|e| e.path()).filter(|p| p.is_file()).collect();
    files.sort();
    assert!(!files.is_empty(), "{} holds no input; save at least one (a seed will do)", dir.display());
    files
}

/// Runs one input in a child process: `Err` with what went wrong.
fn replay_in_child(target: &str, file: &Path) -> Result<(), String> {
    let mut child = Command::new(std::env::current_exe().expect("test binary"))
        .args(["replay_one", "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, format!("{target}\t{}", file.display()))
        .env("RUST_BACKTRACE", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the replay: {e}"))?;
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("stdout")));
    let stderr = drain(Box::new(child.stderr.take().expect("stderr")));
    // Wait for the child on another thread, so a hang is a timeout on a
    // channel rather than a polling loop.
    let pid = child.id();
    let (done, finished) = std::sync::mpsc::channel();
    let waiter = std::thread::spawn(move || {
        let _ = done.send(child.wait());
    });
    let status = match finished.recv_timeout(HANG) {
        Ok(status) => Some(status.map_err(|e| e.to_string())?),
        Err(_) => {
            // SAFETY: killing the child we started.
            unsafe { libc::kill(pid as i32, libc::SIGKILL) };
            None
        }
    };
    let _ = waiter.join();
    let output = format!("{}{}", stdout.join().unwrap_or_default(), stderr.join().unwrap_or_default());
    match status {
        Some(status) if status.success() => Ok(()),
        Some(status) => Err(format!("{status}\n{}", summary(&output))),
        None => Err(format!("still running after {HANG:?} (hang)\n{}", summary(&output))),
    }
}

/// The message of a failed replay and the frames of its backtrace that are
/// in airlock, its dependencies or the fuzz code (not std, not the harness).
fn summary(output: &str) -> String {
    let lines: Vec<&str> = output.lines().collect();
    let mut keep = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let message =
            ["out-of-memory", "panicked at", "memory allocation", "assertion"].iter().any(|m| line.contains(m));
        let located = line.trim_start().starts_with("at ")
            && (line.contains("/registry/src/") || line.contains("./src/") || line.contains("fuzz_targets"));
        if message {
            keep.push(line.to_string());
            if let Some(next) = lines.get(i + 1).filter(|l| !l.trim_start().starts_with(|c: char| c.is_ascii_digit())) {
                keep.push(next.to_string());
            }
        } else if located {
            keep.push(format!("{}  {}", lines.get(i.wrapping_sub(1)).map_or("", |l| l.trim()), line.trim()));
        }
    }
    keep.truncate(24);
    if keep.is_empty() {
        let start = lines.len().saturating_sub(20);
        return lines[start..].join("\n");
    }
    keep.join("\n")
}

fn replay_all(target: &str) {
    let files = regressions(target);
    let failures: Vec<String> = files
        .iter()
        .filter_map(|file| {
            replay_in_child(target, file)
                .err()
                .map(|why| format!("--- {}: {why}", file.file_name().unwrap_or_default().to_string_lossy()))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} {target} regression input(s) fail:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n\n")
    );
}

/// The child side: replays the one input named in `AIRLOCK_FUZZ_REPLAY`
/// (passes at once when it is not set).
#[test]
fn replay_one() {
    let Ok(spec) = std::env::var(CHILD_ENV) else { return };
    let (target, path) = spec.split_once('\t').expect("AIRLOCK_FUZZ_REPLAY is TARGET<TAB>PATH");
    let data = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    common::targets::run(target, &data);
}

#[test]
fn manifest_parse_regressions() {
    replay_all("manifest_parse");
}

#[test]
fn discover_names_regressions() {
    replay_all("discover_names");
}

#[test]
fn detect_and_list_regressions() {
    replay_all("detect_and_list");
}

#[test]
fn extract_archive_regressions() {
    replay_all("extract_archive");
}

#[test]
fn authenticode_regressions() {
    replay_all("authenticode");
}

#[test]
fn inno_header_regressions() {
    replay_all("inno_header");
}

#[test]
fn fetch_response_regressions() {
    replay_all("fetch_response");
}

#[test]
fn manifest_signature_regressions() {
    replay_all("manifest_signature");
}

#[test]
fn manifest_model_regressions() {
    replay_all("manifest_model");
}
