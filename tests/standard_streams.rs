//! `-` for standard streams, as `sha256sum -c -` and `curl -o -` take it:
//! `manifest -o -` writes standard output, `--manifest -` reads the manifest
//! from standard input in every command that takes `--manifest`.

mod common;

use std::path::Path;

use common::{NAME, scratch};

const SET: &str = "inno/inno-6.4.1-lzma2-solid-spanned";

/// Runs airlock in `cwd` with `stdin` on its standard input.
fn run_with_stdin(cwd: &Path, args: &[&str], stdin: &str) -> common::Run {
    let mut command = assert_cmd::Command::cargo_bin("airlock").unwrap();
    command.current_dir(cwd).args(args).env_remove("AIRLOCK_PASSWORD").env_remove("AIRLOCK_KEY_PASSWORD");
    command.write_stdin(stdin.as_bytes().to_vec());
    let output = command.output().unwrap();
    common::Run { args: args.iter().map(|a| a.to_string()).collect(), output }
}

/// A scratch copy of the set with no manifest beside it, and the manifest's text.
fn set_without_its_manifest() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let (temp, dir) = scratch(SET);
    let text = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    std::fs::remove_file(dir.join("SHA256SUMS")).unwrap();
    (temp, dir, text)
}

#[test]
fn manifest_dash_o_dash_writes_standard_output_and_no_file() {
    let (temp, dir, _) = set_without_its_manifest();
    let set = dir.join(format!("{NAME}.exe"));
    let set = set.to_str().unwrap();
    let plain = run_with_stdin(temp.path(), &["manifest", set], "");
    plain.expect(0);
    let dashed = run_with_stdin(temp.path(), &["manifest", set, "-o", "-"], "");
    dashed.expect(0);
    assert_eq!(dashed.stdout(), plain.stdout());
    assert!(dashed.stdout().contains(&format!("  {NAME}-3.bin")), "{}", dashed.dump());
    assert!(!temp.path().join("-").exists(), "a file named - was written");
    // The JSON report carries the text and lists nothing written.
    let json = run_with_stdin(temp.path(), &["manifest", set, "-o", "-", "--json"], "");
    let report = json.expect(0).json();
    assert_eq!(report["text"].as_str().unwrap().trim_end(), plain.stdout().trim_end());
    assert_eq!(report["written"], serde_json::json!([]));
    // A signature needs a file to sit beside.
    run_with_stdin(temp.path(), &["manifest", set, "-o", "-", "--sign", "k.key"], "")
        .expect(2)
        .mentions(&["--sign needs -o FILE"]);
    assert!(!temp.path().join("-").exists() && !temp.path().join("-.minisig").exists());
}

#[test]
fn every_command_that_takes_manifest_reads_it_from_standard_input() {
    let (temp, dir, good) = set_without_its_manifest();
    let set = dir.to_str().unwrap().to_owned();
    // One part's hash changed: what hashes must fail on it, naming the part.
    let bad = good
        .lines()
        .map(|line| match line.strip_suffix(&format!("{NAME}-2.bin")) {
            Some(start) => format!("{}{}{NAME}-2.bin", "0".repeat(64), &start[64..]),
            None => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert_ne!(bad, good);
    let dest = temp.path().join("out");
    let media = temp.path().join("media");
    let dest = dest.to_str().unwrap();
    let media = media.to_str().unwrap();
    let hashing: [Vec<&str>; 4] = [
        vec!["verify", &set, "--manifest", "-"],
        vec!["manifest", &set, "--manifest", "-"],
        vec!["extract", &set, "-d", dest, "--min-free", "0", "--manifest", "-"],
        vec!["stage", &set, media, "--manifest", "-"],
    ];
    for args in &hashing {
        run_with_stdin(temp.path(), args, &bad).expect(1).mentions(&[&format!("{NAME}-2.bin")]);
        let mut json = args.clone();
        json.push("--json");
        run_with_stdin(temp.path(), &json, &good).expect(0);
    }
    assert!(Path::new(dest).join("setup.iss").exists() || std::fs::read_dir(dest).unwrap().count() > 0);
    for args in [vec!["check", &set, "--manifest", "-", "--json"], vec!["list", &set, "--manifest", "-", "--json"]] {
        let report = run_with_stdin(temp.path(), &args, &good).expect(0).json();
        assert_eq!(report["manifest"], "-", "{args:?}: {report}");
        // A manifest on stdin that leaves a part out is held against the set.
        let short: String = good.lines().filter(|l| !l.ends_with("-3.bin")).map(|l| format!("{l}\n")).collect();
        run_with_stdin(temp.path(), &args, &short).expect(3);
    }
}

#[test]
fn trust_with_a_manifest_on_standard_input_is_refused() {
    let (temp, dir, good) = set_without_its_manifest();
    let set = dir.to_str().unwrap();
    for args in [
        vec!["verify", set, "--manifest", "-", "--trust", "k.pub"],
        vec!["extract", set, "-d", "out", "--manifest", "-", "--trust", "k.pub"],
        vec!["stage", set, "media", "--manifest", "-", "--trust", "k.pub"],
    ] {
        run_with_stdin(temp.path(), &args, &good).expect(2).mentions(&["--trust needs --manifest FILE"]);
    }
}
