//! Handing a file's written bytes to the disk as they are written, one
//! window at a time, for the writers that make big files: extraction's
//! staged entries and staging's copies.
#![warn(clippy::arithmetic_side_effects)]

use std::fs::File;

/// How many written bytes of a file are handed to the disk at a time
/// ([`crate::platform::start_writeback`]).
const WINDOW: u64 = 8 << 20;

/// Where a file's writeback stands. Every [`WINDOW`] bytes the disk starts
/// on what was written, so the flush at the end has little left to wait
/// for; the window before is waited for and its pages let go
/// (`platform::settle_written`), so a big file's writeback keeps pace with
/// the writer instead of piling up in the cache. Advice only: durability is
/// still the final flush's (`fsync`, `platform::sync_written`), and so are
/// its errors.
#[derive(Debug, Default)]
pub(crate) struct Writeback {
    submitted: u64,
    settled: u64,
}

impl Writeback {
    /// `flushed` bytes of `file` (from its start) have reached the system.
    pub(crate) fn written(&mut self, file: &File, flushed: u64) {
        if flushed.saturating_sub(self.submitted) < WINDOW {
            return;
        }
        crate::platform::start_writeback(file, self.submitted, flushed.saturating_sub(self.submitted));
        if self.submitted > self.settled {
            crate::platform::settle_written(file, self.settled, self.submitted.saturating_sub(self.settled));
            self.settled = self.submitted;
        }
        self.submitted = flushed;
    }

    /// The file is complete at `written` bytes: the disk starts on the rest.
    pub(crate) fn finish(&mut self, file: &File, written: u64) {
        if written > self.submitted {
            crate::platform::start_writeback(file, self.submitted, written.saturating_sub(self.submitted));
            self.submitted = written;
        }
    }
}
