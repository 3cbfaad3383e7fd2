//! The folder a run writes into (extraction's DEST, staging's media folder):
//! refused up front when it is a file or lies under one, before anything is
//! read or written; and, once it exists, held as a capability.
//!
//! [`DestDir`] is an open handle of DEST. Every name a run creates, renames or
//! removes inside DEST is reached from that handle one folder at a time, each
//! folder opened without following a link (cap-std's `Dir`: `openat` with
//! `O_NOFOLLOW`, or `openat2(RESOLVE_BENEATH)` where Linux has it; the same
//! through handles on Windows), and the last step is one name inside an open
//! folder. A symbolic link in DEST, there before the run or made by another
//! program while it runs, is never followed: the step that meets it fails,
//! and is reported as [`Error::LinkInDest`]. No path that a link could
//! redirect is used for a write after DEST is opened.

pub(crate) mod collisions;
pub(crate) mod dir_lock;
pub(crate) mod space;
pub(crate) mod write_file;
pub(crate) mod writeback;

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use cap_fs_ext::{DirExt, FollowSymlinks, OpenOptionsFollowExt};
use cap_std::fs::{Dir, OpenOptions};

use crate::vocab::error::{Error, Result};

/// Refuses a destination that is a file, or lies under one, before anything
/// is read or written: a usage error naming the path the user gave.
pub(crate) fn is_a_folder(dest: &Path, role: &str) -> Result<()> {
    // A link to nothing: "exists" says no, and creating the folder would
    // fail with "already exists".
    if std::fs::symlink_metadata(dest).is_ok_and(|m| m.file_type().is_symlink()) && std::fs::metadata(dest).is_err() {
        let target = std::fs::read_link(dest).map(|t| t.display().to_string()).unwrap_or_default();
        return Err(Error::BadInput {
            path: dest.to_path_buf(),
            reason: format!(
                "{role} is a symbolic link to {target}, which does not exist; create that folder, or give another"
            ),
        });
    }
    let existing = dest.ancestors().find(|p| !p.as_os_str().is_empty() && p.exists());
    match existing {
        Some(path) if !path.is_dir() => Err(Error::BadInput {
            path: dest.to_path_buf(),
            reason: if path == dest {
                format!("{role} is a file, not a folder; give a folder (it is created if missing)")
            } else {
                format!("{role} lies under {}, which is a file, not a folder; give a folder", path.display())
            },
        }),
        _ => Ok(()),
    }
}

/// DEST as an open handle: see the module documentation.
#[derive(Debug)]
pub(crate) struct DestDir {
    dir: Dir,
    path: PathBuf,
}

impl DestDir {
    /// Opens the existing folder `path` (the path the user gave is resolved
    /// this once; everything after goes through the handle).
    pub(crate) fn open(path: &Path) -> Result<DestDir> {
        let dir = Dir::open_ambient_dir(path, cap_std::ambient_authority()).map_err(|e| Error::io(path, e))?;
        Ok(DestDir { dir, path: path.to_path_buf() })
    }

    /// The path DEST was opened by, for messages.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The handle of DEST itself.
    pub(crate) fn handle(&self) -> &Dir {
        &self.dir
    }

    /// The folder at `rel` (DEST-relative, `/`-separated; empty for DEST),
    /// each component opened without following a link.
    pub(crate) fn folder(&self, rel: &str) -> Result<Dir> {
        let mut current = self.dir.try_clone().map_err(|e| Error::io(&self.path, e))?;
        let mut walked = String::new();
        for name in rel.split('/').filter(|c| !c.is_empty()) {
            push(&mut walked, name);
            current = self.open_folder_in(&current, name, &walked)?;
        }
        Ok(current)
    }

    /// The folder at `rel`, made where missing, one component at a time;
    /// each folder this call made is added to `created` (DEST-relative,
    /// outermost first), so that a rollback can remove it.
    pub(crate) fn make_folder(&self, rel: &str, created: &mut Vec<String>) -> Result<Dir> {
        let mut current = self.dir.try_clone().map_err(|e| Error::io(&self.path, e))?;
        let mut walked = String::new();
        for name in rel.split('/').filter(|c| !c.is_empty()) {
            push(&mut walked, name);
            match current.create_dir(name) {
                Ok(()) => created.push(walked.clone()),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(Error::io(self.path.join(&walked), e)),
            }
            current = self.open_folder_in(&current, name, &walked)?;
        }
        Ok(current)
    }

    /// The open folder holding `rel`, and `rel`'s last name.
    pub(crate) fn parent_of<'a>(&self, rel: &'a str) -> Result<(Dir, &'a str)> {
        let (parent, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        Ok((self.folder(parent)?, name))
    }

    /// Fails with [`Error::LinkInDest`] when `name` in `dir` (at `rel`) is a
    /// symbolic link.
    pub(crate) fn refuse_link(&self, dir: &Dir, name: &str, rel: &str) -> Result<()> {
        match dir.symlink_metadata(name) {
            Ok(meta) if meta.file_type().is_symlink() => Err(self.link(rel)),
            _ => Ok(()),
        }
    }

    /// The error for a link met at `rel` while the run was writing.
    pub(crate) fn link(&self, rel: &str) -> Error {
        Error::LinkInDest { dest: self.path.clone(), path: rel.to_owned(), during: true }
    }

    fn open_folder_in(&self, dir: &Dir, name: &str, walked: &str) -> Result<Dir> {
        dir.open_dir_nofollow(name).map_err(|error| {
            if self.refuse_link(dir, name, walked).is_err() {
                self.link(walked)
            } else {
                Error::io(self.path.join(walked), error)
            }
        })
    }
}

fn push(walked: &mut String, name: &str) {
    if !walked.is_empty() {
        walked.push('/');
    }
    walked.push_str(name);
}

/// Creates (or truncates) the file `name` in `dir` for writing, never through
/// a link: a link at `name` fails the call.
pub(crate) fn create_file(dir: &Dir, name: &str) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true).follow(FollowSymlinks::No);
    Ok(dir.open_with(name, &options)?.into_std())
}

/// Opens the file `name` in `dir` for reading, never through a link.
pub(crate) fn open_file(dir: &Dir, name: &str) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).follow(FollowSymlinks::No);
    Ok(dir.open_with(name, &options)?.into_std())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_on_the_way_is_never_followed_and_is_named() {
        let temp = tempfile::tempdir().unwrap();
        let (dest, elsewhere) = (temp.path().join("dest"), temp.path().join("elsewhere"));
        std::fs::create_dir_all(dest.join("real")).unwrap();
        std::fs::create_dir(&elsewhere).unwrap();
        crate::platform::link(&elsewhere, &dest.join("SQL")).unwrap();
        let handle = DestDir::open(&dest).unwrap();
        let mut created = Vec::new();
        let error = handle.make_folder("SQL/sub", &mut created).unwrap_err();
        assert!(matches!(&error, Error::LinkInDest { path, during: true, .. } if path == "SQL"), "{error}");
        assert_eq!(error.kind(), crate::ErrorKind::LinkInDest);
        assert!(created.is_empty());
        assert!(std::fs::read_dir(&elsewhere).unwrap().next().is_none(), "nothing may land behind the link");
        // A link as the last name: no file is created through it.
        let real = handle.make_folder("real/a/b", &mut created).unwrap();
        assert_eq!(created, ["real/a", "real/a/b"]);
        crate::platform::link(&elsewhere.join("x"), &dest.join("real/a/b/x")).unwrap();
        assert!(create_file(&real, "x").is_err());
        assert!(!elsewhere.join("x").exists());
    }
}
