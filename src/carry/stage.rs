//! Staging a verified copy of a set onto removable media.
//!
//! Sizes here are of real files; their sums saturate (see the lint below), so
//! no total can wrap into a small number that passes the space check.
#![warn(clippy::arithmetic_side_effects)]
//!
//! The copy is where corruption gets in (a failing stick, a cable, a full
//! disk), so staging proves the copy, not just the source:
//! 1. the set is checked complete, and every part's SHA-256 in the source's
//!    manifest (given, or beside the set) is looked up;
//! 2. space on the media is checked for everything still to copy, and files
//!    already there are sorted: identical parts are kept (an interrupted run
//!    resumes without recopying them; only these parts' sources are hashed
//!    before the copy, to tell), different files with a part's name are
//!    never replaced without `overwrite` — all before the first byte is copied;
//! 3. parts are copied one after the other under temporary names, each read
//!    once from the source and hashed as it is copied; a copy whose hash is
//!    not the manifest's is removed there (the source must be downloaded
//!    again), the others are flushed to the device (`fsync`) and only then
//!    renamed into place;
//! 4. every copy is read back *from the device*, on a second thread while the
//!    next part is copied: its cached pages are dropped first
//!    (`posix_fadvise(DONTNEED)` after the flush), so the hash is of what the
//!    media holds, not of what the page cache remembers;
//! 5. only then are `SHA256SUMS` and `NAME.manifest.json` written beside the
//!    parts (and signed when a key is given). A failed or interrupted staging
//!    leaves no manifest on the media, so a half copy never passes for a good one.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::manifest::{Beside, Manifest};
use crate::read::hash::{Digest256, HashOptions, hex};
use crate::set::check;
use crate::set::discover::DownloadSet;
use crate::vocab::error::{Error, Result};
use crate::vocab::progress::{Cancel, Item, Progress, Task};
use crate::vocab::states::StageAction;

/// Suffix of a part being copied.
const COPYING_SUFFIX: &str = ".airlock-copying";
/// Block size of the copy loop.
const BLOCK: usize = 4 << 20;
/// Room kept for the manifests and signatures.
const MANIFEST_ROOM: u64 = 1 << 20;

/// How to stage, and where to. Build it with [`StageOptions::new`] and the
/// setters: new options may be added without breaking callers.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct StageOptions {
    /// The media folder the set is copied into (created when missing).
    pub media: PathBuf,
    /// Replace files on the media that have a part's name but other content.
    pub overwrite: bool,
    /// Threads and I/O strategy for hashing the sources of parts that may
    /// already be on the media (the copy itself reads and hashes one part
    /// at a time, beside one thread reading the copies back).
    pub hash: HashOptions,
    /// Secret key to sign the manifests with (minisign format).
    pub sign_key: Option<PathBuf>,
    /// Password of a protected secret key.
    pub key_password: Option<String>,
    /// Stops the work early when set.
    pub cancel: Cancel,
    /// Roots (and a required signer) for the installer's Authenticode
    /// check, whose result `NAME.manifest.json` records; `None` uses the
    /// built-in roots. With a signer required, anything but a valid
    /// signature by it refuses the staging before anything is copied.
    pub signer: Option<crate::authenticode::SignerPolicy>,
    /// The source's manifest, instead of one found beside the set: its
    /// hashes must match the source before anything is copied.
    pub manifest: Option<PathBuf>,
    /// A minisign public key the source's manifest must be signed with
    /// (relaying a set that arrived with a signed manifest).
    pub manifest_key: Option<PathBuf>,
}

impl StageOptions {
    /// Staging into the folder `media`, with the defaults: nothing on the
    /// media replaced, hashing on all cores, no signing, the built-in roots.
    pub fn new(media: impl Into<PathBuf>) -> Self {
        StageOptions {
            media: media.into(),
            overwrite: false,
            hash: HashOptions::default(),
            sign_key: None,
            key_password: None,
            cancel: Cancel::default(),
            signer: None,
            manifest: None,
            manifest_key: None,
        }
    }

    /// Replace files on the media that have a part's name but other content.
    #[must_use]
    pub fn overwrite(mut self, overwrite: bool) -> Self {
        self.overwrite = overwrite;
        self
    }

    /// The source's manifest, instead of one found beside the set.
    #[must_use]
    pub fn manifest(mut self, manifest: Option<PathBuf>) -> Self {
        self.manifest = manifest;
        self
    }

    /// Require the source's manifest to be signed by this minisign public key.
    #[must_use]
    pub fn manifest_key(mut self, public_key: Option<PathBuf>) -> Self {
        self.manifest_key = public_key;
        self
    }

    /// Threads and I/O strategy for hashing.
    #[must_use]
    pub fn hash(mut self, hash: HashOptions) -> Self {
        self.hash = hash;
        self
    }

    /// Sign the manifests with this minisign secret key.
    #[must_use]
    pub fn sign_key(mut self, key: Option<PathBuf>) -> Self {
        self.sign_key = key;
        self
    }

    /// The password of a protected secret key.
    #[must_use]
    pub fn key_password(mut self, password: Option<String>) -> Self {
        self.key_password = password;
        self
    }

    /// Stop early when `cancel` is set.
    #[must_use]
    pub fn cancel(mut self, cancel: Cancel) -> Self {
        self.cancel = cancel;
        self
    }

    /// Check the installer's Authenticode signature against `policy` (and
    /// its required signer), recording the result in `NAME.manifest.json`.
    #[must_use]
    pub fn signer(mut self, policy: crate::authenticode::SignerPolicy) -> Self {
        self.signer = Some(policy);
        self
    }
}

/// What happened to one part.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StagedPart {
    /// The part's name.
    pub name: String,
    /// Its size.
    pub size: u64,
    /// Its SHA-256 (source and media copy agree).
    pub sha256: String,
    /// Copied, or already there when an identical copy was on the media.
    pub action: StageAction,
}

/// What a staging did (returned only when it succeeded).
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[must_use]
pub struct StageReport {
    /// The media folder.
    pub media: PathBuf,
    /// Every part.
    pub parts: Vec<StagedPart>,
    /// The manifests written (and signatures).
    pub written: Vec<PathBuf>,
    /// Bytes copied.
    pub bytes_copied: u64,
}

/// Stages `set` into the options' `media` folder, proving the copy rather
/// than the source.
///
/// The order of work:
/// 1. `media` is checked to be a folder (or creatable) and the set complete,
///    against a manifest beside it (or [`StageOptions::manifest`]) when
///    there is one;
/// 2. space on the media is checked for everything still to copy, and files
///    already there are sorted: identical parts are kept (an interrupted run
///    resumes without recopying them; to tell, the sources of the parts that
///    have a file of their size on the media are hashed and checked against
///    the manifest first), different files with a part's name are never
///    replaced unless [`StageOptions::overwrite`] says so, all before the
///    first byte is copied;
/// 3. parts are copied one after the other under temporary names, each
///    source read once and hashed as it is copied; a part whose bytes are not
///    the ones its manifest lists is not placed (its temporary copy is
///    removed, and the error names it: download it again); the others are
///    flushed to the device (`fsync`), and only then renamed into place;
/// 4. every copy is read back from the device (its cached pages dropped
///    first), so the hash is of what the media holds; a part is read back
///    while the next one is copied;
/// 5. only then are `SHA256SUMS` and `NAME.manifest.json` written beside the
///    parts (signed with [`StageOptions::sign_key`] when given).
///
/// A failed staging leaves no manifest on the media, so a half copy never
/// passes for a good one; the parts already copied and read back stay (the
/// other parts are still tried when one fails), and the next run keeps them.
/// An interrupted one ([`StageOptions::cancel`]) removes the parts it copied.
///
/// # Example
/// ```
/// use airlock::{NoProgress, StageAction, StageOptions};
///
/// let set = airlock::discover("testdata/inno/inno-6.4.1-lzma2-solid-spanned".as_ref())?;
/// # let tmp = tempfile::tempdir().unwrap();
/// # let media = tmp.path();
/// // With .sign_key(Some("airlock.key".into())) the manifests are signed too.
/// let report = airlock::stage(&set, &StageOptions::new(media), &NoProgress)?; // media: "/media/usb/mabs"
/// assert!(report.parts.iter().all(|part| part.action == StageAction::Copied));
/// assert!(media.join("SHA256SUMS").is_file() && media.join("MicrosoftAzureBackupInstaller.manifest.json").is_file());
/// // The copy is a set of its own, and its manifest vouches for it.
/// let copy = airlock::discover(media)?;
/// airlock::verify(&copy, &airlock::VerifyOptions::default(), &NoProgress)?.into_result()?;
/// # Ok::<(), airlock::Error>(())
/// ```
pub fn stage(set: &DownloadSet, options: &StageOptions, progress: &dyn Progress) -> Result<StageReport> {
    let media = options.media.as_path();
    crate::dest::is_a_folder(media, "MEDIA_DIR")?;
    // The key first: a wrong password must not cost the whole copy.
    let key = options
        .sign_key
        .as_deref()
        .map(|path| crate::manifest::minisign::SigningKey::open(path, options.key_password.clone()))
        .transpose()?;
    let choice = set.choose_manifest(options.manifest.as_deref(), options.manifest_key.as_deref())?;
    choice.refuse_bad_signature(&set.name, "nothing was staged")?;
    let source_manifest = choice.manifest;
    let report = check::run(set, source_manifest.as_ref(), &options.cancel, progress)?.into_result()?.report;
    // The payload's parts and the installer's external files (by their path
    // in the set, `SQL/x.exe`, copied into the same folders on the media).
    let paths = report.member_paths();
    let names: Vec<String> = report.members().map(|p| p.name.clone()).collect();
    let created_media = !media.exists();
    let signature =
        crate::set::authenticode::check_set_signer(set, options.signer.as_ref(), &options.cancel).map_err(|error| {
            match error {
                Error::SignerRefused { installer, reason, signature } => {
                    Error::SignerRefused { installer, reason: format!("{reason}; nothing was staged"), signature }
                }
                other => other,
            }
        })?;
    fs::create_dir_all(media).map_err(|e| Error::io(media, e))?;
    // One staging per media folder at a time; see `dir_lock`.
    let lock = match crate::dest::dir_lock::DirLock::acquire(media) {
        Ok(lock) => lock,
        Err(error) => {
            if created_media {
                let _ = fs::remove_dir(media);
            }
            return Err(error);
        }
    };
    remove_leftovers(media)?;
    // Every copy is created and renamed through the media folder's handle,
    // never through a link (see `dest`).
    let media_dir = crate::dest::DestDir::open(media)?;

    // 1. Every part's size, and the SHA-256 its source's manifest gives it.
    let mut parts = Vec::new();
    for (index, (path, name)) in paths.iter().zip(names).enumerate() {
        let size = fs::metadata(path).map_err(|e| Error::io(path, e))?.len();
        let listed = source_manifest.as_ref().and_then(|m| m.find_path(&name)).map(|entry| entry.sha256);
        parts.push(Part { item: Item::Part(index), source: path.clone(), name, size, listed, hashed: None });
    }

    // 2. What is already on the media, and room for the rest. A file of a
    // part's size may be an identical copy: only those parts' sources are
    // hashed here (each read once more when it turns out not to be one);
    // every other part's source is read once, by its copy.
    let mut same_size = Vec::new();
    for (index, part) in parts.iter().enumerate() {
        let target = media.join(&part.name);
        // A link under a part's name is never read as the copy, nor replaced
        // as if it were one.
        if fs::symlink_metadata(&target).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Error::LinkInDest { dest: media.to_path_buf(), path: part.name.clone(), during: false });
        }
        if fs::metadata(&target).is_ok_and(|meta| meta.len() == part.size) {
            same_size.push(index);
        }
    }
    if !same_size.is_empty() {
        let sources: Vec<PathBuf> = same_size.iter().map(|&i| parts[i].source.clone()).collect();
        progress.begin(Task::Hash, crate::vocab::size::saturating_total(same_size.iter().map(|&i| parts[i].size)));
        // A part is the same item as in the copy: its position in the set's parts.
        let item = |i: usize| parts[same_size[i]].item;
        let digests = crate::read::hash::hash_files_as(&sources, item, options.hash, progress, &options.cancel);
        progress.end(Task::Hash);
        for (&index, digest) in same_size.iter().zip(digests) {
            let part = &mut parts[index];
            let digest = digest?;
            if part.listed.is_some_and(|listed| listed != digest) {
                return Err(source_mismatch(&part.name, "; nothing was staged"));
            }
            part.hashed = Some(digest);
        }
    }
    let mut to_copy = Vec::new();
    let mut staged = Vec::new();
    let mut in_the_way = Vec::new();
    let mut freed = 0u64;
    for part in &parts {
        let target = media.join(&part.name);
        let Ok(meta) = fs::metadata(&target) else {
            to_copy.push(part);
            continue;
        };
        if let Some(digest) = part.hashed
            && meta.len() == part.size
            && read_back(&target, &options.cancel)? == digest
        {
            staged.push((
                StagedPart {
                    name: part.name.clone(),
                    size: part.size,
                    sha256: hex(&digest),
                    action: StageAction::AlreadyThere,
                },
                digest,
            ));
            continue;
        }
        if !options.overwrite {
            in_the_way.push(part.name.clone());
        }
        freed = freed.saturating_add(meta.len());
        to_copy.push(part);
    }
    options.cancel.check()?;
    let manifests = manifest_names(&set.name);
    for name in &manifests {
        let path = media.join(name);
        if path.exists() && !options.overwrite && !lists_only(&path, &parts) {
            in_the_way.push(name.clone());
        }
    }
    if !in_the_way.is_empty() {
        return Err(Error::WouldOverwrite { dest: media.to_path_buf(), existing: in_the_way });
    }
    let needed = crate::vocab::size::saturating_total(to_copy.iter().map(|part| part.size))
        .saturating_sub(freed)
        .saturating_add(MANIFEST_ROOM);
    let (available, measured) = crate::dest::space::available_space(media)?;
    if available < needed {
        return Err(Error::NoSpace { path: measured, needed, available });
    }

    // The media's old manifests go first: from here until the new ones are
    // written, the media holds no manifest that could vouch for a half copy.
    for name in &manifests {
        for path in [media.join(name), crate::manifest::minisign::signature_path(&media.join(name))] {
            if path.exists() {
                fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
            }
        }
    }

    // 3 + 4. Copy (hashing the source on the way), flush, and read back from
    // the device, one part read back while the next is copied.
    let bytes_copied = crate::vocab::size::saturating_total(to_copy.iter().map(|part| part.size));
    progress.begin(Task::Copy, bytes_copied);
    // Parts this run put in place (renamed from their temporary name), read back or not yet.
    let placed = std::sync::Mutex::new(Vec::new());
    let copied = copy_and_read_back(&to_copy, &media_dir, &placed, progress, &options.cancel);
    progress.end(Task::Copy);
    // Interrupted: the parts this run copied go (with their temporary files,
    // which `copy_part` removes); identical parts that were already there stay.
    if options.cancel.is_cancelled() || copied.iter().any(|r| matches!(r, Err(Error::Interrupted))) {
        let removed: Vec<String> = placed
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .filter(|name| fs::remove_file(media.join(name)).is_ok())
            .collect();
        remove_leftovers(media)?;
        drop(lock);
        if created_media {
            let _ = fs::remove_dir(media);
        }
        let left = staged.iter().map(|(p, _)| p.name.clone()).collect();
        return Err(Error::StageInterrupted { media: media.to_path_buf(), removed, left });
    }
    for part in copied {
        staged.push(part?);
    }
    let order: Vec<&String> = parts.iter().map(|part| &part.name).collect();
    staged.sort_by_key(|(p, _)| order.iter().position(|n| **n == p.name));

    // 5. Manifests, then signatures.
    let manifest = Manifest::from_parts(
        &set.name,
        Some(report.scheme),
        report.payload,
        staged.iter().map(|(part, digest)| (part.name.clone(), part.size, *digest)),
    );
    // Every signature is made before any file is written, and all of them
    // are renamed into place together: a failure leaves no manifest.
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let json = match &signature {
        Some(signature) => crate::authenticode::record_in_manifest(&manifest.to_json(), signature),
        None => manifest.to_json(),
    };
    for (name, text) in [(manifests[0].clone(), manifest.to_sha256sum()), (manifests[1].clone(), json)] {
        let path = media.join(&name);
        if let Some(key) = &key {
            let signature = key.sign(text.as_bytes(), &name)?;
            files.push((path.clone(), text.into_bytes()));
            files.push((crate::manifest::minisign::signature_path(&path), signature.into_bytes()));
        } else {
            files.push((path, text.into_bytes()));
        }
    }
    let borrowed: Vec<(&Path, &[u8])> = files.iter().map(|(p, b)| (p.as_path(), b.as_slice())).collect();
    crate::dest::write_file::write_files(&borrowed)?;
    let written = files.into_iter().map(|(path, _)| path).collect();
    drop(lock);
    let parts = staged.into_iter().map(|(part, _)| part).collect();
    Ok(StageReport { media: media.to_path_buf(), parts, written, bytes_copied })
}

/// `SHA256SUMS` and `NAME.manifest.json`.
fn manifest_names(set_name: &str) -> Vec<String> {
    Beside::WRITTEN.iter().map(|beside| beside.file_name(set_name)).collect()
}

/// Whether the manifest at `path` names only this set's parts (an earlier
/// staging of the same set), so it may be replaced without asking.
fn lists_only(path: &Path, parts: &[Part]) -> bool {
    Manifest::read(path)
        .is_ok_and(|m| m.entries.iter().all(|e| parts.iter().any(|part| part.name == e.name || part.name == e.path)))
}

/// Removes partial copies an interrupted staging left (in subfolders too:
/// an installer's external files keep their folders).
fn remove_leftovers(media: &Path) -> Result<()> {
    fs::read_dir(media).map_err(|e| Error::io(media, e))?;
    for entry in walkdir::WalkDir::new(media).min_depth(1).follow_links(false).into_iter().flatten() {
        if entry.file_type().is_file() && entry.file_name().to_string_lossy().ends_with(COPYING_SUFFIX) {
            fs::remove_file(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
        }
    }
    Ok(())
}

/// One part of the set, as staging sees it.
struct Part {
    /// The part as a progress item: its position in the set's parts.
    item: Item,
    /// Where it is read from.
    source: PathBuf,
    /// Its path in the set (and so on the media).
    name: String,
    size: u64,
    /// The SHA-256 the source's manifest gives it.
    listed: Option<Digest256>,
    /// Its source's SHA-256, when it was hashed before the copy (a file of
    /// its size was on the media).
    hashed: Option<Digest256>,
}

/// The error for a source part whose bytes are not the ones its manifest
/// lists; `then` says what became of the staging (found before the copy:
/// "; nothing was staged").
fn source_mismatch(name: &str, then: &str) -> Error {
    Error::Integrity {
        what: name.to_owned(),
        reason: format!(
            "the source part does not match the manifest beside it; download it again before staging{then}"
        ),
    }
}

/// Copies `parts` one after the other, each read once from the source
/// (hashed on the way), and reads each copy back from the device on a
/// second thread while the next one is copied. One result per part, in
/// order; a part whose copy or read-back failed does not stop the others.
fn copy_and_read_back(
    parts: &[&Part],
    media: &crate::dest::DestDir,
    placed: &std::sync::Mutex<Vec<String>>,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Vec<Result<(StagedPart, Digest256)>> {
    let mut results: Vec<Option<Result<(StagedPart, Digest256)>>> = parts.iter().map(|_| None).collect();
    std::thread::scope(|scope| {
        // No queue: the copier hands a part over when the reader is free, so
        // at most one part is read back while the next is copied.
        let (hand_over, copies) = std::sync::mpsc::sync_channel::<(usize, Digest256)>(0);
        let reader = scope.spawn(move || {
            copies
                .into_iter()
                .map(|(index, digest)| {
                    let part = parts[index];
                    let back = read_back(&media.path().join(&part.name), cancel);
                    // Each byte counts once, as it is written; reading it
                    // back is part of the item (`item_finished` comes after it).
                    progress.item_finished(part.item);
                    let outcome = match back {
                        Ok(back) if back == digest => Ok((
                            StagedPart {
                                name: part.name.clone(),
                                size: part.size,
                                sha256: hex(&digest),
                                action: StageAction::Copied,
                            },
                            digest,
                        )),
                        Ok(_) => {
                            let _ = fs::remove_file(media.path().join(&part.name));
                            Err(Error::Integrity {
                                what: part.name.clone(),
                                reason: "the copy on the media does not read back with the source's SHA-256: the media or the path to it is faulty; try another device".to_owned(),
                            })
                        }
                        Err(error) => Err(error),
                    };
                    (index, outcome)
                })
                .collect::<Vec<_>>()
        });
        for (index, part) in parts.iter().enumerate() {
            if cancel.is_cancelled() {
                results[index] = Some(Err(Error::Interrupted));
                continue;
            }
            progress.item_started(part.item, &part.name, part.size);
            match copy_part(part, media, progress, cancel) {
                Ok(digest) => {
                    placed.lock().unwrap_or_else(|e| e.into_inner()).push(part.name.clone());
                    // The reader only stops early by panicking, which the
                    // scope passes on.
                    let _ = hand_over.send((index, digest));
                }
                Err(error) => results[index] = Some(Err(error)),
            }
        }
        drop(hand_over);
        let read = reader.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        for (index, outcome) in read {
            results[index] = Some(outcome);
        }
    });
    results.into_iter().map(|result| result.unwrap_or(Err(Error::Interrupted))).collect()
}

/// Copies a part to its name in the media folder through a temporary name,
/// both created and renamed in the folder's handle, and returns the SHA-256
/// of the bytes it read (and wrote). The copy is checked against what the
/// source must hold (its manifest, or its hash taken before) before it is
/// flushed to the device and renamed into place; a copy that fails leaves
/// nothing under the part's name, and its temporary file is removed.
fn copy_part(part: &Part, media: &crate::dest::DestDir, progress: &dyn Progress, cancel: &Cancel) -> Result<Digest256> {
    use sha2::Digest;
    let (source, name) = (part.source.as_path(), part.name.as_str());
    let temp_name = format!("{name}{COPYING_SUFFIX}");
    let (temp, target) = (media.path().join(&temp_name), media.path().join(name));
    let folder = media.handle();
    let outcome = (|| {
        if let Some(folder) = target.parent() {
            fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
        }
        let mut input = File::open(source).map_err(|e| Error::io(source, e))?;
        crate::platform::advise_sequential(&input);
        let mut output = crate::dest::create_file(folder, &temp_name).map_err(|e| {
            media.refuse_link(folder, &temp_name, &temp_name).err().unwrap_or_else(|| Error::io(&temp, e))
        })?;
        let mut hasher = sha2::Sha256::new();
        let mut writeback = crate::dest::writeback::Writeback::default();
        let mut buffer = vec![0u8; BLOCK];
        let mut offset = 0u64;
        loop {
            cancel.check()?;
            let n = match input.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Error::io(source, crate::read::read_fault::at(source, offset, e))),
            };
            hasher.update(&buffer[..n]);
            output.write_all(&buffer[..n]).map_err(|e| Error::io(&temp, e))?;
            offset = offset.saturating_add(n as u64); // bytes of one file
            writeback.written(&output, offset);
            progress.advance(part.item, n as u64);
        }
        writeback.finish(&output, offset);
        let digest: Digest256 = hasher.finalize().into();
        if part.listed.is_some_and(|listed| listed != digest) {
            return Err(source_mismatch(name, ""));
        }
        if part.hashed.is_some_and(|hashed| hashed != digest) {
            return Err(Error::Integrity {
                what: name.to_owned(),
                reason: "the source part changed while it was being staged; stage again once nothing writes to it"
                    .to_owned(),
            });
        }
        // The copy keeps the part's mode bits (an executable `.exe` stays one).
        let mode = input.metadata().map_err(|e| Error::io(source, e))?.permissions();
        output.set_permissions(mode).map_err(|e| Error::io(&temp, e))?;
        output.sync_all().map_err(|e| Error::io(&temp, e))?;
        drop_cached_pages(&output);
        folder.rename(&temp_name, folder, name).map_err(|e| Error::io(&target, e))?;
        Ok(digest)
    })();
    if outcome.is_err() {
        let _ = folder.remove_file(&temp_name);
    }
    outcome
}

/// SHA-256 of `path` as the device returns it, not the system's cache
/// (`platform::open_uncached`). Its bytes are not the copy's, so no observer
/// hears of them (the copy's item ends after its read-back).
fn read_back(path: &Path, cancel: &Cancel) -> Result<Digest256> {
    crate::read::hash::hash_uncached(path, cancel)
}

/// Asks the kernel to forget the file's clean cached pages.
fn drop_cached_pages(file: &File) {
    crate::platform::forget_cached_pages(file);
}
