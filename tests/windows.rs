//! The far side's workflow against `airlock.exe` under Wine: the set on a USB
//! drive (a separate filesystem mapped as a drive letter), DEST and `%TEMP%`
//! on `C:`, every command an admin on a Windows Server runs, with the exit
//! codes and trees the Linux suite asserts.
//!
//! Needs the Windows build (`scripts/build-windows.sh`), Wine and root (each
//! drive is a tmpfs of its own, mounted for the test); so the tests are
//! ignored by a plain `cargo test` and run by `scripts/test-windows.sh`
//! (`cargo test --test windows -- --ignored`), which `.ci/run` calls. Run
//! that way, a missing piece fails the test: nothing is skipped.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use common::{NAME, Run, expected, testdata, tree};

/// One Wine prefix for the whole run, made on first use.
struct Wine {
    _temp: tempfile::TempDir,
    prefix: PathBuf,
    exe: PathBuf,
    /// What drive `D:` holds: a folder Wine reports as a CD-ROM.
    cd: PathBuf,
}

fn wine() -> &'static Wine {
    static WINE: OnceLock<Wine> = OnceLock::new();
    WINE.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let exe = std::env::var_os("AIRLOCK_WINDOWS_EXE")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("target/x86_64-pc-windows-gnu/release/airlock.exe"));
        assert!(exe.is_file(), "{} is missing: run scripts/build-windows.sh first", exe.display());
        assert!(common::is_root(), "the Windows suite mounts its drives: run it as root");
        let temp = tempfile::tempdir().unwrap();
        let prefix = temp.path().join("prefix");
        std::fs::create_dir_all(&prefix).unwrap();
        // The first run makes the prefix (wineboot) and the stand-in DLL.
        let first = Command::new(root.join("scripts/wine-run.sh"))
            .arg(&exe)
            .arg("--version")
            .env("WINEPREFIX", &prefix)
            .output()
            .expect("scripts/wine-run.sh could not be started (is Wine installed?)");
        assert!(first.status.success(), "airlock.exe --version under Wine: {}", dump(&first));
        // D: is a CD-ROM drive: Wine's mount manager reads the drive types
        // (HKLM\Software\Wine\Drives, the 64-bit view) when the server starts,
        // so the server is stopped once the type is set, before any test runs.
        let cd = temp.path().join("cd");
        std::fs::create_dir(&cd).unwrap();
        std::os::unix::fs::symlink(&cd, prefix.join("dosdevices/d:")).unwrap();
        let set_type = Command::new("wine")
            .args(["reg", "add", r"HKLM\Software\Wine\Drives", "/v", "d:", "/d", "cdrom", "/f", "/reg:64"])
            .env("WINEPREFIX", &prefix)
            .env("WINEDEBUG", "-all")
            .output()
            .unwrap();
        assert!(set_type.status.success(), "wine reg add: {}", dump(&set_type));
        // Stopped, or already gone (then it saved the registry as it left).
        let _ = Command::new("wineserver").arg("-k").env("WINEPREFIX", &prefix).status().unwrap();
        let waited = Command::new("wineserver").arg("-w").env("WINEPREFIX", &prefix).status().unwrap();
        assert!(waited.success(), "wineserver -w");
        Wine { _temp: temp, prefix, exe, cd }
    })
}

/// A drive letter backed by a tmpfs of `size` (`4m`, `64m`), as a USB stick
/// is a filesystem apart from `C:`; unmounted when dropped.
struct Drive {
    letter: char,
    mount: PathBuf,
    _temp: tempfile::TempDir,
}

impl Drive {
    fn new(letter: char, size: &str) -> Drive {
        let wine = wine();
        let temp = tempfile::tempdir().unwrap();
        let mount = temp.path().canonicalize().unwrap().join("drive");
        std::fs::create_dir(&mount).unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&mount)
            .status()
            .unwrap();
        assert!(status.success(), "mounting a tmpfs for drive {letter}:");
        let link = wine.prefix.join(format!("dosdevices/{}:", letter.to_ascii_lowercase()));
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&mount, &link).unwrap();
        Drive { letter, mount, _temp: temp }
    }

    /// `E:\rel` (with `\` for `/`).
    fn win(&self, rel: &str) -> String {
        format!("{}:\\{}", self.letter, rel.replace('/', "\\"))
    }

    fn unix(&self, rel: &str) -> PathBuf {
        self.mount.join(rel)
    }
}

impl Drop for Drive {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(wine().prefix.join(format!("dosdevices/{}:", self.letter.to_ascii_lowercase())));
        let _ = Command::new("umount").arg("-l").arg(&self.mount).status();
    }
}

/// `C:\rel` and where Wine keeps it.
fn c_drive(rel: &str) -> (String, PathBuf) {
    (format!("C:\\{}", rel.replace('/', "\\")), wine().prefix.join("drive_c").join(rel))
}

fn dump(output: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Runs `airlock.exe ARGS` under Wine, in the Windows folder `cwd` maps to
/// (a folder under a mapped drive) when given.
fn airlock_exe(cwd: Option<&Path>, args: &[&str]) -> Run {
    let wine = wine();
    let mut command = Command::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/wine-run.sh"));
    command.arg(&wine.exe).args(args).env("WINEPREFIX", &wine.prefix).env_remove("AIRLOCK_PASSWORD");
    if let Some(cwd) = cwd {
        command.current_dir(cwd);
    }
    let mut shown = vec!["(airlock.exe under Wine)".to_owned()];
    shown.extend(args.iter().map(|a| (*a).to_owned()));
    Run { args: shown, output: command.output().unwrap() }
}

/// The spanned Inno fixture copied onto `drive` under `mabs\`.
fn set_on(drive: &Drive) -> PathBuf {
    let dir = drive.unix("mabs");
    common::copy_dir(&testdata("inno/inno-6.4.1-lzma2-solid-spanned"), &dir);
    dir
}

fn expected_tree() -> BTreeMap<String, (u64, String)> {
    expected(&testdata("inno/inno-6.4.1-lzma2-solid-spanned/EXPECTED.tsv"))
}

#[test]
#[ignore = "needs airlock.exe, Wine and root: scripts/test-windows.sh"]
fn a_set_on_a_usb_drive_checks_verifies_lists_and_extracts_to_c() {
    let usb = Drive::new('E', "64m");
    set_on(&usb);
    let exe = usb.win(&format!("mabs/{NAME}.exe"));
    // Paths as Windows users write them, unquoted (PowerShell needs no quotes for them).
    airlock_exe(None, &["check", &exe])
        .expect(0)
        .mentions(&["complete: 4 part(s)", "manifest: E:\\mabs\\SHA256SUMS\n"]);
    airlock_exe(None, &["verify", &exe])
        .expect(0)
        .mentions(&[&format!("{NAME}-3.bin: OK"), "all 4 part(s) match E:\\mabs\\SHA256SUMS"]);
    airlock_exe(None, &["verify", "--deep", &usb.win("mabs")]).expect(0);
    let list = airlock_exe(None, &["list", "--json", &exe]);
    list.expect(0);
    let text = list.stdout();
    assert!(text.contains("SQLSERVER2017"), "{text}");
    // %TEMP% is on C:, the set on E:, DEST on C: (the layout that once failed
    // with "cannot move across filesystems").
    let (dest, dest_unix) = c_drive("mabs-out");
    airlock_exe(None, &["extract", &exe, "-d", &dest, "--min-free", "0"]).expect(0);
    assert_eq!(tree(&dest_unix), expected_tree());
    // File times as the installer records them: the same moments the Linux
    // build gives each file.
    let linux = tempfile::tempdir().unwrap();
    let linux_dest = linux.path().join("out");
    common::airlock([
        "extract",
        testdata("inno/inno-6.4.1-lzma2-solid-spanned").to_str().unwrap(),
        "-d",
        linux_dest.to_str().unwrap(),
        "--min-free",
        "0",
    ])
    .expect(0);
    let modified = |root: &Path| -> BTreeMap<String, std::time::SystemTime> {
        walkdir::WalkDir::new(root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (e.path().strip_prefix(root).unwrap().display().to_string(), e.metadata().unwrap().modified().unwrap())
            })
            .collect()
    };
    assert_eq!(modified(&dest_unix), modified(&linux_dest));
    let left: Vec<String> = common::all_paths(&dest_unix).into_iter().filter(|p| p.starts_with(".airlock")).collect();
    assert!(left.is_empty(), "left in DEST: {left:?}");
    let temp = wine().prefix.join("drive_c/users");
    let leftovers: Vec<_> = walkdir::WalkDir::new(&temp)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("airlock"))
        .map(|e| e.path().display().to_string())
        .collect();
    assert!(leftovers.is_empty(), "airlock left files in %TEMP%: {leftovers:?}");
}

/// A set on a CD (or a USB stick: removable media, as Windows reports the
/// drive) is hashed one part after the other, each read ahead of the hash
/// (the order itself is the unit tests'): the verdicts are the ones a fixed
/// drive gets, and a changed part is still caught and named.
#[test]
#[ignore = "needs airlock.exe, Wine and root: scripts/test-windows.sh"]
fn a_set_on_a_cd_is_verified_part_after_part_and_a_changed_part_is_caught() {
    let wine = wine();
    let dir = wine.cd.join("mabs");
    common::copy_dir(&testdata("inno/inno-6.4.1-lzma2-solid-spanned"), &dir);
    let exe = format!("D:\\mabs\\{NAME}.exe");
    airlock_exe(None, &["verify", &exe])
        .expect(0)
        .mentions(&[&format!("{NAME}-3.bin: OK"), "all 4 part(s) match D:\\mabs\\SHA256SUMS"]);
    airlock_exe(None, &["verify", "--deep", "D:\\mabs"]).expect(0);
    let part = dir.join(format!("{NAME}-2.bin"));
    common::flip_byte(&part, -1000);
    airlock_exe(None, &["verify", &exe])
        .expect(1)
        .mentions(&[&format!("{NAME}-2.bin: FAILED"), &format!("{NAME}-3.bin: OK")]);
}

#[test]
#[ignore = "needs airlock.exe, Wine and root: scripts/test-windows.sh"]
fn json_reports_carry_the_paths_as_windows_writes_them() {
    let usb = Drive::new('G', "64m");
    set_on(&usb);
    let run = airlock_exe(None, &["check", "--json", &usb.win("mabs")]);
    run.expect(0);
    let text = run.stdout();
    let value = run.json();
    assert!(text.contains("G:\\\\mabs"), "no G:\\mabs path in {value:#}");
    assert!(!text.contains("G:/") && !text.contains("mabs/"), "a path with '/' in {value:#}");
}

#[test]
#[ignore = "needs airlock.exe, Wine and root: scripts/test-windows.sh"]
fn bare_names_typed_inside_the_sets_folder() {
    let usb = Drive::new('H', "64m");
    let dir = set_on(&usb);
    let exe = format!("{NAME}.exe");
    airlock_exe(Some(&dir), &["check", &exe]).expect(0);
    airlock_exe(Some(&dir), &["verify", &exe]).expect(0);
    airlock_exe(Some(&dir), &["verify", "."]).expect(0);
    let (dest, dest_unix) = c_drive("bare-out");
    airlock_exe(Some(&dir), &["extract", &exe, "-d", &dest, "--min-free", "0"]).expect(0);
    assert_eq!(tree(&dest_unix), expected_tree());
}

#[test]
#[ignore = "needs airlock.exe, Wine and root: scripts/test-windows.sh"]
fn staged_onto_a_drive_signed_and_verified_with_trust_on_the_far_side() {
    let (usb, media) = (Drive::new('I', "64m"), Drive::new('J', "64m"));
    set_on(&usb);
    let (public, _) = c_drive("keys/airlock.pub");
    let (secret, _) = c_drive("keys/airlock.key");
    let (keys, keys_unix) = c_drive("keys");
    std::fs::create_dir_all(&keys_unix).unwrap();
    let _ = keys;
    airlock_exe(None, &["keygen", "--no-password", "-p", &public, "-s", &secret]).expect(0);
    airlock_exe(None, &["stage", "--sign", &secret, &usb.win("mabs"), &media.win("carry")])
        .expect(0)
        .mentions(&["read back"]);
    for name in [format!("{NAME}.exe"), format!("{NAME}-2.bin"), "SHA256SUMS".into()] {
        assert!(media.unix("carry").join(&name).is_file(), "{name} was not staged");
    }
    airlock_exe(None, &["verify", "--trust", &public, &media.win("carry")]).expect(0);
    // A part changed on the way is caught by the signed manifest.
    common::flip_byte(&media.unix(&format!("carry/{NAME}-2.bin")), 1000);
    airlock_exe(None, &["verify", "--trust", &public, &media.win("carry")])
        .expect(1)
        .mentions(&[&format!("{NAME}-2.bin: FAILED")]);
}

#[test]
#[ignore = "needs airlock.exe, Wine and root: scripts/test-windows.sh"]
fn a_powershell_get_filehash_export_csv_manifest_is_checked() {
    let usb = Drive::new('K', "64m");
    let dir = set_on(&usb);
    let sums = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    std::fs::remove_file(dir.join("SHA256SUMS")).unwrap();
    // What `Get-FileHash E:\mabs\* | Export-Csv hashes.csv` writes on
    // Windows PowerShell 5.1: a #TYPE line, CRLF, upper-case hashes, full paths.
    let mut csv =
        String::from("#TYPE Microsoft.PowerShell.Commands.FileHashInfo\r\n\"Algorithm\",\"Hash\",\"Path\"\r\n");
    for line in sums.lines() {
        let (hash, name) = line.split_once("  ").unwrap();
        csv.push_str(&format!("\"SHA256\",\"{}\",\"{}\"\r\n", hash.to_uppercase(), usb.win(&format!("mabs/{name}"))));
    }
    let (manifest, manifest_unix) = c_drive("hashes.csv");
    std::fs::write(&manifest_unix, csv).unwrap();
    airlock_exe(None, &["verify", "--manifest", &manifest, &usb.win("mabs")])
        .expect(0)
        .mentions(&[&format!("{NAME}.exe: OK")]);
    common::flip_byte(&dir.join(format!("{NAME}-1.bin")), 500);
    airlock_exe(None, &["verify", "--manifest", &manifest, &usb.win("mabs")])
        .expect(1)
        .mentions(&[&format!("{NAME}-1.bin: FAILED")]);
}

/// A set in a folder deeper than Windows' 260-character `MAX_PATH` is
/// checked, verified and extracted (std gives every call the `\\?\` form).
/// A DEST that deep is not exercised: DEST's handles (cap-std) ask
/// `GetFinalPathNameByHandleW`, which Wine 8 answers from a `MAX_PATH` buffer
/// ("more data available"); Windows itself has no such limit.
#[test]
#[ignore = "needs airlock.exe, Wine and root: scripts/test-windows.sh"]
fn a_set_deeper_than_max_path_is_checked_verified_and_extracted() {
    let usb = Drive::new('L', "64m");
    let segment = "x".repeat(60);
    let rel = format!("long/{}", [segment.as_str(); 5].join("/"));
    common::copy_dir(&testdata("inno/inno-6.4.1-lzma2-solid-spanned"), &usb.unix(&rel));
    let set = usb.win(&rel);
    assert!(set.len() > 300, "{}", set.len());
    airlock_exe(None, &["check", &set]).expect(0);
    airlock_exe(None, &["verify", &set]).expect(0);
    let (dest, dest_unix) = c_drive("from-deep");
    airlock_exe(None, &["extract", &set, "-d", &dest, "--min-free", "0"]).expect(0);
    assert_eq!(tree(&dest_unix), expected_tree());
}

/// A zip (from the zip crate) whose entries differ only in case.
fn case_twins(path: &Path) {
    use std::io::Write;
    let mut writer = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, content) in [("README", "A"), ("readme", "a"), ("docs/Setup.txt", "S")] {
        writer.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        writer.write_all(content.as_bytes()).unwrap();
    }
    writer.finish().unwrap();
}

#[test]
#[ignore = "needs airlock.exe, Wine and root: scripts/test-windows.sh"]
fn case_twins_are_refused_on_a_case_folding_drive_and_kept_on_request() {
    let usb = Drive::new('M', "64m");
    std::fs::create_dir(usb.unix("twins")).unwrap();
    case_twins(&usb.unix("twins/Twins.zip"));
    let archive = usb.win("twins/Twins.zip");
    let (dest, dest_unix) = c_drive("twins-refused");
    airlock_exe(None, &["extract", &archive, "-d", &dest, "--min-free", "0"]).expect(5).mentions(&["README", "readme"]);
    assert!(!dest_unix.join("README").exists() && !dest_unix.join("readme").exists());
    let (dest, dest_unix) = c_drive("twins-renamed");
    airlock_exe(None, &["extract", &archive, "-d", &dest, "--min-free", "0", "--collisions", "rename"]).expect(0);
    let mut contents: Vec<String> = std::fs::read_dir(&dest_unix)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    contents.sort();
    assert_eq!(contents, ["A", "a"], "both twins kept under two names");
}

#[test]
#[ignore = "needs airlock.exe, Wine and root: scripts/test-windows.sh"]
fn a_4_mb_drive_is_refused_with_exit_4_and_nothing_written() {
    let (usb, small) = (Drive::new('N', "64m"), Drive::new('O', "4m"));
    set_on(&usb);
    airlock_exe(None, &["extract", &usb.win(&format!("mabs/{NAME}.exe")), "-d", &small.win("out"), "--min-free", "0"])
        .expect(4)
        .mentions(&["O:\\"]);
    let written: Vec<_> = std::fs::read_dir(small.unix("")).unwrap().filter_map(Result::ok).map(|e| e.path()).collect();
    assert!(written.is_empty(), "written on the full drive: {written:?}");
}

#[test]
#[ignore = "needs airlock.exe, Wine and root: scripts/test-windows.sh"]
fn exit_codes_are_the_ones_linux_gives() {
    let usb = Drive::new('P', "64m");
    let dir = set_on(&usb);
    let set = usb.win("mabs");
    airlock_exe(None, &["check", &set, "--no-such-flag"]).expect(2);
    common::flip_byte(&dir.join(format!("{NAME}-2.bin")), 4096);
    airlock_exe(None, &["verify", &set]).expect(1).mentions(&[&format!("{NAME}-2.bin: FAILED")]);
    std::fs::remove_file(dir.join(format!("{NAME}-3.bin"))).unwrap();
    airlock_exe(None, &["check", &set]).expect(3).mentions(&[&format!("{NAME}-3.bin")]);
    let (dest, dest_unix) = c_drive("refused");
    airlock_exe(None, &["extract", &set, "-d", &dest]).expect(3);
    assert!(!dest_unix.exists(), "DEST made for a set that cannot be extracted");
    airlock_exe(None, &["check", &usb.win("nothing-here")]).expect(2);
}

#[test]
#[ignore = "needs airlock.exe, Wine and root: scripts/test-windows.sh"]
fn authenticode_of_a_signed_installer_and_of_a_changed_one() {
    let usb = Drive::new('Q', "64m");
    let signed = usb.unix("signed.exe");
    std::fs::copy(testdata("authenticode/inno/inno-6.4.1-signed.exe"), &signed).unwrap();
    let (root, root_unix) = c_drive("root.pem");
    std::fs::copy(testdata("authenticode/pki/root.pem"), &root_unix).unwrap();
    airlock_exe(None, &["authenticode", "--root", &root, &usb.win("signed.exe")])
        .expect(0)
        .mentions(&["Airlock Test Vendor"]);
    common::flip_byte(&signed, 0x1000);
    airlock_exe(None, &["authenticode", "--root", &root, &usb.win("signed.exe")]).expect(1);
}

#[test]
#[ignore = "needs airlock.exe, Wine and root: scripts/test-windows.sh"]
fn names_windows_cannot_hold_are_refused() {
    use std::io::Write;
    let usb = Drive::new('R', "64m");
    let archive = usb.unix("Reserved.zip");
    let mut writer = zip::ZipWriter::new(std::fs::File::create(&archive).unwrap());
    writer.start_file("docs/aux.txt", zip::write::SimpleFileOptions::default()).unwrap();
    writer.write_all(b"device name").unwrap();
    writer.finish().unwrap();
    let (dest, dest_unix) = c_drive("reserved");
    airlock_exe(None, &["extract", &usb.win("Reserved.zip"), "-d", &dest, "--min-free", "0"])
        .expect(5)
        .mentions(&["aux.txt"]);
    assert!(!dest_unix.join("docs").exists());
}

#[test]
#[ignore = "needs airlock.exe, Wine and root: scripts/test-windows.sh"]
fn two_runs_at_once_into_one_destination_one_is_refused() {
    let usb = Drive::new('S', "64m");
    set_on(&usb);
    let exe = usb.win(&format!("mabs/{NAME}.exe"));
    let (dest, dest_unix) = c_drive("twice");
    let runs: Vec<Run> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|_| scope.spawn(|| airlock_exe(None, &["extract", &exe, "-d", &dest, "--min-free", "0"])))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let codes: Vec<_> = runs.iter().map(|r| r.output.status.code()).collect();
    assert!(codes.contains(&Some(0)), "{codes:?}");
    assert_eq!(tree(&dest_unix), expected_tree());
    for run in &runs {
        if run.output.status.code() != Some(0) {
            // The second either found DEST locked, or (run after the first)
            // found every file there already: never a mixed tree.
            assert!(matches!(run.output.status.code(), Some(2 | 6)), "{}", dump(&run.output));
        }
    }
}

/// Ctrl-C typed in the console: the program runs on a terminal (`script`
/// gives it one, as a console window would), and the admin's ^C reaches it as
/// the console's `CTRL_C_EVENT`. Without a console Wine delivers no event.
#[test]
#[ignore = "needs airlock.exe, Wine and root: scripts/test-windows.sh"]
fn ctrl_c_typed_during_an_extraction_exits_130_and_leaves_dest_as_it_was() {
    use std::io::Write;
    let usb = Drive::new('T', "128m");
    common::copy_dir(&testdata("inno-bench"), &usb.unix("bench"));
    let (dest, dest_unix) = c_drive("ctrl-c");
    std::fs::create_dir_all(&dest_unix).unwrap();
    std::fs::write(dest_unix.join("keep.txt"), b"the admin's").unwrap();
    let wine = wine();
    let runner = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/wine-run.sh");
    let words = [
        runner.to_str().unwrap(),
        wine.exe.to_str().unwrap(),
        "extract",
        &usb.win("bench"),
        "-d",
        &dest,
        "--min-free",
        "0",
        "--no-verify",
        "--quiet",
    ];
    let line = words.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(" ");
    let mut child = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env("WINEPREFIX", &wine.prefix)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("script (util-linux) runs the program on a terminal");
    assert!(
        common::wait_until(&mut child, || common::staging_has_a_file(&dest_unix)),
        "the extraction never started writing"
    );
    let mut keyboard = child.stdin.take().unwrap();
    keyboard.write_all(b"\x03").unwrap();
    keyboard.flush().unwrap();
    let output = child.wait_with_output().unwrap();
    drop(keyboard);
    assert_eq!(output.status.code(), Some(130), "{}", dump(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("interrupted"), "{}", dump(&output));
    assert_eq!(common::all_paths(&dest_unix), ["keep.txt"], "{}", dump(&output));
}

/// On a console, `verify` draws its progress on the terminal (console width
/// through the console crate) and still ends with every part's verdict.
#[test]
#[ignore = "needs airlock.exe, Wine and root: scripts/test-windows.sh"]
fn progress_is_drawn_on_a_console_and_the_verdicts_follow() {
    let usb = Drive::new('U', "128m");
    common::copy_dir(&testdata("inno-bench"), &usb.unix("bench"));
    let wine = wine();
    let runner = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/wine-run.sh");
    let line = format!("'{}' '{}' verify --deep '{}'", runner.display(), wine.exe.display(), usb.win("bench"));
    let output = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env("WINEPREFIX", &wine.prefix)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script (util-linux) runs the program on a terminal");
    assert_eq!(output.status.code(), Some(0), "{}", dump(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains(&format!("{NAME}-5.bin: OK")), "{}", dump(&output));
    // A bar was drawn, in the layout for a console at least 69 columns wide
    // (only the bar's template has an ETA); without a terminal there is none.
    assert!(text.contains(" ETA "), "{}", dump(&output));
}
