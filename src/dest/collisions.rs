//! Two entries, one destination: decided before anything is written, never a
//! silent loss.
//!
//! - An Inno Setup installer may carry several entries for one installed path
//!   (language or 32/64-bit variants, chosen at install time). Those are
//!   decided before this module sees them, by the installer choice and its one
//!   documented rule ([`inno::choice`](crate::payload::inno::choice)), and
//!   reported there; whatever still meets here keeps the later entry.
//! - A 7z or zip archive holding two names that differ only in case or in
//!   Unicode case (`README`/`readme`, `ПРИВЕТ`/`привет`) has two files. Where
//!   the destination's filesystem can hold both names (Linux, mostly), both
//!   are written. Where it cannot (it folds case: NTFS, APFS, FAT), or when
//!   the archive holds the same name twice, extraction is refused before the
//!   first byte, naming both entries, unless the user chose
//!   [`Collisions::Rename`] or [`Collisions::KeepLast`].
//!
//! Whether the filesystem folds case is asked of the filesystem itself: the
//! first name is created in a private probe folder inside DEST and the second
//! looked up.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use crate::vocab::error::{Error, Result};

/// What to do when two archive entries would land on one file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Collisions {
    /// Refuse, naming both entries, before anything is written.
    #[default]
    Refuse,
    /// Keep both: the later one gets a free name (`readme (2)`).
    Rename,
    /// Keep only the later entry.
    KeepLast,
}

/// An entry written under another name than its own, to keep both.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Renamed {
    /// The entry's own destination-relative path.
    pub from: String,
    /// Where it was written instead.
    pub to: String,
}

/// Where one entry goes, given the entries placed before it.
pub(crate) enum Placement {
    /// At its own path.
    Own,
    /// At its own path, in place of entry `earlier`, which is dropped.
    Replaces(usize),
    /// At another path.
    Renamed(String),
}

/// Places file entries one by one (in payload order).
pub(crate) struct Resolver<'a> {
    dest: &'a Path,
    policy: Collisions,
    /// The payload's own rule applies (Inno Setup): the later entry wins.
    later_wins: bool,
    exact: HashMap<String, (usize, String)>,
    folded: HashMap<String, (usize, String)>,
}

impl<'a> Resolver<'a> {
    pub(crate) fn new(dest: &'a Path, policy: Collisions, later_wins: bool) -> Self {
        Resolver { dest, policy, later_wins, exact: HashMap::new(), folded: HashMap::new() }
    }

    /// Decides where entry `index` (named `name` in the payload, landing at
    /// `path`) goes.
    pub(crate) fn place(&mut self, index: usize, name: &str, path: &str) -> Result<Placement> {
        let key = path.to_lowercase();
        let earlier = match self.exact.get(path) {
            Some((earlier, _)) => Some((*earlier, path.to_owned())),
            None => match self.folded.get(&key) {
                // Inno Setup installs on Windows, where case never tells files apart.
                Some((earlier, earlier_path)) if self.later_wins || folds_to_one(self.dest, earlier_path, path)? => {
                    Some((*earlier, earlier_path.clone()))
                }
                _ => None,
            },
        };
        let Some((earlier, earlier_path)) = earlier else {
            self.record(index, name, path);
            return Ok(Placement::Own);
        };
        let policy = if self.later_wins { Collisions::KeepLast } else { self.policy };
        match policy {
            Collisions::KeepLast => {
                self.record(index, name, path);
                Ok(Placement::Replaces(earlier))
            }
            Collisions::Rename => {
                let free = self.free_name(path);
                self.record(index, name, &free);
                Ok(Placement::Renamed(free))
            }
            Collisions::Refuse => {
                let earlier_name = self.exact.get(&earlier_path).map_or(earlier_path.clone(), |(_, n)| n.clone());
                let why = if earlier_path == path {
                    "the archive holds that name twice".to_owned()
                } else {
                    format!("the filesystem holding {} does not tell the two names apart", self.dest.display())
                };
                Err(Error::payload(
                    name,
                    format!(
                        "{earlier_name} and {name} would both be written to {path} ({why}), so one would be lost; nothing was written; {} to keep both (the later as {}) or {} to keep only the later",
                        crate::vocab::hint::Hint::CollisionsRename,
                        self.free_name(path),
                        crate::vocab::hint::Hint::CollisionsKeepLast
                    ),
                ))
            }
        }
    }

    /// `exact`: landing path → (entry, its payload name); `folded`: folded
    /// path → (first entry there, its landing path).
    fn record(&mut self, index: usize, name: &str, path: &str) {
        self.exact.insert(path.to_owned(), (index, name.to_owned()));
        self.folded.entry(path.to_lowercase()).or_insert((index, path.to_owned()));
    }

    /// `dir/stem (N).ext` for the smallest N ≥ 2 that no placed entry uses.
    fn free_name(&self, path: &str) -> String {
        let (dir, file) = path.rsplit_once('/').map_or(("", path), |(d, f)| (d, f));
        let (stem, ext) = match file.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() => (stem, format!(".{ext}")),
            _ => (file, String::new()),
        };
        (2u32..)
            .map(|n| {
                let candidate = format!("{stem} ({n}){ext}");
                if dir.is_empty() { candidate } else { format!("{dir}/{candidate}") }
            })
            .find(|candidate| !self.folded.contains_key(&candidate.to_lowercase()))
            .unwrap_or_else(|| path.to_owned())
    }
}

/// Whether `a` and `b`, equal but for case, name one file in `dest`: the first
/// component where they differ is created in a probe folder and the other
/// looked up.
///
/// The probe is made and looked into through DEST's handle, never through a
/// path (`crate::dest`), and removed before the answer is given.
fn folds_to_one(dest: &Path, a: &str, b: &str) -> Result<bool> {
    static PROBES: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let Some((first, second)) = a.split('/').zip(b.split('/')).find(|(x, y)| x != y) else {
        return Ok(true);
    };
    let handle = crate::dest::DestDir::open(dest)?;
    let number = PROBES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = format!(".airlock-case-probe-{}-{number}", std::process::id());
    let path = dest.join(&name);
    handle.handle().create_dir(&name).map_err(|e| Error::io(&path, e))?;
    let answer = handle.folder(&name).and_then(|probe| {
        crate::dest::create_file(&probe, first).map_err(|e| Error::io(path.join(first), e))?;
        Ok(probe.symlink_metadata(second).is_ok())
    });
    let _ = handle.handle().remove_dir_all(&name);
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolver(dest: &Path, policy: Collisions) -> Resolver<'_> {
        Resolver::new(dest, policy, false)
    }

    #[test]
    fn one_path_twice_is_refused_naming_both_or_resolved_as_asked() {
        let dir = tempfile::tempdir().unwrap();
        let mut refuse = resolver(dir.path(), Collisions::Refuse);
        assert!(matches!(refuse.place(0, "docs/a.txt", "docs/a.txt").unwrap(), Placement::Own));
        let error = refuse.place(1, "docs\\a.txt", "docs/a.txt").err().expect("refused");
        let message = error.to_string();
        assert_eq!(error.kind(), crate::ErrorKind::Payload);
        assert!(message.contains("docs/a.txt and docs\\a.txt") && message.contains("docs/a (2).txt"), "{message}");

        let mut rename = resolver(dir.path(), Collisions::Rename);
        rename.place(0, "a.txt", "a.txt").unwrap();
        assert!(matches!(rename.place(1, "a.txt", "a.txt").unwrap(), Placement::Renamed(p) if p == "a (2).txt"));
        assert!(matches!(rename.place(2, "a.txt", "a.txt").unwrap(), Placement::Renamed(p) if p == "a (3).txt"));

        let mut keep_last = resolver(dir.path(), Collisions::KeepLast);
        keep_last.place(0, "a", "a").unwrap();
        assert!(matches!(keep_last.place(1, "a", "a").unwrap(), Placement::Replaces(0)));
    }

    #[test]
    fn names_equal_but_for_case_follow_what_the_filesystem_can_hold() {
        let dir = tempfile::tempdir().unwrap();
        let folds = {
            std::fs::write(dir.path().join("Probe"), b"").unwrap();
            let folds = dir.path().join("pROBE").exists();
            std::fs::remove_file(dir.path().join("Probe")).unwrap();
            folds
        };
        let mut refuse = resolver(dir.path(), Collisions::Refuse);
        refuse.place(0, "ПРИВЕТ.txt", "ПРИВЕТ.txt").unwrap();
        let second = refuse.place(1, "привет.txt", "привет.txt");
        if folds {
            assert!(second.is_err(), "a case-folding filesystem cannot hold both");
        } else {
            assert!(matches!(second.unwrap(), Placement::Own), "both names fit here");
        }
        // The probe leaves nothing behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        // An installer's entries land on Windows: case never separates them.
        let mut inno = Resolver::new(dir.path(), Collisions::Refuse, true);
        inno.place(0, "{app}/Setup.exe", "Setup.exe").unwrap();
        assert!(matches!(inno.place(1, "{app}/setup.exe", "setup.exe").unwrap(), Placement::Replaces(0)));
    }
}
