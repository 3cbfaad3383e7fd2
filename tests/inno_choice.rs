//! Inno Setup languages, components and tasks, end to end through the
//! binary, on a real installer (`inno-6.4.1-components-languages`: en + de,
//! components server/sql/docs, task desktopicon, one source installed twice,
//! `{tmp}`/`{sys}`/`{commonappdata}` files). The required trees are the
//! fixture's `EXPECTED.tsv`, `EXPECTED-de.tsv` and `EXPECTED-component-sql.tsv`.

mod common;

use common::{airlock, airlock_in, expected, scratch, testdata, tree};

const USAGE: i32 = 2;
const FIXTURE: &str = "inno/inno-6.4.1-components-languages";

/// Extracts the scratch copy `set` (a folder named `set` in `temp`) from
/// inside `temp`, by bare relative names, as a user who `cd`s there types.
fn extract_from_inside(temp: &std::path::Path, dest: &str, choice: &[&str]) -> common::Run {
    let mut args = vec!["extract", "set", "-d", dest, "--min-free", "0"];
    args.extend_from_slice(choice);
    airlock_in(temp, &args)
}

#[test]
fn every_fixture_with_components_and_languages_yields_its_three_required_trees() {
    let mut fixtures = 0;
    for fixture in common::INNO_FIXTURES {
        let rel = format!("inno/{fixture}");
        if !testdata(&rel).join("EXPECTED-component-sql.tsv").exists() {
            continue;
        }
        fixtures += 1;
        let (temp, set) = scratch(&rel);
        let password: &[&str] =
            if fixture.contains("encrypted") { &["--password", common::FIXTURE_PASSWORD] } else { &[] };
        for (dest, choice, tsv) in [
            ("out-default", &[][..], "EXPECTED.tsv"),
            ("out-de", &["--language", "de"][..], "EXPECTED-de.tsv"),
            ("out-sql", &["--component", "sql"][..], "EXPECTED-component-sql.tsv"),
        ] {
            let run = extract_from_inside(temp.path(), dest, &[choice, password].concat());
            run.expect(0);
            assert_eq!(tree(&temp.path().join(dest)), expected(&set.join(tsv)), "{fixture}: {tsv}\n{}", run.dump());
        }
    }
    assert_eq!(
        fixtures, 4,
        "6.4.1 components-languages, 5.5.9 BZip2 spanned, 6.2.0 slices per disk, 6.4.1 encrypted spanned"
    );
}

#[test]
fn the_default_language_is_the_first_and_the_other_is_reported_left_out() {
    let (temp, _set) = scratch(FIXTURE);
    let run = extract_from_inside(temp.path(), "out", &["--json"]);
    run.expect(0);
    let json = run.json();
    assert_eq!(json["language"], "en", "{}", run.dump());
    let left_out = json["left_out"].as_array().unwrap();
    assert_eq!(left_out.len(), 1, "{}", run.dump());
    assert_eq!(left_out[0]["name"], "{app}/docs/readme.txt");
    assert_eq!(left_out[0]["reason"], "language");
    assert_eq!(json["duplicates"].as_array().unwrap().len(), 0, "no destination is claimed twice once en is chosen");
    // Names are matched without regard to case, as Inno Setup does.
    let run = extract_from_inside(temp.path(), "out-de", &["--language", "DE", "--json"]);
    run.expect(0);
    assert_eq!(run.json()["language"], "de");
}

#[test]
fn include_and_exclude_still_apply_on_top_of_the_choice() {
    let (temp, set) = scratch(FIXTURE);
    extract_from_inside(temp.path(), "out", &["--component", "docs", "--exclude", "docs/release-notes.txt"]).expect(0);
    let want: std::collections::BTreeMap<_, _> = expected(&set.join("EXPECTED.tsv"))
        .into_iter()
        .filter(|(path, _)| path == "docs/readme.txt" || path == "tmp/prereq-check.dll")
        .collect();
    assert_eq!(want.len(), 2);
    assert_eq!(tree(&temp.path().join("out")), want);
}

#[test]
fn several_components_and_a_task_choice_combine() {
    let (temp, set) = scratch(FIXTURE);
    // docs without the desktopicon task: release-notes.txt (Tasks: desktopicon) stays out.
    extract_from_inside(temp.path(), "out", &["--component", "sql", "--component", "docs", "--task", "desktopicon"])
        .expect(0);
    let full = expected(&set.join("EXPECTED.tsv"));
    let want: std::collections::BTreeMap<_, _> = full
        .iter()
        .filter(|(path, _)| path.starts_with("SQLSERVER2017/") || path.starts_with("docs/") || path.starts_with("tmp/"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    assert_eq!(tree(&temp.path().join("out")), want);
}

#[test]
fn unknown_names_are_usage_errors_naming_them_and_the_valid_ones_and_write_nothing() {
    let (temp, _set) = scratch(FIXTURE);
    for (choice, needles) in [
        (&["--language", "fr"][..], &["--language fr", "en, de"][..]),
        (&["--component", "sqk"][..], &["--component sqk", "server, sql, docs"][..]),
        (&["--task", "quicklaunch"][..], &["--task quicklaunch", "desktopicon"][..]),
    ] {
        let run = extract_from_inside(temp.path(), "out", choice);
        run.expect(USAGE).mentions(needles);
        assert_eq!(run.stderr().lines().count(), 1, "one line: {}", run.dump());
        assert!(!temp.path().join("out").exists(), "{}", run.dump());
        airlock_in(temp.path(), [&["list", "set"][..], choice].concat()).expect(USAGE).mentions(needles);
        airlock_in(temp.path(), [&["verify", "--deep", "set"][..], choice].concat()).expect(USAGE).mentions(needles);
    }
}

#[test]
fn a_choice_on_a_payload_without_languages_is_a_usage_error() {
    let set = testdata("zip/infozip");
    let run = airlock(["list", set.to_str().unwrap(), "--component", "sql"]);
    run.expect(USAGE).mentions(&["--component sql", "not an Inno Setup installer"]);
}

#[test]
fn list_shows_the_installer_as_a_whole_and_each_files_conditions() {
    let (temp, _set) = scratch(FIXTURE);
    let run = airlock_in(temp.path(), ["list", "set"]);
    run.expect(0).mentions(&[
        "Backup Server Fixture 3.0, by Fixture Builder",
        "6.4.0.1",
        "LZMA2",
        "not encrypted",
        "3 slice(s)",
        "en (English, default, listed), de (Deutsch)",
        "full (Full installation: server, sql, docs)",
        "custom (Custom, the user picks: server)",
        "server (Backup server, fixed), sql (SQL Server 2017), docs (Documentation)",
        "desktopicon (Create a desktop icon, unchecked)",
        "run:        none",
        "SQLSERVER2017/x64/Setup/sqlsetup.msi  [components: sql]",
        "docs/readme.txt  [components: docs; languages: en]",
        "docs/release-notes.txt  [components: docs; tasks: desktopicon]",
        "11 entries",
        "not taken: {app}/docs/readme.txt — another language (see --language)",
    ]);
    let json = airlock_in(temp.path(), ["list", "set", "--json", "--language", "de"]).json();
    let installer = &json["installer"];
    assert_eq!(installer["app_name"], "Backup Server Fixture");
    assert_eq!(installer["app_version"], "3.0");
    assert_eq!(installer["app_publisher"], "Fixture Builder");
    assert_eq!(installer["compression"], "LZMA2");
    assert_eq!(installer["encrypted"], false);
    assert_eq!(installer["slices"], 3);
    assert_eq!(installer["languages"][0]["name"], "en");
    assert_eq!(installer["languages"][0]["default"], true);
    assert_eq!(installer["languages"][1]["name"], "de");
    assert_eq!(installer["components"][1]["name"], "sql");
    assert_eq!(installer["components"][0]["fixed"], true);
    assert_eq!(installer["tasks"][0]["name"], "desktopicon");
    assert_eq!(installer["types"].as_array().unwrap().len(), 3);
    assert_eq!(installer["run"].as_array().unwrap().len(), 0);
    assert_eq!(json["language"], "de");
    let entries = json["entries"].as_array().unwrap();
    let readme = entries.iter().find(|e| e["path"] == "docs/readme.txt").unwrap();
    assert_eq!(readme["size"], 31000, "the German readme is listed for --language de");
    assert_eq!(readme["inno"]["languages"], "de");
    assert_eq!(readme["inno"]["components"], "docs");
    let copies: Vec<_> =
        entries.iter().filter(|e| e["path"] == "setup.exe" || e["path"] == "backup/setup-copy.exe").collect();
    assert_eq!(copies.len(), 2);
    assert_eq!(copies[0]["inno"]["location"], copies[1]["inno"]["location"], "one source, one data location");
    let no_component = entries.iter().find(|e| e["path"] == "tmp/prereq-check.dll").unwrap();
    assert!(no_component["inno"]["components"].is_null(), "{}", no_component["inno"]);
}

#[test]
fn verify_deep_checks_every_language_by_default_and_the_choice_when_given() {
    let (temp, _set) = scratch(FIXTURE);
    for (choice, checked) in [(&[][..], 12), (&["--language", "de"][..], 11), (&["--component", "sql"][..], 5)] {
        let run = airlock_in(temp.path(), [&["verify", "--deep", "--json", "set"][..], choice].concat());
        run.expect(0);
        let json = run.json();
        assert_eq!(json["deep"]["entries_checked"], checked, "{choice:?}: {}", run.dump());
        assert_eq!(json["deep"]["failures"].as_array().unwrap().len(), 0);
    }
}

#[test]
fn a_choice_without_deep_is_a_usage_error_for_verify() {
    let (temp, _set) = scratch(FIXTURE);
    airlock_in(temp.path(), ["verify", "set", "--language", "de"])
        .expect(USAGE)
        .mentions(&["--language de", "add --deep"]);
}
