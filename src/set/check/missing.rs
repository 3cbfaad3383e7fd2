//! What a missing part is called in the report: found one or two folders
//! down or in the parent, an unfinished download, a browser's second copy;
//! and what lies beside the set that deserves a look.
#![warn(clippy::arithmetic_side_effects)]

use std::path::{Path, PathBuf};

use crate::set::discover::DownloadSet;
use crate::vocab::naming::{Decoration, Role, Scheme};

use crate::vocab::check_report::{CheckReport, ProblemKind, Severity};

/// Says why part `name` is missing: a leftover, a copy, a misplaced file, or gone.
pub(super) fn explain_missing(set: &DownloadSet, name: &str, number: u32) -> (String, ProblemKind) {
    let lettered = crate::vocab::naming::classify(name).is_some_and(|n| matches!(n.role, Role::LetteredSlice(_)));
    let role_matches = |role: &Role| match (role, set.scheme) {
        (Role::Exe, _) => number == 0,
        (Role::Slice(n), Scheme::ExeWithBins) if !lettered => *n == number,
        (Role::LetteredSlice(n), Scheme::ExeWithBins) if lettered => *n == number,
        (Role::Volume(n), Scheme::SevenZVolumes | Scheme::ZipVolumes) => *n == number,
        (Role::Archive, Scheme::Single) => number == 0,
        _ => false,
    };
    for related in &set.related {
        if !role_matches(&related.role) {
            continue;
        }
        match &related.decoration {
            Decoration::Unfinished(".airlock-download") => {
                return (
                    format!(
                        "{name} is missing: {} is an unfinished airlock fetch; run the same airlock fetch again to resume it",
                        related.name
                    ),
                    ProblemKind::Unfinished,
                );
            }
            Decoration::Unfinished(suffix) => {
                return (
                    format!(
                        "{name} is missing: {} is an unfinished browser download ({suffix}); let the download finish or download {name} again",
                        related.name
                    ),
                    ProblemKind::Unfinished,
                );
            }
            Decoration::Copy(_) => {
                return (
                    format!(
                        "{name} is missing but {} is beside it, a second copy a browser saved; if it is complete, rename it to {name}",
                        related.name
                    ),
                    ProblemKind::Copy,
                );
            }
            Decoration::None => {}
        }
    }
    // Something is there under the part's name, but not a file a part can be.
    if let Ok(metadata) = std::fs::metadata(set.dir.join(name))
        && !metadata.is_file()
    {
        let what = if metadata.is_dir() { Some("a folder") } else { crate::platform::special_file_kind(&metadata) };
        if let Some(what) = what {
            return (
                format!(
                    "{name} in {} is {what}, not a file: a part is read only from a regular file; put the downloaded part there in its place",
                    set.dir.display()
                ),
                ProblemKind::Missing,
            );
        }
    }
    if let Some(found) = find_elsewhere(&set.dir, name) {
        return (
            format!(
                "{name} is not next to the other parts but in {}; move it next to the others (into {})",
                found.parent().unwrap_or(&found).display(),
                set.dir.display()
            ),
            ProblemKind::Misplaced,
        );
    }
    (
        format!("{name} is missing from {}; download it and put it next to the other parts", set.dir.display()),
        ProblemKind::Missing,
    )
}

/// Looks for `name` up to two folders below `dir`, and in its parent.
pub(super) fn find_elsewhere(dir: &Path, name: &str) -> Option<PathBuf> {
    let matches = |entry: &walkdir::DirEntry| {
        entry.file_type().is_file() && entry.file_name().to_string_lossy().eq_ignore_ascii_case(name)
    };
    let below = walkdir::WalkDir::new(dir)
        .min_depth(2)
        .max_depth(3)
        .follow_links(false)
        .into_iter()
        .filter_map(|e| e.ok())
        .find(matches)
        .map(|e| e.into_path());
    below.or_else(|| {
        let parent = std::path::absolute(dir).ok()?.parent()?.to_path_buf();
        walkdir::WalkDir::new(&parent)
            .min_depth(1)
            .max_depth(1)
            .into_iter()
            .filter_map(|e| e.ok())
            .find(matches)
            .map(|e| e.into_path())
    })
}

/// Warns about leftovers and copies of parts that are present anyway.
pub(super) fn report_related(set: &DownloadSet, report: &mut CheckReport) {
    for related in &set.related {
        let already = report.problems.iter().any(|p| p.message.contains(&related.name));
        if already {
            continue;
        }
        let message = match &related.decoration {
            Decoration::Unfinished(suffix) => {
                format!("{} is an unfinished browser download ({suffix}) beside the set; delete it", related.name)
            }
            Decoration::Copy(_) => {
                format!("{} is a second copy a browser saved beside the set; delete it", related.name)
            }
            Decoration::None => format!(
                "{} is named like a part of {} but is not part of this set; move it away",
                related.name, set.name
            ),
        };
        report.problem(ProblemKind::Extra, Severity::Warning, Some(related.name.clone()), message);
    }
}
