//! Faults while working: interruption, a destination that fills up, a part
//! truncated while it is read. Each must end with a clear error and exit
//! code, never a crash, and leave the destination as it was.

mod common;

use std::process::{Child, Command, Stdio};

use common::{all_paths, staging_has_a_file, testdata, wait_until};

fn spawn(args: &[&str]) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("airlock"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn ctrl_c_during_extraction_stops_removes_what_was_written_and_exits_130() {
    let temp = tempfile::tempdir().unwrap();
    let dest = temp.path().join("out");
    std::fs::create_dir(&dest).unwrap();
    std::fs::write(dest.join("keep.txt"), b"the user's").unwrap();
    let set = testdata("inno-bench");
    let mut child = spawn(&[
        "extract",
        set.to_str().unwrap(),
        "-d",
        dest.to_str().unwrap(),
        "--min-free",
        "0",
        "--no-verify",
        "--quiet",
    ]);
    assert!(wait_until(&mut child, || staging_has_a_file(&dest)), "extraction never started writing");
    // SAFETY: sending SIGINT to our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("interrupted"));
    assert_eq!(all_paths(&dest), ["keep.txt"]);
}

#[test]
fn a_destination_that_fills_up_midway_is_left_as_it_was() {
    let set = testdata("inno-bench");
    let needed: u64 = common::expected(&set.join("EXPECTED.tsv")).values().map(|(size, _)| size).sum();
    let temp = tempfile::tempdir().unwrap();
    let mount = temp.path().join("small");
    std::fs::create_dir(&mount).unwrap();
    assert!(common::is_root(), "this test mounts a tmpfs and needs root (CI runs as root)");
    // Room for the payload, so the free-space rule passes ...
    let size = format!("size={}", needed + (8 << 20));
    let mounted = Command::new("mount").args(["-t", "tmpfs", "-o", &size, "tmpfs"]).arg(&mount).status().unwrap();
    assert!(mounted.success());
    let dest = mount.join("out");
    std::fs::create_dir(&dest).unwrap();
    std::fs::write(dest.join("keep.txt"), b"the user's").unwrap();
    let mut child =
        spawn(&["extract", set.to_str().unwrap(), "-d", dest.to_str().unwrap(), "--min-free", "0", "--no-verify"]);
    assert!(wait_until(&mut child, || staging_has_a_file(&dest)), "extraction never started writing");
    // ... then another program takes the rest of the disk while it writes.
    fill_up(&mount.join("filler"));
    let output = child.wait_with_output().unwrap();
    let left = all_paths(&dest);
    let _ = Command::new("umount").arg(&mount).status();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("filled up") && stderr.contains("removed"), "{stderr}");
    assert!(!stderr.contains(".airlock-partial"), "the message names the staging folder: {stderr}");
    assert_eq!(left, ["keep.txt"]);
}

/// Writes zeros to `path` until its filesystem is full.
fn fill_up(path: &std::path::Path) {
    use std::io::Write;
    let mut file = std::fs::File::create(path).unwrap();
    let block = vec![0u8; 1 << 20];
    loop {
        match file.write(&block) {
            Ok(0) => break,
            Ok(_) => {}
            Err(error) => {
                assert_eq!(error.kind(), std::io::ErrorKind::StorageFull, "{error}");
                break;
            }
        }
    }
}

/// A 2 GiB sparse part: long enough to hash that it is still being read
/// when the test truncates it.
fn big_sparse_set() -> (tempfile::TempDir, std::path::PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let part = temp.path().join("Big.7z");
    let file = std::fs::File::create(&part).unwrap();
    file.set_len(2 << 30).unwrap();
    // A manifest makes the part list authoritative, so the zeros' lack of a
    // payload is only a warning and the read error decides the exit code.
    std::fs::write(temp.path().join("SHA256SUMS"), format!("{}  Big.7z\n", "0".repeat(64))).unwrap();
    (temp, part)
}

#[test]
fn a_part_truncated_while_memory_mapped_ends_with_a_clear_error_not_a_crash() {
    let (_t, part) = big_sparse_set();
    let mut child = spawn(&["verify", "--threads", "1", "--mmap", part.to_str().unwrap()]);
    let maps = format!("/proc/{}/maps", child.id());
    let name = part.to_string_lossy().into_owned();
    assert!(
        wait_until(&mut child, || std::fs::read_to_string(&maps).is_ok_and(|m| m.contains(&name))),
        "the part was never mapped"
    );
    std::fs::OpenOptions::new().write(true).open(&part).unwrap().set_len(0).unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(6), "died by a signal or wrong code: {:?}\n{stderr}", output.status);
    assert!(stderr.contains("changed size") && stderr.contains("memory map"), "{stderr}");
}

#[test]
fn a_part_truncated_while_read_without_mmap_is_named() {
    let (_t, part) = big_sparse_set();
    let mut child = spawn(&["verify", "--threads", "1", "--no-mmap", part.to_str().unwrap()]);
    let pid = child.id();
    let name = part.to_string_lossy().into_owned();
    // Reading has begun when the descriptor open on the part has moved.
    let reading = || {
        std::fs::read_dir(format!("/proc/{pid}/fd")).into_iter().flatten().flatten().any(|fd| {
            std::fs::read_link(fd.path()).is_ok_and(|target| target.to_string_lossy() == name)
                && std::fs::read_to_string(format!("/proc/{pid}/fdinfo/{}", fd.file_name().to_string_lossy()))
                    .is_ok_and(|info| {
                        info.lines().any(|l| l.starts_with("pos:") && l.trim_start_matches("pos:").trim() != "0")
                    })
        })
    };
    assert!(wait_until(&mut child, reading), "the part was never read");
    std::fs::OpenOptions::new().write(true).open(&part).unwrap().set_len(1 << 20).unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(6), "{stderr}");
    assert!(stderr.contains("Big.7z") && stderr.contains("changed size"), "{stderr}");
}
