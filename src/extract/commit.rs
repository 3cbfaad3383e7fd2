//! The commit: staged files renamed into place (same filesystem, so each
//! rename is atomic), each rename journaled; and the rollback that undoes a
//! run's every write, newest first.
#![warn(clippy::arithmetic_side_effects)]

use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::Path;

use crate::error::{Error, Result};
use crate::payload::Entry;
use crate::states::FileAction;

use super::options::{ExtractOptions, Overwrite};
use super::plan::Plan;
use super::staging::Run;
use super::{ExtractedFile, JOURNAL};

/// Copy block size while writing entries.
const BLOCK: usize = 1 << 20;

impl Run {
    pub(super) fn commit(
        &mut self,
        entries: &[Entry],
        plan: &Plan,
        options: &ExtractOptions,
    ) -> Result<Vec<ExtractedFile>> {
        options.cancel.check()?;
        let journal_path = self.staging.join(JOURNAL);
        self.journal = Some(File::create(&journal_path).map_err(|e| Error::io(&journal_path, e))?);
        for dir in &plan.dirs {
            let path = self.dest.join(dir);
            if !path.exists() {
                fs::create_dir(&path).map_err(|e| Error::io(&path, e))?;
                self.created_dirs.push(path);
            }
        }
        let mut order: Vec<(&usize, &String)> = plan.targets.iter().collect();
        order.sort();
        // Every staged file's data on the disk before the first rename: a
        // name in DEST that survives a crash points at complete bytes.
        let staged: Vec<_> = order.iter().map(|(index, _)| self.staged(**index)).collect();
        crate::platform::sync_written(&self.staging, &staged).map_err(|e| Error::io(&self.staging, e))?;
        let mut files = Vec::with_capacity(order.len());
        for (index, path) in order {
            let staged = self.staged(*index);
            let target = self.dest.join(path);
            let mut action = FileAction::Written;
            let mut backup = None;
            if plan.existing.contains(path) {
                if options.overwrite == Overwrite::IfDifferent
                    && !plan.resumed.contains(path)
                    && same_content(&staged, &target)?
                {
                    action = FileAction::Unchanged;
                } else {
                    let moved = self.staging.join(format!("replaced-{index}"));
                    fs::rename(&target, &moved).map_err(|e| Error::io(&target, e))?;
                    backup = Some(moved);
                }
            }
            if action == FileAction::Written {
                fs::rename(&staged, &target).map_err(|e| Error::io(&target, e))?;
                self.placed.push((target, backup));
                if let Some(journal) = &mut self.journal {
                    writeln!(journal, "{path}").map_err(|e| Error::io(&journal_path, e))?;
                }
            }
            files.push(ExtractedFile { path: path.clone(), size: entries[*index].size, action });
        }
        Ok(files)
    }

    /// Success: the staging folder (and any replaced files in it) goes.
    pub(super) fn finish(&mut self) {
        // The journal is closed first: Windows does not remove a folder
        // holding a file that is still open.
        self.journal = None;
        let _ = fs::remove_dir_all(&self.staging);
        self.lock.take();
    }

    /// Failure: undo every write of this run, newest first.
    pub(super) fn roll_back(&mut self) {
        for (target, backup) in self.placed.drain(..).rev() {
            let _ = fs::remove_file(&target);
            if let Some(backup) = backup {
                let _ = fs::rename(&backup, &target);
            }
        }
        self.journal = None;
        let _ = fs::remove_dir_all(&self.staging);
        for dir in self.created_dirs.drain(..).rev() {
            let _ = fs::remove_dir(&dir);
        }
        self.lock.take();
        for dir in self.created_dest.drain(..).rev() {
            let _ = fs::remove_dir(&dir);
        }
    }
}

/// Whether two files have the same bytes.
fn same_content(a: &Path, b: &Path) -> Result<bool> {
    let (ma, mb) = (fs::metadata(a).map_err(|e| Error::io(a, e))?, fs::metadata(b).map_err(|e| Error::io(b, e))?);
    if ma.len() != mb.len() {
        return Ok(false);
    }
    let (mut fa, mut fb) = (File::open(a).map_err(|e| Error::io(a, e))?, File::open(b).map_err(|e| Error::io(b, e))?);
    let (mut ba, mut bb) = (vec![0u8; BLOCK], vec![0u8; BLOCK]);
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
