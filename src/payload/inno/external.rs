//! Files an installer reads from beside itself at install time: `[Files]`
//! entries with `Flags: external`, whose source the installer opens when it
//! runs instead of carrying the bytes.
//!
//! A source under `{src}` (the installer's own folder) is a member of the
//! download set at its relative path: carry the set without it and the
//! install fails on the far side. `skipifsourcedoesntexist` makes it optional;
//! a wildcard (`{src}\Updates\*`, with `recursesubdirs` into subfolders)
//! takes whatever matches on disk. Any other source (`{sys}\x.dll`, `C:\x`)
//! is on the target machine, and a `download` entry (Inno Setup 6.5+) is
//! fetched from the network at install time: neither is part of the set.
//!
//! Headers only ([`externals_of`], for the probe) and names and sizes on
//! disk ([`resolve`]); no file data is read here.
#![warn(clippy::arithmetic_side_effects)]

use std::path::{Component, Path, PathBuf};

use crate::vocab::external::{ExternalNeed, ExternalSource};
use inno::entry::file::FileFlags;

/// One file of the set an external entry takes, as found on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ExternalMember {
    /// Its path in the set, `/`-separated, as it is on disk.
    pub relative: String,
    /// Where it is.
    pub path: PathBuf,
    /// Its size on disk.
    pub size: u64,
    /// Where the installer puts it, with the constant (`{app}\SQL\x.exe`).
    pub destination: String,
}

/// Every `external` entry of the installer (those without file data in the
/// installer; font registrations are not files).
pub(crate) fn externals_of<R: std::io::Read + std::io::Seek>(inno: &inno::Inno<R>) -> Vec<ExternalSource> {
    let locations = inno.file_locations().len();
    inno.file_entries()
        .iter()
        .enumerate()
        .filter(|(_, file)| file.r#type() == inno::entry::file::FileType::UserFile)
        .filter(|(_, file)| usize::try_from(file.location()).map_or(true, |l| l >= locations))
        .filter_map(|(index, file)| {
            let source = file.source().filter(|s| !s.is_empty())?.to_owned();
            let destination = file.destination().unwrap_or_default().to_owned();
            Some(classify(index, source, destination, file.flags(), file.external_size()))
        })
        .collect()
}

/// What one external entry needs, from its source, flags and size.
fn classify(index: usize, source: String, destination: String, flags: FileFlags, size: u64) -> ExternalSource {
    let relative = under_src(&source);
    let wildcard = relative.as_deref().is_some_and(|r| r.rsplit('/').next().is_some_and(|n| n.contains(['*', '?'])));
    let need = if flags.contains(FileFlags::DOWNLOAD) {
        ExternalNeed::Network
    } else if relative.is_none() {
        ExternalNeed::OnTarget
    } else if flags.contains(FileFlags::SKIP_IF_SOURCE_DOESNT_EXIST) {
        ExternalNeed::Optional
    } else {
        ExternalNeed::Required
    };
    ExternalSource {
        relative: relative.filter(|_| matches!(need, ExternalNeed::Required | ExternalNeed::Optional)),
        source,
        destination,
        need,
        wildcard,
        recurse: flags.contains(FileFlags::RECURSE_SUB_DIRS_EXTERNAL),
        size: (flags.contains(FileFlags::EXTERNAL_SIZE_PRESET) && !wildcard).then_some(size),
        extract_archive: flags.contains(FileFlags::EXTRACT_ARCHIVE),
        index,
    }
}

/// The path of a `{src}\…` source inside the installer's folder,
/// `/`-separated; `None` for any other source, and for one that leaves the
/// folder (`..`), names a drive, or has a wildcard in a folder name.
fn under_src(source: &str) -> Option<String> {
    let prefix = source.get(..5)?;
    if !prefix.eq_ignore_ascii_case("{src}") {
        return None;
    }
    let rest = source.get(5..)?.trim_start_matches(['\\', '/']);
    let parts: Vec<&str> = rest.split(['\\', '/']).filter(|p| !p.is_empty() && *p != ".").collect();
    let (_, folders) = parts.split_last()?;
    let plain = |p: &&str| *p != ".." && !p.contains([':', '{', '}']);
    if !parts.iter().all(plain) || folders.iter().any(|f| f.contains(['*', '?'])) {
        return None;
    }
    Some(parts.join("/"))
}

/// The files of the set `external` takes, found under `dir` (the
/// installer's folder): the one file it names (matched without regard to
/// case, as Windows does, when the exact name is not there), or every file
/// its wildcard matches (in subfolders too with `recursesubdirs`), sorted.
/// Nothing for an entry outside the set.
pub(crate) fn resolve(dir: &Path, external: &ExternalSource) -> Vec<ExternalMember> {
    let Some(relative) = external.relative.as_deref() else { return Vec::new() };
    let destination = external.destination.trim_end_matches('\\');
    if !external.wildcard {
        let Some((path, found)) = find_nocase(dir, relative) else { return Vec::new() };
        let Ok(meta) = std::fs::metadata(&path) else { return Vec::new() };
        if !meta.is_file() {
            return Vec::new();
        }
        // A destination folder (`{app}\SQL\`) takes the file's own name.
        let destination = if external.destination.ends_with('\\') {
            format!("{destination}\\{}", found.rsplit('/').next().unwrap_or(&found))
        } else {
            destination.to_owned()
        };
        return vec![ExternalMember { relative: found, path, size: meta.len(), destination }];
    }
    let (folder, pattern) = relative.rsplit_once('/').unwrap_or(("", relative));
    let Some((root, root_name)) =
        (if folder.is_empty() { Some((dir.to_path_buf(), String::new())) } else { find_nocase(dir, folder) })
    else {
        return Vec::new();
    };
    let Ok(matcher) = globset::GlobBuilder::new(pattern).case_insensitive(true).literal_separator(true).build() else {
        return Vec::new();
    };
    let matcher = matcher.compile_matcher();
    let depth = if external.recurse { usize::MAX } else { 1 };
    let mut members: Vec<ExternalMember> = walkdir::WalkDir::new(&root)
        .min_depth(1)
        .max_depth(depth)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file() && matcher.is_match(entry.file_name()))
        .filter_map(|entry| {
            let inner = entry.path().strip_prefix(&root).ok()?;
            let inner: Vec<String> = inner
                .components()
                .map(|c| match c {
                    Component::Normal(name) => name.to_str().map(str::to_owned),
                    _ => None,
                })
                .collect::<Option<_>>()?;
            let inner = inner.join("/");
            let relative = if root_name.is_empty() { inner.clone() } else { format!("{root_name}/{inner}") };
            Some(ExternalMember {
                relative,
                size: entry.metadata().ok()?.len(),
                path: entry.path().to_path_buf(),
                destination: format!("{destination}\\{}", inner.replace('/', "\\")),
            })
        })
        .collect();
    members.sort_by(|a, b| a.relative.cmp(&b.relative));
    members
}

/// `relative` under `dir`, each name matched exactly or else without regard
/// to case (the only match): the path and its `/`-separated name as on disk.
fn find_nocase(dir: &Path, relative: &str) -> Option<(PathBuf, String)> {
    let mut path = dir.to_path_buf();
    let mut names = Vec::new();
    for name in relative.split('/') {
        // The name as the folder holds it, from its listing: on a filesystem
        // that folds case (NTFS) the name as typed would open too, and be
        // recorded in the installer's spelling instead of the file's.
        let listed: Vec<String> = std::fs::read_dir(&path)
            .ok()?
            .filter_map(Result::ok)
            .filter_map(|e| e.file_name().into_string().ok())
            .collect();
        let found = if listed.iter().any(|n| n == name) {
            name.to_owned()
        } else {
            let mut matches = listed.into_iter().filter(|n| n.to_lowercase() == name.to_lowercase());
            let found = matches.next()?;
            if matches.next().is_some() {
                return None;
            }
            found
        };
        path = path.join(&found);
        names.push(found);
    }
    Some((path, names.join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(source: &str, flags: FileFlags) -> ExternalSource {
        classify(0, source.to_owned(), r"{app}\x".to_owned(), flags, 7)
    }

    #[test]
    fn sources_under_src_are_in_the_set_and_others_are_not() {
        let required = source(r"{src}\SQL\x.exe", FileFlags::empty());
        assert_eq!((required.need, required.relative.as_deref()), (ExternalNeed::Required, Some("SQL/x.exe")));
        assert_eq!(required.folder(), "SQL");
        let optional = source(r"{SRC}\x.msi", FileFlags::SKIP_IF_SOURCE_DOESNT_EXIST);
        assert_eq!((optional.need, optional.relative.as_deref()), (ExternalNeed::Optional, Some("x.msi")));
        for outside in [r"{sys}\msvcp140.dll", r"C:\x.dll", r"{src}\..\x.dll", r"{src}\a\{tmp}\x", r"{src}\*\x"] {
            let entry = source(outside, FileFlags::SKIP_IF_SOURCE_DOESNT_EXIST);
            assert_eq!((entry.need, entry.relative), (ExternalNeed::OnTarget, None), "{outside}");
        }
        let download = source("https://example.com/x.7z", FileFlags::DOWNLOAD | FileFlags::EXTRACT_ARCHIVE);
        assert_eq!(download.need, ExternalNeed::Network);
        assert!(download.extract_archive);
    }

    #[test]
    fn a_recorded_size_counts_only_with_the_flag_that_says_it_was_given() {
        assert_eq!(source(r"{src}\x", FileFlags::EXTERNAL_SIZE_PRESET).size, Some(7));
        assert_eq!(source(r"{src}\x", FileFlags::empty()).size, None);
    }

    #[test]
    fn a_wildcard_takes_what_matches_in_subfolders_only_when_recursing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("Upd/x64")).unwrap();
        std::fs::write(dir.path().join("Upd/a.exe"), b"a").unwrap();
        std::fs::write(dir.path().join("Upd/x64/b.msp"), b"bb").unwrap();
        let mut wildcard = source(r"{src}\upd\*", FileFlags::RECURSE_SUB_DIRS_EXTERNAL);
        wildcard.destination = r"{app}\U\".to_owned();
        assert!(wildcard.wildcard);
        let found: Vec<(String, u64, String)> =
            resolve(dir.path(), &wildcard).into_iter().map(|m| (m.relative, m.size, m.destination)).collect();
        assert_eq!(
            found,
            [
                ("Upd/a.exe".to_owned(), 1, r"{app}\U\a.exe".to_owned()),
                ("Upd/x64/b.msp".to_owned(), 2, r"{app}\U\x64\b.msp".to_owned())
            ]
        );
        wildcard.recurse = false;
        assert_eq!(resolve(dir.path(), &wildcard).len(), 1);
        let mut one = source(r"{src}\UPD\X64\B.MSP", FileFlags::empty());
        one.destination = r"{tmp}\".to_owned();
        let found = &resolve(dir.path(), &one)[0];
        assert_eq!((found.relative.as_str(), found.destination.as_str()), ("Upd/x64/b.msp", r"{tmp}\b.msp"));
        assert!(resolve(dir.path(), &source(r"{src}\nothing", FileFlags::empty())).is_empty());
    }
}
