//! The library's entry points over a set, as a tool that embeds it calls
//! them: each takes the set, its options and a progress observer, and returns
//! a report or a typed error. What the options of `check` and `list` mean,
//! and what `check` tells the observer when it has to hash.

mod common;

use std::sync::Mutex;

use airlock::{CheckOptions, ErrorKind, InnoChoice, Item, ListOptions, NoProgress, Progress, Task};
use common::{NAME, scratch};

const SET: &str = "inno/inno-6.4.1-lzma2-solid-spanned";

/// The hashing an observer was told of: each task's total and the bytes
/// advanced in it.
#[derive(Default)]
struct Hashing(Mutex<Vec<(u64, u64)>>);

impl Progress for Hashing {
    fn begin(&self, task: Task, total_bytes: u64) {
        assert_eq!(task, Task::Hash, "the check only hashes");
        self.0.lock().unwrap().push((total_bytes, 0));
    }
    fn advance(&self, _item: Item, bytes: u64) {
        let mut tasks = self.0.lock().unwrap();
        let current = tasks.last_mut().expect("bytes advanced outside a task");
        current.1 += bytes;
    }
}

#[test]
fn check_goes_by_the_manifest_its_options_name_or_the_one_beside_the_set() {
    let (temp, dir) = scratch(SET);
    let set = airlock::discover(&dir).unwrap();
    let beside = airlock::check(&set, &CheckOptions::default(), &NoProgress).unwrap();
    assert_eq!(beside.manifest.as_deref(), Some(dir.join("SHA256SUMS").as_path()));

    let elsewhere = temp.path().join("elsewhere.sha256");
    std::fs::rename(dir.join("SHA256SUMS"), &elsewhere).unwrap();
    let set = airlock::discover(&dir).unwrap();
    let none = airlock::check(&set, &CheckOptions::default(), &NoProgress).unwrap();
    assert_eq!(none.manifest, None, "no manifest beside the set any more");
    let given = airlock::check(&set, &CheckOptions::default().manifest(Some(elsewhere.clone())), &NoProgress).unwrap();
    assert_eq!(given.manifest.as_deref(), Some(elsewhere.as_path()));
    assert!(given.is_ok(), "{}", given.summary());
}

/// A part the manifest lists under another name is found by hashing; the
/// observer is told, and the part is hashed once however many of the check's
/// steps ask about it.
#[test]
fn check_hashes_a_renamed_part_once_and_reports_it() {
    let (_temp, dir) = scratch(SET);
    let renamed = dir.join(format!("{NAME} (1).exe"));
    std::fs::rename(dir.join(format!("{NAME}.exe")), &renamed).unwrap();
    let size = std::fs::metadata(&renamed).unwrap().len();
    let set = airlock::discover(&renamed).unwrap();

    let hashing = Hashing::default();
    let report = airlock::check(&set, &CheckOptions::default(), &hashing).unwrap();
    assert!(report.is_ok(), "{}", report.summary());
    let head = report.parts.iter().find(|p| p.name == format!("{NAME} (1).exe")).unwrap();
    assert_eq!(head.listed_as.as_deref(), Some(format!("{NAME}.exe").as_str()));
    let tasks = hashing.0.into_inner().unwrap();
    assert_eq!(tasks, vec![(size, size)], "the renamed installer hashed once, every byte reported");

    // Asked to stop, the check ends interrupted, never with a report built
    // without the hash.
    let cancel = airlock::Cancel::new();
    cancel.cancel();
    let error = airlock::check(&set, &CheckOptions::default().cancel(cancel), &NoProgress).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Interrupted, "{error}");
}

#[test]
fn list_takes_the_installers_choice_or_every_entry_but_not_both() {
    let (_temp, dir) = scratch("inno/inno-6.4.1-components-languages");
    let set = airlock::discover(&dir).unwrap();
    let every = airlock::list(&set, &ListOptions::default().every_entry(true), &NoProgress).unwrap();
    let chosen = airlock::list(&set, &ListOptions::default(), &NoProgress).unwrap();
    assert!(every.left_out.is_empty() && every.language.is_none());
    assert!(!chosen.left_out.is_empty(), "the default choice leaves the other languages out");
    assert_eq!(every.entries.len(), chosen.entries.len() + chosen.left_out.len());
    let names: Vec<&str> = every.entries.iter().map(|e| e.name.as_str()).collect();
    assert!(chosen.entries.iter().all(|e| names.contains(&e.name.as_str())));

    let choice = InnoChoice { components: vec!["sql".to_owned()], ..InnoChoice::default() };
    let error = airlock::list(&set, &ListOptions::default().every_entry(true).inno(choice), &NoProgress).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Usage, "{error}");
    assert!(error.to_string().contains("sql"), "the refusal names the choice: {error}");
}
