//! What will be written where, decided before anything is: every entry's
//! landing path, links and files in the way, the overwrite policy, name
//! collisions, and the free-space rule.
#![warn(clippy::arithmetic_side_effects)]

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::Path;

use crate::dest::collisions::{Placement, Renamed, Resolver};
use crate::payload::{Entry, EntryKind};
use crate::vocab::error::{Error, Result};

use super::JOURNAL;
use super::options::{ExtractOptions, Overwrite};
use super::select::ancestors_and_self;
use super::stale_staging_dirs;

/// What will be written where, decided before anything is.
pub(super) struct ExtractPlan {
    /// Per entry: whether to extract it.
    pub(super) selected: Vec<bool>,
    /// Selected file entries: index → destination-relative path.
    pub(super) targets: HashMap<usize, String>,
    /// Folders to create (entries of kind Directory, and parents of files).
    pub(super) dirs: BTreeSet<String>,
    /// Files that exist and will be replaced (Always / IfDifferent).
    pub(super) existing: BTreeSet<String>,
    /// Files this destination's interrupted earlier run already placed.
    pub(super) resumed: BTreeSet<String>,
    pub(super) total_bytes: u64,
    pub(super) collisions: Vec<String>,
    pub(super) renamed: Vec<Renamed>,
}

impl ExtractPlan {
    /// `chosen` says which entries the installer choice takes (all, for 7z and zip).
    pub(super) fn new(
        entries: &[Entry],
        chosen: &[bool],
        options: &ExtractOptions,
        label: &str,
        format: crate::payload::PayloadFormat,
    ) -> Result<ExtractPlan> {
        let dest = &options.dest;
        let mut selected = vec![false; entries.len()];
        let mut resolver = Resolver::new(dest, options.collisions, format == crate::payload::PayloadFormat::Inno);
        let mut renamed: HashMap<usize, String> = HashMap::new();
        let mut collisions = Vec::new();
        let mut dirs = BTreeSet::new();
        for (index, entry) in entries.iter().enumerate() {
            if !chosen.get(index).copied().unwrap_or(true) || !options.selection.matches_entry(entry) {
                continue;
            }
            let Some(path) = &entry.path else {
                return Err(Error::payload(
                    &entry.name,
                    format!(
                        "refusing to extract an entry with an unsafe name ({}); nothing was written",
                        entry.unsafe_reason.as_deref().unwrap_or("unsafe")
                    ),
                ));
            };
            match entry.kind {
                EntryKind::Symlink => {
                    return Err(Error::payload(
                        &entry.name,
                        format!(
                            "is a symbolic link; airlock never creates links from an archive (exclude it {} to extract the rest); nothing was written",
                            crate::vocab::hint::Hint::Exclude
                        ),
                    ));
                }
                EntryKind::Directory => {
                    dirs.insert(path.clone());
                }
                EntryKind::File => {
                    // Two entries for one path: see `collisions`.
                    match resolver.place(index, &entry.name, path)? {
                        Placement::Own => {}
                        Placement::Replaces(earlier) => {
                            selected[earlier] = false;
                            renamed.remove(&earlier);
                            collisions.push(path.clone());
                        }
                        Placement::Renamed(to) => {
                            renamed.insert(index, to);
                        }
                    }
                    selected[index] = true;
                }
            }
        }
        let targets: HashMap<usize, String> = selected
            .iter()
            .enumerate()
            .filter(|(_, s)| **s)
            .filter_map(|(i, _)| renamed.get(&i).cloned().or_else(|| entries[i].path.clone()).map(|p| (i, p)))
            .collect();
        let unmatched = options.selection.unmatched_includes(entries);
        if !unmatched.is_empty() {
            return Err(Error::NothingMatched { patterns: unmatched });
        }
        // Which entry needs each folder (a folder entry, or a file below it):
        // a path that is a file and a folder at once is the payload's own
        // contradiction, refused naming both entries before anything is written.
        let mut needs_folder: HashMap<String, usize> = HashMap::new();
        for (index, entry) in entries.iter().enumerate().filter(|(i, _)| chosen.get(*i).copied().unwrap_or(true)) {
            if let (EntryKind::Directory, Some(path)) = (entry.kind, &entry.path)
                && dirs.contains(path)
            {
                needs_folder.entry(path.clone()).or_insert(index);
            }
        }
        let mut by_index: Vec<(&usize, &String)> = targets.iter().collect();
        by_index.sort();
        for (index, path) in &by_index {
            for ancestor in ancestors_and_self(path).skip(1) {
                dirs.insert(ancestor.to_owned());
                needs_folder.entry(ancestor.to_owned()).or_insert(**index);
            }
        }
        for (index, path) in &by_index {
            if let Some(other) = needs_folder.get(*path) {
                return Err(Error::payload(
                    label,
                    format!(
                        "{path} would be both a file (the entry {}) and a folder (the entry {} needs it to be one); the payload contradicts itself, so nothing was written",
                        entries[**index].name, entries[*other].name
                    ),
                ));
            }
        }
        // Sizes come from the payload's headers: their sum may not fit.
        let total_bytes = targets.keys().try_fold(0u64, |sum, i| sum.checked_add(entries[*i].size)).ok_or_else(|| {
            Error::payload(
                label,
                "the entries' sizes add up to more than 2^64 bytes: the payload's headers are corrupt or hostile; nothing was written",
            )
        })?;

        let resumed = stale_journal_entries(dest);
        let mut existing = BTreeSet::new();
        let mut refused = Vec::new();
        let mut in_the_way = Vec::new();
        for path in targets.values() {
            let target = dest.join(path);
            refuse_links_on_the_way(dest, path)?;
            match fs::symlink_metadata(&target) {
                Ok(meta) if meta.is_dir() => in_the_way.push(format!("{path} (a folder is where a file must go)")),
                Ok(_) if resumed.contains(path) => {
                    existing.insert(path.clone());
                }
                Ok(_) => match options.overwrite {
                    Overwrite::Never => refused.push(path.clone()),
                    Overwrite::Always | Overwrite::IfDifferent => {
                        existing.insert(path.clone());
                    }
                },
                Err(_) => {}
            }
        }
        for dir in &dirs {
            if let Ok(meta) = fs::symlink_metadata(dest.join(dir))
                && !meta.is_dir()
            {
                in_the_way.push(format!("{dir} (a file is where a folder must go)"));
            }
        }
        refused.sort();
        if !in_the_way.is_empty() {
            // No overwrite setting replaces a folder with a file or a file
            // with a folder: every blocked path is named, and the advice is
            // what would help.
            in_the_way.sort();
            in_the_way.extend(refused.iter().map(|path| format!("{path} (a file that exists)")));
            return Err(Error::InTheWay { dest: dest.clone(), paths: in_the_way });
        }
        if !refused.is_empty() {
            return Err(Error::WouldOverwrite { dest: dest.clone(), existing: refused });
        }

        let needed = options.min_free.max(total_bytes);
        let (available, measured) = crate::dest::space::available_space(dest)?;
        if available < needed {
            return Err(Error::NoSpace { path: measured, needed, available });
        }

        let renamed = renamed
            .into_iter()
            .filter(|(i, _)| selected[*i])
            .filter_map(|(i, to)| entries[i].path.clone().map(|from| Renamed { from, to }))
            .collect();
        Ok(ExtractPlan { selected, targets, dirs, existing, resumed, total_bytes, collisions, renamed })
    }
}

/// Refuses a destination path that would pass through a symbolic link
/// already in the destination (which could point anywhere).
pub(super) fn refuse_links_on_the_way(dest: &Path, path: &str) -> Result<()> {
    let mut current = dest.to_path_buf();
    let mut walked = Vec::new();
    for component in path.split('/') {
        current.push(component);
        walked.push(component);
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(Error::LinkInDest { dest: dest.to_path_buf(), path: walked.join("/"), during: false });
            }
            Ok(_) => {}
            Err(_) => return Ok(()),
        }
    }
    Ok(())
}

/// Paths that an interrupted run's journal says it had already moved into place.
pub(super) fn stale_journal_entries(dest: &Path) -> BTreeSet<String> {
    stale_staging_dirs(dest)
        .iter()
        .filter_map(|dir| fs::read_to_string(dir.join(JOURNAL)).ok())
        .flat_map(|text| text.lines().map(str::to_owned).collect::<Vec<_>>())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_sizes_that_overflow_when_added_are_a_payload_error() {
        let dir = tempfile::tempdir().unwrap();
        let entries: Vec<Entry> =
            ["a", "b"].iter().map(|n| Entry::new((*n).into(), EntryKind::File, u64::MAX / 2 + 1)).collect();
        let mut options = ExtractOptions::new(dir.path().join("out"));
        options.min_free = 0;
        let error = ExtractPlan::new(&entries, &[], &options, "Hostile.zip", crate::payload::PayloadFormat::Zip)
            .err()
            .expect("an overflowing sum was accepted");
        assert_eq!(error.kind(), crate::ErrorKind::Payload);
        assert!(error.to_string().starts_with("Hostile.zip: "), "{error}");
    }
}
