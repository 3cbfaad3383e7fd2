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

mod checking;
mod deep;
mod record;
mod report;
mod vendor;

use std::path::PathBuf;

use crate::read::hash::{HashOptions, hash_files, hex};
use crate::set::check;
use crate::set::discover::DownloadSet;
use crate::set::manifest_choice::ManifestChoice;
use crate::vocab::error::{Error, Result};
use crate::vocab::progress::{Cancel, NoProgress, Progress, Task};
use crate::vocab::states::{PartState, Verdict};

use deep::deep_verify;
pub use record::{ManifestOptions, ManifestReport, write_manifest};
pub use report::{DeepReport, EntryFailure, OtherFile, OtherStatus, PartVerdict, VerifyReport};
pub use vendor::VendorCoverage;

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
    pub manifest_key: Option<PathBuf>,
    /// For an Inno Setup installer (`deep` only): check only the files this
    /// language, components and tasks take. The default checks every file of
    /// every language, component and task.
    pub inno: crate::payload::inno::choice::InnoChoice,
    /// Roots (and a required signer) for the installer's Authenticode
    /// signature, which the report carries; `None` checks it against the
    /// built-in roots. With a signer required, anything but a valid
    /// signature by it refuses the run before a part is read
    /// ([`Error::SignerRefused`]).
    pub signer: Option<crate::authenticode::SignerPolicy>,
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
    pub fn manifest_key(mut self, key: Option<PathBuf>) -> Self {
        self.manifest_key = key;
        self
    }

    /// Inno Setup, with `deep`: check only the files this language,
    /// components and tasks take.
    #[must_use]
    pub fn inno(mut self, choice: crate::payload::inno::choice::InnoChoice) -> Self {
        self.inno = choice;
        self
    }

    /// Roots (and a required signer) for the installer's signature.
    #[must_use]
    pub fn signer(mut self, policy: Option<crate::authenticode::SignerPolicy>) -> Self {
        self.signer = policy;
        self
    }
}

/// An Inno Setup language, component or task choice says which files a deep
/// verification decodes; without `deep` nothing is decoded, so a choice
/// would be ignored: refused (a usage error naming the first choice).
fn refuse_choice_without_deep(options: &VerifyOptions) -> Result<()> {
    use crate::vocab::hint::Hint;
    if options.deep {
        return Ok(());
    }
    options
        .inno
        .refuse_any(|| format!("chooses which files a deep verification decodes; {}, or leave it out", Hint::Deep))
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
///
/// The fixture's `SHA256SUMS` lies beside it, so every part is compared with
/// it; `deep` also decodes the payload and checks every file's own checksum:
///
/// ```
/// use airlock::{HashOptions, NoProgress, Verdict, VerifyOptions};
///
/// let set = airlock::discover("testdata/inno/inno-6.4.1-lzma2-solid-spanned".as_ref())?;
/// let options = VerifyOptions::default().deep(true).hash(HashOptions::default().threads(2));
/// let report = airlock::verify(&set, &options, &NoProgress)?.into_result()?; // a mismatch becomes Err
/// assert!(report.manifest.is_some_and(|m| m.ends_with("SHA256SUMS")));
/// assert!(report.parts.iter().all(|part| part.status == Verdict::Ok));
/// assert!(report.deep.is_some_and(|deep| deep.entries_checked == 8 && deep.failures.is_empty()));
/// # Ok::<(), airlock::Error>(())
/// ```
pub fn verify(set: &DownloadSet, options: &VerifyOptions, progress: &dyn Progress) -> Result<VerifyReport> {
    let authenticode = crate::set::authenticode::check_set_signer(set, options.signer.as_ref(), &options.cancel)?;
    refuse_choice_without_deep(options)?;
    let ManifestChoice { path: manifest_path, manifest, signature } =
        set.choose_manifest(options.manifest.as_deref(), options.manifest_key.as_deref())?;
    let checked = check::run(set, manifest.as_ref(), &options.cancel, progress)?;
    let report = &checked.report;

    // The payload's parts, then the installer's external files, then (with a
    // manifest) the files beside the set it does not list: one hashing task,
    // each file the item of its position in this list.
    let paths = report.member_paths();
    let unlisted: Vec<_> = if manifest.is_some() {
        report.parts.iter().filter(|p| p.status == PartState::Extra && p.path.is_some()).collect()
    } else {
        Vec::new()
    };
    let hashed: Vec<PathBuf> = paths.iter().cloned().chain(unlisted.iter().filter_map(|p| p.path.clone())).collect();
    let members = report.parts.iter().filter(|p| p.status != PartState::Extra);
    let total = crate::vocab::size::saturating_total(members.chain(unlisted.iter().copied()).filter_map(|p| p.size));
    // With --deep on a complete set the payload is decoded while the parts
    // are hashed (the hashes at background priority, filling the decoder's
    // idle time, as extraction does); the decoding is thrown away when a part
    // turns out damaged, which is what running it after the hashes decided.
    let (digests, deep) = if options.deep && report.is_ok() {
        let hash_cancel = options.cancel.child();
        std::thread::scope(|scope| {
            let hashing = scope.spawn(|| hash_files(&hashed, options.hash.in_background(), &NoProgress, &hash_cancel));
            let deep = deep_verify(set, &checked, options, progress);
            if deep.is_err() {
                hash_cancel.cancel();
            }
            let digests = hashing.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (digests, Some(deep))
        })
    } else {
        progress.begin(Task::Hash, total);
        let digests = hash_files(&hashed, options.hash, progress, &options.cancel);
        progress.end(Task::Hash);
        (digests, None)
    };
    if digests.iter().any(|d| matches!(d, Err(Error::Interrupted))) {
        return Err(deep.and_then(Result::err).unwrap_or(Error::Interrupted));
    }

    let mut digests = digests;
    let mut unlisted_digests = digests.split_off(paths.len().min(digests.len())).into_iter();
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
                .and_then(|m| m.find_path(status.listed_as.as_deref().unwrap_or(&status.name)))
                .map(|e| hex(&e.sha256)),
            status: status.status.into(),
            message: None,
        };
        if let (Some(_), PartState::Extra, Some(_)) = (&status.path, status.status, &manifest) {
            // On disk beside the set but not in the manifest: hashed, and
            // fatal only when the manifest is the signed, trusted one.
            verdict.status = Verdict::Unlisted;
            verdict.sha256 = unlisted_digests.next().and_then(Result::ok).map(|d| hex(&d));
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

    let deep = match deep {
        Some(deep) if !parts.iter().any(|p| p.status == Verdict::Mismatch) => Some(deep?),
        _ => None,
    };

    // The files the manifest lists beside the set; when none was given, those
    // every manifest beside the set lists (they agree: see
    // `DownloadSet::read_manifest`), also when none of them lists a part.
    let explicit = options.manifest.is_some() || options.manifest_key.is_some();
    let others = match &manifest_path {
        Some(path) if explicit => check_others(set, std::slice::from_ref(path), &parts, options, &options.cancel)?,
        _ if explicit => Vec::new(),
        _ => {
            let mut paths: Vec<PathBuf> = manifest_path.iter().cloned().collect();
            paths.extend(
                crate::manifest::all_beside(&set.dir, &set.name)
                    .into_iter()
                    .filter(|p| Some(p) != manifest_path.as_ref()),
            );
            check_others(set, &paths, &parts, options, &options.cancel)?
        }
    };

    let mut report = VerifyReport {
        check: checked.report,
        manifest: manifest_path,
        parts,
        others,
        deep,
        sha256_backend: crate::read::hash::sha256_backend(),
        signature,
        authenticode,
        vendor: None,
    };
    // With deep, what a valid installer signature proves about the files,
    // from the payload the check located (not looked for again). A payload
    // whose entries cannot be listed again after its deep verification
    // proves nothing: no statement.
    if let (Some(signature), Some(deep), Some(located)) = (&report.authenticode, &report.deep, &checked.located) {
        let deep_ok = deep.failures.is_empty() && report.failure().is_none();
        report.vendor = vendor::coverage(set, &report.check, located, signature, deep_ok).ok().flatten();
    }
    Ok(report)
}

/// Every file the manifests at `paths` list that is not one of `parts` (and
/// not a part of this set at all): looked for beside the set and hashed,
/// never skipped. A manifest for several downloads in one folder has each of
/// them checked here too.
fn check_others(
    set: &DownloadSet,
    paths: &[PathBuf],
    parts: &[PartVerdict],
    options: &VerifyOptions,
    cancel: &Cancel,
) -> Result<Vec<OtherFile>> {
    let mut entries = Vec::new();
    for path in paths {
        entries.extend(crate::manifest::Manifest::read(path)?.entries);
    }
    let mut others = Vec::new();
    for entry in &entries {
        let is_part = parts.iter().any(|p| p.name.eq_ignore_ascii_case(&entry.name)) || set.owns_name(&entry.name);
        if is_part || others.iter().any(|o: &OtherFile| o.name == entry.name) {
            continue;
        }
        let file = set.dir.join(&entry.name);
        let expected = hex(&entry.sha256);
        let (status, sha256) = if matches!(entry.name.as_str(), "" | "." | "..") || !file.is_file() {
            (OtherStatus::Missing, None)
        } else {
            match crate::read::hash::hash_file(&file, options.hash.access, &NoProgress, cancel) {
                Ok(digest) if digest == entry.sha256 => (OtherStatus::Ok, Some(hex(&digest))),
                Ok(digest) => (OtherStatus::Failed, Some(hex(&digest))),
                Err(Error::Interrupted) => return Err(Error::Interrupted),
                Err(_) => (OtherStatus::Unreadable, None),
            }
        };
        others.push(OtherFile { name: entry.name.clone(), expected, sha256, status });
    }
    Ok(others)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::error::ErrorKind;

    #[test]
    fn a_choice_without_deep_is_refused_before_any_work() {
        // The set does not exist: the refusal comes before anything is read.
        let set = DownloadSet {
            dir: PathBuf::from("/nonexistent"),
            name: "X".to_owned(),
            scheme: crate::vocab::naming::Scheme::ExeWithBins,
            parts: Vec::new(),
            pairing: None,
            slice_base: None,
            lettered: false,
            related: Vec::new(),
        };
        let mut options = VerifyOptions::default();
        options.inno.components.push("docs".to_owned());
        let error = verify(&set, &options, &NoProgress).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Usage, "{error}");
        assert!(matches!(&error, Error::UnknownChoice { name, .. } if name == "docs"), "{error:?}");
        assert!(refuse_choice_without_deep(&options.clone().deep(true)).is_ok(), "with deep the choice is used");
        assert!(refuse_choice_without_deep(&VerifyOptions::default()).is_ok(), "no choice, nothing to refuse");
    }
}
