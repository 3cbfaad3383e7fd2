//! Handing a file's written bytes to the disk as they are written, one
//! window at a time, for the writers that make big files: extraction's
//! staged entries and staging's copies; and flushing them behind the writers
//! ([`flushing_behind`]), so that the flush before a commit has little left.
#![warn(clippy::arithmetic_side_effects)]

use std::fs::File;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::Duration;

/// Bytes this process has handed to the disk through [`Writeback`] so far
/// (only ever grows): what [`flushing_behind`] measures its flushes by. One
/// count for the process: two runs at once each flush a little sooner.
static SUBMITTED: AtomicU64 = AtomicU64::new(0);

/// How many bytes handed to the disk make [`flushing_behind`] flush.
const FLUSH_EVERY: u64 = 64 << 20;

/// How often [`flushing_behind`] looks at [`SUBMITTED`].
const LOOK_EVERY: Duration = Duration::from_millis(50);

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
        let before = self.submitted;
        self.submit(file, flushed);
        if before > self.settled {
            crate::platform::settle_written(file, self.settled, before.saturating_sub(self.settled));
            self.settled = before;
        }
    }

    /// The file is complete at `written` bytes: the disk starts on the rest.
    pub(crate) fn finish(&mut self, file: &File, written: u64) {
        if written > self.submitted {
            self.submit(file, written);
        }
    }

    /// The disk starts on the bytes of `file` from what was submitted up to
    /// `upto`, and they count in [`SUBMITTED`].
    fn submit(&mut self, file: &File, upto: u64) {
        let len = upto.saturating_sub(self.submitted);
        crate::platform::start_writeback(file, self.submitted, len);
        SUBMITTED.fetch_add(len, Ordering::Relaxed);
        self.submitted = upto;
    }
}

/// Runs `work` with a thread beside it that flushes the filesystem holding
/// `dir` (`platform::flush_filesystem`) each time [`FLUSH_EVERY`] more bytes
/// were handed to the disk, and returns `work`'s result once the thread is
/// gone (after a flush in progress ends).
///
/// Durability does not depend on it: the commit still flushes everything
/// before its first rename. What it changes is when the disk makes the bytes
/// durable: behind the decoding instead of after it, where a disk that
/// caches writes (a VM's virtual disk, a drive's own cache) otherwise spends
/// the end of the run flushing while the cores idle. On the 7z multi-block
/// set of `benches/compare.sh` at 700 MB, a `sync` every 150 ms beside the
/// extraction took it from 2.44 s to 2.06 s. Where the system has no such
/// flush (elsewhere than Linux), or no thread can be started, `work` runs
/// alone.
pub(crate) fn flushing_behind<T>(dir: &Path, work: impl FnOnce() -> T) -> T {
    flushing_behind_with(dir, crate::platform::flush_filesystem, work)
}

/// [`flushing_behind`] with `flush` for the filesystem flush.
fn flushing_behind_with<T>(
    dir: &Path,
    flush: impl Fn(&Path) -> Option<std::io::Result<()>> + Send,
    work: impl FnOnce() -> T,
) -> T {
    std::thread::scope(|scope| {
        let (stop, stopped) = channel::<()>();
        // Counted from here, not from whenever the thread gets to run.
        let mut flushed_at = SUBMITTED.load(Ordering::Relaxed);
        // A thread that cannot be started leaves the work to run alone.
        let _flusher = std::thread::Builder::new().name("airlock-flush".into()).spawn_scoped(scope, move || {
            // Ends when `stop` is dropped (the work is done).
            while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(LOOK_EVERY) {
                let now = SUBMITTED.load(Ordering::Relaxed);
                if now.saturating_sub(flushed_at) >= FLUSH_EVERY {
                    flushed_at = now;
                    if flush(dir).is_none() {
                        return;
                    }
                }
            }
        });
        let result = work();
        drop(stop);
        result
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Once a window past [`FLUSH_EVERY`] bytes was handed to the disk, the
    /// filesystem is flushed while the work still runs; and the call
    /// returns the work's result with the flushing thread gone.
    #[test]
    fn the_filesystem_is_flushed_behind_the_writes() {
        let dir = tempfile::tempdir().unwrap();
        let file = File::create(dir.path().join("f")).unwrap();
        let (flushed, flushes) = channel::<()>();
        let flush = move |at: &Path| {
            let _ = flushed.send(());
            Some(File::open(at).map(drop))
        };
        let seen = flushing_behind_with(dir.path(), flush, || {
            let mut writeback = Writeback::default();
            // The counts only: windows past the file's end are advice the
            // system takes as done.
            let mut written = 0;
            while written <= FLUSH_EVERY {
                written += WINDOW;
                writeback.written(&file, written);
            }
            flushes.recv_timeout(Duration::from_secs(60)).is_ok()
        });
        assert!(seen, "no flush while the work ran, after {FLUSH_EVERY} bytes were handed to the disk");
    }
}
