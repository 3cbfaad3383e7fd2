//! `airlock stage`, `keygen` and `verify --trust`: carrying a set into an
//! air-gapped network (minisign interoperability: `tests/signatures.rs`).

mod common;
mod faultfs;

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use common::{NAME, airlock, all_paths, scratch, testdata};

const SET: &str = "inno/inno-6.4.1-lzma2-solid-spanned";

fn slice(n: u32) -> String {
    format!("{NAME}-{n}.bin")
}

fn keygen(dir: &Path) -> (String, String) {
    let (public, secret) = (dir.join("airlock.pub"), dir.join("airlock.key"));
    airlock(["keygen", "--no-password", "-p", public.to_str().unwrap(), "-s", secret.to_str().unwrap()]).expect(0);
    (public.to_string_lossy().into_owned(), secret.to_string_lossy().into_owned())
}

#[test]
fn a_staged_set_verifies_on_the_far_side_and_extracts() {
    let temp = tempfile::tempdir().unwrap();
    let media = temp.path().join("usb/backup-server");
    let run = airlock(["stage", "--json", testdata(SET).to_str().unwrap(), media.to_str().unwrap()]);
    run.expect(0);
    let json = run.json();
    assert!(json["parts"].as_array().unwrap().iter().all(|p| p["action"] == "copied"), "{}", run.dump());
    assert!(media.join("SHA256SUMS").is_file() && media.join(format!("{NAME}.manifest.json")).is_file());
    // coreutils agrees with the manifest on the media.
    let check = Command::new("sha256sum").args(["-c", "SHA256SUMS"]).current_dir(&media).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    airlock(["verify", media.to_str().unwrap()]).expect(0).mentions(&[&format!("{}: OK", slice(3))]);
    let dest = temp.path().join("extracted");
    airlock(["extract", media.to_str().unwrap(), "-d", dest.to_str().unwrap(), "--min-free", "0"]).expect(0);
    assert_eq!(common::tree(&dest), common::expected(&testdata(SET).join("EXPECTED.tsv")));
}

#[test]
fn media_too_small_is_refused_before_copying() {
    let temp = tempfile::tempdir().unwrap();
    let mount = temp.path().join("small");
    std::fs::create_dir(&mount).unwrap();
    assert!(common::is_root(), "this test mounts a tmpfs and needs root (CI runs as root)");
    let mounted = Command::new("mount").args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"]).arg(&mount).status().unwrap();
    assert!(mounted.success());
    let media = mount.join("set");
    let run = airlock(["stage", testdata(SET).to_str().unwrap(), media.to_str().unwrap()]);
    let left: Vec<String> = all_paths(&media);
    let _ = Command::new("umount").arg(&mount).status();
    run.expect(4).mentions(&["not enough free space", "needed"]);
    assert!(left.is_empty(), "written: {left:?}");
}

#[test]
fn a_part_corrupted_on_the_media_is_found() {
    let temp = tempfile::tempdir().unwrap();
    let media = temp.path().join("media");
    airlock(["stage", testdata(SET).to_str().unwrap(), media.to_str().unwrap()]).expect(0);
    common::flip_byte(&media.join(slice(2)), 4096);
    airlock(["verify", media.to_str().unwrap()])
        .expect(1)
        .mentions(&[&format!("{}: FAILED", slice(2)), &format!("{}: OK", slice(1))]);
}

#[test]
fn an_interrupted_staging_resumes_without_recopying_good_parts() {
    // What `kill -9` midway leaves: two parts copied, one half-copied under
    // its temporary name, no manifest.
    let temp = tempfile::tempdir().unwrap();
    let media = temp.path().join("media");
    std::fs::create_dir_all(&media).unwrap();
    let source = testdata(SET);
    for name in [format!("{NAME}.exe"), slice(1)] {
        std::fs::copy(source.join(&name), media.join(&name)).unwrap();
    }
    let half = std::fs::read(source.join(slice(2))).unwrap();
    std::fs::write(media.join(format!("{}.airlock-copying", slice(2))), &half[..half.len() / 2]).unwrap();
    let run = airlock(["stage", "--json", source.to_str().unwrap(), media.to_str().unwrap()]);
    run.expect(0);
    let actions: Vec<(String, String)> = run.json()["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap().to_owned(), p["action"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(
        actions,
        [
            (format!("{NAME}.exe"), "already_there".to_owned()),
            (slice(1), "already_there".to_owned()),
            (slice(2), "copied".to_owned()),
            (slice(3), "copied".to_owned()),
        ]
    );
    assert!(all_paths(&media).iter().all(|p| !p.contains("airlock-copying")));
    airlock(["verify", media.to_str().unwrap()]).expect(0);
}

#[test]
fn a_different_file_with_a_parts_name_is_not_overwritten() {
    let temp = tempfile::tempdir().unwrap();
    let media = temp.path().join("media");
    std::fs::create_dir_all(&media).unwrap();
    std::fs::write(media.join(slice(1)), b"somebody else's file").unwrap();
    airlock(["stage", testdata(SET).to_str().unwrap(), media.to_str().unwrap()])
        .expect(2)
        .mentions(&[&slice(1), "--overwrite"]);
    assert_eq!(std::fs::read(media.join(slice(1))).unwrap(), b"somebody else's file");
    assert_eq!(all_paths(&media).len(), 1);
    airlock(["stage", "--overwrite", "always", testdata(SET).to_str().unwrap(), media.to_str().unwrap()]).expect(0);
}

#[test]
fn a_replaced_part_with_a_regenerated_sha256sums_fails_trusted_verification() {
    let temp = tempfile::tempdir().unwrap();
    let (public, secret) = keygen(temp.path());
    let media = temp.path().join("media");
    airlock(["stage", "--sign", &secret, testdata(SET).to_str().unwrap(), media.to_str().unwrap()]).expect(0);
    airlock(["verify", "--trust", &public, media.to_str().unwrap()])
        .expect(0)
        .mentions(&["verified with the trusted key"]);
    // The attacker swaps a part and rewrites both manifests without the key.
    common::flip_byte(&media.join(slice(2)), 1000);
    let sums = Command::new("sha256sum")
        .args([format!("{NAME}.exe"), slice(1), slice(2), slice(3)])
        .current_dir(&media)
        .output()
        .unwrap();
    std::fs::write(media.join("SHA256SUMS"), &sums.stdout).unwrap();
    std::fs::remove_file(media.join(format!("{NAME}.manifest.json"))).unwrap();
    std::fs::remove_file(media.join(format!("{NAME}.manifest.json.minisig"))).unwrap();
    // Without --trust the forged manifest passes; with it, it does not.
    airlock(["verify", media.to_str().unwrap()]).expect(0);
    let run = airlock(["verify", "--json", "--trust", &public, media.to_str().unwrap()]);
    run.expect(1);
    assert_eq!(run.json()["signature"]["valid"], false, "{}", run.dump());
    let out = temp.path().join("out");
    airlock(["extract", "--trust", &public, media.to_str().unwrap(), "-d", out.to_str().unwrap(), "--min-free", "0"])
        .expect(1)
        .mentions(&["signature"]);
    assert!(!out.exists());
}

#[test]
fn a_part_not_listed_in_a_signed_manifest_fails_trusted_verification() {
    let temp = tempfile::tempdir().unwrap();
    let (public, secret) = keygen(temp.path());
    let (_t, set) = scratch(SET);
    std::fs::remove_file(set.join("SHA256SUMS")).unwrap();
    let manifest = set.join(format!("{NAME}.manifest.json"));
    airlock([
        "manifest",
        "--format",
        "json",
        "--sign",
        &secret,
        set.to_str().unwrap(),
        "-o",
        manifest.to_str().unwrap(),
    ])
    .expect(0);
    airlock(["verify", "--trust", &public, set.to_str().unwrap()]).expect(0);
    // A fourth slice appears beside the set: the signed manifest does not list it.
    std::fs::copy(set.join(slice(3)), set.join(slice(4))).unwrap();
    airlock(["verify", set.to_str().unwrap()]).expect(0).mentions(&[&format!("{}: NOT IN MANIFEST", slice(4))]);
    airlock(["verify", "--trust", &public, set.to_str().unwrap()])
        .expect(1)
        .mentions(&[&slice(4), "not listed in the signed manifest"]);
}

#[test]
fn stage_takes_the_source_manifest_from_manifest_and_trust() {
    let temp = tempfile::tempdir().unwrap();
    let (_set_dir, set) = scratch(SET);
    // The manifest the admin was handed lives elsewhere, not beside the set.
    let elsewhere = temp.path().join("published.sha256");
    std::fs::rename(set.join("SHA256SUMS"), &elsewhere).unwrap();
    let (public, secret) = keygen(temp.path());

    // A manifest that disagrees with a part: that part is found as it is
    // copied, and never lands under its name; nor does a manifest.
    let wrong = temp.path().join("wrong.sha256");
    let text = std::fs::read_to_string(&elsewhere).unwrap();
    let damaged: String = text
        .lines()
        .map(|l| if l.ends_with(&slice(2)) { format!("{}{}", "0".repeat(64), &l[64..]) } else { l.to_owned() })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&wrong, damaged + "\n").unwrap();
    let media = temp.path().join("media");
    airlock(["stage", "--manifest", wrong.to_str().unwrap(), set.to_str().unwrap(), media.to_str().unwrap()])
        .expect(1)
        .mentions(&[&slice(2), "download it again"]);
    let left = all_paths(&media);
    assert!(!left.contains(&slice(2)) && !left.iter().any(|p| p.contains("airlock-copying")), "copied: {left:?}");
    assert!(!left.iter().any(|p| p.contains("SHA256SUMS") || p.contains("manifest")), "a manifest: {left:?}");
    for name in &left {
        assert_eq!(std::fs::read(media.join(name)).unwrap(), std::fs::read(set.join(name)).unwrap(), "{name}");
    }

    // --trust: an unsigned manifest is refused before anything is copied …
    airlock([
        "stage",
        "--manifest",
        elsewhere.to_str().unwrap(),
        "--trust",
        &public,
        set.to_str().unwrap(),
        media.to_str().unwrap(),
    ])
    .expect(1);
    assert_eq!(all_paths(&media), left, "copied");

    // … and the same manifest, signed by that key, stages the set.
    airlock([
        "manifest",
        set.to_str().unwrap(),
        "-o",
        temp.path().join("signed.sha256").to_str().unwrap(),
        "--sign",
        &secret,
    ])
    .expect(0);
    let signed = temp.path().join("signed.sha256");
    airlock([
        "stage",
        "--manifest",
        signed.to_str().unwrap(),
        "--trust",
        &public,
        set.to_str().unwrap(),
        media.to_str().unwrap(),
    ])
    .expect(0);
    airlock(["verify", media.to_str().unwrap()]).expect(0).mentions(&[&format!("{}: OK", slice(3))]);
}

#[test]
fn stage_without_room_says_so_without_naming_a_flag_it_does_not_have() {
    assert!(common::is_root(), "this test mounts a tmpfs and needs root (CI runs as root)");
    let set = common::testdata("inno/inno-6.4.1-lzma2-solid-spanned");
    let temp = tempfile::tempdir().unwrap();
    let mount = temp.path().join("small");
    std::fs::create_dir(&mount).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
        .arg(&mount)
        .status()
        .unwrap();
    assert!(mounted.success());
    let run = common::airlock(["stage", set.to_str().unwrap(), mount.join("media").to_str().unwrap()]);
    let _ = std::process::Command::new("umount").arg(&mount).status();
    run.expect(4).mentions(&["not enough free space", "larger disk"]);
    assert!(!run.stderr().contains("pass -d"), "stage has no -d\n{}", run.dump());
}

#[test]
fn a_link_on_the_media_under_a_parts_name_is_never_taken_for_the_copy() {
    // `NAME.exe` on the media is a link back to the source: "already there"
    // would leave the media holding a link, not the installer.
    let (temp, dir) = scratch("inno/inno-6.4.1-lzma2-solid-spanned");
    let media = temp.path().join("media");
    std::fs::create_dir(&media).unwrap();
    std::os::unix::fs::symlink(dir.join(format!("{NAME}.exe")), media.join(format!("{NAME}.exe"))).unwrap();
    let run = airlock(["stage", dir.to_str().unwrap(), media.to_str().unwrap()]);
    run.expect(7).mentions(&[&format!("{NAME}.exe"), "symbolic link"]);
    assert_eq!(all_paths(&media), [format!("{NAME}.exe")], "{}", run.dump());
}

#[test]
fn stage_reads_each_part_it_copies_from_the_source_once() {
    if !faultfs::available() {
        return;
    }
    // The set is served through the FUSE filesystem, which sees every read
    // (no page cache in between) and counts the bytes each part gives.
    let reads = Arc::new(faultfs::ReadCounts::default());
    let temp = tempfile::tempdir().unwrap();
    let faults = faultfs::Faults { reads: Some(Arc::clone(&reads)), ..faultfs::Faults::default() };
    let served =
        faultfs::Mounted::new(faultfs::FaultFs::with_files_of(Some(&testdata(SET)), faults), &temp.path().join("set"))
            .expect("mounting the FUSE filesystem");
    let parts = [format!("{NAME}.exe"), slice(1), slice(2), slice(3)];
    // What the completeness check reads of each part (headers, the
    // installer's signature): stage runs the same check first.
    airlock(["check", served.path.to_str().unwrap()]).expect(0);
    let checked: Vec<u64> = parts.iter().map(|part| reads.of(part)).collect();
    reads.reset();
    let media = temp.path().join("media");
    let run = airlock(["stage", "--json", served.path.to_str().unwrap(), media.to_str().unwrap()]);
    run.expect(0);
    assert!(run.json()["parts"].as_array().unwrap().iter().all(|p| p["action"] == "copied"), "{}", run.dump());
    for (part, checked) in parts.iter().zip(checked) {
        let size = std::fs::metadata(testdata(SET).join(part)).unwrap().len();
        assert!(size > 100_000, "{part} is big enough to tell one read from two");
        assert_eq!(
            reads.of(part),
            checked + size,
            "{part}: stage read {} bytes of its {size}; the check reads {checked}, the copy should read the rest once",
            reads.of(part)
        );
        assert_eq!(std::fs::read(media.join(part)).unwrap(), std::fs::read(testdata(SET).join(part)).unwrap());
    }
    drop(served);
}

/// Holds each part's `item_finished` (which comes after its read-back) until
/// the copy of the part after it has written bytes: it returns only if the
/// read-back of part N runs while part N+1 is copied.
#[derive(Default)]
struct ReadBackBesideTheNextCopy {
    seen: std::sync::Mutex<(Vec<airlock::Item>, std::collections::HashSet<airlock::Item>)>,
    changed: std::sync::Condvar,
    overlapped: std::sync::Mutex<Vec<(airlock::Item, bool)>>,
}

impl airlock::Progress for ReadBackBesideTheNextCopy {
    fn item_started(&self, item: airlock::Item, _name: &str, _size: u64) {
        self.seen.lock().unwrap().0.push(item);
        self.changed.notify_all();
    }

    fn advance(&self, item: airlock::Item, _bytes: u64) {
        self.seen.lock().unwrap().1.insert(item);
        self.changed.notify_all();
    }

    fn item_finished(&self, item: airlock::Item) {
        let seen = self.seen.lock().unwrap();
        let at = seen.0.iter().position(|started| *started == item).unwrap();
        if at + 1 == 4 {
            return; // the last part: nothing is copied after it
        }
        // A bound for a failing run only: the pipeline gets past this at once.
        let (_seen, waited) = self
            .changed
            .wait_timeout_while(seen, std::time::Duration::from_secs(30), |(started, advanced)| {
                started.get(at + 1).is_none_or(|next| !advanced.contains(next))
            })
            .unwrap();
        self.overlapped.lock().unwrap().push((item, !waited.timed_out()));
    }
}

#[test]
fn each_copy_is_read_back_while_the_next_part_is_copied() {
    let temp = tempfile::tempdir().unwrap();
    let set = airlock::discover(&testdata(SET)).unwrap();
    assert_eq!(set.parts.len(), 4);
    let observer = ReadBackBesideTheNextCopy::default();
    // One thread asked for: the overlap is the pipeline's, not parallel copies'.
    let options =
        airlock::StageOptions::new(temp.path().join("media")).hash(airlock::HashOptions::default().threads(1));
    let staged = airlock::stage(&set, &options, &observer).unwrap();
    assert!(staged.parts.iter().all(|p| p.action == airlock::StageAction::Copied));
    let overlapped = observer.overlapped.into_inner().unwrap();
    assert_eq!(overlapped.len(), 3, "{overlapped:?}");
    assert!(overlapped.iter().all(|(_, beside)| *beside), "read back only after the next copy: {overlapped:?}");
}
