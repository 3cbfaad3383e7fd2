//! How long-running work reports where it is, without the library printing.
//!
//! Hashing, extraction and copying call a [`Progress`] observer; the binary
//! implements it with progress bars, an embedding tool with whatever it
//! shows. Every method has a no-op default, so an observer implements only
//! what it needs, and [`NoProgress`] ignores everything. Observers are called
//! from worker threads, hence `Sync`.
//!
//! An item is named by an [`Item`], a number within its task, never by a
//! string: the name for display is given once, to `item_started`, so no two
//! calls can disagree about which item they mean.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The kind of work a [`Progress::begin`] announces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Task {
    /// SHA-256 of the set's parts.
    Hash,
    /// Decompressing the payload to check every entry, writing nothing.
    DeepVerify,
    /// Writing entries to the destination.
    Extract,
    /// Copying parts to media (and reading them back).
    Copy,
    /// Downloading parts from a server.
    Download,
}

/// Which item a progress call is about, unique within its task (between one
/// [`Progress::begin`] and its [`Progress::end`]).
///
/// Within a task each item is started once, advanced only between its start
/// and its finish, and finished once (also when it failed); the bytes
/// advanced under it never pass the size announced at its start, and equal
/// it when the item completed and its size was known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Item {
    /// A part of the set (or a file the installer reads from beside
    /// itself), by its position in the task's list of parts: when hashing a
    /// set, [`crate::CheckReport::member_paths`] (for `verify` with a
    /// manifest, then the files beside the set it does not list); when
    /// staging or fetching, the parts of the report (`stage`) or the plan
    /// (`fetch`); for [`crate::hash_files`], the paths it is given.
    Part(usize),
    /// An entry of the payload, by its position in payload order (the order
    /// [`crate::list`] shows).
    Entry(usize),
}

/// Receives progress from long-running library calls.
///
/// An observer counting what hashing reads; it is called from worker
/// threads, so it counts with atomics:
///
/// ```
/// use std::sync::atomic::{AtomicU64, Ordering};
/// use airlock::{Item, NoProgress, Progress, Task, VerifyOptions};
///
/// #[derive(Default)]
/// struct Counter {
///     total: AtomicU64,
///     done: AtomicU64,
///     parts: AtomicU64,
/// }
///
/// impl Progress for Counter {
///     fn begin(&self, task: Task, total_bytes: u64) {
///         if task == Task::Hash {
///             self.total.store(total_bytes, Ordering::Relaxed);
///         }
///     }
///     fn advance(&self, _item: Item, bytes: u64) {
///         self.done.fetch_add(bytes, Ordering::Relaxed);
///     }
///     fn item_finished(&self, item: Item) {
///         if let Item::Part(_) = item {
///             self.parts.fetch_add(1, Ordering::Relaxed);
///         }
///     }
/// }
///
/// let set = airlock::discover("testdata/inno/inno-6.4.1-lzma2-solid-spanned".as_ref())?;
/// let counter = Counter::default();
/// airlock::verify(&set, &VerifyOptions::default(), &counter)?.into_result()?;
/// assert_eq!(counter.total.load(Ordering::Relaxed), set.total_size());
/// assert_eq!(counter.done.load(Ordering::Relaxed), set.total_size());
/// assert_eq!(counter.parts.load(Ordering::Relaxed), 4);
/// # let _ = NoProgress; // NoProgress ignores everything
/// # Ok::<(), airlock::Error>(())
/// ```
pub trait Progress: Sync {
    /// Work of `total_bytes` is about to start.
    fn begin(&self, _task: Task, _total_bytes: u64) {}
    /// An item (a part being hashed, an entry being written) starts: `name`
    /// is how to show it (a part's file name, where an entry lands), `size`
    /// its bytes (0 when not known, as for a download the server gives no
    /// size for).
    fn item_started(&self, _item: Item, _name: &str, _size: u64) {}
    /// `bytes` more bytes of `item` (and so of the task) are done.
    fn advance(&self, _item: Item, _bytes: u64) {}
    /// `item` ended, done or failed; it is not advanced again.
    fn item_finished(&self, _item: Item) {}
    /// The task ended (successfully or not).
    fn end(&self, _task: Task) {}
}

/// An observer that ignores everything.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}

/// A flag a caller sets to ask long-running work to stop early.
///
/// Work checks it between blocks of bytes; when set, it stops, removes what it
/// wrote, and returns [`crate::Error::Interrupted`]. Clones share the flag, so
/// a signal handler can hold one.
#[derive(Clone, Debug, Default)]
pub struct Cancel {
    flag: Arc<AtomicBool>,
    /// A child also stops when its parent does.
    parent: Option<Arc<AtomicBool>>,
}

impl Cancel {
    /// A flag that is not set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the work to stop.
    pub fn cancel(&self) {
        self.flag.store(true, Ordering::SeqCst);
    }

    /// Whether stopping was asked for (here or, for a child, by the parent).
    pub fn is_cancelled(&self) -> bool {
        self.flag.load(Ordering::Relaxed) || self.parent.as_ref().is_some_and(|p| p.load(Ordering::Relaxed))
    }

    /// The flag itself, for a signal handler to set (the binary's Ctrl-C).
    pub fn as_atomic(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.flag)
    }

    /// A flag that stops when this one does, and can also be stopped alone
    /// (one of two concurrent jobs stopping the other).
    pub(crate) fn child(&self) -> Cancel {
        Cancel { flag: Arc::new(AtomicBool::new(false)), parent: Some(Arc::clone(&self.flag)) }
    }

    /// Returns [`crate::Error::Interrupted`] when stopping was asked for.
    pub(crate) fn check(&self) -> crate::Result<()> {
        if self.is_cancelled() { Err(crate::Error::Interrupted) } else { Ok(()) }
    }
}
