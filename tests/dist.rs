//! `scripts/dist.sh`: the release artifacts, and the static binary working
//! in an empty chroot that holds only itself, `/dev/null` and a set (no
//! `/tmp`, no `/proc`, no shared libraries).
//!
//! A release build takes minutes and the chroot needs root, so this runs with
//! `AIRLOCK_ORACLES=1` (`.ci/run`, as root); without it, it says it skipped.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{NAME, copy_dir, expected, testdata, tree};

const SET: &str = "inno/inno-6.4.1-lzma2-solid-spanned";

fn run(command: &mut Command) -> String {
    let output = command.output().unwrap_or_else(|e| panic!("{command:?}: {e}"));
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{command:?} failed:\n{text}");
    text
}

#[test]
fn dist_makes_a_signed_static_binary_that_works_in_an_empty_chroot() {
    if std::env::var("AIRLOCK_ORACLES").as_deref() != Ok("1") {
        eprintln!("skipped: a release build and a chroot; AIRLOCK_ORACLES=1 (as .ci/run sets it, as root) runs it");
        return;
    }
    assert!(common::is_root(), "AIRLOCK_ORACLES=1 but not root: the chroot needs root");
    let temp = tempfile::tempdir().unwrap();
    let (key, public) = (temp.path().join("release.key"), temp.path().join("release.pub"));
    run(Command::new("minisign").args(["-G", "-W", "-f", "-s"]).arg(&key).arg("-p").arg(&public));
    let out = temp.path().join("dist");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dist = Command::new(root.join("scripts/dist.sh"));
    // As from a login shell: what cargo sets for this test (CARGO_*, OUT_DIR,
    // the build script's AIRLOCK_COMMIT, RUSTUP_TOOLCHAIN …) would change the
    // release build's fingerprints and rebuild it on every run.
    dist.env_clear();
    for name in ["PATH", "HOME", "CARGO_HOME", "RUSTUP_HOME"] {
        if let Some(value) = std::env::var_os(name) {
            dist.env(name, value);
        }
    }
    run(dist.env("AIRLOCK_DIST_KEY", &key).env("AIRLOCK_DIST_DIR", &out));

    // The artifacts, their sums and a signature the far side can check.
    let version = env!("CARGO_PKG_VERSION");
    let binary = out.join(format!("airlock-{version}-x86_64-linux"));
    for file in ["man/airlock.1", "man/airlock-extract.1", "completions/airlock.bash", "completions/_airlock"] {
        assert!(out.join(file).is_file(), "dist/ lacks {file}");
    }
    assert!(out.join("completions/airlock.fish").is_file() && out.join("completions/_airlock.ps1").is_file());
    // The Windows artifact: airlock.exe (a PE image) and the PowerShell completions.
    let windows = out.join(format!("airlock-{version}-x86_64-windows.zip"));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&windows).unwrap()).unwrap();
    let mut exe = Vec::new();
    std::io::Read::read_to_end(&mut zip.by_name("airlock.exe").unwrap(), &mut exe).unwrap();
    assert!(exe.starts_with(b"MZ") && exe.len() > 1 << 20, "airlock.exe in {}", windows.display());
    assert!(zip.by_name("_airlock.ps1").is_ok());
    run(Command::new("minisign").arg("-V").arg("-p").arg(&public).arg("-m").arg(out.join("SHA256SUMS")));
    run(Command::new("sha256sum").args(["-c", "--strict", "SHA256SUMS"]).current_dir(&out));
    let sums = std::fs::read_to_string(out.join("SHA256SUMS")).unwrap();
    assert!(
        sums.contains(&format!("  airlock-{version}-x86_64-linux\n"))
            && sums.contains(&format!("  airlock-{version}-x86_64-windows.zip\n"))
            && sums.contains("  man/airlock.1\n"),
        "{sums}"
    );
    // The .deb (cargo-deb, which .ci/run installs): the binary, the man
    // pages and the completions where Debian's tools look, listed in the
    // signed sums; unpacked, its binary runs.
    let deb = format!("airlock_{version}_amd64.deb");
    assert!(
        out.join(&deb).is_file(),
        "dist/ lacks {deb}: is cargo-deb installed? (cargo install cargo-deb --locked; .ci/run does)"
    );
    assert!(sums.contains(&format!("  {deb}\n")), "{deb} is not in SHA256SUMS:\n{sums}");
    let listing = run(Command::new("dpkg-deb").arg("-c").arg(out.join(&deb)));
    for path in [
        "./usr/bin/airlock",
        "./usr/share/man/man1/airlock.1.gz",
        "./usr/share/man/man1/airlock-extract.1.gz",
        "./usr/share/bash-completion/completions/airlock",
        "./usr/share/zsh/vendor-completions/_airlock",
        "./usr/share/fish/vendor_completions.d/airlock.fish",
    ] {
        assert!(listing.lines().any(|line| line.ends_with(path)), "{deb} lacks {path}:\n{listing}");
    }
    let control =
        run(Command::new("dpkg-deb").arg("-f").arg(out.join(&deb)).args(["Package", "Version", "Maintainer"]));
    assert!(control.contains("Package: airlock") && control.contains(&format!("Version: {version}")), "{control}");
    let unpacked = temp.path().join("deb-root");
    run(Command::new("dpkg-deb").arg("-x").arg(out.join(&deb)).arg(&unpacked));
    let deb_version = run(Command::new(unpacked.join("usr/bin/airlock")).arg("--version"));
    assert!(deb_version.starts_with(&format!("airlock {version}")), "{deb_version}");
    let deb_headers = run(Command::new("readelf").arg("-lS").arg(unpacked.join("usr/bin/airlock")));
    assert!(
        !deb_headers.contains("INTERP") && !deb_headers.contains(".symtab"),
        "the .deb's binary is not static and stripped"
    );

    // A changed byte is caught by the signed sums.
    let copy = temp.path().join("tampered");
    std::fs::create_dir_all(&copy).unwrap();
    std::fs::copy(out.join("SHA256SUMS"), copy.join("SHA256SUMS")).unwrap();
    std::fs::copy(out.join("SHA256SUMS.minisig"), copy.join("SHA256SUMS.minisig")).unwrap();
    let mut tampered = std::fs::read_to_string(copy.join("SHA256SUMS")).unwrap();
    tampered.replace_range(0..1, if tampered.starts_with('0') { "1" } else { "0" });
    std::fs::write(copy.join("SHA256SUMS"), tampered).unwrap();
    let status = Command::new("minisign")
        .arg("-V")
        .arg("-p")
        .arg(&public)
        .arg("-m")
        .arg(copy.join("SHA256SUMS"))
        .output()
        .unwrap();
    assert!(!status.status.success(), "a changed SHA256SUMS verified");

    // Static and stripped: no loader, no shared library, no symbol table.
    let headers = run(Command::new("readelf").arg("-lSd").arg(&binary));
    assert!(!headers.contains("INTERP") && !headers.contains("(NEEDED)"), "not static:\n{headers}");
    assert!(!headers.contains(".symtab"), "not stripped");

    // The empty chroot: the binary, /dev/null, a set. Nothing else.
    let chroot = temp.path().join("root");
    std::fs::create_dir_all(chroot.join("dev")).unwrap();
    std::fs::copy(&binary, chroot.join("airlock")).unwrap();
    run(Command::new("mknod").arg(chroot.join("dev/null")).args(["c", "1", "3"]));
    run(Command::new("chmod").arg("666").arg(chroot.join("dev/null")));
    copy_dir(&testdata(SET), &chroot.join("set"));
    // No environment inside: found here, before PATH is cleared.
    let chroot_tool = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|dir| dir.join("chroot"))
        .find(|path| path.is_file())
        .expect("chroot (coreutils) is not on PATH");
    let inside = |args: &[&str]| -> String {
        let mut command = Command::new(&chroot_tool);
        command.arg(&chroot).arg("/airlock").args(args).env_clear();
        run(&mut command)
    };
    inside(&["--version"]);
    inside(&["check", "/set"]);
    inside(&["verify", "/set"]);
    inside(&["stage", "/set", "/media"]);
    let staged: Vec<PathBuf> = std::fs::read_dir(chroot.join("media")).unwrap().map(|e| e.unwrap().path()).collect();
    assert!(staged.iter().any(|p| p.ends_with(format!("{NAME}-3.bin"))), "{staged:?}");
    assert!(staged.iter().any(|p| p.ends_with("SHA256SUMS")), "{staged:?}");
    // Extraction reads the slices where they are: no /tmp needed (issue 23).
    inside(&["extract", "/set", "-d", "/out", "--min-free", "0"]);
    assert_eq!(tree(&chroot.join("out")), expected(&testdata(SET).join("EXPECTED.tsv")));
    assert!(!chroot.join("tmp").exists(), "something made /tmp");
}
