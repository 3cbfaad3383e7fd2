//! What a set's payload holds, without writing anything: `list` (every
//! entry) and `list_chosen` (what an Inno Setup choice of language,
//! components and tasks takes, and the installer described as a whole).
//! Extraction and deep verification list through here too.
#![warn(clippy::arithmetic_side_effects)]

use serde::Serialize;

use crate::check::{self, CheckReport, Checked, ProblemKind};
use crate::discover::DownloadSet;
use crate::error::{Error, Result};
use crate::manifest::Manifest;
use crate::payload::inno::choice::{Chosen, DuplicateDestination, InnoChoice, LeftOut, choose};
use crate::payload::inno::info::InnoSetupInfo;
use crate::payload::{self, Entry, Source};

/// A set's payload as `list` shows it: for an Inno Setup installer, the
/// installer as a whole and the entries a choice of language, components and
/// tasks takes.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Listing {
    /// The completeness check that preceded listing.
    #[serde(flatten)]
    pub check: CheckReport,
    /// The entries taken, in payload order (all of them for 7z and zip).
    pub entries: Vec<Entry>,
    /// The Inno Setup installer, when the payload is one.
    pub installer: Option<InnoSetupInfo>,
    /// Inno Setup: the language listed for.
    pub language: Option<String>,
    /// Inno Setup: entries the choice leaves out.
    pub left_out: Vec<LeftOut>,
    /// Inno Setup: destinations several chosen entries claim, and which is kept.
    pub duplicates: Vec<DuplicateDestination>,
}

/// Lists what extracting `set` with `choice` would take, and describes an
/// Inno Setup installer as a whole (after checking the set).
///
/// The installer's wizard choices, as `extract` takes them:
///
/// ```
/// use airlock::{InnoChoice, LeftOutReason};
///
/// let set = airlock::discover("testdata/inno/inno-6.4.1-components-languages".as_ref())?;
/// let mut choice = InnoChoice::default();
/// choice.components = vec!["sql".to_owned()];
/// let listing = airlock::list_chosen(&set, None, None, &choice)?;
/// let installer = listing.installer.expect("an Inno Setup installer describes itself");
/// assert!(installer.components.iter().any(|c| c.name == "docs"));
/// assert_eq!(listing.language.as_deref(), Some("en")); // the installer's default
/// assert!(listing.left_out.iter().any(|left| left.reason == LeftOutReason::Component));
/// # Ok::<(), airlock::Error>(())
/// ```
pub fn list_chosen(
    set: &DownloadSet,
    manifest: Option<&Manifest>,
    password: Option<&str>,
    choice: &InnoChoice,
) -> Result<Listing> {
    let checked = check::run(set, manifest, &crate::progress::Cancel::new())?.into_result()?;
    let (listing, chosen) = list_and_choose(&checked, set, password, choice)?;
    let entries = listing.entries.into_iter().zip(&chosen.selected).filter(|(_, s)| **s).map(|(e, _)| e).collect();
    Ok(Listing {
        check: checked.report,
        entries,
        installer: listing.installer,
        language: chosen.language,
        left_out: chosen.left_out,
        duplicates: chosen.duplicates,
    })
}

/// Lists the payload and applies `choice`. A choice on a payload that is not
/// an Inno Setup installer is a usage error.
pub(crate) fn list_and_choose(
    checked: &Checked,
    set: &DownloadSet,
    password: Option<&str>,
    choice: &InnoChoice,
) -> Result<(payload::Listing, Chosen)> {
    let Some(located) = &checked.located else {
        return Err(no_payload(&checked.report, set));
    };
    let parts = checked.report.part_paths();
    let listing = payload::list_described(&Source { parts: &parts, located, label: &set.name }, password)?;
    let chosen = match &listing.installer {
        Some(installer) => choose(installer, &listing.entries, choice)?,
        None => {
            if let Some((flag, name)) = choice
                .language
                .iter()
                .map(|l| (crate::hint::Hint::Language, l))
                .chain(choice.components.iter().map(|c| (crate::hint::Hint::Component, c)))
                .chain(choice.tasks.iter().map(|t| (crate::hint::Hint::Task, t)))
                .next()
            {
                return Err(Error::UnknownChoice {
                    flag: flag.to_string(),
                    name: name.clone(),
                    reason: format!(
                        "the payload of {} is not an Inno Setup installer, so it has no languages, components or tasks; leave the flag out",
                        set.name
                    ),
                });
            }
            Chosen { selected: vec![true; listing.entries.len()], ..Chosen::default() }
        }
    };
    Ok((listing, chosen))
}

/// Lists the entries of a set's payload (after checking the set).
///
/// ```
/// let set = airlock::discover("testdata/inno/inno-6.4.1-lzma2-solid-spanned".as_ref())?;
/// let (report, entries) = airlock::list(&set, None, None)?;
/// assert!(report.is_ok());
/// let setup = entries.iter().find(|e| e.name == "{app}/setup.exe").expect("the fixture installs setup.exe");
/// assert_eq!(setup.path.as_deref(), Some("setup.exe")); // {app} is DEST itself
/// assert_eq!(setup.size, 600_000);
/// # Ok::<(), airlock::Error>(())
/// ```
pub fn list(
    set: &DownloadSet,
    manifest: Option<&Manifest>,
    password: Option<&str>,
) -> Result<(CheckReport, Vec<Entry>)> {
    let checked = check::run(set, manifest, &crate::progress::Cancel::new())?.into_result()?;
    let Some(located) = &checked.located else {
        return Err(no_payload(&checked.report, set));
    };
    let parts = checked.report.part_paths();
    let entries = payload::list(&Source { parts: &parts, located, label: &set.name }, password)?;
    Ok((checked.report, entries))
}

/// The error for a set whose payload could not be located or read, repeating
/// what the check found.
pub(crate) fn no_payload(report: &CheckReport, set: &DownloadSet) -> Error {
    let reason = report
        .problems
        .iter()
        .find(|p| p.kind == ProblemKind::Payload)
        .map(|p| p.message.clone())
        .unwrap_or_else(|| "no Inno Setup, 7z or zip payload found".to_owned());
    let what = set.head().map_or(set.name.as_str(), |p| p.name.as_str());
    let reason = reason.strip_prefix(&format!("{what}: ")).map(str::to_owned).unwrap_or(reason);
    Error::payload(what, reason)
}
