//! The `--json` contract: the committed JSON Schemas in `docs/schema/` are
//! what the report types generate (`airlock generate schema docs/schema`
//! rewrites them), and each pins `schema_version`. Every `--json` object the
//! other tests parse is validated against them (`common::Run::json`).

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::airlock;

fn files_in(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect()
}

#[test]
fn the_committed_schemas_are_the_generated_ones() {
    let dir = tempfile::tempdir().unwrap();
    airlock([Path::new("generate"), Path::new("schema"), dir.path()]).expect(0);
    let generated = files_in(dir.path());
    let committed = files_in(&Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schema"));
    assert_eq!(
        generated.keys().collect::<Vec<_>>(),
        committed.keys().collect::<Vec<_>>(),
        "docs/schema/ holds other files than `airlock generate schema` writes"
    );
    for (name, text) in &generated {
        assert!(
            committed[name] == *text,
            "docs/schema/{name} is out of date: the --json output changed. Run `cargo run -- generate schema \
             docs/schema`, and bump json::SCHEMA_VERSION if a key was removed or renamed or changed type or meaning"
        );
    }
    // Every command that prints JSON has one, plus the usage error's.
    let help = airlock(["--help"]).expect(0).stdout();
    for command in ["check", "verify", "manifest", "list", "extract", "stage", "authenticode", "fetch", "keygen"] {
        assert!(help.contains(&format!("  {command} ")), "{command} is not a command any more");
        assert!(generated.contains_key(&format!("{command}.json")), "no schema for {command}");
    }
    assert!(generated.contains_key("usage.json"));
}

#[test]
fn every_object_carries_schema_version_and_every_key_even_when_empty() {
    let (_temp, dir) = common::scratch("inno/inno-6.4.1-lzma2-solid-spanned");
    let run = airlock([Path::new("check"), dir.as_path(), Path::new("--json")]);
    let json = run.expect(0).json();
    assert_eq!(json["schema_version"], 1);
    // Keys with nothing to say are null, not left out.
    for key in ["error", "pairing", "vendor"] {
        assert!(json.get(key).is_some_and(|v| v.is_null()), "{key} is not present as null: {json}");
    }
    assert!(json["parts"][0].get("listed_as").is_some_and(|v| v.is_null()), "{json}");
    // A usage error clap finds carries it too, and validates as one.
    let json = airlock(["verify", "--json", "--threads", "0", "x"]).expect(2).json();
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["error"]["kind"], "usage");
    // The validator is not a pushover: a missing key or a wrong version fails.
    let mut broken = json.clone();
    broken.as_object_mut().unwrap().remove("error");
    assert!(common::validate_json(&broken).is_err(), "a missing key passed");
    let mut broken = json;
    broken["schema_version"] = serde_json::json!(2);
    assert!(common::validate_json(&broken).is_err(), "another schema_version passed");
}
