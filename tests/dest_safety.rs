//! Issue 25: DEST is a capability, and the set's own folder is known by its
//! identity, not its path.
//!
//! Item 1: DEST is a capability. A symbolic link inside DEST is
//! never written through: one already there on the way to a file is refused
//! before anything is written, and one that another process makes while the
//! extraction runs stops the run with nothing written outside DEST. Both are
//! exit 7.
//!
//! The race is made real, not likely: the archive is served by the FUSE
//! filesystem of `tests/faultfs`, which holds the reads of the middle of the
//! archive at a gate. The test (a second process beside airlock) waits until
//! airlock has staged the first file and is held in the middle of the second,
//! puts the link in DEST, and only then opens the gate. No sleep on either
//! side. FUSE needs root and `/dev/fuse` (as `tests/io_errors.rs`).
//!
//! Item 5: DEST given as a bind mount of the set's folder is that folder
//! (exit 2), judged by device and inode. A bind mount needs root too.

mod common;
mod faultfs;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

use common::{airlock, all_paths, scratch, wait_until};
use faultfs::{FaultFs, Faults, Gate, Mounted};

const LINK_IN_DEST: i32 = 7;

/// The byte of the archive whose reads are held at the gate.
const HELD: u64 = 20 << 20;

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A zip of `SQL/a.txt` (small) and `SQL/b.bin` (24 MiB), stored, so
/// [`HELD`] is in the middle of `b.bin`'s data, past the 16 MiB that the
/// payload detection scans for a 7z signature before anything is decoded.
fn write_zip(path: &Path) {
    let mut writer = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    writer.start_file("SQL/a.txt", stored).unwrap();
    writer.write_all(b"the first file\n").unwrap();
    writer.start_file("SQL/b.bin", stored).unwrap();
    writer.write_all(&common::noise(24 << 20)).unwrap();
    writer.finish().unwrap();
}

/// Whether the extraction into `dest` has staged entry 0 (`SQL/a.txt`).
fn first_entry_staged(dest: &Path) -> bool {
    std::fs::read_dir(dest).into_iter().flatten().flatten().any(|e| {
        e.file_name().to_string_lossy().starts_with(".airlock-partial-")
            && std::fs::metadata(e.path().join("0").join("0")).is_ok_and(|m| m.is_file())
    })
}

#[test]
fn a_link_made_inside_dest_while_extracting_is_never_followed() {
    if !faultfs::available() {
        return;
    }
    let temp = tempfile::tempdir().unwrap();
    let source = temp.path().join("source");
    std::fs::create_dir(&source).unwrap();
    write_zip(&source.join("Race.zip"));
    let gate = Arc::new(Gate::default());
    let faults = Faults { hold: Some(("Race.zip".to_owned(), HELD..HELD + 1, Arc::clone(&gate))), ..Faults::default() };
    let mount = Mounted::new(FaultFs::with_files_of(Some(&source), faults), &temp.path().join("mnt")).unwrap();
    let (dest, elsewhere) = (temp.path().join("dest"), temp.path().join("elsewhere"));
    std::fs::create_dir(&dest).unwrap();
    std::fs::create_dir(&elsewhere).unwrap();

    let mut child = Command::new(assert_cmd::cargo::cargo_bin("airlock"))
        .args(["extract", s(&mount.path.join("Race.zip")), "-d", s(&dest)])
        .args(["--min-free", "0", "--no-verify", "--threads", "2", "--quiet"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // airlock has staged SQL/a.txt and is held in the middle of SQL/b.bin:
    // now DEST/SQL becomes a link to a folder outside DEST.
    let ready = wait_until(&mut child, || first_entry_staged(&dest) && gate.reached());
    std::os::unix::fs::symlink(&elsewhere, dest.join("SQL")).unwrap();
    gate.open();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(ready, "airlock never reached the held read with a file staged\n{stderr}");

    assert_eq!(all_paths(&elsewhere), Vec::<String>::new(), "files landed outside DEST, through the link\n{stderr}");
    assert_eq!(output.status.code(), Some(LINK_IN_DEST), "{stderr}");
    assert!(
        stderr.contains(&format!("{}/SQL", dest.display()))
            && stderr.contains("symbolic link")
            && stderr.contains("while airlock was writing"),
        "{stderr}"
    );
    // DEST as it was, but for the link the other process made.
    let left: Vec<String> =
        std::fs::read_dir(&dest).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(left, ["SQL"], "{stderr}");
    assert!(std::fs::symlink_metadata(dest.join("SQL")).unwrap().file_type().is_symlink());
}

#[test]
fn a_link_already_on_the_way_is_refused_before_anything_is_written() {
    let temp = tempfile::tempdir().unwrap();
    let archive = temp.path().join("Linked.zip");
    write_zip(&archive);
    let (dest, elsewhere) = (temp.path().join("dest"), temp.path().join("elsewhere"));
    std::fs::create_dir(&dest).unwrap();
    std::fs::create_dir(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, dest.join("SQL")).unwrap();
    let run = airlock(["extract", s(&archive), "-d", s(&dest), "--min-free", "0"]);
    run.expect(LINK_IN_DEST).mentions(&["SQL", "is a symbolic link", "nothing was written"]);
    assert_eq!(all_paths(&elsewhere), Vec::<String>::new());
    assert_eq!(all_paths(&dest), ["SQL"], "{}", run.dump());
}

/// A bind mount of `from` on `at`, unmounted on drop.
struct Bind(std::path::PathBuf);

impl Drop for Bind {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn the_sets_folder_through_a_bind_mount_is_the_sets_folder() {
    if !common::is_root() {
        let line = "SKIPPED (not root): a bind mount needs root\n";
        // SAFETY: write(2) on the process's own stderr with a valid buffer.
        unsafe { libc::write(2, line.as_ptr().cast(), line.len()) };
        return;
    }
    let (temp, dir) = scratch("zip/stored");
    let view = temp.path().join("view");
    std::fs::create_dir(&view).unwrap();
    let status = Command::new("mount").args(["--bind", s(&dir), s(&view)]).status().unwrap();
    assert!(status.success(), "mount --bind failed");
    let _bind = Bind(view.clone());
    let before = all_paths(&dir);
    let run = airlock(["extract", s(&dir), "-d", s(&view), "--min-free", "0"]);
    run.expect(2).mentions(&["set's own folder"]);
    assert_eq!(all_paths(&dir), before, "files were written into the set's folder\n{}", run.dump());
    // A link to it too; and a subfolder seen through the mount is fine.
    let link = temp.path().join("link");
    std::os::unix::fs::symlink(&dir, &link).unwrap();
    airlock(["extract", s(&dir), "-d", s(&link), "--min-free", "0"]).expect(2).mentions(&["set's own folder"]);
    airlock(["extract", s(&dir), "-d", s(&view.join("out")), "--min-free", "0"]).expect(0);
    assert!(dir.join("out").is_dir());
}

#[test]
fn a_dest_that_is_a_link_to_nothing_is_a_usage_error() {
    let temp = tempfile::tempdir().unwrap();
    let archive = temp.path().join("Small.zip");
    let mut writer = zip::ZipWriter::new(std::fs::File::create(&archive).unwrap());
    writer.start_file("a.txt", zip::write::SimpleFileOptions::default()).unwrap();
    writer.write_all(b"a\n").unwrap();
    writer.finish().unwrap();
    let dest = temp.path().join("dest");
    std::os::unix::fs::symlink(temp.path().join("nowhere"), &dest).unwrap();
    airlock(["extract", s(&archive), "-d", s(&dest), "--min-free", "0"]).expect(2).mentions(&[
        "symbolic link",
        "nowhere",
        "does not exist",
    ]);
    assert!(!temp.path().join("nowhere").exists());
}

#[test]
fn a_link_named_like_a_staging_folder_is_removed_as_a_link_never_followed() {
    let temp = tempfile::tempdir().unwrap();
    let archive = temp.path().join("Small.zip");
    write_zip(&archive);
    let (dest, elsewhere) = (temp.path().join("dest"), temp.path().join("elsewhere"));
    std::fs::create_dir(&dest).unwrap();
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("keep.txt"), b"not airlock's").unwrap();
    std::os::unix::fs::symlink(&elsewhere, dest.join(".airlock-partial-1")).unwrap();
    airlock(["extract", s(&archive), "-d", s(&dest), "--min-free", "0"]).expect(0);
    assert_eq!(all_paths(&elsewhere), ["keep.txt"], "a leftover link was followed");
    let mut left = all_paths(&dest);
    left.sort();
    assert_eq!(left, ["SQL", "SQL/a.txt", "SQL/b.bin"]);
}
