//! One airlock run at a time per destination or media folder.
//!
//! Two runs into the same DEST used to meet in the staging folders: the
//! second removed the first's as "left by a killed run", and the first then
//! blamed the payload for the files that vanished. Now each run holds an
//! exclusive lock (fs4: `flock` on Unix, `LockFileEx` on Windows) on
//! `DIR/.airlock-lock` for as long as it writes there; a second run finds it
//! held and refuses at once with [`Error::Busy`], having written nothing.
//! While a run holds the lock, every staging folder it finds belongs to a run
//! that is gone (the lock dies with its process, `kill -9` included), so
//! removing those can never harm a live run.
//!
//! The lock file is removed when the run ends. A run that opened the file just
//! before its holder removed it would lock a file no longer in the folder, so
//! after locking, the file's identity is compared with what the path names now,
//! and the lock is taken again if they differ.

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use crate::vocab::error::{Error, Result};

/// The lock file's name inside the folder.
pub(crate) const LOCK_NAME: &str = ".airlock-lock";

/// An exclusive lock on a folder; released (and its file removed) on drop.
#[derive(Debug)]
pub(crate) struct DirLock {
    path: PathBuf,
    _file: File,
}

impl DirLock {
    /// Locks `dir` (which must exist) or fails with [`Error::Busy`] when
    /// another run holds it.
    pub(crate) fn acquire(dir: &Path) -> Result<DirLock> {
        let path = dir.join(LOCK_NAME);
        // Created in the folder's handle and never through a link: a link
        // named `.airlock-lock` cannot make airlock create a file elsewhere.
        let folder = crate::dest::DestDir::open(dir)?;
        loop {
            let mut options = cap_std::fs::OpenOptions::new();
            options.read(true).write(true).create(true).truncate(false);
            cap_fs_ext::OpenOptionsFollowExt::follow(&mut options, cap_fs_ext::FollowSymlinks::No);
            let file = match folder.handle().open_with(LOCK_NAME, &options) {
                Ok(file) => file.into_std(),
                Err(error) => {
                    folder.refuse_link(folder.handle(), LOCK_NAME, LOCK_NAME).map_err(|_| Error::LinkInDest {
                        dest: dir.to_path_buf(),
                        path: LOCK_NAME.to_owned(),
                        during: false,
                    })?;
                    return Err(Error::io(&path, error));
                }
            };
            match crate::platform::try_lock(&file) {
                Ok(true) => {}
                Ok(false) => return Err(Error::Busy { dir: dir.to_path_buf() }),
                Err(e) => return Err(Error::io(&path, e)),
            }
            if crate::platform::same_file(&file, &path) {
                return Ok(DirLock { path, _file: file });
            }
        }
    }
}

impl Drop for DirLock {
    fn drop(&mut self) {
        // Removed while still locked, so no one else can be holding it.
        let _ = fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_folder_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let first = DirLock::acquire(dir.path()).unwrap();
        assert!(matches!(DirLock::acquire(dir.path()), Err(Error::Busy { .. })));
        drop(first);
        assert!(!dir.path().join(LOCK_NAME).exists(), "the lock file stays behind");
        let again = DirLock::acquire(dir.path()).unwrap();
        drop(again);
    }
}
