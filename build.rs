//! Records what `airlock --version` names besides the version: the commit
//! it was built from and the target triple.
//!
//! The commit comes from `AIRLOCK_COMMIT` when set (a packager building from
//! a tarball can pass it), else from `git` when the package folder is a git
//! checkout, else from the `.cargo_vcs_info.json` that `cargo package` puts in
//! a crates.io tarball, else it is "unknown": a build without git works. The build script reruns when HEAD moves, so the
//! commit a binary names is the one it was built from.

use std::path::Path;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_owned())
}

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=AIRLOCK_COMMIT");
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    // Only the package's own checkout: a tarball unpacked inside some other
    // repository must not name that repository's commit.
    let in_git = Path::new(&manifest_dir).join(".git").exists();
    let commit = match std::env::var("AIRLOCK_COMMIT") {
        Ok(commit) if !commit.is_empty() => commit,
        _ if in_git => {
            // Rerun when HEAD or the branch it names moves (only files that
            // exist: a missing one would rerun the script on every build).
            let mut watched = vec![git(&["rev-parse", "--git-path", "HEAD"])];
            if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
                watched.push(git(&["rev-parse", "--git-path", &branch]));
            }
            watched.push(git(&["rev-parse", "--git-path", "packed-refs"]));
            for path in watched.into_iter().flatten() {
                if Path::new(&path).exists() {
                    println!("cargo::rerun-if-changed={path}");
                }
            }
            git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "unknown".to_owned())
        }
        // A crates.io tarball: `cargo package` recorded the commit it was made from.
        _ => std::fs::read_to_string(Path::new(&manifest_dir).join(".cargo_vcs_info.json"))
            .ok()
            .and_then(|info| {
                let sha = info.split("\"sha1\"").nth(1)?.split('"').nth(1)?.to_owned();
                (sha.len() >= 12 && sha.chars().all(|c| c.is_ascii_hexdigit())).then(|| sha[..12].to_owned())
            })
            .unwrap_or_else(|| "unknown".to_owned()),
    };
    println!("cargo::rustc-env=AIRLOCK_COMMIT={commit}");
    println!("cargo::rustc-env=AIRLOCK_TARGET={}", std::env::var("TARGET").unwrap_or_default());
}
