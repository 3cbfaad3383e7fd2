//! The commit: staged files renamed into place (same filesystem, so each
//! rename is atomic), each rename journaled; and the rollback that undoes a
//! run's every write, newest first.
#![warn(clippy::arithmetic_side_effects)]

use std::fs;
use std::io::{Read, Write};
use std::path::Path;

use cap_std::fs::Dir;

use crate::payload::Entry;
use crate::vocab::error::{Error, Result};
use crate::vocab::states::FileAction;

use super::options::{ExtractOptions, Overwrite};
use super::partial::Run;
use super::plan::ExtractPlan;
use super::{ExtractedFile, JOURNAL};

/// Copy block size while writing entries.
const BLOCK: usize = 1 << 20;

impl Run {
    pub(super) fn commit(
        &mut self,
        entries: &[Entry],
        plan: &ExtractPlan,
        options: &ExtractOptions,
    ) -> Result<Vec<ExtractedFile>> {
        options.cancel.check()?;
        let journal_path = self.staging_path.join(JOURNAL);
        self.journal = Some(crate::dest::create_file(&self.staging, JOURNAL).map_err(|e| Error::io(&journal_path, e))?);
        // Folders are made from DEST's handle, one name at a time, never
        // through a link (a link made since the plan stops the run here).
        for dir in &plan.dirs {
            self.dest.make_folder(dir, &mut self.created_dirs).map_err(|e| name_too_long(e, dir))?;
        }
        let mut order: Vec<(&usize, &String)> = plan.targets.iter().collect();
        order.sort();
        // Every staged file's data on the disk before the first rename: a
        // name in DEST that survives a crash points at complete bytes.
        let staged: Vec<_> = order.iter().map(|(index, _)| self.staged(**index)).collect();
        crate::platform::sync_written(&self.staging_path, &staged).map_err(|e| Error::io(&self.staging_path, e))?;
        let mut files = Vec::with_capacity(order.len());
        for (index, path) in order {
            let target = self.dest.path().join(path);
            // The folder it goes into, opened component by component without
            // following a link, and one name inside it.
            let (parent, name) = self.dest.parent_of(path)?;
            self.dest.refuse_link(&parent, name, path)?;
            let staged_path = self.staged(*index);
            let Some(Some(chunk)) = self.chunks.get(index / 1000) else {
                return Err(Error::io(&staged_path, std::io::Error::other("an entry that was not staged")));
            };
            let staged_name = index.to_string();
            let mut action = FileAction::Written;
            let mut backup = None;
            if plan.existing.contains(path) {
                if options.overwrite == Overwrite::IfDifferent
                    && !plan.resumed.contains(path)
                    && same_content(chunk, &staged_name, &staged_path, &parent, name, &target)?
                {
                    action = FileAction::Unchanged;
                } else {
                    let moved = format!("replaced-{index}");
                    parent.rename(name, &self.staging, &moved).map_err(|e| Error::io(&target, e))?;
                    backup = Some(moved);
                }
            } else if parent.symlink_metadata(name).is_ok() {
                // Not there when the plan was made: another program put it
                // there while this run decoded. It is not this run's to replace.
                return Err(Error::WouldOverwrite {
                    dest: self.dest.path().to_path_buf(),
                    existing: vec![format!("{path} (it appeared while airlock was extracting)")],
                });
            }
            if action == FileAction::Written {
                let placed =
                    chunk.rename(&staged_name, &parent, name).map_err(|e| name_too_long(Error::io(&target, e), path));
                if let Err(error) = placed {
                    if let Some(moved) = backup {
                        let _ = self.staging.rename(&moved, &parent, name);
                    }
                    return Err(error);
                }
                self.placed.push((path.clone(), backup));
                if let Some(journal) = &mut self.journal {
                    writeln!(journal, "{path}").map_err(|e| Error::io(&journal_path, e))?;
                }
            }
            files.push(ExtractedFile { path: path.clone(), size: entries[*index].size, action });
        }
        Ok(files)
    }

    /// Closes every handle into the staging folder (the journal, the chunk
    /// folders, the staging folder's own, which becomes DEST's): Windows does
    /// not remove a folder that is open, or that holds an open file (under
    /// Wine, every extraction left `.airlock-partial-PID` behind).
    fn close_staging(&mut self) {
        self.journal = None;
        self.chunks.clear();
        if let Ok(root) = self.dest.handle().try_clone() {
            self.staging = root;
        }
    }

    /// Success: the staging folder (and any replaced files in it) goes.
    pub(super) fn finish(&mut self) {
        self.close_staging();
        let _ = self.dest.handle().remove_dir_all(&self.staging_name);
        self.lock.take();
    }

    /// Failure: undo every write of this run, newest first, each through
    /// DEST's handle (a folder that became a link is left alone: nothing is
    /// removed or restored through it).
    pub(super) fn roll_back(&mut self) {
        for (target, backup) in self.placed.drain(..).rev() {
            let Ok((parent, name)) = self.dest.parent_of(&target) else { continue };
            let _ = parent.remove_file(name);
            if let Some(backup) = backup {
                let _ = self.staging.rename(&backup, &parent, name);
            }
        }
        self.close_staging();
        let _ = self.dest.handle().remove_dir_all(&self.staging_name);
        for dir in self.created_dirs.drain(..).rev() {
            if let Ok((parent, name)) = self.dest.parent_of(&dir) {
                let _ = parent.remove_dir(name);
            }
        }
        self.lock.take();
        for dir in self.created_dest.drain(..).rev() {
            let _ = fs::remove_dir(&dir);
        }
    }
}

/// A name the filesystem holding DEST refuses as too long is the payload's
/// problem (exit 5), not the destination's: no other place would do better.
fn name_too_long(error: Error, path: &str) -> Error {
    match error {
        Error::Io { source, .. } if source.kind() == std::io::ErrorKind::InvalidFilename => Error::payload(
            path,
            "the payload names a file or folder longer than the filesystem holding the destination allows (255 bytes a name on most); nothing was kept",
        ),
        other => other,
    }
}

/// Whether the staged file and the file in the way have the same bytes,
/// both opened through their folders' handles without following a link.
fn same_content(
    staged_dir: &Dir,
    staged_name: &str,
    staged: &Path,
    parent: &Dir,
    name: &str,
    target: &Path,
) -> Result<bool> {
    let mut fa = crate::dest::open_file(staged_dir, staged_name).map_err(|e| Error::io(staged, e))?;
    let mut fb = crate::dest::open_file(parent, name).map_err(|e| Error::io(target, e))?;
    let (ma, mb) = (fa.metadata().map_err(|e| Error::io(staged, e))?, fb.metadata().map_err(|e| Error::io(target, e))?);
    if ma.len() != mb.len() {
        return Ok(false);
    }
    let (a, b) = (staged, target);
    let (ba, bb) = (vec![0u8; BLOCK], vec![0u8; BLOCK]);
    let (mut ba, mut bb) = (ba, bb);
    loop {
        let n = read_full(&mut fa, &mut ba).map_err(|e| Error::io(a, e))?;
        let m = read_full(&mut fb, &mut bb).map_err(|e| Error::io(b, e))?;
        if n != m || ba[..n] != bb[..m] {
            return Ok(false);
        }
        if n == 0 {
            return Ok(true);
        }
    }
}

fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled = filled.saturating_add(n), // n <= buf.len() - filled
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}
