//! Running decode jobs side by side, and carrying their failures.
//!
//! 7z blocks and zip entries are independent, so both formats decode them on
//! a pool of workers ([`run_jobs`]); the first failure stops the rest
//! ([`Stop`]). A reader that failed remembers why ([`Failure`]) so it fails
//! the same way on every later read, with its [`Fault`] in the error's type.

use std::any::Any;
use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::payload::errors::{EntryFault, Fault};
use crate::vocab::error::{Error, Result};
use crate::vocab::progress::Cancel;

/// What `extract` makes of the sink's result for an entry whose reader
/// failed with `failure` (if it did): a cancellation is reported as such
/// whatever the sink made of it; otherwise the sink's result stands, unchanged.
pub(crate) fn outcome(failure: Option<&Failure>, result: Result<()>) -> Result<()> {
    if failure.is_some_and(Failure::is_interrupted) {
        return Err(Error::Interrupted);
    }
    result
}

/// What an entry reader remembers of the failure it gave the sink: enough to
/// fail the same way on every later read, and for `extract` to tell a
/// cancellation and to say why later entries of a solid block were skipped.
pub(crate) struct Failure {
    fault: Fault,
    /// What went wrong, in words.
    pub(crate) message: String,
}

impl Failure {
    /// Remembers `error`, of class `fault`, and turns it into the `io::Error`
    /// the sink gets: an [`EntryFault`] carrying the class and the error.
    pub(crate) fn record(fault: Fault, error: Error) -> (Failure, io::Error) {
        let inner = match error {
            Error::Interrupted => EntryFault { fault, message: "interrupted".to_owned(), error: Some(error) },
            error => EntryFault::new(fault, error),
        };
        (Failure { fault, message: inner.message.clone() }, inner.into_io())
    }

    /// The error for reads after the failure.
    pub(crate) fn to_io(&self) -> io::Error {
        EntryFault { fault: self.fault, message: self.message.clone(), error: None }.into_io()
    }

    pub(crate) fn is_interrupted(&self) -> bool {
        self.fault == Fault::Cancelled
    }
}

/// A panic of the sink, kept apart from the decoder's.
///
/// Where a format calls the sink from inside the decoder's loop (7z blocks,
/// Inno Setup chunks), that loop runs inside [`contain`](crate::read::contain::contain),
/// which would report the sink's panic as corrupt data. [`SinkPanic::call`]
/// catches it first; the format stops the loop and, once out of `contain`,
/// resumes it with [`SinkPanic::resume`], so a bug in the sink reaches the
/// caller as itself.
pub(crate) struct SinkPanic(Box<dyn Any + Send>);

impl SinkPanic {
    /// Runs the sink's `call`, keeping a panic apart.
    pub(crate) fn call<T>(call: impl FnOnce() -> T) -> std::result::Result<T, SinkPanic> {
        panic::catch_unwind(AssertUnwindSafe(call)).map_err(SinkPanic)
    }

    /// Goes on with the panic, out of `contain`.
    pub(crate) fn resume(self) -> ! {
        panic::resume_unwind(self.0)
    }
}

/// Tells work to stop: the caller cancelled, or a job failed. Keeps the
/// first failure, which is the one `run_jobs` reports.
///
/// Readers check only the caller's flag (`cancel`) inside an entry, so an
/// entry in flight when another job fails still ends cleanly (a deep
/// verification would otherwise record it as a spurious failure); a failure
/// elsewhere stops work at the next entry.
pub(crate) struct Stop<'a> {
    pub(crate) cancel: &'a Cancel,
    failed: AtomicBool,
    first_failure: Mutex<Option<Error>>,
}

impl<'a> Stop<'a> {
    pub(crate) fn new(cancel: &'a Cancel) -> Self {
        Stop { cancel, failed: AtomicBool::new(false), first_failure: Mutex::new(None) }
    }

    /// `Err` when work should stop. When another job failed this is
    /// [`Error::Interrupted`], which is never reported: that job's error is.
    pub(crate) fn check(&self) -> Result<()> {
        if self.failed.load(Ordering::Relaxed) {
            return Err(Error::Interrupted);
        }
        self.cancel.check()
    }

    fn fail(&self, error: Error) {
        let mut first = lock(&self.first_failure);
        if first.is_none() {
            *first = Some(error);
        }
        self.failed.store(true, Ordering::Relaxed);
    }

    fn take_failure(&self) -> Option<Error> {
        lock(&self.first_failure).take()
    }
}

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Runs `work` on every job on up to `threads` workers (0: rayon's default),
/// handing jobs out in order, so callers sort them largest first. After the
/// first failure no job starts and running ones are told to stop through
/// `stop`; that first failure is returned.
pub(crate) fn run_jobs<J: Sync>(
    jobs: &[J],
    threads: usize,
    stop: &Stop<'_>,
    work: impl Fn(&J) -> Result<()> + Sync,
) -> Result<()> {
    let threads = if threads == 0 { rayon::current_num_threads() } else { threads };
    let workers = threads.min(jobs.len());
    let pool = (workers > 1).then(|| rayon::ThreadPoolBuilder::new().num_threads(workers).build().ok()).flatten();
    let Some(pool) = pool else {
        // One worker, or no threads to be had: the calling thread does it all.
        for job in jobs {
            stop.check()?;
            work(job)?;
        }
        return Ok(());
    };
    let next = AtomicUsize::new(0);
    pool.scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|_| {
                while let Some(job) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) {
                    if let Err(error) = stop.check().and_then(|()| work(job)) {
                        stop.fail(error);
                        break;
                    }
                }
            });
        }
    });
    match stop.take_failure() {
        Some(error) => Err(error),
        None => stop.check(),
    }
}
