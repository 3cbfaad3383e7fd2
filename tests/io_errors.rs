//! Real I/O errors through a fault-injecting FUSE filesystem
//! (`tests/faultfs`): a set served read-only whose one part returns EIO from
//! a chosen offset, or whose reads come back short, and destinations whose
//! writes fail with EIO or ENOSPC mid-file.
//!
//! FUSE needs root and `/dev/fuse` (CI runs as root; `.ci/run` sets
//! `AIRLOCK_FUSE=1`, which turns a missing capability into a failure). On a
//! machine without them each test prints `SKIPPED (no FUSE here): REASON` to
//! stderr (uncaptured, so `cargo test` shows it) and returns.

mod common;
mod faultfs;

use std::path::{Path, PathBuf};

use common::{NAME, Run, all_paths, testdata, tree};
use faultfs::{FaultFs, Faults, Mounted};

const FIXTURE: &str = "inno/inno-6.4.1-lzma2-solid-spanned";
/// The part that fails, and where: mid-slice, past its header and first chunk.
const BAD: &str = "MicrosoftAzureBackupInstaller-2.bin";
const EIO_AT: u64 = 1 << 20;

/// A mounted filesystem in its own tempdir; unmounted before the tempdir goes.
struct Served {
    mount: Mounted,
    temp: tempfile::TempDir,
}

impl Served {
    fn new(files_of: Option<&Path>, faults: Faults) -> Self {
        let temp = tempfile::tempdir().unwrap();
        let mount = Mounted::new(FaultFs::with_files_of(files_of, faults), &temp.path().join("mnt"))
            .expect("mounting the FUSE filesystem");
        Served { mount, temp }
    }

    fn path(&self) -> &Path {
        &self.mount.path
    }

    /// A folder on the real disk beside the mount.
    fn scratch(&self, name: &str) -> PathBuf {
        let dir = self.temp.path().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}

fn eio_in_bad_part() -> Faults {
    Faults { eio_from: Some((BAD.to_owned(), EIO_AT)), ..Faults::default() }
}

/// Runs airlock from inside `dir`, as users do.
fn run_in(dir: &Path, args: &[&str]) -> Run {
    let output = assert_cmd::Command::cargo_bin("airlock").unwrap().current_dir(dir).args(args).output().unwrap();
    Run { args: args.iter().map(|a| a.to_string()).collect(), output }
}

/// The one line naming the part and an offset at or before the fault.
#[track_caller]
fn assert_names_part_and_offset(run: &Run) {
    assert_names_part_and_offset_at(run, EIO_AT);
}

#[track_caller]
fn assert_names_part_and_offset_at(run: &Run, fault_at: u64) {
    let stderr = run.stderr();
    let lines: Vec<&str> = stderr.lines().filter(|l| l.contains(BAD) && l.contains("offset")).collect();
    assert_eq!(lines.len(), 1, "one line naming {BAD} and the offset\n{}", run.dump());
    let offset: u64 = lines[0]
        .split("offset ")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no offset number in {:?}", lines[0]));
    assert!(
        offset <= fault_at && fault_at - offset <= 4 << 20,
        "offset {offset} is not where the fault is\n{}",
        run.dump()
    );
}

/// A destination holding one file of the user's, to prove it is left alone.
fn dest_with_keep(dir: &Path) -> PathBuf {
    let dest = dir.join("out");
    std::fs::create_dir_all(&dest).unwrap();
    std::fs::write(dest.join("keep.txt"), b"the user's").unwrap();
    dest
}

#[test]
fn check_reads_only_headers_and_is_unaffected_by_a_failing_part() {
    if !faultfs::available() {
        return;
    }
    let served = Served::new(Some(&testdata(FIXTURE)), eio_in_bad_part());
    // The fault is real: reading the part through the mount fails.
    let error = std::fs::read(served.path().join(BAD)).unwrap_err();
    assert_eq!(error.raw_os_error(), Some(libc::EIO));
    run_in(served.path(), &["check", "."]).expect(0);
    // The same for a 7z and a zip after a stub, with small parts (the 7z
    // signature scan must not read on into them).
    for fixture in ["sevenz/sfx-spanned", "zip/sfx-spanned"] {
        let faults = Faults { eio_from: Some((BAD.to_owned(), 100_000)), ..Faults::default() };
        let served = Served::new(Some(&testdata(fixture)), faults);
        assert!(std::fs::read(served.path().join(BAD)).is_err());
        run_in(served.path(), &["check", "."]).expect(0);
    }
}

#[test]
fn verify_names_the_failing_part_and_still_reports_every_other_part() {
    if !faultfs::available() {
        return;
    }
    let served = Served::new(Some(&testdata(FIXTURE)), eio_in_bad_part());
    let run = run_in(served.path(), &["verify", ".", "--json"]);
    run.expect(6);
    let json = run.json();
    let parts = json["parts"].as_array().unwrap_or_else(|| panic!("no parts\n{}", run.dump()));
    let status =
        |name: &str| parts.iter().find(|p| p["name"] == name).map(|p| p["status"].as_str().unwrap_or("").to_owned());
    for other in [format!("{NAME}.exe"), format!("{NAME}-1.bin"), format!("{NAME}-3.bin")] {
        assert_eq!(status(&other).as_deref(), Some("ok"), "{other}\n{}", run.dump());
    }
    let bad = status(BAD).unwrap_or_else(|| panic!("{BAD} not reported\n{}", run.dump()));
    assert_ne!(bad, "ok", "{}", run.dump());
    // Without --json: one line naming the part and the offset.
    let run = run_in(served.path(), &["verify", "."]);
    run.expect(6);
    assert_names_part_and_offset(&run);
}

#[test]
fn extract_from_a_failing_part_exits_6_naming_it_and_leaves_dest_as_it_was() {
    if !faultfs::available() {
        return;
    }
    let served = Served::new(Some(&testdata(FIXTURE)), eio_in_bad_part());
    let dest = dest_with_keep(&served.scratch("d"));
    for extra in [&[][..], &["--no-verify"][..]] {
        let mut args = vec!["extract", ".", "-d", dest.to_str().unwrap(), "--min-free", "0"];
        args.extend_from_slice(extra);
        let run = run_in(served.path(), &args);
        run.expect(6);
        assert_names_part_and_offset(&run);
        assert_eq!(all_paths(&dest), ["keep.txt"], "{}", run.dump());
    }
}

/// Through a memory map the device's refusal arrives as `SIGBUS`, not as an
/// error a read returns: the binary still ends with one line and exit 6.
#[test]
fn a_failing_part_read_through_a_memory_map_ends_with_exit_6_not_a_crash() {
    if !faultfs::available() {
        return;
    }
    let faults = Faults { page_cache: true, ..eio_in_bad_part() };
    let served = Served::new(Some(&testdata(FIXTURE)), faults);
    let run = run_in(served.path(), &["verify", ".", "--mmap", "--threads", "1"]);
    run.expect(6).mentions(&["memory map", "could not be read"]);
}

/// 7z and zip are read through airlock's own set reader, which names the
/// part and the offset itself (no re-read needed).
#[test]
fn extract_of_a_7z_or_zip_with_a_failing_part_exits_6_naming_it() {
    if !faultfs::available() {
        return;
    }
    const AT: u64 = 100_000;
    for fixture in ["sevenz/sfx-spanned", "zip/sfx-spanned"] {
        let served =
            Served::new(Some(&testdata(fixture)), Faults { eio_from: Some((BAD.to_owned(), AT)), ..Faults::default() });
        let dest = dest_with_keep(&served.scratch("d"));
        let run =
            run_in(served.path(), &["extract", ".", "-d", dest.to_str().unwrap(), "--min-free", "0", "--no-verify"]);
        run.expect(6);
        assert_names_part_and_offset_at(&run, AT);
        assert_eq!(all_paths(&dest), ["keep.txt"], "{fixture}\n{}", run.dump());
    }
}

/// The source is read once, as it is copied, so the fault is met mid-copy:
/// the failing part never lands under its name (its temporary copy is
/// removed), no manifest is written, and the parts before and after it that
/// copied and read back whole stay for the next run.
#[test]
fn stage_from_a_failing_part_exits_6_naming_it_and_never_places_it() {
    if !faultfs::available() {
        return;
    }
    let served = Served::new(Some(&testdata(FIXTURE)), eio_in_bad_part());
    let media = dest_with_keep(&served.scratch("m"));
    let run = run_in(served.path(), &["stage", ".", media.to_str().unwrap()]);
    run.expect(6);
    assert_names_part_and_offset(&run);
    let left = all_paths(&media);
    assert!(left.contains(&"keep.txt".to_owned()), "{}", run.dump());
    assert_eq!(std::fs::read(media.join("keep.txt")).unwrap(), b"the user's");
    assert!(!left.contains(&BAD.to_owned()), "the failing part was placed: {left:?}\n{}", run.dump());
    for name in left.iter().filter(|n| *n != "keep.txt") {
        let source = testdata(FIXTURE).join(name);
        assert!(source.is_file(), "{name} on the media is not a part (a temporary or a manifest)\n{}", run.dump());
        assert_eq!(std::fs::read(media.join(name)).unwrap(), std::fs::read(source).unwrap(), "{name} is not whole");
    }
}

#[test]
fn short_reads_are_read_on_and_every_command_succeeds() {
    if !faultfs::available() {
        return;
    }
    // 1000 bytes per read call: not a multiple of any block size.
    let served = Served::new(Some(&testdata(FIXTURE)), Faults { short_reads: Some(1000), ..Faults::default() });
    run_in(served.path(), &["check", "."]).expect(0);
    run_in(served.path(), &["verify", "."]).expect(0);
    let dest = served.scratch("out");
    let run = run_in(served.path(), &["extract", ".", "-d", dest.to_str().unwrap(), "--min-free", "0"]);
    run.expect(0);
    assert_eq!(tree(&dest), common::expected(&testdata(FIXTURE).join("EXPECTED.tsv")), "{}", run.dump());
    let media = served.scratch("media");
    run_in(served.path(), &["stage", ".", media.to_str().unwrap()]).expect(0);
    for part in ["MicrosoftAzureBackupInstaller.exe", BAD] {
        assert_eq!(std::fs::read(media.join(part)).unwrap(), std::fs::read(testdata(FIXTURE).join(part)).unwrap());
    }
}

/// A destination filesystem whose writes fail with `errno` after 512 KiB.
fn failing_destination(errno: i32) -> Served {
    Served::new(None, Faults { fail_writes_after: Some((512 << 10, errno)), ..Faults::default() })
}

#[test]
fn extract_into_a_destination_failing_writes_mid_file_leaves_it_as_it_was() {
    if !faultfs::available() {
        return;
    }
    for (errno, code, says) in [(libc::EIO, 6, "input/output error"), (libc::ENOSPC, 4, "filled up")] {
        let served = failing_destination(errno);
        let dest = dest_with_keep(served.path());
        let set = testdata(FIXTURE);
        let run = run_in(&set, &["extract", ".", "-d", dest.to_str().unwrap(), "--min-free", "0"]);
        run.expect(code).mentions(&[says]);
        assert_eq!(all_paths(&dest), ["keep.txt"], "{}", run.dump());
        assert_eq!(std::fs::read(dest.join("keep.txt")).unwrap(), b"the user's");
    }
}

/// Staging keeps parts it finished and read back before the failure (by
/// design: a second run resumes without copying them again), but never a
/// half-written part and never a manifest that could vouch for the copy.
#[test]
fn stage_onto_media_failing_writes_mid_file_leaves_no_half_copy_and_no_manifest() {
    if !faultfs::available() {
        return;
    }
    for (errno, code) in [(libc::EIO, 6), (libc::ENOSPC, 4)] {
        let served = failing_destination(errno);
        let media = dest_with_keep(served.path());
        let run = run_in(&testdata(FIXTURE), &["stage", ".", media.to_str().unwrap()]);
        run.expect(code);
        let left = all_paths(&media);
        assert!(left.contains(&"keep.txt".to_owned()), "{}", run.dump());
        assert_eq!(std::fs::read(media.join("keep.txt")).unwrap(), b"the user's");
        assert!(left.len() < 5, "not every part can have been copied: {left:?}\n{}", run.dump());
        for name in left.iter().filter(|n| *n != "keep.txt") {
            let source = testdata(FIXTURE).join(name);
            assert!(source.is_file(), "{name} on the media is not a part (a temporary or a manifest)\n{}", run.dump());
            assert_eq!(std::fs::read(media.join(name)).unwrap(), std::fs::read(source).unwrap(), "{name} is not whole");
        }
    }
}
