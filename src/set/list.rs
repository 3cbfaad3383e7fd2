//! What a set's payload holds, without writing anything: `list` (every
//! entry) and `list_chosen` (what an Inno Setup choice of language,
//! components and tasks takes, and the installer described as a whole).
//! Extraction and deep verification open the payload through here too
//! ([`open_payload`], once a run) and apply a choice with [`choose`].
#![warn(clippy::arithmetic_side_effects)]

use std::path::PathBuf;

use serde::Serialize;

use crate::manifest::Manifest;
use crate::payload::inno::choice::{self, Chosen, DuplicateDestination, InnoChoice, LeftOut};
use crate::payload::inno::info::InnoSetupInfo;
use crate::payload::{self, Entry, Payload, Source};
use crate::set::check::{self, CheckReport, Checked, ProblemKind};
use crate::set::discover::DownloadSet;
use crate::vocab::error::{Error, Result};

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
    let checked = check::run(set, manifest, &crate::vocab::progress::Cancel::new())?.into_result()?;
    let parts = checked.report.part_paths();
    let payload = open_payload(&checked, &parts, set, password)?;
    let chosen = choose(&payload, set, choice)?;
    let installer = payload.installer().cloned();
    let entries =
        payload.into_entries().into_iter().zip(&chosen.selected).filter(|(_, s)| **s).map(|(e, _)| e).collect();
    Ok(Listing {
        check: checked.report,
        entries,
        installer,
        language: chosen.language,
        left_out: chosen.left_out,
        duplicates: chosen.duplicates,
    })
}

/// Opens the payload of a checked set, once for the whole run: its headers
/// read, its entries listed, `password` checked where the format can.
pub(crate) fn open_payload<'a>(
    checked: &'a Checked,
    parts: &'a [PathBuf],
    set: &'a DownloadSet,
    password: Option<&'a str>,
) -> Result<Payload<'a>> {
    let Some(located) = &checked.located else {
        return Err(no_payload(&checked.report, set));
    };
    payload::open(&Source { parts, located, label: &set.name }, password)
}

/// Applies `choice` to the opened payload. A choice on a payload that is not
/// an Inno Setup installer is a usage error.
pub(crate) fn choose(payload: &Payload<'_>, set: &DownloadSet, choice: &InnoChoice) -> Result<Chosen> {
    let entries = payload.entries();
    match payload.installer() {
        Some(installer) => choice::choose(installer, entries, choice),
        None => {
            if let Some((flag, name)) = choice
                .language
                .iter()
                .map(|l| (crate::vocab::hint::Hint::Language, l))
                .chain(choice.components.iter().map(|c| (crate::vocab::hint::Hint::Component, c)))
                .chain(choice.tasks.iter().map(|t| (crate::vocab::hint::Hint::Task, t)))
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
            Ok(Chosen { selected: vec![true; entries.len()], ..Chosen::default() })
        }
    }
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
    let checked = check::run(set, manifest, &crate::vocab::progress::Cancel::new())?.into_result()?;
    let parts = checked.report.part_paths();
    let entries = open_payload(&checked, &parts, set, password)?.into_entries();
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

#[cfg(test)]
mod tests {
    #![allow(clippy::arithmetic_side_effects)] // counts of one test run

    use crate::payload::inno::choice::InnoChoice;
    use crate::payload::testing::{Counted, counted, testdata};
    use crate::{ExtractOptions, NoProgress, VerifyOptions};

    /// How many payload headers `work` read and keys it derived on this
    /// thread: Inno Setup headers, Inno Setup keys, 7z headers.
    fn counts(work: impl FnOnce()) -> [usize; 3] {
        let what = [Counted::InnoHeaders, Counted::InnoKey, Counted::SevenZHeaders];
        let before = what.map(counted);
        work();
        let after = what.map(counted);
        [after[0] - before[0], after[1] - before[1], after[2] - before[2]]
    }

    #[test]
    fn a_run_reads_the_payload_headers_and_derives_the_key_once() {
        let set = |path: &str| crate::set::discover::discover(&testdata().join(path)).unwrap();
        let out = tempfile::tempdir().unwrap();
        let extract = |set: &crate::DownloadSet, password: &str, dest: &str| {
            let options = ExtractOptions::new(out.path().join(dest)).min_free(0).password(Some(password.to_owned()));
            let report = crate::extract::extract(set, &options, &NoProgress).unwrap();
            assert!(!report.files.is_empty());
        };

        let inno = set("inno/inno-6.4.1-encrypted-single/MicrosoftAzureBackupInstaller.exe");
        let password = "fixture-pass";
        let listed = counts(|| {
            let listing = super::list_chosen(&inno, None, Some(password), &InnoChoice::default()).unwrap();
            assert!(listing.installer.is_some() && !listing.entries.is_empty());
        });
        assert_eq!(listed, [1, 1, 0], "list");
        assert_eq!(counts(|| extract(&inno, password, "inno")), [1, 1, 0], "extract");
        let verified = counts(|| {
            let options = VerifyOptions::default().deep(true).password(Some(password.to_owned()));
            let report = crate::verify::verify(&inno, &options, &NoProgress).unwrap();
            let deep = report.deep.expect("a deep report");
            assert!(deep.failures.is_empty() && deep.entries_checked > 0, "{:?}", deep.failures);
        });
        assert_eq!(verified, [1, 1, 0], "verify --deep");

        let sevenz = set("sevenz-odd/header-encrypted.7z");
        assert_eq!(counts(|| extract(&sevenz, "right horse", "7z")), [0, 0, 1], "7z extract");
    }
}
