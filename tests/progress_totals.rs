//! What the library tells a `Progress` observer adds up: every task's total
//! equals the sum of its `advance` calls, no byte is reported outside a
//! task, and an item is advanced under the one key it was started under.
//! Driven through the library, as an embedding tool sees it (the binary's
//! bars are drawn from the same calls).

mod common;

use std::collections::{BTreeSet, HashSet};
use std::path::Path;
use std::sync::Mutex;

use airlock::{ExtractOptions, Progress, StageOptions, Task, VerifyOptions};
use common::{scratch, testdata};

/// One task as the observer saw it.
#[derive(Debug)]
struct Seen {
    task: Task,
    total: u64,
    advanced: u64,
    /// Keys `advance` was called with that no `item_started` announced.
    unstarted: BTreeSet<String>,
}

#[derive(Default)]
struct State {
    current: Option<(Task, u64)>,
    advanced: u64,
    started: HashSet<String>,
    unstarted: BTreeSet<String>,
    tasks: Vec<Seen>,
    /// Bytes advanced while no task had begun.
    outside: u64,
}

/// Counts what it is told.
#[derive(Default)]
struct Counting(Mutex<State>);

impl Counting {
    fn tasks(self) -> (Vec<Seen>, u64) {
        let state = self.0.into_inner().unwrap();
        assert!(state.current.is_none(), "a task never ended: {:?}", state.current);
        (state.tasks, state.outside)
    }
}

impl Progress for Counting {
    fn begin(&self, task: Task, total_bytes: u64) {
        let mut state = self.0.lock().unwrap();
        assert!(state.current.is_none(), "{task:?} began inside {:?}", state.current);
        state.current = Some((task, total_bytes));
        state.advanced = 0;
        state.started.clear();
        state.unstarted.clear();
    }
    fn item_started(&self, name: &str, _size: u64) {
        self.0.lock().unwrap().started.insert(name.to_owned());
    }
    fn advance(&self, name: &str, bytes: u64) {
        let mut state = self.0.lock().unwrap();
        if state.current.is_none() {
            state.outside += bytes;
            return;
        }
        state.advanced += bytes;
        if !state.started.contains(name) {
            state.unstarted.insert(name.to_owned());
        }
    }
    fn end(&self, task: Task) {
        let mut state = self.0.lock().unwrap();
        let (begun, total) = state.current.take().expect("end without begin");
        assert_eq!(begun, task, "ended another task than began");
        let seen = Seen { task, total, advanced: state.advanced, unstarted: std::mem::take(&mut state.unstarted) };
        state.tasks.push(seen);
    }
}

const SET: &str = "inno/inno-6.2.0-lzma2-solid-spanned";

/// The bytes of the set's parts.
fn set_bytes(dir: &Path) -> u64 {
    airlock::discover(dir).unwrap().parts.iter().map(|p| p.size).sum()
}

/// Every task's total is what was advanced, and nothing was advanced outside one.
fn assert_adds_up(tasks: &[Seen], outside: u64) {
    assert_eq!(outside, 0, "bytes reported outside any task");
    for seen in tasks {
        assert_eq!(
            seen.advanced, seen.total,
            "{:?}: advanced {} of a total of {}",
            seen.task, seen.advanced, seen.total
        );
    }
}

#[test]
fn stage_counts_every_byte_of_the_set_once() {
    let (_temp, set_dir) = scratch(SET);
    let media = tempfile::tempdir().unwrap();
    let set = airlock::discover(&set_dir).unwrap();
    let counting = Counting::default();
    let staged = airlock::stage(&set, &StageOptions::new(media.path().join("usb")), &counting).unwrap();
    assert_eq!(staged.parts.len(), set.parts.len());
    let (tasks, outside) = counting.tasks();
    assert_adds_up(&tasks, outside);
    let bytes = set_bytes(&set_dir);
    assert!(bytes > 4_000_000, "the fixture is the four-part Inno set");
    let copy = tasks.iter().find(|t| t.task == Task::Copy).expect("a copy task");
    assert_eq!(copy.total, bytes, "the copy's total is the bytes of the set");
    assert_eq!(copy.advanced, bytes, "every byte of the set counted once");
    for seen in &tasks {
        assert!(seen.unstarted.is_empty(), "{:?}: advanced without item_started: {:?}", seen.task, seen.unstarted);
    }
}

#[test]
fn stage_onto_media_holding_the_set_reports_no_bytes_outside_a_task() {
    // The parts already on the media are read back to prove them identical:
    // that reading is not the copy's, and must not show up as its bytes.
    let (_temp, set_dir) = scratch(SET);
    let media = tempfile::tempdir().unwrap();
    let set = airlock::discover(&set_dir).unwrap();
    let _first = airlock::stage(&set, &StageOptions::new(media.path()), &airlock::NoProgress).unwrap();
    let counting = Counting::default();
    let again = airlock::stage(&set, &StageOptions::new(media.path()), &counting).unwrap();
    assert!(again.parts.iter().all(|p| matches!(p.action, airlock::StageAction::AlreadyThere)), "{:?}", again.parts);
    let (tasks, outside) = counting.tasks();
    assert_adds_up(&tasks, outside);
}

#[test]
fn verify_and_deep_verify_totals_are_what_they_advance() {
    let set = airlock::discover(&testdata(SET)).unwrap();
    let counting = Counting::default();
    let _verified = airlock::verify(&set, &VerifyOptions::default(), &counting).unwrap().into_result().unwrap();
    let (tasks, outside) = counting.tasks();
    assert_adds_up(&tasks, outside);
    assert_eq!(tasks.iter().map(|t| t.task).collect::<Vec<_>>(), [Task::Hash]);
    assert_eq!(tasks[0].total, set_bytes(&testdata(SET)));
    assert!(tasks[0].unstarted.is_empty(), "hashing advanced parts it never started: {:?}", tasks[0].unstarted);

    let counting = Counting::default();
    let _verified =
        airlock::verify(&set, &VerifyOptions::default().deep(true), &counting).unwrap().into_result().unwrap();
    let (tasks, outside) = counting.tasks();
    assert_adds_up(&tasks, outside);
    let deep = tasks.iter().find(|t| t.task == Task::DeepVerify).expect("a deep verification task");
    assert!(deep.total > 0);
}

#[test]
fn extract_advances_each_entry_under_the_key_it_started_it_with() {
    // Inno Setup entries are named `{app}/…` and land at `…`: an observer
    // must see one key per entry, not the landing path at the start and the
    // name for the bytes.
    let dest = tempfile::tempdir().unwrap();
    let set = airlock::discover(&testdata(SET)).unwrap();
    let counting = Counting::default();
    let options = ExtractOptions::new(dest.path().join("out")).min_free(0);
    let report = airlock::extract(&set, &options, &counting).unwrap();
    let (tasks, outside) = counting.tasks();
    assert_adds_up(&tasks, outside);
    let extract = tasks.iter().find(|t| t.task == Task::Extract).expect("an extract task");
    assert_eq!(extract.total, report.bytes_written);
    assert!(extract.unstarted.is_empty(), "entries advanced under another key than started: {:?}", extract.unstarted);
}
