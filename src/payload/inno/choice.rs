//! Which of an Inno Setup installer's file entries one run takes: the
//! language, components and tasks a user would pick in the wizard.
//!
//! An installer's `[Files]` entries carry conditions written in the script
//! (`Components: sql`, `Tasks: desktopicon`, `Languages: de`); the wizard
//! installs an entry only when they hold for the user's choices. airlock
//! cannot ask, so it takes the installer's default language (the first in
//! `[Languages]`), every component and every task, unless told otherwise.
//! `Check`, `MinVersion` and `OnlyBelowVersion` depend on the target machine
//! and are not evaluated; they are listed.
//!
//! When entries still claim one destination after that (an installer's 32-
//! and 64-bit variants, chosen on Windows by a `Check` function), one rule
//! picks one ([`DuplicateRule`]) and the outcome is reported, never silent.
//!
//! This module decides; it reads nothing and writes nothing.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::condition::holds;
use crate::payload::Entry;
use crate::payload::inno::info::{Bits, InnoSetupInfo};
use crate::vocab::error::{Error, Result};
use crate::vocab::hint::Hint;

/// The wizard choices to extract for: language, components, tasks.
///
/// Names are matched without regard to case, as Inno Setup does.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InnoChoice {
    /// The language (a name from `[Languages]`); `None` is the installer's
    /// default, the first one.
    pub language: Option<String>,
    /// Components to take (with their subcomponents, and the parents a
    /// subcomponent needs); empty takes every component.
    pub components: Vec<String>,
    /// Tasks to take (with their subtasks); empty takes every task.
    pub tasks: Vec<String>,
}

impl InnoChoice {
    /// Whether nothing was chosen (the defaults).
    pub fn is_default(&self) -> bool {
        self.first().is_none()
    }

    /// The first thing chosen, with the setting that chose it (language,
    /// then components, then tasks).
    fn first(&self) -> Option<(Hint, &String)> {
        (self.language.iter().map(|l| (Hint::Language, l)))
            .chain(self.components.iter().map(|c| (Hint::Component, c)))
            .chain(self.tasks.iter().map(|t| (Hint::Task, t)))
            .next()
    }

    /// Refuses a choice where none can apply: [`Error::UnknownChoice`]
    /// naming the first thing chosen and `reason`; `Ok` when nothing was.
    pub(crate) fn refuse_any(&self, reason: impl FnOnce() -> String) -> Result<()> {
        match self.first() {
            None => Ok(()),
            Some((flag, name)) => {
                Err(Error::UnknownChoice { flag: flag.to_string(), name: name.clone(), reason: reason() })
            }
        }
    }
}

/// Why an entry was left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum LeftOutReason {
    /// Its `Languages` do not include the chosen language.
    Language,
    /// Its `Components` do not hold for the chosen components.
    Component,
    /// Its `Tasks` do not hold for the chosen tasks.
    Task,
    /// Another entry for the same destination was kept ([`DuplicateRule`]).
    Duplicate,
}

/// An installer entry that the choice leaves out.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LeftOut {
    /// The entry's name (`{app}/docs/readme.txt`).
    pub name: String,
    /// Why.
    pub reason: LeftOutReason,
}

/// The rule for entries that still claim one destination after language,
/// components and tasks: the 64-bit variant (`Flags: 64bit`) beats one with
/// no bitness, which beats the 32-bit variant (`Flags: 32bit`) — the far
/// side is a 64-bit Windows Server; among equals the later entry in
/// `[Files]` order wins, as it would when the installer copies both in
/// order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DuplicateRule {
    /// Kept for being the 64-bit variant, or no-bitness over 32-bit.
    Bitness,
    /// Kept for being later in `[Files]` order.
    LaterEntry,
}

/// One destination that several chosen entries claimed, and which was kept.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DuplicateDestination {
    /// The destination-relative path.
    pub path: String,
    /// A description of the kept entry (source location, bitness, check).
    pub kept: String,
    /// The same for each entry left out for it.
    pub dropped: Vec<String>,
    /// Which part of the rule decided.
    pub rule: DuplicateRule,
}

/// The outcome of applying a choice to an installer's entries.
#[derive(Clone, Debug, Default)]
pub(crate) struct Chosen {
    /// Per entry: whether the choice takes it.
    pub selected: Vec<bool>,
    /// The entries left out, in entry order.
    pub left_out: Vec<LeftOut>,
    /// Destinations several entries claimed.
    pub duplicates: Vec<DuplicateDestination>,
    /// The language the choice resolved to (the installer's spelling).
    pub language: Option<String>,
}

/// Applies `choice` to `entries` (listed from the installer `info` describes).
///
/// Unknown names are a usage error naming the valid ones.
pub(crate) fn choose(info: &InnoSetupInfo, entries: &[Entry], choice: &InnoChoice) -> Result<Chosen> {
    let language = resolve_language(info, choice.language.as_deref())?;
    let components = resolve_tree(
        Hint::Component,
        "component",
        &choice.components,
        &info.components.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
    )?;
    let tasks = resolve_tree(
        Hint::Task,
        "task",
        &choice.tasks,
        &info.tasks.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
    )?;

    let mut selected = vec![true; entries.len()];
    let mut left_out = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let Some(conditions) = &entry.inno else { continue };
        let reason = if !holds(conditions.languages.as_deref(), &|name| {
            language.as_deref().is_none_or(|l| l.eq_ignore_ascii_case(name))
        }) {
            Some(LeftOutReason::Language)
        } else if !holds(conditions.components.as_deref(), &|name| components.contains(&name.to_lowercase())) {
            Some(LeftOutReason::Component)
        } else if !holds(conditions.tasks.as_deref(), &|name| tasks.contains(&name.to_lowercase())) {
            Some(LeftOutReason::Task)
        } else {
            None
        };
        if let Some(reason) = reason {
            selected[index] = false;
            left_out.push((index, LeftOut { name: entry.name.clone(), reason }));
        }
    }
    let duplicates = resolve_duplicates(entries, &mut selected, &mut left_out);
    left_out.sort_by_key(|(index, _)| *index);
    let left_out = left_out.into_iter().map(|(_, l)| l).collect();
    Ok(Chosen { selected, left_out, duplicates, language })
}

/// The chosen language in the installer's spelling (the default when none was asked for).
fn resolve_language(info: &InnoSetupInfo, asked: Option<&str>) -> Result<Option<String>> {
    match asked {
        None => Ok(info.languages.first().map(|l| l.name.clone())),
        Some(asked) => {
            info.languages.iter().find(|l| l.name.eq_ignore_ascii_case(asked)).map(|l| Some(l.name.clone())).ok_or_else(
                || unknown(Hint::Language, "language", asked, info.languages.iter().map(|l| l.name.as_str())),
            )
        }
    }
}

/// The lowercase names `asked` selects from `known` (all when `asked` is
/// empty): each with its descendants (`sql` takes `sql\tools`) and its
/// ancestors (the wizard checks a parent when a child is checked).
fn resolve_tree(flag: Hint, what: &str, asked: &[String], known: &[&str]) -> Result<BTreeSet<String>> {
    let known: Vec<String> = known.iter().map(|n| n.to_lowercase()).collect();
    if asked.is_empty() {
        return Ok(known.into_iter().collect());
    }
    let mut taken = BTreeSet::new();
    for name in asked {
        let wanted = name.replace('/', "\\").to_lowercase();
        if !known.contains(&wanted) {
            return Err(unknown(flag, what, name, known.iter().map(String::as_str)));
        }
        for candidate in &known {
            let below =
                candidate.strip_prefix(wanted.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with('\\'));
            let above = wanted.strip_prefix(candidate.as_str()).is_some_and(|rest| rest.starts_with('\\'));
            if below || above {
                taken.insert(candidate.clone());
            }
        }
    }
    Ok(taken)
}

fn unknown<'a>(flag: Hint, what: &str, name: &str, valid: impl Iterator<Item = &'a str>) -> Error {
    let valid: Vec<&str> = valid.collect();
    let reason = if valid.is_empty() {
        format!("this installer has no {what}s; leave out {flag}")
    } else {
        format!("this installer has no {what} of that name; choose from: {}", valid.join(", "))
    };
    Error::UnknownChoice { flag: flag.to_string(), name: name.to_owned(), reason }
}

/// Among chosen entries that claim one destination, keeps one by
/// [`DuplicateRule`] and records the rest.
fn resolve_duplicates(
    entries: &[Entry],
    selected: &mut [bool],
    left_out: &mut Vec<(usize, LeftOut)>,
) -> Vec<DuplicateDestination> {
    let mut by_path: HashMap<String, Vec<usize>> = HashMap::new();
    let mut order = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        if !selected[index] {
            continue;
        }
        let Some(path) = &entry.path else { continue };
        let key = path.to_lowercase();
        let claimants = by_path.entry(key.clone()).or_default();
        if claimants.is_empty() {
            order.push(key);
        }
        claimants.push(index);
    }
    let mut duplicates = Vec::new();
    for key in order {
        let claimants = &by_path[&key];
        if claimants.len() < 2 {
            continue;
        }
        let rank = |index: usize| match entries[index].inno.as_ref().and_then(|c| c.bits) {
            Some(Bits::X64) => 2,
            None => 1,
            Some(Bits::X86) => 0,
        };
        let best = claimants.iter().map(|&i| rank(i)).max().unwrap_or(1);
        let kept = claimants.iter().rev().copied().find(|&i| rank(i) == best).unwrap_or(claimants[0]);
        let rule =
            if claimants.iter().all(|&i| rank(i) == best) { DuplicateRule::LaterEntry } else { DuplicateRule::Bitness };
        let mut dropped = Vec::new();
        for &index in claimants.iter().filter(|&&i| i != kept) {
            selected[index] = false;
            left_out.push((index, LeftOut { name: entries[index].name.clone(), reason: LeftOutReason::Duplicate }));
            dropped.push(describe(&entries[index], index));
        }
        duplicates.push(DuplicateDestination {
            path: entries[kept].path.clone().unwrap_or_default(),
            kept: describe(&entries[kept], kept),
            dropped,
            rule,
        });
    }
    duplicates
}

/// `entry 3 (data 2, 64-bit, check Is64BitInstallMode)`.
fn describe(entry: &Entry, index: usize) -> String {
    let mut parts = Vec::new();
    if let Some(conditions) = &entry.inno {
        parts.push(format!("data {}", conditions.location));
        match conditions.bits {
            Some(Bits::X64) => parts.push("64-bit".to_owned()),
            Some(Bits::X86) => parts.push("32-bit".to_owned()),
            None => {}
        }
        if let Some(check) = &conditions.check {
            parts.push(format!("check {check}"));
        }
        if let Some(languages) = &conditions.languages {
            parts.push(format!("languages {languages}"));
        }
    }
    if parts.is_empty() {
        format!("entry {}", index + 1)
    } else {
        format!("entry {} ({})", index + 1, parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_component_takes_its_subcomponents_and_needs_its_parents() {
        let known = ["server", "sql", "sql\\tools", "sql\\tools\\cli", "sqlx", "docs"];
        let taken = resolve_tree(Hint::Component, "component", &["SQL".into()], &known).unwrap();
        assert_eq!(taken, ["sql", "sql\\tools", "sql\\tools\\cli"].map(String::from).into());
        let taken = resolve_tree(Hint::Component, "component", &["sql/tools".into()], &known).unwrap();
        assert_eq!(taken, ["sql", "sql\\tools", "sql\\tools\\cli"].map(String::from).into());
        let all = resolve_tree(Hint::Component, "component", &[], &known).unwrap();
        assert_eq!(all.len(), known.len());
    }

    #[test]
    fn an_unknown_name_is_a_usage_error_listing_the_valid_ones() {
        let error = resolve_tree(Hint::Component, "component", &["sqk".into()], &["server", "sql"]).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Usage);
        let text = error.to_string();
        // The binary names the flag (`--component sqk`); the library says what it is.
        assert!(text.starts_with("component sqk: ") && text.contains("server, sql"), "{text}");
    }

    use crate::payload::inno::info::{InnoConditions, InnoFileConditions, InnoLanguage};

    fn entry(name: &str, location: u32, bits: Option<Bits>, languages: Option<&str>) -> Entry {
        let mut entry = crate::payload::inno::landing::file_entry(name.to_owned(), 1);
        entry.inno = Some(InnoFileConditions {
            external: None,
            conditions: InnoConditions { languages: languages.map(str::to_owned), ..InnoConditions::default() },
            bits,
            location,
        });
        entry
    }

    fn installer(languages: &[&str]) -> InnoSetupInfo {
        InnoSetupInfo {
            app_name: None,
            app_version: None,
            app_publisher: None,
            inno_version: "6.4.0.1".into(),
            compression: "LZMA2".into(),
            encrypted: false,
            slices: 0,
            slices_per_disk: 1,
            languages: languages
                .iter()
                .enumerate()
                .map(|(i, n)| InnoLanguage { name: (*n).into(), language_name: (*n).into(), default: i == 0 })
                .collect(),
            types: Vec::new(),
            components: Vec::new(),
            tasks: Vec::new(),
            run: Vec::new(),
        }
    }

    #[test]
    fn the_64_bit_variant_wins_a_shared_destination_whatever_the_order() {
        let entries = [
            entry("{app}/x64/tool.dll", 0, Some(Bits::X64), None),
            entry("{app}/tool.dll", 1, Some(Bits::X64), None),
            entry("{app}/tool.dll", 2, None, None),
            entry("{app}/Tool.dll", 3, Some(Bits::X86), None),
        ];
        let chosen = choose(&installer(&["en"]), &entries, &InnoChoice::default()).unwrap();
        assert_eq!(chosen.selected, [true, true, false, false]);
        assert_eq!(chosen.duplicates.len(), 1);
        assert_eq!(chosen.duplicates[0].rule, DuplicateRule::Bitness);
        assert!(chosen.duplicates[0].kept.contains("64-bit"), "{:?}", chosen.duplicates[0]);
        assert_eq!(chosen.duplicates[0].dropped.len(), 2);
        assert!(chosen.left_out.iter().all(|l| l.reason == LeftOutReason::Duplicate));
        assert_eq!(chosen.left_out.len(), 2);
    }

    #[test]
    fn among_equals_the_later_entry_wins_and_it_is_reported() {
        let entries = [entry("{app}/a.txt", 0, None, None), entry("{app}/a.txt", 1, None, None)];
        let chosen = choose(&installer(&["en"]), &entries, &InnoChoice::default()).unwrap();
        assert_eq!(chosen.selected, [false, true]);
        assert_eq!(chosen.duplicates[0].rule, DuplicateRule::LaterEntry);
        assert_eq!(chosen.duplicates[0].path, "a.txt");
    }

    #[test]
    fn the_default_language_is_the_first_and_files_of_no_language_are_always_taken() {
        let entries = [
            entry("{app}/readme.txt", 0, None, Some("en")),
            entry("{app}/readme.txt", 1, None, Some("de")),
            entry("{app}/both.txt", 2, None, Some("en de")),
            entry("{app}/any.txt", 3, None, None),
        ];
        let info = installer(&["en", "de"]);
        let default = choose(&info, &entries, &InnoChoice::default()).unwrap();
        assert_eq!(default.selected, [true, false, true, true]);
        assert_eq!(default.language.as_deref(), Some("en"));
        assert!(default.duplicates.is_empty());
        let de = InnoChoice { language: Some("De".into()), ..InnoChoice::default() };
        let german = choose(&info, &entries, &de).unwrap();
        assert_eq!(german.selected, [false, true, true, true]);
        assert_eq!(german.language.as_deref(), Some("de"));
        let fr = InnoChoice { language: Some("fr".into()), ..InnoChoice::default() };
        let error = choose(&info, &entries, &fr).unwrap_err();
        assert!(error.to_string().contains("choose from: en, de"), "{error}");
    }
}
