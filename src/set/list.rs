//! What a set's payload holds, without writing anything: `list` (the
//! entries an Inno Setup choice of language, components and tasks takes,
//! every entry of a 7z or zip, and the installer described as a whole).
//! Extraction and deep verification open the payload through here too
//! ([`open_payload`], once a run) and apply a choice with [`choose`].
#![warn(clippy::arithmetic_side_effects)]

use std::path::PathBuf;

use serde::Serialize;

use crate::authenticode::SignerPolicy;
use crate::payload::inno::choice::{self, Chosen, DuplicateDestination, InnoChoice, LeftOut};
use crate::payload::inno::info::InnoSetupInfo;
use crate::payload::{self, Entry, Payload, Source};
use crate::set::check::{self, CheckReport, Checked, ProblemKind};
use crate::set::discover::DownloadSet;
use crate::vocab::error::{Error, Result};
use crate::vocab::progress::{Cancel, Progress};

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

/// What to list. Build it with [`ListOptions::default`] and the setters:
/// new options may be added without breaking callers.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct ListOptions {
    /// The manifest the check goes by; `None` looks beside the set.
    pub manifest: Option<PathBuf>,
    /// Password for an encrypted 7z, zip or Inno Setup payload: checked
    /// (a wrong one is refused) where the format can tell from its headers.
    pub password: Option<String>,
    /// For an Inno Setup installer: the language, components and tasks whose
    /// files are listed (the default: the installer's first language, its
    /// default components and tasks, as `extract` takes them). Any choice on
    /// another payload is refused.
    pub inno: InnoChoice,
    /// List every entry of the payload, of every language, component and
    /// task, with no choice applied (`inno` must then be the default; a
    /// choice beside it is refused).
    pub every_entry: bool,
    /// Roots (and a required signer) for the installer's Authenticode
    /// signature, as [`CheckOptions::signer`](crate::CheckOptions::signer).
    pub signer: Option<SignerPolicy>,
    /// Stops the check's hashing (a renamed part) early when set.
    pub cancel: Cancel,
}

impl ListOptions {
    /// The manifest to go by instead of one beside the set.
    #[must_use]
    pub fn manifest(mut self, manifest: Option<PathBuf>) -> Self {
        self.manifest = manifest;
        self
    }

    /// The payload's password.
    #[must_use]
    pub fn password(mut self, password: Option<String>) -> Self {
        self.password = password;
        self
    }

    /// An Inno Setup installer's language, components and tasks.
    #[must_use]
    pub fn inno(mut self, choice: InnoChoice) -> Self {
        self.inno = choice;
        self
    }

    /// Every entry, with no Inno Setup choice applied.
    #[must_use]
    pub fn every_entry(mut self, every: bool) -> Self {
        self.every_entry = every;
        self
    }

    /// The roots and required signer for the installer's signature.
    #[must_use]
    pub fn signer(mut self, policy: Option<SignerPolicy>) -> Self {
        self.signer = policy;
        self
    }

    /// The flag that stops the work early.
    #[must_use]
    pub fn cancel(mut self, cancel: Cancel) -> Self {
        self.cancel = cancel;
        self
    }
}

/// Lists what extracting `set` with the options' Inno Setup choice would
/// take, and describes an Inno Setup installer as a whole, after checking
/// the set (an incomplete set is [`Error::Incomplete`]). Nothing is written
/// and nothing decoded but headers.
///
/// Every entry of a set, whatever language, component or task it is for:
///
/// ```
/// use airlock::{ListOptions, NoProgress};
///
/// let set = airlock::discover("testdata/inno/inno-6.4.1-lzma2-solid-spanned".as_ref())?;
/// let listing = airlock::list(&set, &ListOptions::default().every_entry(true), &NoProgress)?;
/// assert!(listing.check.is_ok());
/// let setup = listing.entries.iter().find(|e| e.name == "{app}/setup.exe").expect("the fixture installs setup.exe");
/// assert_eq!(setup.path.as_deref(), Some("setup.exe")); // {app} is DEST itself
/// assert_eq!(setup.size, 600_000);
/// # Ok::<(), airlock::Error>(())
/// ```
///
/// The installer's wizard choices, as `extract` takes them:
///
/// ```
/// use airlock::{InnoChoice, LeftOutReason, ListOptions, NoProgress};
///
/// let set = airlock::discover("testdata/inno/inno-6.4.1-components-languages".as_ref())?;
/// let mut choice = InnoChoice::default();
/// choice.components = vec!["sql".to_owned()];
/// let listing = airlock::list(&set, &ListOptions::default().inno(choice), &NoProgress)?;
/// let installer = listing.installer.expect("an Inno Setup installer describes itself");
/// assert!(installer.components.iter().any(|c| c.name == "docs"));
/// assert_eq!(listing.language.as_deref(), Some("en")); // the installer's default
/// assert!(listing.left_out.iter().any(|left| left.reason == LeftOutReason::Component));
/// # Ok::<(), airlock::Error>(())
/// ```
pub fn list(set: &DownloadSet, options: &ListOptions, progress: &dyn Progress) -> Result<Listing> {
    let (manifest, signer) = (options.manifest.as_deref(), options.signer.as_ref());
    let checked = check::run_chosen(set, manifest, signer, &options.cancel, progress)?.into_result()?;
    let parts = checked.report.part_paths();
    let payload = open_payload(&checked, &parts, set, options.password.as_deref())?;
    let chosen = if options.every_entry {
        // Every entry and a choice of some are two different listings.
        options.inno.refuse_any(|| {
            "chooses some entries, but every entry was asked for; leave one of the two out".to_owned()
        })?;
        Chosen { selected: vec![true; payload.entries().len()], ..Chosen::default() }
    } else {
        choose(&payload, set, &options.inno)?
    };
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
            choice.refuse_any(|| {
                format!(
                    "the payload of {} is not an Inno Setup installer, so it has no languages, components or tasks; leave the flag out",
                    set.name
                )
            })?;
            Ok(Chosen { selected: vec![true; entries.len()], ..Chosen::default() })
        }
    }
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
            let listing =
                super::list(&inno, &super::ListOptions::default().password(Some(password.to_owned())), &NoProgress)
                    .unwrap();
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
