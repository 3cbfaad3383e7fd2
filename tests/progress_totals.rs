//! What the library tells a `Progress` observer adds up: every task's total
//! equals the sum of its `advance` calls, no byte is reported outside a
//! task, and each item (an `Item`, unique within its task) is started once,
//! advanced only between its start and its finish, finished once, and
//! advanced by the size it announced. Driven through the library, as an
//! embedding tool sees it (the binary's bars are drawn from the same calls).

mod common;
mod fetch_server;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

use airlock::{Entry, ExtractOptions, FetchOptions, Item, Progress, StageOptions, Task, VerifyOptions};
use common::{scratch, testdata};

/// One item as the observer saw it within its task.
#[derive(Debug, Default)]
struct ItemSeen {
    /// The name `item_started` gave (the last one, if started twice).
    name: String,
    size: u64,
    started: u32,
    finished: u32,
    advanced: u64,
}

/// One task as the observer saw it.
#[derive(Debug)]
struct Seen {
    task: Task,
    total: u64,
    advanced: u64,
    items: BTreeMap<Item, ItemSeen>,
    /// Calls that broke an item's order: advanced before its start or after
    /// its finish, started or finished twice, finished unstarted.
    disorder: Vec<String>,
}

#[derive(Default)]
struct State {
    current: Option<Seen>,
    tasks: Vec<Seen>,
    /// Item calls made while no task had begun (bytes advanced count).
    outside: Vec<String>,
}

/// Records what it is told, per task and per item.
#[derive(Default)]
struct Counting(Mutex<State>);

impl Counting {
    fn tasks(self) -> Vec<Seen> {
        let state = self.0.into_inner().unwrap();
        assert!(state.current.is_none(), "a task never ended: {:?}", state.current.map(|s| s.task));
        assert!(state.outside.is_empty(), "item calls outside any task: {:?}", state.outside);
        state.tasks
    }

    /// Runs `record` on the task under way, or notes `call` as outside one.
    fn within(&self, call: impl FnOnce() -> String, record: impl FnOnce(&mut Seen)) {
        let mut state = self.0.lock().unwrap();
        match state.current.as_mut() {
            Some(seen) => record(seen),
            None => state.outside.push(call()),
        }
    }
}

impl Progress for Counting {
    fn begin(&self, task: Task, total_bytes: u64) {
        let mut state = self.0.lock().unwrap();
        assert!(state.current.is_none(), "{task:?} began inside {:?}", state.current.as_ref().map(|s| s.task));
        state.current =
            Some(Seen { task, total: total_bytes, advanced: 0, items: BTreeMap::new(), disorder: Vec::new() });
    }
    fn item_started(&self, item: Item, name: &str, size: u64) {
        self.within(
            || format!("started {item:?} {name}"),
            |seen| {
                let entry = seen.items.entry(item).or_default();
                if entry.started > 0 {
                    seen.disorder.push(format!("{item:?} ({name}) started again"));
                }
                entry.started += 1;
                entry.name = name.to_owned();
                entry.size = size;
            },
        );
    }
    fn advance(&self, item: Item, bytes: u64) {
        self.within(
            || format!("advanced {item:?} by {bytes}"),
            |seen| {
                seen.advanced += bytes;
                let entry = seen.items.entry(item).or_default();
                if entry.started == 0 || entry.finished > 0 {
                    seen.disorder.push(format!(
                        "{item:?} advanced by {bytes} while not under way (started {}, finished {})",
                        entry.started, entry.finished
                    ));
                }
                entry.advanced += bytes;
            },
        );
    }
    fn item_finished(&self, item: Item) {
        self.within(
            || format!("finished {item:?}"),
            |seen| {
                let entry = seen.items.entry(item).or_default();
                if entry.started == 0 || entry.finished > 0 {
                    seen.disorder.push(format!(
                        "{item:?} finished while not under way (started {}, finished {})",
                        entry.started, entry.finished
                    ));
                }
                entry.finished += 1;
            },
        );
    }
    fn end(&self, task: Task) {
        let mut state = self.0.lock().unwrap();
        let seen = state.current.take().expect("end without begin");
        assert_eq!(seen.task, task, "ended another task than began");
        state.tasks.push(seen);
    }
}

/// What a run's items may be: the parts its report returns (by name, in the
/// task's order) and the payload's entries in payload order.
struct Expected<'a> {
    parts: &'a [String],
    entries: &'a [Entry],
}

/// Every task adds up and every item kept its order, of a run that
/// succeeded: each item started once, finished once, advanced between the
/// two by exactly the size it announced, its index within what the run's
/// report returns, its name the one that index stands for.
fn assert_items_add_up(tasks: &[Seen], expected: &Expected) {
    assert!(!tasks.is_empty(), "no task reported");
    for seen in tasks {
        let task = seen.task;
        assert_eq!(seen.advanced, seen.total, "{task:?}: advanced {} of a total of {}", seen.advanced, seen.total);
        let disorder = &seen.disorder;
        assert!(disorder.is_empty(), "{task:?}: {} calls out of order, first {:?}", disorder.len(), &disorder[..1]);
        let per_item: u64 = seen.items.values().map(|i| i.advanced).sum();
        assert_eq!(per_item, seen.total, "{task:?}: the items' advances do not add up to the total");
        for (item, it) in &seen.items {
            assert_eq!((it.started, it.finished), (1, 1), "{task:?}: {item:?} ({}) started/finished", it.name);
            assert_eq!(it.advanced, it.size, "{task:?}: {item:?} ({}) advanced by other than its size", it.name);
            match (task, *item) {
                (Task::Hash | Task::Copy | Task::Download, Item::Part(index)) => {
                    let part = expected.parts.get(index).unwrap_or_else(|| {
                        panic!("{task:?}: {item:?} ({}) past the {} parts", it.name, expected.parts.len())
                    });
                    // Hashing names a file by its file name, an installer's
                    // external file `SQL/x.exe` as `x.exe`.
                    assert!(part.ends_with(&it.name), "{task:?}: {item:?} is {part}, shown as {}", it.name);
                }
                (Task::Extract | Task::DeepVerify, Item::Entry(index)) => {
                    let entry = expected.entries.get(index).unwrap_or_else(|| {
                        panic!("{task:?}: {item:?} ({}) past the {} entries", it.name, expected.entries.len())
                    });
                    let shown = entry.path.as_deref().unwrap_or(&entry.name);
                    assert_eq!(it.name, shown, "{task:?}: {item:?} is not the entry at its position");
                    assert_eq!(it.size, entry.size, "{task:?}: {item:?} announced another size than listed");
                }
                (task, item) => panic!("{task:?} reported {item:?}"),
            }
        }
    }
}

const SET: &str = "inno/inno-6.2.0-lzma2-solid-spanned";
/// One fixture of each payload format, several parts each.
const FORMATS: [&str; 3] = [SET, "sevenz/volumes", "zip/sfx-spanned"];

/// The bytes of the set's parts.
fn set_bytes(dir: &Path) -> u64 {
    airlock::discover(dir).unwrap().parts.iter().map(|p| p.size).sum()
}

fn entries_of(dir: &Path) -> Vec<Entry> {
    let every = airlock::ListOptions::default().every_entry(true);
    airlock::list(&airlock::discover(dir).unwrap(), &every, &airlock::NoProgress).unwrap().entries
}

#[test]
fn stage_counts_every_byte_of_the_set_once() {
    let (_temp, set_dir) = scratch(SET);
    let media = tempfile::tempdir().unwrap();
    let set = airlock::discover(&set_dir).unwrap();
    let counting = Counting::default();
    let staged = airlock::stage(&set, &StageOptions::new(media.path().join("usb")), &counting).unwrap();
    assert_eq!(staged.parts.len(), set.parts.len());
    let tasks = counting.tasks();
    let parts: Vec<String> = staged.parts.iter().map(|p| p.name.clone()).collect();
    assert_items_add_up(&tasks, &Expected { parts: &parts, entries: &[] });
    // Onto empty media every source is read once, hashed as it is copied:
    // one task, no hashing before it.
    assert_eq!(tasks.iter().map(|t| t.task).collect::<Vec<_>>(), [Task::Copy]);
    let bytes = set_bytes(&set_dir);
    assert!(bytes > 4_000_000, "the fixture is the four-part Inno set");
    let copy = &tasks[0];
    assert_eq!(copy.total, bytes, "the copy's total is the bytes of the set");
    assert_eq!(copy.items.len(), parts.len(), "every part copied is an item");
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
    let tasks = counting.tasks();
    let parts: Vec<String> = again.parts.iter().map(|p| p.name.clone()).collect();
    assert_items_add_up(&tasks, &Expected { parts: &parts, entries: &[] });
}

/// Media holding some parts already: those parts' sources are hashed first
/// (to prove the copies identical), the rest copied; a part is the same
/// item in both tasks, its position in the set's parts.
#[test]
fn stage_numbers_a_part_alike_in_its_hashing_and_its_copy() {
    let (_temp, set_dir) = scratch(SET);
    let media = tempfile::tempdir().unwrap();
    let set = airlock::discover(&set_dir).unwrap();
    let _first = airlock::stage(&set, &StageOptions::new(media.path()), &airlock::NoProgress).unwrap();
    // The first part is missing from the media, so the hashed parts are not
    // the first ones; the last part's copy is damaged in place (same size):
    // hashed, found different, copied again with overwrite; the others kept.
    let (first, last) = (set.parts[0].name.clone(), set.parts.last().unwrap().name.clone());
    std::fs::remove_file(media.path().join(&first)).unwrap();
    common::flip_byte(&media.path().join(&last), 100);
    let counting = Counting::default();
    let again = airlock::stage(&set, &StageOptions::new(media.path()).overwrite(true), &counting).unwrap();
    let tasks = counting.tasks();
    let parts: Vec<String> = again.parts.iter().map(|p| p.name.clone()).collect();
    assert_items_add_up(&tasks, &Expected { parts: &parts, entries: &[] });
    assert_eq!(tasks.iter().map(|t| t.task).collect::<Vec<_>>(), [Task::Hash, Task::Copy]);
    let copied: Vec<&str> = tasks[1].items.values().map(|it| it.name.as_str()).collect();
    assert_eq!(copied.len(), 2, "the damaged copy and the missing part are copied: {copied:?}");
    assert!(copied.contains(&first.as_str()) && copied.contains(&last.as_str()), "{copied:?}");
    for (item, it) in &tasks[1].items {
        if let Some(hashed) = tasks[0].items.get(item) {
            assert_eq!(hashed.name, it.name, "{item:?} names another part when copied");
        }
    }
    assert!(tasks[0].items.values().any(|it| it.name == last), "the damaged copy's source was hashed");
}

#[test]
fn verify_and_deep_verify_number_every_part_and_entry_once() {
    for fixture in FORMATS {
        let dir = testdata(fixture);
        let set = airlock::discover(&dir).unwrap();
        let entries = entries_of(&dir);
        let counting = Counting::default();
        let verified = airlock::verify(&set, &VerifyOptions::default(), &counting).unwrap().into_result().unwrap();
        let tasks = counting.tasks();
        let parts: Vec<String> = verified.parts.iter().map(|p| p.name.clone()).collect();
        assert_items_add_up(&tasks, &Expected { parts: &parts, entries: &entries });
        assert_eq!(tasks.iter().map(|t| t.task).collect::<Vec<_>>(), [Task::Hash], "{fixture}");
        assert_eq!(tasks[0].total, set_bytes(&dir), "{fixture}");
        assert_eq!(tasks[0].items.len(), parts.len(), "{fixture}: every part hashed is an item");

        let counting = Counting::default();
        let deep = VerifyOptions::default().deep(true);
        let verified = airlock::verify(&set, &deep, &counting).unwrap().into_result().unwrap();
        let tasks = counting.tasks();
        let parts: Vec<String> = verified.parts.iter().map(|p| p.name.clone()).collect();
        assert_items_add_up(&tasks, &Expected { parts: &parts, entries: &entries });
        let decoded = tasks.iter().find(|t| t.task == Task::DeepVerify).expect("a deep verification task");
        let checked = verified.deep.as_ref().expect("a deep report").entries_checked;
        assert!(decoded.total > 0, "{fixture}");
        assert_eq!(decoded.items.len(), checked, "{fixture}: every entry checked is an item");
    }
}

#[test]
fn verify_hashes_a_file_the_manifest_does_not_list_inside_its_task() {
    // A slice beside the set that the payload does not use, with a manifest:
    // it is hashed (and reported unlisted) as one more item of the hashing,
    // not after the task ended.
    let (_temp, dir) = scratch(SET);
    std::fs::write(dir.join(format!("{}-9.bin", common::NAME)), b"not a slice of this set").unwrap();
    let set = airlock::discover(&dir).unwrap();
    let counting = Counting::default();
    let verified = airlock::verify(&set, &VerifyOptions::default(), &counting).unwrap();
    let unlisted: Vec<_> = verified.parts.iter().filter(|p| p.sha256.is_some()).map(|p| p.name.clone()).collect();
    assert!(unlisted.iter().any(|n| n.ends_with("-9.bin")), "the extra slice was hashed: {:?}", verified.parts);
    let tasks = counting.tasks();
    let parts: Vec<String> = verified.parts.iter().map(|p| p.name.clone()).collect();
    assert_items_add_up(&tasks, &Expected { parts: &parts, entries: &[] });
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].total, set_bytes(&dir), "the hashing's total counts the extra slice");
    assert_eq!(tasks[0].items.len(), parts.len(), "the extra slice is an item of the hashing");
}

#[test]
fn extract_numbers_each_entry_by_its_position_in_payload_order() {
    // Inno Setup entries are named `{app}/…` and land at `…`: an observer
    // must see one item per entry, from its start to its finish.
    for fixture in FORMATS {
        let dir = testdata(fixture);
        let dest = tempfile::tempdir().unwrap();
        let set = airlock::discover(&dir).unwrap();
        let entries = entries_of(&dir);
        let counting = Counting::default();
        let options = ExtractOptions::new(dest.path().join("out")).min_free(0);
        let report = airlock::extract(&set, &options, &counting).unwrap();
        let tasks = counting.tasks();
        assert_items_add_up(&tasks, &Expected { parts: &[], entries: &entries });
        let extract = tasks.iter().find(|t| t.task == Task::Extract).expect("an extract task");
        assert_eq!(extract.total, report.bytes_written, "{fixture}");
        let files = entries.iter().filter(|e| e.kind == airlock::EntryKind::File).count();
        assert!(extract.items.len() > 1, "{fixture}");
        assert!(extract.items.len() <= files, "{fixture}: {} items of {files} files", extract.items.len());
    }
}

#[test]
fn fetch_numbers_each_download_by_its_position_in_the_plan() {
    // The installer is downloaded while planning (a task of its own, to read
    // the slices' names from its header), the slices after: each part is
    // the item of its position in the plan in whichever task downloads it.
    let fixture = testdata(SET);
    let server = fetch_server::Server::http(&fixture);
    let dest = tempfile::tempdir().unwrap();
    let counting = Counting::default();
    let options = FetchOptions::new(dest.path().join("set"));
    let report = airlock::fetch(&[server.url(&format!("{}.exe", common::NAME))], &options, &counting).unwrap();
    let tasks = counting.tasks();
    let parts: Vec<String> = report.parts.iter().map(|p| p.name.clone()).collect();
    assert_items_add_up(&tasks, &Expected { parts: &parts, entries: &[] });
    assert_eq!(tasks.iter().map(|t| t.task).collect::<Vec<_>>(), [Task::Download, Task::Download]);
    let items: Vec<Item> = tasks.iter().flat_map(|t| t.items.keys().copied()).collect();
    let every: Vec<Item> = (0..parts.len()).map(Item::Part).collect();
    assert_eq!(items, every, "each part downloaded once, as the item of its position");
    assert_eq!(tasks.iter().map(|t| t.total).sum::<u64>(), set_bytes(&fixture));
}
