//! Decoding into the staging folder (`DEST/.airlock-partial-<pid>/`): DEST
//! created and locked, the plan made, each selected entry written there
//! capped at its declared size and kept only when its checksum matched.
//! Nothing outside the staging folder is touched until the commit.
#![warn(clippy::arithmetic_side_effects)]

use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Error, Result};
use crate::payload::{self, Entry, EntrySink, Source, sink};
use crate::progress::{Cancel, Progress, Task};

use super::STAGING_PREFIX;
use super::options::ExtractOptions;
use super::plan::Plan;

/// Plans the extraction and decodes the selected entries into the staging
/// folder. On failure, whatever was staged is already removed.
pub(super) fn stage_entries(
    source: &Source<'_>,
    entries: &[Entry],
    chosen: &[bool],
    options: &ExtractOptions,
    cancel: &Cancel,
    progress: &dyn Progress,
) -> Result<(Plan, Run)> {
    // DEST exists and is this run's alone before anything in it is looked at.
    let created_dest = create_missing(&options.dest)?;
    let undo_dest = |created: &[PathBuf]| {
        for dir in created.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
    };
    let lock = match crate::dir_lock::DirLock::acquire(&options.dest) {
        Ok(lock) => lock,
        Err(error) => {
            undo_dest(&created_dest);
            return Err(error);
        }
    };
    let plan = match Plan::new(entries, chosen, options, source.label, source.located.format()) {
        Ok(plan) => plan,
        Err(error) => {
            drop(lock);
            undo_dest(&created_dest);
            return Err(error);
        }
    };
    let mut run = match Run::start(&options.dest, created_dest.clone(), lock) {
        Ok(run) => run,
        Err(error) => {
            undo_dest(&created_dest);
            return Err(error);
        }
    };
    let request = payload::Request::new(&plan.selected, options.hash.threads, options.password.as_deref(), cancel);
    match run.extract(source, entries, &plan, &request, progress) {
        Ok(()) => Ok((plan, run)),
        Err(error) => {
            run.roll_back();
            Err(error)
        }
    }
}

/// One extraction's writes, so they can be committed or undone.
pub(super) struct Run {
    pub(super) dest: PathBuf,
    pub(super) staging: PathBuf,
    pub(super) created_dest: Vec<PathBuf>,
    pub(super) created_dirs: Vec<PathBuf>,
    /// (target, backup of what it replaced).
    pub(super) placed: Vec<(PathBuf, Option<PathBuf>)>,
    pub(super) journal: Option<File>,
    /// This run's lock on DEST; released before the folders it created go.
    pub(super) lock: Option<crate::dir_lock::DirLock>,
}

/// Creates `dest` and its missing ancestors; returns those it created, outermost first.
pub(super) fn create_missing(dest: &Path) -> Result<Vec<PathBuf>> {
    let mut missing: Vec<&Path> = dest.ancestors().take_while(|p| !p.as_os_str().is_empty() && !p.exists()).collect();
    missing.reverse();
    let mut created = Vec::new();
    for dir in missing {
        if let Err(error) = fs::create_dir(dir) {
            for done in created.iter().rev() {
                let _ = fs::remove_dir(done);
            }
            return Err(Error::io(dir, error));
        }
        created.push(dir.to_path_buf());
    }
    Ok(created)
}

impl Run {
    /// Starts the run in `dest`, which this process has locked: any staging
    /// folder there was left by a run that is gone, and is removed.
    pub(super) fn start(dest: &Path, created_dest: Vec<PathBuf>, lock: crate::dir_lock::DirLock) -> Result<Run> {
        for stale in super::stale_staging_dirs(dest) {
            fs::remove_dir_all(&stale).map_err(|e| Error::io(&stale, e))?;
        }
        let staging = dest.join(format!("{STAGING_PREFIX}{}", std::process::id()));
        fs::create_dir(&staging).map_err(|e| Error::io(&staging, e))?;
        Ok(Run {
            dest: dest.to_path_buf(),
            staging,
            created_dest,
            created_dirs: Vec::new(),
            placed: Vec::new(),
            journal: None,
            lock: Some(lock),
        })
    }

    /// Where entry `index` is staged: in sub-folders of a thousand, so that
    /// payloads of tens of thousands of files do not all contend for one
    /// folder's lock.
    pub(super) fn staged(&self, index: usize) -> PathBuf {
        self.staging.join((index / 1000).to_string()).join(index.to_string())
    }

    pub(super) fn extract(
        &mut self,
        source: &Source<'_>,
        entries: &[Entry],
        plan: &Plan,
        request: &payload::Request<'_>,
        progress: &dyn Progress,
    ) -> Result<()> {
        let cancel = request.cancel;
        progress.begin(Task::Extract, plan.total_bytes);
        let sink = StagingSink {
            run: self,
            entries,
            progress,
            cancel,
            written: AtomicU64::new(0),
            first_error: Mutex::new(None),
        };
        let result = payload::extract(source, request, &sink);
        progress.end(Task::Extract);
        result?;
        // Every selected file must have been produced (a decoder that stops
        // early without an error must not pass for a complete extraction).
        for index in plan.targets.keys() {
            if !self.staged(*index).exists() {
                return Err(Error::payload(&entries[*index].name, "the payload ended before this entry was produced"));
            }
        }
        Ok(())
    }
}

/// Writes each entry to the staging folder, capped at its declared size.
struct StagingSink<'a> {
    pub(super) run: &'a Run,
    pub(super) entries: &'a [Entry],
    pub(super) progress: &'a dyn Progress,
    pub(super) cancel: &'a Cancel,
    pub(super) written: AtomicU64,
    pub(super) first_error: Mutex<Option<String>>,
}

impl EntrySink for StagingSink<'_> {
    fn duplicate(&self, index: usize, same_as: usize) -> Result<()> {
        let entry = &self.entries[index];
        let (from, staged) = (self.run.staged(same_as), self.run.staged(index));
        if let Some(parent) = staged.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let shown = entry.progress_key();
        self.progress.item_started(shown, entry.size);
        let copied = fs::copy(&from, &staged).map_err(|e| Error::io(&staged, e));
        let copied = copied.and_then(|bytes| {
            if bytes == entry.size {
                Ok(())
            } else {
                Err(Error::payload(
                    &entry.name,
                    format!("its data is {bytes} bytes but its header promises {}", entry.size),
                ))
            }
        });
        if let Err(error) = copied {
            let _ = fs::remove_file(&staged);
            return Err(error);
        }
        if let Some(modified) = entry.modified {
            let _ = filetime::set_file_mtime(&staged, filetime::FileTime::from_system_time(modified));
        }
        self.progress.advance(shown, entry.size);
        self.written.fetch_add(entry.size, Ordering::Relaxed);
        self.progress.item_finished(shown);
        Ok(())
    }

    fn file(&self, index: usize, reader: &mut dyn Read) -> Result<()> {
        let entry = &self.entries[index];
        let staged = self.run.staged(index);
        if let Some(parent) = staged.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        self.progress.item_started(entry.progress_key(), entry.size);
        let result = sink::write_capped(entry, reader, &staged, self.progress, self.cancel);
        if result.is_err() {
            let _ = fs::remove_file(&staged);
            let mut first = self.first_error.lock().unwrap_or_else(|e| e.into_inner());
            first.get_or_insert_with(|| entry.name.clone());
        } else {
            self.written.fetch_add(entry.size, Ordering::Relaxed);
            self.progress.item_finished(entry.progress_key());
        }
        result
    }
}
