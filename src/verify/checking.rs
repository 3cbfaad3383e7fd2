//! Deep verification's sink: every selected entry read to its end (where the
//! format's own checksum is compared) through the contract's capped reader,
//! nothing kept, each failure recorded so every bad entry is reported.
#![warn(clippy::arithmetic_side_effects)]

use std::io::Read;
use std::sync::Mutex;

use crate::payload::{Entry, EntrySink, read_entry};
use crate::vocab::error::{Error, ErrorKind, Result};
use crate::vocab::progress::{Cancel, Item, Progress};

/// An entry that failed to decode, as deep verification records it.
#[derive(Clone, Debug)]
pub(super) struct Failure {
    /// The entry's name.
    pub(super) entry: String,
    /// The error's full message.
    pub(super) message: String,
    /// The error's kind.
    pub(super) kind: ErrorKind,
}

/// Reads each entry to its end and keeps nothing, recording failures instead
/// of stopping, so every bad entry is reported.
pub(super) struct CheckingSink<'a> {
    entries: &'a [Entry],
    progress: &'a dyn Progress,
    cancel: &'a Cancel,
    failures: Mutex<Vec<Failure>>,
    checked: Mutex<(usize, u64)>,
}

impl<'a> CheckingSink<'a> {
    /// A sink for `entries`, reporting bytes to `progress`.
    pub(super) fn new(entries: &'a [Entry], progress: &'a dyn Progress, cancel: &'a Cancel) -> Self {
        CheckingSink { entries, progress, cancel, failures: Mutex::new(Vec::new()), checked: Mutex::new((0, 0)) }
    }

    /// The failures recorded, and how many entries and bytes passed.
    pub(super) fn finish(self) -> (Vec<Failure>, usize, u64) {
        let failures = self.failures.into_inner().unwrap_or_else(|e| e.into_inner());
        let (entries, bytes) = self.checked.into_inner().unwrap_or_else(|e| e.into_inner());
        (failures, entries, bytes)
    }
}

impl EntrySink for CheckingSink<'_> {
    /// The bytes were checked once, under `same_as`: this entry passes or
    /// fails with it, and adds no decoded bytes (its size still counts
    /// toward the progress total, as when extracting).
    fn duplicate(&self, index: usize, same_as: usize) -> Result<()> {
        let (entry, item) = (&self.entries[index], Item::Entry(index));
        self.progress.item_started(item, entry.shown(), entry.size);
        self.progress.advance(item, entry.size);
        self.progress.item_finished(item);
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let earlier = &self.entries[same_as].name;
        if let Some(failure) = failures.iter().find(|f| &f.entry == earlier).cloned() {
            failures.push(Failure { entry: self.entries[index].name.clone(), ..failure });
        } else {
            let mut checked = self.checked.lock().unwrap_or_else(|e| e.into_inner());
            checked.0 = checked.0.saturating_add(1);
        }
        Ok(())
    }

    fn file(&self, index: usize, reader: &mut dyn Read) -> Result<()> {
        let (entry, item) = (&self.entries[index], Item::Entry(index));
        self.progress.item_started(item, entry.shown(), entry.size);
        let read = read_entry(entry, item, reader, self.progress, self.cancel, &mut |_| Ok(()));
        self.progress.item_finished(item);
        match read {
            Ok(()) => {
                let mut checked = self.checked.lock().unwrap_or_else(|e| e.into_inner());
                checked.0 = checked.0.saturating_add(1);
                checked.1 = checked.1.saturating_add(entry.size);
            }
            // Cancellation stops the run; it is not a failure of the entry.
            Err(Error::Interrupted) => return Err(Error::Interrupted),
            Err(error) => self.failures.lock().unwrap_or_else(|e| e.into_inner()).push(Failure {
                entry: entry.name.clone(),
                message: error.full_message(),
                kind: error.kind(),
            }),
        }
        Ok(())
    }
}
