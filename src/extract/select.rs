//! Which entries to extract: `--include`/`--exclude` globs over the paths
//! `list` shows, matched without regard to case or slash direction.
#![warn(clippy::arithmetic_side_effects)]

use std::path::PathBuf;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::payload::Entry;
use crate::vocab::error::{Error, Result};

/// Which entries to extract: globs over destination-relative paths.
///
/// Matching ignores case and accepts `\` as well as `/`; `*` stays within one
/// folder and `**` crosses folders. An entry is taken when it, or a folder
/// above it, matches an include (or there are none) and neither it nor a
/// folder above it matches an exclude. So `--include setup.exe` takes the
/// top-level `setup.exe` only, and `--include 'SQL*'` a whole folder.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
    /// The include patterns as given, for naming one that matches nothing.
    include_patterns: Vec<String>,
}

impl Selection {
    /// Everything.
    pub fn all() -> Self {
        Self::default()
    }

    /// Builds a selection from include and exclude globs.
    pub fn new(include: &[String], exclude: &[String]) -> Result<Self> {
        Ok(Self { include: build_globs(include)?, exclude: build_globs(exclude)?, include_patterns: include.to_vec() })
    }

    /// Whether `entry` is selected: by where it lands (`setup.exe`) or by its
    /// name in the payload (`{app}/setup.exe`, as `list --json` shows it).
    pub fn matches_entry(&self, entry: &Entry) -> bool {
        let names = || entry.path.iter().map(String::as_str).chain(std::iter::once(entry.name.as_str()));
        let hits = |set: &GlobSet| names().any(|name| ancestors_and_self(name).any(|p| set.is_match(p)));
        self.include.as_ref().is_none_or(hits) && !self.exclude.as_ref().is_some_and(hits)
    }

    /// The include patterns that match no entry at all (a typo must not pass
    /// for an extraction of nothing).
    pub(crate) fn unmatched_includes(&self, entries: &[Entry]) -> Vec<String> {
        let Some(include) = &self.include else { return Vec::new() };
        let mut hit = vec![false; self.include_patterns.len()];
        for entry in entries {
            for name in entry.path.iter().map(String::as_str).chain(std::iter::once(entry.name.as_str())) {
                for path in ancestors_and_self(name) {
                    for index in include.matches(path) {
                        if let Some(slot) = hit.get_mut(index) {
                            *slot = true;
                        }
                    }
                }
            }
        }
        self.include_patterns.iter().zip(hit).filter(|(_, hit)| !hit).map(|(p, _)| p.clone()).collect()
    }

    /// Whether destination-relative `path` is selected.
    pub fn matches(&self, path: &str) -> bool {
        let hits = |set: &GlobSet| ancestors_and_self(path).any(|p| set.is_match(p));
        self.include.as_ref().is_none_or(hits) && !self.exclude.as_ref().is_some_and(hits)
    }
}

fn build_globs(patterns: &[String]) -> Result<Option<GlobSet>> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let unified = literal_constants(&pattern.replace('\\', "/"));
        let unified = unified.trim_start_matches("./").trim_end_matches('/');
        let glob = GlobBuilder::new(unified).case_insensitive(true).literal_separator(true).build().map_err(|e| {
            Error::NotASet { path: PathBuf::from(pattern), reason: format!("is not a valid glob: {e}") }
        })?;
        builder.add(glob);
    }
    builder
        .build()
        .map(Some)
        .map_err(|e| Error::NotASet { path: PathBuf::from(patterns.join(" ")), reason: format!("invalid globs: {e}") })
}

/// Inno Setup constants (`{app}`, `{commonappdata}`) are names, not glob
/// alternations: a brace pair holding one word, without a comma, is made literal.
fn literal_constants(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        // `{` and `}` are one byte each.
        let after = &rest[open..][1..];
        match after.find('}') {
            Some(close) if !after[..close].is_empty() && !after[..close].contains([',', '{', '*', '?', '[']) => {
                out.push_str("[{]");
                out.push_str(&after[..close]);
                out.push_str("[}]");
                rest = &after[close..][1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `a/b/c`, then `a/b`, then `a`.
pub(super) fn ancestors_and_self(path: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(path), |p| p.rfind('/').map(|i| &p[..i]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_takes_exactly_what_the_globs_say() {
        let selection = Selection::new(&["setup.exe".into(), "SQL*/**".into()], &[]).unwrap();
        assert!(selection.matches("setup.exe"));
        assert!(selection.matches("SQLSERVER2017/x64/setup.log.txt"));
        assert!(!selection.matches("docs/setup.exe"));
        assert!(!selection.matches("docs/readme.txt"));
        let case = Selection::new(&["sqlserver2017\\X64".into()], &["**/*.TXT".into()]).unwrap();
        assert!(case.matches("SQLSERVER2017/x64/Setup/sqlsetup.msi"));
        assert!(!case.matches("SQLSERVER2017/x64/setup.log.txt"));
        assert!(Selection::all().matches("anything/at/all"));
    }
}
