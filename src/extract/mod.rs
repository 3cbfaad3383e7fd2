//! Extraction: selected entries into a destination, all or nothing.
//!
//! The order of work is what makes it safe:
//! 1. the set is checked complete before anything is decoded; when a
//!    manifest is known, the parts are hashed alongside decoding and nothing
//!    is committed unless every hash matched;
//! 2. every selected entry's path is validated ([`crate::payload::entry_path`]), links
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

mod commit;
mod options;
mod partial;
mod plan;
mod select;
mod writer;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::dest::collisions::Renamed;
use crate::payload::inno::choice::{DuplicateDestination, LeftOut};
use crate::set::check::{self, CheckReport};
use crate::set::discover::DownloadSet;
use crate::set::list::{choose, open_payload};
use crate::vocab::error::{Error, ErrorKind, Result};
use crate::vocab::progress::Progress;
use crate::vocab::states::FileAction;

pub use options::{DEFAULT_MIN_FREE, ExtractOptions};
use partial::stage_entries;
pub use select::Selection;

/// Prefix of the staging folder inside the destination.
pub(crate) const STAGING_PREFIX: &str = ".airlock-partial-";

/// The journal of renames inside a staging folder.
pub(super) const JOURNAL: &str = "journal";

/// The staging folders in `dest` (of this run, or left by one that is gone).
fn stale_staging_dirs(dest: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dest)
        .map(|read| {
            read.filter_map(|e| e.ok())
                .filter(|e| e.file_name().to_string_lossy().starts_with(STAGING_PREFIX))
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default()
}

/// One file written.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[must_use]
pub struct ExtractReport {
    /// The destination.
    pub dest: PathBuf,
    /// The files, in entry order.
    pub files: Vec<ExtractedFile>,
    /// Bytes written.
    pub bytes_written: u64,
    /// The manifest the parts were verified against, if any.
    pub verified_with: Option<PathBuf>,
    /// Where `setup.exe` landed, when it was extracted.
    pub setup_exe: Option<PathBuf>,
    /// Entries sharing a destination path with a later one, which won (7z
    /// and zip; Inno Setup installers report `duplicates` instead).
    pub collisions: Vec<String>,
    /// Inno Setup: destinations several chosen entries claimed, and which
    /// one was kept ([`DuplicateRule`](crate::DuplicateRule)).
    pub duplicates: Vec<DuplicateDestination>,
    /// Inno Setup: the language extracted for.
    pub language: Option<String>,
    /// Inno Setup: entries the language, component and task choice left out.
    pub left_out: Vec<LeftOut>,
    /// Entries written under a free name so that both of two colliding ones were kept.
    pub renamed: Vec<Renamed>,
    /// The completeness check that preceded extraction.
    pub check: CheckReport,
}

/// Extracts the selected entries of `set` into `options.dest`, all or nothing.
///
/// The order of work is what makes it safe:
/// 1. the destination is checked to be a folder (or creatable), and the set
///    complete, before anything is decoded; when a manifest is known, the
///    parts are hashed alongside decoding and nothing is committed unless
///    every hash matched (with [`ExtractOptions::manifest_key`], the manifest's
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
///
/// # Example
/// ```
/// use airlock::{ExtractOptions, NoProgress, Overwrite};
///
/// let set = airlock::discover("testdata/inno/inno-6.4.1-lzma2-solid-spanned".as_ref())?;
/// # let tmp = tempfile::tempdir().unwrap();
/// # let dest = tmp.path().join("MABS");
/// let options = ExtractOptions::new(&dest) // "D:/MABS"
///     .overwrite(Overwrite::IfDifferent)
///     .min_free(0); // the default floor is 4 GiB free, as the vendor asks
/// let report = airlock::extract(&set, &options, &NoProgress)?;
/// assert!(report.verified_with.is_some()); // the SHA256SUMS beside the set
/// assert_eq!(report.files.len(), 8);
/// assert!(dest.join("setup.exe").is_file());
/// # Ok::<(), airlock::Error>(())
/// ```
pub fn extract(set: &DownloadSet, options: &ExtractOptions, progress: &dyn Progress) -> Result<ExtractReport> {
    if let Some(policy) = options.signer.as_ref().filter(|p| p.required_signer().is_some()) {
        crate::set::authenticode::check_set_signer(set, Some(policy), &options.cancel)?;
    }
    crate::dest::is_a_folder(&options.dest, &format!("the destination{}", crate::vocab::hint::Hint::DestOption))?;
    refuse_dest_in_set_folder(set, &options.dest)?;
    let choice = set.choose_manifest(options.manifest.as_deref(), options.manifest_key.as_deref())?;
    choice.refuse_bad_signature(&set.name, "nothing was extracted")?;
    let manifest = choice.manifest;
    let checked = check::run(set, manifest.as_ref(), &options.cancel, progress)?.into_result()?;
    let parts = checked.report.part_paths();
    let payload = open_payload(&checked, &parts, set, options.password.as_deref())?;
    let chosen = choose(&payload, set, &options.inno)?;
    payload.ready()?;
    let report = &checked.report;
    let entries = payload.entries();
    let verify_with = manifest.as_ref().filter(|_| options.verify_parts || options.manifest_key.is_some());

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
                let result = crate::manifest::choice::verify_against(
                    report,
                    manifest,
                    options.manifest_key.is_some(),
                    // The decoder comes first: the hashes fill its idle time.
                    options.hash.in_background(),
                    &crate::vocab::progress::NoProgress,
                    &hash_cancel,
                );
                if result.is_err() {
                    decode_cancel.cancel();
                }
                result
            })
        });
        // The staged files are flushed behind the decoding, so the commit's
        // flush finds little left (`dest::writeback::flushing_behind`).
        let staged = crate::dest::writeback::flushing_behind(&options.dest, || {
            stage_entries(&payload, &chosen.selected, options, &decode_cancel, progress)
        });
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
    let committed = run.commit(entries, &plan, options);
    drop(payload);
    match committed {
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
                check: checked.report,
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

/// Refuses a DEST that is the set's own folder: the extracted files would sit
/// among the parts (a `setup.exe` beside `NAME.exe` makes the folder hold two
/// sets). A subfolder is fine: parts are only ever looked for beside each
/// other, and the check names a part found below only when it is missing.
///
/// Judged by the folder's identity (device and inode; volume serial and file
/// index on Windows, through `same-file`), not by its path: a bind mount or
/// a link of the set's folder is the same folder under another name.
fn refuse_dest_in_set_folder(set: &DownloadSet, dest: &Path) -> Result<()> {
    let dir = if set.dir.as_os_str().is_empty() { Path::new(".") } else { set.dir.as_path() };
    if same_file::is_same_file(dest, dir).unwrap_or(false) {
        return Err(Error::DestIsSetFolder { dest: dest.to_path_buf(), dir: set.dir.clone() });
    }
    Ok(())
}
