//! Extraction: selected entries into a destination, all or nothing.
//!
//! The order of work is what makes it safe:
//! 1. the set is checked complete before anything is decoded; when a
//!    manifest is known, the parts are hashed alongside decoding and nothing
//!    is committed unless every hash matched;
//! 2. every selected entry's path is validated ([`crate::entry_path`]), links
//!    are refused, existing files are matched against the overwrite policy,
//!    and the free-space rule is applied — all before the first byte is
//!    written;
//! 3. entries are decoded into a staging folder inside the destination
//!    (`DEST/.airlock-partial-<pid>/`), each capped at the size its header
//!    promised and kept only when the payload's own checksum matched;
//! 4. only when every entry is staged are they renamed into place (same
//!    filesystem, so each rename is atomic), each rename journaled.
//!
//! Any failure, including cancellation, removes what this run wrote: staged
//! files, folders it created, files it moved into place (restoring any it
//! replaced). A run killed with `SIGKILL` leaves its staging folder; the next
//! run into the same destination removes it, treats the files its journal
//! says were already moved into place as its own (so `--overwrite never` does
//! not refuse them), and completes the job.
//!
//! Entry sizes come from payload headers: arithmetic on them is checked or
//! saturating where saturation is the meaning (the lint below keeps it so).
#![warn(clippy::arithmetic_side_effects)]

use std::collections::{BTreeSet, HashMap};
use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Serialize;

use crate::check::{CheckReport, check};
use crate::collisions::{Collisions, Placement, Renamed, Resolver};
use crate::discover::DownloadSet;
use crate::error::{Error, ErrorKind, Result};
use crate::hash::HashOptions;
use crate::manifest::Manifest;
use crate::payload::inno_choice::{Chosen, DuplicateDestination, InnoChoice, LeftOut, choose};
use crate::payload::inno_info::InnoSetupInfo;
use crate::payload::{self, Entry, EntryKind, EntrySink, Source};
use crate::progress::{Cancel, Progress, Task};
use crate::states::FileAction;

/// Prefix of the staging folder inside the destination.
pub(crate) const STAGING_PREFIX: &str = ".airlock-partial-";
/// The journal of renames inside a staging folder.
const JOURNAL: &str = "journal";
/// Copy block size while writing entries.
const BLOCK: usize = 1 << 20;

/// What to do with files that already exist in the destination.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Overwrite {
    /// Refuse, listing them, before writing anything.
    #[default]
    Never,
    /// Replace them.
    Always,
    /// Replace those whose content differs; leave identical ones alone.
    IfDifferent,
}

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
fn ancestors_and_self(path: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(path), |p| p.rfind('/').map(|i| &p[..i]))
}

/// How to extract. Build it with [`ExtractOptions::new`] and the setters:
/// new options may be added without breaking callers.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ExtractOptions {
    /// The destination folder (created if missing).
    pub dest: PathBuf,
    /// Which entries.
    pub selection: Selection,
    /// What to do with existing files.
    pub overwrite: Overwrite,
    /// The free-space floor: refuse unless at least this much is available
    /// (and at least the total size of the selected entries). The vendor asks
    /// for 4 GiB, the default.
    pub min_free: u64,
    /// A manifest to verify the parts against; `None` looks beside the set.
    pub manifest: Option<PathBuf>,
    /// Verify the parts when a manifest is known.
    pub verify_parts: bool,
    /// Password for encrypted 7z, zip or Inno Setup payloads.
    pub password: Option<String>,
    /// Hashing and decoding threads (`0`: all cores).
    pub hash: HashOptions,
    /// Stops the work early when set.
    pub cancel: Cancel,
    /// Overrides the measured free space (unit tests only; the binary and
    /// library users always measure).
    pub(crate) assume_available: Option<u64>,
    /// A minisign public key the manifest must be signed with.
    pub trust: Option<PathBuf>,
    /// For an Inno Setup installer: the language, components and tasks to
    /// extract for (the default: the installer's default language, every
    /// component, every task). Applied before `selection`.
    pub inno: InnoChoice,
    /// What to do when two archive entries would land on one file.
    pub collisions: Collisions,
}

/// The default free-space floor: the vendor's 4 GiB.
pub const DEFAULT_MIN_FREE: u64 = 4 << 30;

impl ExtractOptions {
    /// Options that extract everything into `dest` with the defaults.
    pub fn new(dest: impl Into<PathBuf>) -> Self {
        Self {
            dest: dest.into(),
            selection: Selection::all(),
            overwrite: Overwrite::Never,
            min_free: DEFAULT_MIN_FREE,
            manifest: None,
            verify_parts: true,
            password: None,
            hash: HashOptions::default(),
            cancel: Cancel::new(),
            assume_available: None,
            trust: None,
            inno: InnoChoice::default(),
            collisions: Collisions::Refuse,
        }
    }

    /// Which entries to extract.
    #[must_use]
    pub fn selection(mut self, selection: Selection) -> Self {
        self.selection = selection;
        self
    }

    /// What to do with files that already exist.
    #[must_use]
    pub fn overwrite(mut self, overwrite: Overwrite) -> Self {
        self.overwrite = overwrite;
        self
    }

    /// The free-space floor in bytes (`0` removes it).
    #[must_use]
    pub fn min_free(mut self, bytes: u64) -> Self {
        self.min_free = bytes;
        self
    }

    /// A manifest to verify the parts against instead of one beside the set.
    #[must_use]
    pub fn manifest(mut self, manifest: Option<PathBuf>) -> Self {
        self.manifest = manifest;
        self
    }

    /// Whether to verify the parts when a manifest is known.
    #[must_use]
    pub fn verify_parts(mut self, verify: bool) -> Self {
        self.verify_parts = verify;
        self
    }

    /// The password of an encrypted payload.
    #[must_use]
    pub fn password(mut self, password: Option<String>) -> Self {
        self.password = password;
        self
    }

    /// Threads and I/O strategy.
    #[must_use]
    pub fn hash(mut self, hash: HashOptions) -> Self {
        self.hash = hash;
        self
    }

    /// Stop early when `cancel` is set.
    #[must_use]
    pub fn cancel(mut self, cancel: Cancel) -> Self {
        self.cancel = cancel;
        self
    }

    /// Require the manifest to be signed by this minisign public key.
    #[must_use]
    pub fn trust(mut self, key: Option<PathBuf>) -> Self {
        self.trust = key;
        self
    }

    /// What to do when two 7z/zip entries would be one file in DEST.
    #[must_use]
    pub fn collisions(mut self, collisions: Collisions) -> Self {
        self.collisions = collisions;
        self
    }

    /// Inno Setup: the language, components and tasks to extract for.
    #[must_use]
    pub fn inno(mut self, choice: InnoChoice) -> Self {
        self.inno = choice;
        self
    }
}

/// One file written.
#[derive(Clone, Debug, Serialize)]
pub struct ExtractedFile {
    /// Destination-relative path.
    pub path: String,
    /// Bytes.
    pub size: u64,
    /// Written, or left unchanged when `if-different` found it identical.
    pub action: FileAction,
}

/// What an extraction did (returned only when it succeeded).
#[derive(Clone, Debug, Serialize)]
#[must_use]
pub struct ExtractReport {
    /// The destination.
    pub dest: PathBuf,
    /// The files, in entry order.
    pub files: Vec<ExtractedFile>,
    /// Bytes written.
    pub bytes_written: u64,
    /// The manifest the parts were verified against, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified_with: Option<PathBuf>,
    /// Where `setup.exe` landed, when it was extracted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub setup_exe: Option<PathBuf>,
    /// Entries sharing a destination path with a later one, which won (7z
    /// and zip; Inno Setup installers report `duplicates` instead).
    pub collisions: Vec<String>,
    /// Inno Setup: destinations several chosen entries claimed, and which
    /// one was kept ([`DuplicateRule`](crate::DuplicateRule)).
    pub duplicates: Vec<DuplicateDestination>,
    /// Inno Setup: the language extracted for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Inno Setup: entries the language, component and task choice left out.
    pub left_out: Vec<LeftOut>,
    /// Entries written under a free name so that both of two colliding ones were kept.
    pub renamed: Vec<Renamed>,
    /// The completeness check that preceded extraction.
    pub check: CheckReport,
}

/// A set's payload as `list` shows it: for an Inno Setup installer, the
/// installer as a whole and the entries a choice of language, components and
/// tasks takes.
#[derive(Clone, Debug, Serialize)]
pub struct Listing {
    /// The completeness check that preceded listing.
    #[serde(flatten)]
    pub check: CheckReport,
    /// The entries taken, in payload order (all of them for 7z and zip).
    pub entries: Vec<Entry>,
    /// The Inno Setup installer, when the payload is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub installer: Option<InnoSetupInfo>,
    /// Inno Setup: the language listed for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Inno Setup: entries the choice leaves out.
    pub left_out: Vec<LeftOut>,
    /// Inno Setup: destinations several chosen entries claim, and which is kept.
    pub duplicates: Vec<DuplicateDestination>,
}

/// Lists what extracting `set` with `choice` would take, and describes an
/// Inno Setup installer as a whole (after checking the set).
pub fn list_chosen(
    set: &DownloadSet,
    manifest: Option<&Manifest>,
    password: Option<&str>,
    choice: &InnoChoice,
) -> Result<Listing> {
    let report = check(set, manifest)?.into_result()?;
    let (listing, chosen) = list_and_choose(&report, set, password, choice)?;
    let entries = listing.entries.into_iter().zip(&chosen.selected).filter(|(_, s)| **s).map(|(e, _)| e).collect();
    Ok(Listing {
        check: report,
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
    report: &CheckReport,
    set: &DownloadSet,
    password: Option<&str>,
    choice: &InnoChoice,
) -> Result<(payload::Listing, Chosen)> {
    let Some(located) = &report.located else {
        return Err(no_payload(report, set));
    };
    let parts = report.part_paths();
    let listing = payload::list_described(&Source { parts: &parts, located, label: &set.name }, password)?;
    let chosen = match &listing.installer {
        Some(installer) => choose(installer, &listing.entries, choice)?,
        None => {
            if let Some((flag, name)) = choice
                .language
                .iter()
                .map(|l| ("--language", l))
                .chain(choice.components.iter().map(|c| ("--component", c)))
                .chain(choice.tasks.iter().map(|t| ("--task", t)))
                .next()
            {
                return Err(Error::UnknownChoice {
                    flag: flag.to_owned(),
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
pub fn list(
    set: &DownloadSet,
    manifest: Option<&Manifest>,
    password: Option<&str>,
) -> Result<(CheckReport, Vec<Entry>)> {
    let report = check(set, manifest)?.into_result()?;
    let entries = list_checked(&report, set, password)?;
    Ok((report, entries))
}

fn list_checked(report: &CheckReport, set: &DownloadSet, password: Option<&str>) -> Result<Vec<Entry>> {
    let Some(located) = &report.located else {
        return Err(no_payload(report, set));
    };
    let parts = report.part_paths();
    payload::list(&Source { parts: &parts, located, label: &set.name }, password)
}

/// The error for a set whose payload could not be located or read, repeating
/// what the check found.
pub(crate) fn no_payload(report: &CheckReport, set: &DownloadSet) -> Error {
    let reason = report
        .problems
        .iter()
        .find(|p| p.kind == crate::check::ProblemKind::Payload)
        .map(|p| p.message.clone())
        .unwrap_or_else(|| "no Inno Setup, 7z or zip payload found".to_owned());
    let what = set.head().map_or(set.name.as_str(), |p| p.name.as_str());
    let reason = reason.strip_prefix(&format!("{what}: ")).map(str::to_owned).unwrap_or(reason);
    Error::payload(what, reason)
}

/// Extracts the selected entries of `set` into `options.dest`, all or nothing.
///
/// The order of work is what makes it safe:
/// 1. the destination is checked to be a folder (or creatable), and the set
///    complete, before anything is decoded; when a manifest is known, the
///    parts are hashed alongside decoding and nothing is committed unless
///    every hash matched (with [`ExtractOptions::trust`], the manifest's
///    signature is checked first);
/// 2. every selected entry's path is validated (no `..`, no absolute paths,
///    no names Windows cannot hold), links are refused, existing files are
///    matched against [`ExtractOptions::overwrite`], and the free-space rule
///    ([`ExtractOptions::min_free`], and at least the selected entries' total
///    size) is applied, all before the first byte is written;
/// 3. entries are decoded into a staging folder inside the destination
///    (`DEST/.airlock-partial-<pid>/`), each capped at the size its header
///    promised and kept only when the payload's own checksum matched;
/// 4. only when every entry is staged are they renamed into place (same
///    filesystem, so each rename is atomic), each rename journaled.
///
/// Any failure, including cancellation through [`ExtractOptions::cancel`],
/// removes what this run wrote: staged files, folders it created, files it
/// moved into place (restoring any it replaced), and returns the error. A
/// process killed with `SIGKILL` leaves its staging folder; the next run
/// into the same destination removes it and completes the job.
///
/// # Errors
/// [`ErrorKind::Usage`] (destination a file, files in the way, bad
/// manifest), [`ErrorKind::Incomplete`], [`ErrorKind::Integrity`] (a part or
/// entry checksum), [`ErrorKind::NoSpace`], [`ErrorKind::Payload`] (unsafe
/// names, links, unsupported or corrupt data), [`ErrorKind::Io`],
/// [`ErrorKind::Interrupted`].
pub fn extract(set: &DownloadSet, options: &ExtractOptions, progress: &dyn Progress) -> Result<ExtractReport> {
    destination_is_a_folder(&options.dest, "DEST (-d)")?;
    refuse_dest_in_set_folder(set, &options.dest)?;
    let (manifest_path, signature) =
        crate::verify::choose_manifest(set, options.manifest.as_deref(), options.trust.as_deref())?;
    if let Some(signature) = signature.filter(|s| !s.valid) {
        return Err(Error::Integrity {
            what: signature.manifest.map(|p| p.display().to_string()).unwrap_or_else(|| set.name.clone()),
            reason: format!("{}; nothing was extracted", signature.message.unwrap_or_default()),
        });
    }
    let manifest = match &manifest_path {
        Some(path) => set.read_manifest(path, options.manifest.is_some() || options.trust.is_some())?,
        None => None,
    };
    let report = check(set, manifest.as_ref())?.into_result()?;
    let parts = report.part_paths();

    let (listing, chosen) = list_and_choose(&report, set, options.password.as_deref(), &options.inno)?;
    let entries = listing.entries;
    let located = report.located.as_ref().ok_or_else(|| no_payload(&report, set))?;
    let source = Source { parts: &parts, located, label: &set.name };
    payload::require_password(&source, options.password.as_deref())?;
    let verify_with = manifest.as_ref().filter(|_| options.verify_parts || options.trust.is_some());

    // The parts are hashed while the payload is decoded into the staging
    // folder (hashing is many times faster than decoding, so it hides behind
    // it), and nothing is committed until the hashes matched. If either job
    // fails it stops the other; a part mismatch is reported in preference to
    // the entry errors it causes.
    let hash_cancel = options.cancel.child();
    let decode_cancel = options.cancel.child();
    let (staged, verification) = std::thread::scope(|scope| {
        let hashing = verify_with.map(|manifest| {
            scope.spawn(|| {
                let result = crate::verify::verify_against(
                    &report,
                    manifest,
                    options.trust.is_some(),
                    options.hash,
                    &crate::progress::NoProgress,
                    &hash_cancel,
                );
                if result.is_err() {
                    decode_cancel.cancel();
                }
                result
            })
        });
        let staged = stage_entries(&source, &entries, &chosen.selected, options, &decode_cancel, progress);
        // A decoding failure may come from a damaged part: let the hashes
        // finish so the part can be named. Anything else (space, files in
        // the way) makes them pointless.
        if staged.as_ref().is_err_and(|e| !matches!(e.kind(), ErrorKind::Integrity | ErrorKind::Payload)) {
            hash_cancel.cancel();
        }
        let verification = hashing.map(|handle| {
            handle.join().unwrap_or_else(|_| Err(Error::payload(&set.name, "the hashing thread failed")))
        });
        (staged, verification)
    });
    let verified_with = verify_with.and_then(|m| m.path.clone());
    let (plan, mut run) = match (staged, verification) {
        (Ok(staged), None | Some(Ok(()))) => staged,
        (staged, verification) => {
            let staged_error = match staged {
                Ok((_, mut run)) => {
                    run.roll_back();
                    None
                }
                Err(error) => Some(error),
            };
            let hash_error = verification.and_then(Result::err).filter(|e| !matches!(e, Error::Interrupted));
            return Err(without_staging_path(hash_error.or(staged_error).unwrap_or(Error::Interrupted), &options.dest));
        }
    };
    match run.commit(&entries, &plan, options) {
        Ok(files) => {
            run.finish();
            let setup_exe = files
                .iter()
                .filter(|f| f.path.rsplit('/').next().is_some_and(|n| n.eq_ignore_ascii_case("setup.exe")))
                .min_by_key(|f| f.path.matches('/').count())
                .map(|f| options.dest.join(&f.path));
            Ok(ExtractReport {
                dest: options.dest.clone(),
                bytes_written: files.iter().filter(|f| f.action == FileAction::Written).map(|f| f.size).sum(),
                files,
                verified_with,
                setup_exe,
                collisions: plan.collisions,
                duplicates: chosen.duplicates,
                language: chosen.language,
                left_out: chosen.left_out,
                renamed: plan.renamed,
                check: report,
            })
        }
        Err(error) => {
            run.roll_back();
            Err(without_staging_path(error, &options.dest))
        }
    }
}

/// An I/O error about a file in the staging folder, re-pointed at DEST: the
/// staging folder is gone by the time the user reads the message, and its
/// name (`.airlock-partial-<pid>/0/17`) says nothing they can act on.
fn without_staging_path(error: Error, dest: &Path) -> Error {
    let staged = |path: &Path| {
        path.strip_prefix(dest)
            .ok()
            .and_then(|rest| rest.components().next())
            .is_some_and(|first| first.as_os_str().to_string_lossy().starts_with(STAGING_PREFIX))
    };
    match error {
        Error::Io { path, source } if staged(&path) => Error::Io { path: dest.to_path_buf(), source },
        Error::DiskFull { path } if staged(&path) => Error::DiskFull { path: dest.to_path_buf() },
        other => other,
    }
}

/// Refuses a destination that is a file, or lies under one, before anything
/// is read or written: a usage error naming the path the user gave.
pub(crate) fn destination_is_a_folder(dest: &Path, role: &str) -> Result<()> {
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

/// Refuses a DEST that is the set's own folder: the extracted files would sit
/// among the parts (a `setup.exe` beside `NAME.exe` makes the folder hold two
/// sets). A subfolder is fine: parts are only ever looked for beside each
/// other, and the check names a part found below only when it is missing.
fn refuse_dest_in_set_folder(set: &DownloadSet, dest: &Path) -> Result<()> {
    let (Some(dest_real), Ok(dir_real)) = (resolve_existing(dest), fs::canonicalize(&set.dir)) else {
        return Ok(());
    };
    if dest_real == dir_real {
        return Err(Error::DestIsSetFolder { dest: dest.to_path_buf(), dir: set.dir.clone() });
    }
    Ok(())
}

/// `path` with its nearest existing ancestor resolved (links, `..`) and the
/// rest appended as given.
fn resolve_existing(path: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(path).ok()?;
    let existing = absolute.ancestors().find(|p| p.exists())?;
    let rest = absolute.strip_prefix(existing).ok()?;
    Some(fs::canonicalize(existing).ok()?.join(rest))
}

/// Plans the extraction and decodes the selected entries into the staging
/// folder. On failure, whatever was staged is already removed.
fn stage_entries(
    source: &Source<'_>,
    entries: &[Entry],
    chosen: &[bool],
    options: &ExtractOptions,
    cancel: &Cancel,
    progress: &dyn Progress,
) -> Result<(Plan, Run)> {
    // DEST exists and is this run's alone before anything in it is looked at.
    let created_dest = create_missing(&options.dest)?;
    let undo_dest = |created: &[PathBuf]| {
        for dir in created.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
    };
    let lock = match crate::dir_lock::DirLock::acquire(&options.dest) {
        Ok(lock) => lock,
        Err(error) => {
            undo_dest(&created_dest);
            return Err(error);
        }
    };
    let plan = match Plan::new(entries, chosen, options, source.label, source.located.format()) {
        Ok(plan) => plan,
        Err(error) => {
            drop(lock);
            undo_dest(&created_dest);
            return Err(error);
        }
    };
    let mut run = match Run::start(&options.dest, created_dest.clone(), lock) {
        Ok(run) => run,
        Err(error) => {
            undo_dest(&created_dest);
            return Err(error);
        }
    };
    let request = payload::Request::new(&plan.selected, options.hash.threads, options.password.as_deref(), cancel);
    match run.extract(source, entries, &plan, &request, progress) {
        Ok(()) => Ok((plan, run)),
        Err(error) => {
            run.roll_back();
            Err(error)
        }
    }
}

/// What will be written where, decided before anything is.
struct Plan {
    /// Per entry: whether to extract it.
    selected: Vec<bool>,
    /// Selected file entries: index → destination-relative path.
    targets: HashMap<usize, String>,
    /// Folders to create (entries of kind Directory, and parents of files).
    dirs: BTreeSet<String>,
    /// Files that exist and will be replaced (Always / IfDifferent).
    existing: BTreeSet<String>,
    /// Files this destination's interrupted earlier run already placed.
    resumed: BTreeSet<String>,
    total_bytes: u64,
    collisions: Vec<String>,
    renamed: Vec<Renamed>,
}

impl Plan {
    /// `chosen` says which entries the installer choice takes (all, for 7z and zip).
    fn new(
        entries: &[Entry],
        chosen: &[bool],
        options: &ExtractOptions,
        label: &str,
        format: crate::payload::PayloadFormat,
    ) -> Result<Plan> {
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
                        "is a symbolic link; airlock never creates links from an archive (exclude it with --exclude to extract the rest); nothing was written",
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
        for path in targets.values() {
            for ancestor in ancestors_and_self(path).skip(1) {
                dirs.insert(ancestor.to_owned());
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
        for path in targets.values() {
            let target = dest.join(path);
            refuse_links_on_the_way(dest, path)?;
            match fs::symlink_metadata(&target) {
                Ok(meta) if meta.is_dir() => {
                    return Err(Error::WouldOverwrite {
                        dest: dest.clone(),
                        existing: vec![format!("{path} (a folder is in the way)")],
                    });
                }
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
                return Err(Error::WouldOverwrite {
                    dest: dest.clone(),
                    existing: vec![format!("{dir} (a file is where a folder must go)")],
                });
            }
        }
        if !refused.is_empty() {
            refused.sort();
            return Err(Error::WouldOverwrite { dest: dest.clone(), existing: refused });
        }

        let needed = options.min_free.max(total_bytes);
        let (available, measured) = match options.assume_available {
            Some(bytes) => (bytes, dest.clone()),
            None => crate::space::available_space(dest)?,
        };
        if available < needed {
            return Err(Error::NoSpace { path: measured, needed, available });
        }

        let renamed = renamed
            .into_iter()
            .filter(|(i, _)| selected[*i])
            .filter_map(|(i, to)| entries[i].path.clone().map(|from| Renamed { from, to }))
            .collect();
        Ok(Plan { selected, targets, dirs, existing, resumed, total_bytes, collisions, renamed })
    }
}

/// Refuses a destination path that would pass through a symbolic link
/// already in the destination (which could point anywhere).
fn refuse_links_on_the_way(dest: &Path, path: &str) -> Result<()> {
    let mut current = dest.to_path_buf();
    for component in path.split('/') {
        current.push(component);
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(Error::WouldOverwrite {
                    dest: dest.to_path_buf(),
                    existing: vec![format!(
                        "{} (a symbolic link airlock will not write through)",
                        current.strip_prefix(dest).unwrap_or(&current).display()
                    )],
                });
            }
            Ok(_) => {}
            Err(_) => return Ok(()),
        }
    }
    Ok(())
}

/// Paths that an interrupted run's journal says it had already moved into place.
fn stale_journal_entries(dest: &Path) -> BTreeSet<String> {
    stale_staging_dirs(dest)
        .iter()
        .filter_map(|dir| fs::read_to_string(dir.join(JOURNAL)).ok())
        .flat_map(|text| text.lines().map(str::to_owned).collect::<Vec<_>>())
        .collect()
}

fn stale_staging_dirs(dest: &Path) -> Vec<PathBuf> {
    fs::read_dir(dest)
        .map(|read| {
            read.filter_map(|e| e.ok())
                .filter(|e| e.file_name().to_string_lossy().starts_with(STAGING_PREFIX))
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default()
}

/// One extraction's writes, so they can be committed or undone.
struct Run {
    dest: PathBuf,
    staging: PathBuf,
    created_dest: Vec<PathBuf>,
    created_dirs: Vec<PathBuf>,
    /// (target, backup of what it replaced).
    placed: Vec<(PathBuf, Option<PathBuf>)>,
    journal: Option<File>,
    /// This run's lock on DEST; released before the folders it created go.
    lock: Option<crate::dir_lock::DirLock>,
}

/// Creates `dest` and its missing ancestors; returns those it created, outermost first.
fn create_missing(dest: &Path) -> Result<Vec<PathBuf>> {
    let mut missing: Vec<&Path> = dest.ancestors().take_while(|p| !p.as_os_str().is_empty() && !p.exists()).collect();
    missing.reverse();
    let mut created = Vec::new();
    for dir in missing {
        if let Err(error) = fs::create_dir(dir) {
            for done in created.iter().rev() {
                let _ = fs::remove_dir(done);
            }
            return Err(Error::io(dir, error));
        }
        created.push(dir.to_path_buf());
    }
    Ok(created)
}

impl Run {
    /// Starts the run in `dest`, which this process has locked: any staging
    /// folder there was left by a run that is gone, and is removed.
    fn start(dest: &Path, created_dest: Vec<PathBuf>, lock: crate::dir_lock::DirLock) -> Result<Run> {
        for stale in stale_staging_dirs(dest) {
            fs::remove_dir_all(&stale).map_err(|e| Error::io(&stale, e))?;
        }
        let staging = dest.join(format!("{STAGING_PREFIX}{}", std::process::id()));
        fs::create_dir(&staging).map_err(|e| Error::io(&staging, e))?;
        Ok(Run {
            dest: dest.to_path_buf(),
            staging,
            created_dest,
            created_dirs: Vec::new(),
            placed: Vec::new(),
            journal: None,
            lock: Some(lock),
        })
    }

    /// Where entry `index` is staged: in sub-folders of a thousand, so that
    /// payloads of tens of thousands of files do not all contend for one
    /// folder's lock.
    fn staged(&self, index: usize) -> PathBuf {
        self.staging.join((index / 1000).to_string()).join(index.to_string())
    }

    fn extract(
        &mut self,
        source: &Source<'_>,
        entries: &[Entry],
        plan: &Plan,
        request: &payload::Request<'_>,
        progress: &dyn Progress,
    ) -> Result<()> {
        let cancel = request.cancel;
        progress.begin(Task::Extract, plan.total_bytes);
        let sink = StagingSink {
            run: self,
            entries,
            progress,
            cancel,
            written: AtomicU64::new(0),
            first_error: Mutex::new(None),
        };
        let result = payload::extract(source, request, &sink);
        progress.end(Task::Extract);
        result?;
        // Every selected file must have been produced (a decoder that stops
        // early without an error must not pass for a complete extraction).
        for index in plan.targets.keys() {
            if !self.staged(*index).exists() {
                return Err(Error::payload(&entries[*index].name, "the payload ended before this entry was produced"));
            }
        }
        Ok(())
    }

    fn commit(&mut self, entries: &[Entry], plan: &Plan, options: &ExtractOptions) -> Result<Vec<ExtractedFile>> {
        options.cancel.check()?;
        let journal_path = self.staging.join(JOURNAL);
        self.journal = Some(File::create(&journal_path).map_err(|e| Error::io(&journal_path, e))?);
        for dir in &plan.dirs {
            let path = self.dest.join(dir);
            if !path.exists() {
                fs::create_dir(&path).map_err(|e| Error::io(&path, e))?;
                self.created_dirs.push(path);
            }
        }
        let mut order: Vec<(&usize, &String)> = plan.targets.iter().collect();
        order.sort();
        let mut files = Vec::with_capacity(order.len());
        for (index, path) in order {
            let staged = self.staged(*index);
            let target = self.dest.join(path);
            let mut action = FileAction::Written;
            let mut backup = None;
            if plan.existing.contains(path) {
                if options.overwrite == Overwrite::IfDifferent
                    && !plan.resumed.contains(path)
                    && same_content(&staged, &target)?
                {
                    action = FileAction::Unchanged;
                } else {
                    let moved = self.staging.join(format!("replaced-{index}"));
                    fs::rename(&target, &moved).map_err(|e| Error::io(&target, e))?;
                    backup = Some(moved);
                }
            }
            if action == FileAction::Written {
                fs::rename(&staged, &target).map_err(|e| Error::io(&target, e))?;
                self.placed.push((target, backup));
                if let Some(journal) = &mut self.journal {
                    writeln!(journal, "{path}").map_err(|e| Error::io(&journal_path, e))?;
                }
            }
            files.push(ExtractedFile { path: path.clone(), size: entries[*index].size, action });
        }
        Ok(files)
    }

    /// Success: the staging folder (and any replaced files in it) goes.
    fn finish(&mut self) {
        let _ = fs::remove_dir_all(&self.staging);
        self.lock.take();
    }

    /// Failure: undo every write of this run, newest first.
    fn roll_back(&mut self) {
        for (target, backup) in self.placed.drain(..).rev() {
            let _ = fs::remove_file(&target);
            if let Some(backup) = backup {
                let _ = fs::rename(&backup, &target);
            }
        }
        let _ = fs::remove_dir_all(&self.staging);
        for dir in self.created_dirs.drain(..).rev() {
            let _ = fs::remove_dir(&dir);
        }
        self.lock.take();
        for dir in self.created_dest.drain(..).rev() {
            let _ = fs::remove_dir(&dir);
        }
    }
}

/// Whether two files have the same bytes.
fn same_content(a: &Path, b: &Path) -> Result<bool> {
    let (ma, mb) = (fs::metadata(a).map_err(|e| Error::io(a, e))?, fs::metadata(b).map_err(|e| Error::io(b, e))?);
    if ma.len() != mb.len() {
        return Ok(false);
    }
    let (mut fa, mut fb) = (File::open(a).map_err(|e| Error::io(a, e))?, File::open(b).map_err(|e| Error::io(b, e))?);
    let (mut ba, mut bb) = (vec![0u8; BLOCK], vec![0u8; BLOCK]);
    loop {
        let n = read_full(&mut fa, &mut ba).map_err(|e| Error::io(a, e))?;
        let m = read_full(&mut fb, &mut bb).map_err(|e| Error::io(b, e))?;
        if n != m || ba[..n] != bb[..m] {
            return Ok(false);
        }
        if n == 0 {
            return Ok(true);
        }
    }
}

fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled = filled.saturating_add(n), // n <= buf.len() - filled
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Writes each entry to the staging folder, capped at its declared size.
struct StagingSink<'a> {
    run: &'a Run,
    entries: &'a [Entry],
    progress: &'a dyn Progress,
    cancel: &'a Cancel,
    written: AtomicU64,
    first_error: Mutex<Option<String>>,
}

impl EntrySink for StagingSink<'_> {
    fn duplicate(&self, index: usize, same_as: usize) -> Result<()> {
        let entry = &self.entries[index];
        let (from, staged) = (self.run.staged(same_as), self.run.staged(index));
        if let Some(parent) = staged.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let shown = entry.path.as_deref().unwrap_or(&entry.name);
        self.progress.item_started(shown, entry.size);
        let copied = fs::copy(&from, &staged).map_err(|e| Error::io(&staged, e));
        let copied = copied.and_then(|bytes| {
            if bytes == entry.size {
                Ok(())
            } else {
                Err(Error::payload(
                    &entry.name,
                    format!("its data is {bytes} bytes but its header promises {}", entry.size),
                ))
            }
        });
        if let Err(error) = copied {
            let _ = fs::remove_file(&staged);
            return Err(error);
        }
        if let Some(modified) = entry.modified {
            let _ = filetime::set_file_mtime(&staged, filetime::FileTime::from_system_time(modified));
        }
        self.progress.advance(shown, entry.size);
        self.written.fetch_add(entry.size, Ordering::Relaxed);
        self.progress.item_finished(shown);
        Ok(())
    }

    fn file(&self, index: usize, reader: &mut dyn Read) -> Result<()> {
        let entry = &self.entries[index];
        let staged = self.run.staged(index);
        if let Some(parent) = staged.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        self.progress.item_started(entry.path.as_deref().unwrap_or(&entry.name), entry.size);
        let result = write_capped(entry, reader, &staged, self.progress, self.cancel);
        if result.is_err() {
            let _ = fs::remove_file(&staged);
            let mut first = self.first_error.lock().unwrap_or_else(|e| e.into_inner());
            first.get_or_insert_with(|| entry.name.clone());
        } else {
            self.written.fetch_add(entry.size, Ordering::Relaxed);
            self.progress.item_finished(entry.path.as_deref().unwrap_or(&entry.name));
        }
        result
    }
}

/// Streams `reader` into a new file at `staged`, refusing more bytes than
/// `entry.size` (a decompression bomb stops at the promised size) and fewer.
pub(crate) fn write_capped(
    entry: &Entry,
    reader: &mut dyn Read,
    staged: &Path,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<()> {
    let file = File::create(staged).map_err(|e| Error::io(staged, e))?;
    let mut out = std::io::BufWriter::with_capacity(BLOCK, file);
    let mut buffer = vec![0u8; BLOCK];
    let mut total = 0u64;
    loop {
        cancel.check()?;
        let n = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(read_error(entry, e)),
        };
        total = total.saturating_add(n as u64); // past entry.size it stops below
        if total > entry.size {
            return Err(Error::payload(
                &entry.name,
                format!(
                    "decodes to more than the {} bytes its header promises; the payload is corrupt or hostile, and nothing was kept",
                    entry.size
                ),
            ));
        }
        out.write_all(&buffer[..n]).map_err(|e| Error::io(staged, e))?;
        progress.advance(&entry.name, n as u64);
    }
    if total != entry.size {
        return Err(Error::payload(
            &entry.name,
            format!("decoded to {total} bytes but its header promises {}; the payload is corrupt", entry.size),
        ));
    }
    let file = out.into_inner().map_err(|e| Error::io(staged, e.into_error()))?;
    if let Some(modified) = entry.modified {
        let _ = filetime::set_file_handle_times(&file, None, Some(filetime::FileTime::from_system_time(modified)));
    }
    Ok(())
}

/// Classifies an error from a payload reader (by its type: see `payload::errors`).
pub(crate) fn read_error(entry: &Entry, error: std::io::Error) -> Error {
    payload::entry_error(entry, error)
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

    #[test]
    fn entry_sizes_that_overflow_when_added_are_a_payload_error() {
        let dir = tempfile::tempdir().unwrap();
        let entries: Vec<Entry> =
            ["a", "b"].iter().map(|n| Entry::new((*n).into(), EntryKind::File, u64::MAX / 2 + 1)).collect();
        let mut options = ExtractOptions::new(dir.path().join("out"));
        options.min_free = 0;
        let error = Plan::new(&entries, &[], &options, "Hostile.zip", crate::payload::PayloadFormat::Zip)
            .err()
            .expect("an overflowing sum was accepted");
        assert_eq!(error.kind(), crate::ErrorKind::Payload);
        assert!(error.to_string().starts_with("Hostile.zip: "), "{error}");
    }

    #[test]
    fn a_stream_longer_than_promised_is_cut_off() {
        let dir = tempfile::tempdir().unwrap();
        let entry = Entry::new("x".into(), EntryKind::File, 4);
        let staged = dir.path().join("s");
        let error = write_capped(&entry, &mut &b"12345"[..], &staged, &crate::NoProgress, &Cancel::new()).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Payload);
        let error = write_capped(&entry, &mut &b"123"[..], &staged, &crate::NoProgress, &Cancel::new()).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Payload);
        write_capped(&entry, &mut &b"1234"[..], &staged, &crate::NoProgress, &Cancel::new()).unwrap();
        assert_eq!(fs::read(&staged).unwrap(), b"1234");
    }
}
