//! Verification: every part's SHA-256 against a manifest, and optionally every
//! entry's own checksum (`--deep`).
//!
//! Like b3sum's check mode, verification produces a verdict per part rather
//! than stopping at the first mismatch: an admin who carried twelve parts
//! needs to know which one to copy again, and that the other eleven are fine.
//! [`VerifyReport::failure`] then says which kind of failure, if any, the
//! whole amounts to.
//!
//! Entry sizes come from payload headers: progress totals of them saturate,
//! counts of decoded bytes saturate (the lint below keeps it so).
#![warn(clippy::arithmetic_side_effects)]

use std::path::PathBuf;

use serde::Serialize;

use crate::check::{self, CheckReport, Checked, ProblemKind, check};
use crate::discover::DownloadSet;
use crate::error::{Error, ErrorKind, Result};
use crate::hash::{HashOptions, hash_files, hex};
use crate::list::{list_and_choose, no_payload};
use crate::manifest::Manifest;
use crate::payload::sink::{CheckingSink, Failure};
use crate::payload::{self, EntryKind, Request, Source};
use crate::progress::{Cancel, Progress, Task};
use crate::states::{PartState, Verdict};
use crate::trust::{SignatureCheck, choose_manifest};

/// How to verify. Build it with [`VerifyOptions::default`] and the setters:
/// new options may be added without breaking callers.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct VerifyOptions {
    /// The manifest; `None` looks beside the set (`SHA256SUMS`,
    /// `NAME.sha256`, `NAME.manifest.json`).
    pub manifest: Option<PathBuf>,
    /// Threads and I/O strategy for hashing.
    pub hash: HashOptions,
    /// Also decode the whole payload and check every entry's own checksum.
    pub deep: bool,
    /// Password for encrypted 7z, zip or Inno Setup payloads (`deep` only).
    pub password: Option<String>,
    /// Stops the work early when set.
    pub cancel: Cancel,
    /// A minisign public key: the manifest must carry a valid signature by
    /// it, and every part must be listed in that manifest.
    pub trust: Option<PathBuf>,
    /// For an Inno Setup installer (`deep` only): check only the files this
    /// language, components and tasks take. The default checks every file of
    /// every language, component and task.
    pub inno: crate::payload::inno_choice::InnoChoice,
}

impl VerifyOptions {
    /// A manifest to use instead of one beside the set.
    #[must_use]
    pub fn manifest(mut self, manifest: Option<PathBuf>) -> Self {
        self.manifest = manifest;
        self
    }

    /// Threads and I/O strategy for hashing.
    #[must_use]
    pub fn hash(mut self, hash: HashOptions) -> Self {
        self.hash = hash;
        self
    }

    /// Also decode the whole payload and check every entry's own checksum.
    #[must_use]
    pub fn deep(mut self, deep: bool) -> Self {
        self.deep = deep;
        self
    }

    /// The password of an encrypted payload (`deep` only).
    #[must_use]
    pub fn password(mut self, password: Option<String>) -> Self {
        self.password = password;
        self
    }

    /// Stop early when `cancel` is set.
    #[must_use]
    pub fn cancel(mut self, cancel: Cancel) -> Self {
        self.cancel = cancel;
        self
    }

    /// Require a manifest signed by this minisign public key.
    #[must_use]
    pub fn trust(mut self, key: Option<PathBuf>) -> Self {
        self.trust = key;
        self
    }

    /// Inno Setup, with `deep`: check only the files this language,
    /// components and tasks take.
    #[must_use]
    pub fn inno(mut self, choice: crate::payload::inno_choice::InnoChoice) -> Self {
        self.inno = choice;
        self
    }
}

/// The verdict on one part.
#[derive(Clone, Debug, Serialize)]
pub struct PartVerdict {
    /// The part's file name.
    pub name: String,
    /// Its size, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// Its SHA-256, whenever it was computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// The SHA-256 the manifest expects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// Whether it matched, and if not, why.
    pub status: Verdict,
    /// What went wrong, when something did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// One entry that failed deep verification.
#[derive(Clone, Debug, Serialize)]
pub struct EntryFailure {
    /// The entry's name in the payload.
    pub entry: String,
    /// What went wrong.
    pub message: String,
    /// Integrity (checksum mismatch) or payload (cannot be decoded).
    pub kind: ErrorKind,
}

/// What deep verification found.
#[derive(Clone, Debug, Serialize)]
pub struct DeepReport {
    /// File entries decoded and checked.
    pub entries_checked: usize,
    /// Uncompressed bytes decoded.
    pub bytes: u64,
    /// Entries that failed.
    pub failures: Vec<EntryFailure>,
}

/// The outcome of [`verify`]: a verdict per part, which may be failures.
/// Ask [`VerifyReport::is_ok`], or turn it into a `Result` with
/// [`VerifyReport::into_result`].
#[derive(Clone, Debug, Serialize)]
#[must_use = "a verify report may hold mismatches: check is_ok() or call into_result()"]
pub struct VerifyReport {
    /// The completeness check.
    pub check: CheckReport,
    /// The manifest compared against, if one was found or given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manifest: Option<PathBuf>,
    /// A verdict for every part.
    pub parts: Vec<PartVerdict>,
    /// The deep verification, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deep: Option<DeepReport>,
    /// The SHA-256 implementation used.
    pub sha256_backend: &'static str,
    /// The signature check, when a trusted key was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<SignatureCheck>,
}

impl VerifyReport {
    /// Whether every part matched (and, with `deep`, every entry).
    pub fn is_ok(&self) -> bool {
        self.failure().is_none()
    }

    /// `Ok(self)` when everything passed; otherwise the error the failure
    /// amounts to ([`Error::Integrity`] naming the failed parts or entries,
    /// [`Error::Incomplete`] with the check, [`Error::Payload`] …).
    pub fn into_result(self) -> Result<VerifyReport> {
        let Some(kind) = self.failure() else { return Ok(self) };
        if kind != ErrorKind::Integrity && !self.check.is_ok() {
            return Err(Error::Incomplete { report: Box::new(self.check) });
        }
        let bad: Vec<&str> = self.parts.iter().filter(|p| !p.status.passed()).map(|p| p.name.as_str()).collect();
        let what = if bad.is_empty() { self.check.set.clone() } else { bad.join(", ") };
        let reason = self
            .parts
            .iter()
            .find_map(|p| p.message.clone())
            .or_else(|| self.signature.as_ref().and_then(|s| s.message.clone()))
            .or_else(|| self.deep.as_ref().and_then(|d| d.failures.first().map(|f| f.message.clone())))
            .unwrap_or_else(|| "failed verification".to_owned());
        Err(match kind {
            ErrorKind::Integrity => Error::Integrity { what, reason },
            ErrorKind::Io => Error::Io { path: PathBuf::from(what), source: std::io::Error::other(reason) },
            _ => Error::payload(what, reason),
        })
    }

    /// `None` when everything passed; otherwise the kind of the most serious
    /// failure: a hash or checksum mismatch first, then an incomplete set,
    /// then an unreadable payload or part.
    pub fn failure(&self) -> Option<ErrorKind> {
        let untrusted = self.signature.as_ref().is_some_and(|s| !s.valid)
            || (self.signature.is_some() && self.parts.iter().any(|p| p.status == Verdict::Unlisted));
        let mismatch = untrusted
            || self.parts.iter().any(|p| p.status == Verdict::Mismatch)
            || self.deep.as_ref().is_some_and(|d| d.failures.iter().any(|f| f.kind == ErrorKind::Integrity));
        if mismatch {
            return Some(ErrorKind::Integrity);
        }
        if !self.check.is_ok() {
            return Some(self.check.error_kind());
        }
        if self.parts.iter().any(|p| p.status == Verdict::Unreadable) {
            return Some(ErrorKind::Io);
        }
        if self.deep.as_ref().is_some_and(|d| !d.failures.is_empty()) {
            return Some(ErrorKind::Payload);
        }
        None
    }
}

/// Verifies `set`: completeness, then SHA-256 of every part against the
/// manifest (or just the hashes when there is none), then, with `deep`, every
/// entry's own checksum.
///
/// Every part gets a verdict, so one bad part does not hide the state of the
/// others: a mismatch is **not** an `Err`. `Err` means verification could not
/// be carried out (no such manifest, unreadable key, interrupted). Ask the
/// report [`VerifyReport::is_ok`], or call [`VerifyReport::into_result`] to
/// turn failures into an [`Error`]. Nothing is written.
pub fn verify(set: &DownloadSet, options: &VerifyOptions, progress: &dyn Progress) -> Result<VerifyReport> {
    let (manifest_path, signature) = choose_manifest(set, options.manifest.as_deref(), options.trust.as_deref())?;
    let manifest = match &manifest_path {
        Some(path) => set.read_manifest(path, options.manifest.is_some() || options.trust.is_some())?,
        None => None,
    };
    let manifest_path = manifest.as_ref().and(manifest_path);
    let checked = check::run(set, manifest.as_ref())?;
    let report = &checked.report;

    let paths = report.part_paths();
    let total: u64 = report.parts.iter().filter(|p| p.status != PartState::Extra).filter_map(|p| p.size).sum();
    progress.begin(Task::Hash, total);
    let digests = hash_files(&paths, options.hash, progress, &options.cancel);
    progress.end(Task::Hash);
    if digests.iter().any(|d| matches!(d, Err(Error::Interrupted))) {
        return Err(Error::Interrupted);
    }

    let mut digest_of = paths.iter().zip(digests);
    let mut parts = Vec::new();
    for status in &report.parts {
        if status.status == PartState::Extra && manifest.is_none() {
            continue;
        }
        let mut verdict = PartVerdict {
            name: status.name.clone(),
            size: status.size,
            sha256: None,
            expected: manifest
                .as_ref()
                .and_then(|m| m.find(status.listed_as.as_deref().unwrap_or(&status.name)))
                .map(|e| hex(&e.sha256)),
            status: status.status.into(),
            message: None,
        };
        if let (Some(path), PartState::Extra, Some(_)) = (&status.path, status.status, &manifest) {
            // On disk beside the set but not in the manifest: hashed, and
            // fatal only when the manifest is the signed, trusted one.
            verdict.status = Verdict::Unlisted;
            verdict.sha256 =
                crate::hash::hash_file(path, options.hash.mmap, progress, &options.cancel).ok().map(|d| hex(&d));
        } else if status.path.is_some()
            && status.status != PartState::Extra
            && let Some((_, digest)) = digest_of.next()
        {
            match digest {
                Ok(digest) => {
                    let actual = hex(&digest);
                    if status.status == PartState::Ok {
                        verdict.status = match &verdict.expected {
                            Some(expected) if *expected == actual => Verdict::Ok,
                            Some(_) => Verdict::Mismatch,
                            None if manifest.is_some() => Verdict::Unlisted,
                            None => Verdict::Hashed,
                        };
                    }
                    if verdict.status == Verdict::Mismatch {
                        verdict.message = Some(format!(
                            "{}: SHA-256 does not match the manifest: the part is damaged or altered; copy or download it again",
                            status.name
                        ));
                    }
                    verdict.sha256 = Some(actual);
                }
                Err(error) => {
                    verdict.status = Verdict::Unreadable;
                    verdict.message = Some(error.to_string());
                }
            }
        }
        parts.push(verdict);
    }

    let deep = if options.deep && report.is_ok() && !parts.iter().any(|p| p.status == Verdict::Mismatch) {
        Some(deep_verify(set, &checked, options, progress)?)
    } else {
        None
    };

    Ok(VerifyReport {
        check: checked.report,
        manifest: manifest_path,
        parts,
        deep,
        sha256_backend: crate::hash::backend(),
        signature,
    })
}

/// Decodes every file entry, writing nothing, and records each failure.
fn deep_verify(
    set: &DownloadSet,
    checked: &Checked,
    options: &VerifyOptions,
    progress: &dyn Progress,
) -> Result<DeepReport> {
    let located = checked.located.as_ref().ok_or_else(|| no_payload(&checked.report, set))?;
    let parts = checked.report.part_paths();
    let source = Source { parts: &parts, located, label: &set.name };
    let (selected, entries) = if options.inno.is_default() {
        let entries = payload::list(&source, options.password.as_deref())?;
        (entries.iter().map(|e| e.kind == EntryKind::File).collect::<Vec<bool>>(), entries)
    } else {
        let (listing, chosen) = list_and_choose(checked, set, options.password.as_deref(), &options.inno)?;
        let selected =
            listing.entries.iter().zip(&chosen.selected).map(|(e, s)| *s && e.kind == EntryKind::File).collect();
        (selected, listing.entries)
    };
    payload::require_password(&source, options.password.as_deref())?;
    let total = crate::size::saturating_total(entries.iter().zip(&selected).filter(|(_, s)| **s).map(|(e, _)| e.size));
    let sink = CheckingSink::new(&entries, progress, &options.cancel);
    progress.begin(Task::DeepVerify, total);
    let request = Request::new(&selected, options.hash.threads, options.password.as_deref(), &options.cancel);
    let outcome = payload::extract(&source, &request, &sink);
    progress.end(Task::DeepVerify);
    let (failures, entries_checked, bytes) = sink.finish();
    let mut failures: Vec<EntryFailure> =
        failures.into_iter().map(|Failure { entry, message, kind }| EntryFailure { entry, message, kind }).collect();
    match outcome {
        Ok(()) => {}
        Err(Error::Interrupted) => return Err(Error::Interrupted),
        Err(error) => {
            failures.push(EntryFailure { entry: set.name.clone(), message: error.full_message(), kind: error.kind() })
        }
    }
    Ok(DeepReport { entries_checked, bytes, failures })
}

/// Hashes the parts of a complete set and describes them in a [`Manifest`]
/// (names, sizes, SHA-256, scheme and payload), ready to write as
/// `sha256sum` text or JSON. `given` is a manifest to check completeness
/// against, as for [`verify`]. An incomplete set is an error: a manifest of
/// it would vouch for the wrong thing. So is a part whose bytes contradict
/// that manifest ([`Error::Integrity`] naming every such part): recording
/// them would bless damage. `rerecord` says the set changed on purpose: the
/// known manifest is then ignored and the bytes recorded as they are.
pub fn make_manifest(
    set: &DownloadSet,
    given: Option<&std::path::Path>,
    options: HashOptions,
    rerecord: bool,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<Manifest> {
    let known = if rerecord { None } else { set.manifest(given)? };
    let mut report = check(set, known.as_ref())?;
    // Parts the known manifest leaves out are what a new manifest adds.
    report.problems.retain(|p| p.kind != ProblemKind::Unlisted);
    let report = report.into_result()?;
    let paths = report.part_paths();
    let total = report.parts.iter().filter(|p| p.status != PartState::Extra).filter_map(|p| p.size).sum();
    progress.begin(Task::Hash, total);
    let digests = hash_files(&paths, options, progress, cancel);
    progress.end(Task::Hash);
    let mut parts = Vec::with_capacity(paths.len());
    for (path, digest) in paths.iter().zip(digests) {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let size = std::fs::metadata(path).map_err(|e| Error::io(path, e))?.len();
        parts.push((name, size, digest?));
    }
    if let Some(known) = &known {
        let contradicted: Vec<String> = parts
            .iter()
            .filter(|(name, _, digest)| known.find(name).is_some_and(|entry| entry.sha256 != *digest))
            .map(|(name, _, _)| name.clone())
            .collect();
        if !contradicted.is_empty() {
            return Err(Error::Integrity {
                what: contradicted.join(", "),
                reason: format!(
                    "SHA-256 does not match {}: the part is damaged or altered, and a new manifest would vouch for the damage; download {} again, or pass --rerecord if the set changed on purpose",
                    known.path.as_deref().map_or_else(|| "the manifest".to_owned(), |p| p.display().to_string()),
                    if contradicted.len() == 1 { "it" } else { "them" }
                ),
            });
        }
    }
    Ok(Manifest::from_parts(&set.name, Some(report.scheme), report.payload, parts))
}
