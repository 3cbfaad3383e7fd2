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

use crate::payload::{Entry, EntrySink, Payload, Request};
use crate::vocab::error::{Error, Result};
use crate::vocab::progress::{Cancel, Item, Progress, Task};

use super::STAGING_PREFIX;
use super::options::ExtractOptions;
use super::plan::ExtractPlan;

/// Plans the extraction and decodes the selected entries into the staging
/// folder. On failure, whatever was staged is already removed.
pub(super) fn stage_entries(
    payload: &Payload<'_>,
    chosen: &[bool],
    options: &ExtractOptions,
    cancel: &Cancel,
    progress: &dyn Progress,
) -> Result<(ExtractPlan, Run)> {
    // DEST exists and is this run's alone before anything in it is looked at.
    let created_dest = create_missing(&options.dest)?;
    let undo_dest = |created: &[PathBuf]| {
        for dir in created.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
    };
    let lock = match crate::dest::dir_lock::DirLock::acquire(&options.dest) {
        Ok(lock) => lock,
        Err(error) => {
            undo_dest(&created_dest);
            return Err(error);
        }
    };
    let entries = payload.entries();
    let plan = match ExtractPlan::new(entries, chosen, options, payload.label(), payload.payload_format()) {
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
    let request = Request::new(&plan.selected, options.hash.threads, cancel);
    match run.extract(payload, &plan, &request, progress) {
        Ok(()) => Ok((plan, run)),
        Err(error) => {
            run.roll_back();
            Err(error)
        }
    }
}

/// One extraction's writes, so they can be committed or undone. Every write
/// inside DEST goes through `dest`, the open handle of DEST, and the staging
/// folder's own handle (`crate::dest`): no path a link could redirect.
pub(super) struct Run {
    pub(super) dest: crate::dest::DestDir,
    /// The staging folder's name in DEST, its handle, and its path (messages
    /// and the flush only).
    pub(super) staging_name: String,
    pub(super) staging: cap_std::fs::Dir,
    pub(super) staging_path: PathBuf,
    /// The staging folder's sub-folders of a thousand entries each, opened
    /// before decoding starts (`None` where no selected entry falls).
    pub(super) chunks: Vec<Option<cap_std::fs::Dir>>,
    pub(super) created_dest: Vec<PathBuf>,
    /// Folders this run made inside DEST (DEST-relative, outermost first).
    pub(super) created_dirs: Vec<String>,
    /// (DEST-relative target, the name in the staging folder of what it replaced).
    pub(super) placed: Vec<(String, Option<String>)>,
    pub(super) journal: Option<File>,
    /// This run's lock on DEST; released before the folders it created go.
    pub(super) lock: Option<crate::dest::dir_lock::DirLock>,
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
    pub(super) fn start(dest: &Path, created_dest: Vec<PathBuf>, lock: crate::dest::dir_lock::DirLock) -> Result<Run> {
        let handle = crate::dest::DestDir::open(dest)?;
        let root = handle.handle();
        let stale: Vec<String> = root
            .entries()
            .map_err(|e| Error::io(dest, e))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with(STAGING_PREFIX))
            .collect();
        for name in stale {
            // A link with the staging folders' name is removed as a link,
            // never followed into whatever it points at.
            let link = root.symlink_metadata(&name).is_ok_and(|m| m.file_type().is_symlink());
            let removed = if link { root.remove_file(&name) } else { root.remove_dir_all(&name) };
            removed.map_err(|e| Error::io(dest.join(&name), e))?;
        }
        let staging_name = format!("{STAGING_PREFIX}{}", std::process::id());
        let staging_path = dest.join(&staging_name);
        root.create_dir(&staging_name).map_err(|e| Error::io(&staging_path, e))?;
        let staging = handle.folder(&staging_name)?;
        Ok(Run {
            dest: handle,
            staging_name,
            staging,
            staging_path,
            chunks: Vec::new(),
            created_dest,
            created_dirs: Vec::new(),
            placed: Vec::new(),
            journal: None,
            lock: Some(lock),
        })
    }

    /// Where entry `index` is staged, for messages and the flush: in
    /// sub-folders of a thousand, so that payloads of tens of thousands of
    /// files do not all contend for one folder's lock.
    pub(super) fn staged(&self, index: usize) -> PathBuf {
        self.staging_path.join((index / 1000).to_string()).join(index.to_string())
    }

    /// The open staging sub-folder entry `index` is staged in, and its name there.
    pub(super) fn chunk(&self, index: usize) -> Result<(&cap_std::fs::Dir, String)> {
        match self.chunks.get(index / 1000) {
            Some(Some(dir)) => Ok((dir, index.to_string())),
            _ => Err(Error::io(self.staged(index), std::io::Error::other("an entry that was not planned"))),
        }
    }

    /// Makes and opens the staging sub-folders the selected entries need.
    fn open_chunks(&mut self, selected: &[bool]) -> Result<()> {
        let count = selected.len().div_ceil(1000);
        let mut chunks: Vec<Option<cap_std::fs::Dir>> = (0..count).map(|_| None).collect();
        for (index, _) in selected.iter().enumerate().filter(|(_, s)| **s) {
            let slot = &mut chunks[index / 1000];
            if slot.is_none() {
                let name = format!("{}/{}", self.staging_name, index / 1000);
                let mut created = Vec::new();
                *slot = Some(self.dest.make_folder(&name, &mut created)?);
            }
        }
        self.chunks = chunks;
        Ok(())
    }

    pub(super) fn extract(
        &mut self,
        payload: &Payload<'_>,
        plan: &ExtractPlan,
        request: &Request<'_>,
        progress: &dyn Progress,
    ) -> Result<()> {
        let entries = payload.entries();
        self.open_chunks(&plan.selected)?;
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
        let result = payload.extract(request, &sink);
        progress.end(Task::Extract);
        result?;
        // Every selected file must have been produced (a decoder that stops
        // early without an error must not pass for a complete extraction).
        for index in plan.targets.keys() {
            let (dir, name) = self.chunk(*index)?;
            if !dir.symlink_metadata(&name).is_ok_and(|m| m.is_file()) {
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
        let ((from_dir, from_name), (dir, name)) = (self.run.chunk(same_as)?, self.run.chunk(index)?);
        let (from, staged) = (self.run.staged(same_as), self.run.staged(index));
        let item = Item::Entry(index);
        self.progress.item_started(item, entry.shown(), entry.size);
        let copied =
            crate::dest::open_file(from_dir, &from_name).map_err(|e| Error::io(&from, e)).and_then(|mut from| {
                let mut to = crate::dest::create_file(dir, &name).map_err(|e| Error::io(&staged, e))?;
                let bytes = std::io::copy(&mut from, &mut to).map_err(|e| Error::io(&staged, e))?;
                if bytes != entry.size {
                    return Err(Error::payload(
                        &entry.name,
                        format!("its data is {bytes} bytes but its header promises {}", entry.size),
                    ));
                }
                if let Some(modified) = entry.modified {
                    let _ = filetime::set_file_handle_times(
                        &to,
                        None,
                        Some(filetime::FileTime::from_system_time(modified)),
                    );
                }
                Ok(())
            });
        if let Err(error) = copied {
            let _ = dir.remove_file(&name);
            self.progress.item_finished(item);
            return Err(error);
        }
        self.progress.advance(item, entry.size);
        self.written.fetch_add(entry.size, Ordering::Relaxed);
        self.progress.item_finished(item);
        Ok(())
    }

    fn file(&self, index: usize, reader: &mut dyn Read) -> Result<()> {
        let entry = &self.entries[index];
        let (dir, name) = self.run.chunk(index)?;
        let staged = self.run.staged(index);
        let item = Item::Entry(index);
        self.progress.item_started(item, entry.shown(), entry.size);
        let result = crate::dest::create_file(dir, &name).map_err(|e| Error::io(&staged, e)).and_then(|file| {
            super::writer::write_entry(entry, item, reader, file, &staged, self.progress, self.cancel)
        });
        self.progress.item_finished(item);
        if result.is_err() {
            let _ = dir.remove_file(&name);
            let mut first = self.first_error.lock().unwrap_or_else(|e| e.into_inner());
            first.get_or_insert_with(|| entry.name.clone());
        } else {
            self.written.fetch_add(entry.size, Ordering::Relaxed);
        }
        result
    }
}
