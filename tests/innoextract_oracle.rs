//! innoextract as an oracle: every Inno Setup fixture that innoextract reads
//! is extracted by both tools, and the trees must be identical except for the
//! deliberate differences the README lists:
//! - constants: innoextract writes `{app}\x` to `app/x`, airlock to `x` (both
//!   write any other `{c}\x` to `c/x`);
//! - language: with no language asked for, innoextract lets the last of two
//!   language variants for one destination overwrite the first; airlock takes
//!   the installer's default language (the first in `[Languages]`), as the
//!   installer would with no choice made. With the same language asked of
//!   both, the trees must be identical.
//!
//! It needs the `innoextract` program, so it runs only when the environment
//! variable `AIRLOCK_ORACLES=1` is set (`.ci/run` sets it and installs
//! innoextract). Without the variable the test returns at once, saying so on
//! stderr; the committed `EXPECTED*.tsv` trees, which other tests assert,
//! cover that case. With the variable set and innoextract missing, it fails.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use common::{INNO_FIXTURES, NAME, airlock, testdata, tree};

/// Fixtures innoextract reads but this build of airlock cannot extract yet,
/// and the word its refusal must contain. The test asserts the refusal, so
/// an entry must go when support lands (BZip2 landed: none are left).
const AIRLOCK_CANNOT_YET: &[(&str, &str)] = &[];

fn oracles_enabled() -> bool {
    std::env::var("AIRLOCK_ORACLES").is_ok_and(|v| v == "1")
}

/// Whether innoextract 1.9 reads installers of the Inno Setup version in
/// the fixture's name (`inno-6.2.0-…`): it stops at setup data 6.3.
fn innoextract_reads(fixture: &str) -> bool {
    let version: Vec<u32> = fixture.split('-').nth(1).unwrap().split('.').map(|n| n.parse().unwrap()).collect();
    (version[0], version[1]) < (6, 3)
}

fn innoextract(exe: &Path, dest: &Path, language: Option<&str>) -> std::process::Output {
    let mut command = Command::new("innoextract");
    command.args(["--silent", "--extract", "--output-dir"]).arg(dest);
    if let Some(language) = language {
        command.args(["--language", language]);
    }
    command.arg(exe).output().expect("innoextract runs")
}

/// innoextract's tree with `app/` removed, as airlock lays it out.
fn innoextract_tree(dir: &Path) -> BTreeMap<String, (u64, String)> {
    tree(dir).into_iter().map(|(path, v)| (path.strip_prefix("app/").map(str::to_owned).unwrap_or(path), v)).collect()
}

fn airlock_tree(set: &Path, dest: &Path, language: Option<&str>) -> BTreeMap<String, (u64, String)> {
    let mut args = vec!["extract", set.to_str().unwrap(), "-d", dest.to_str().unwrap(), "--min-free", "0"];
    if let Some(language) = language {
        args.extend(["--language", language]);
    }
    airlock(&args).expect(0);
    tree(dest)
}

#[test]
fn innoextract_and_airlock_extract_identical_trees() {
    if !oracles_enabled() {
        eprintln!(
            "innoextract oracle skipped: AIRLOCK_ORACLES is not 1 (.ci/run sets it); the EXPECTED trees are asserted elsewhere"
        );
        return;
    }
    let version = Command::new("innoextract").arg("--version").output().unwrap_or_else(|e| {
        panic!("AIRLOCK_ORACLES=1 but innoextract cannot be run ({e}): install it (apt-get install innoextract)")
    });
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("innoextract "), "{version:?}");

    let mut compared = 0;
    for fixture in INNO_FIXTURES {
        let set = testdata(&format!("inno/{fixture}"));
        let exe = set.join(format!("{NAME}.exe"));
        let temp = tempfile::tempdir().unwrap();
        let theirs = temp.path().join("innoextract");
        let run = innoextract(&exe, &theirs, None);
        if !innoextract_reads(fixture) {
            assert!(!run.status.success(), "{fixture}: innoextract was expected to refuse it: {run:?}");
            continue;
        }
        assert!(run.status.success(), "{fixture}: innoextract failed: {run:?}");
        if let Some((_, word)) = AIRLOCK_CANNOT_YET.iter().find(|(f, _)| *f == fixture) {
            let dest = temp.path().join("airlock");
            airlock(["extract", set.to_str().unwrap(), "-d", dest.to_str().unwrap(), "--min-free", "0"])
                .expect(5)
                .mentions(&[word]);
            continue;
        }

        // The languages, and the destinations that have one variant per language.
        let listing = airlock(["list", "--json", set.to_str().unwrap()]).expect(0).json();
        let languages: Vec<String> = listing["installer"]["languages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["name"].as_str().unwrap().to_owned())
            .collect();
        let mut variants = BTreeSet::new();
        for language in &languages {
            let listed = airlock(["list", "--json", set.to_str().unwrap(), "--language", language]).expect(0).json();
            for entry in listed["entries"].as_array().unwrap() {
                // Every key is present (the JSON contract): a variant is an
                // entry whose languages are given, not null.
                if entry["inno"]["languages"].as_str().is_some_and(|languages| !languages.is_empty()) {
                    variants.insert(entry["path"].as_str().unwrap().to_owned());
                }
            }
        }

        // The same language asked of both: identical trees.
        for (index, language) in languages.iter().enumerate() {
            let ours = temp.path().join(format!("airlock-{language}"));
            let asked = if index == 0 { None } else { Some(language.as_str()) };
            let ours = airlock_tree(&set, &ours, asked);
            let dir = temp.path().join(format!("innoextract-{language}"));
            let run = innoextract(&exe, &dir, Some(language));
            assert!(run.status.success(), "{fixture} --language {language}: {run:?}");
            assert_eq!(ours, innoextract_tree(&dir), "{fixture}, language {language}");
            compared += 1;
        }

        // No language asked: they differ exactly where one destination has
        // per-language variants (innoextract keeps the last, airlock the default).
        let ours = airlock_tree(&set, &temp.path().join("airlock"), None);
        let theirs = innoextract_tree(&theirs);
        assert_eq!(ours.keys().collect::<Vec<_>>(), theirs.keys().collect::<Vec<_>>(), "{fixture}: same files");
        let differing: BTreeSet<String> =
            ours.iter().filter(|(path, v)| theirs.get(path.as_str()) != Some(*v)).map(|(p, _)| p.clone()).collect();
        let expected_differences: BTreeSet<String> = if languages.len() > 1 { variants } else { BTreeSet::new() };
        assert_eq!(differing, expected_differences, "{fixture}: only per-language variants may differ");
        compared += 1;
    }
    assert!(compared >= 6, "at least the 5.5.9, 6.0.5 and 6.2.0 sets were compared ({compared} comparisons)");
}
