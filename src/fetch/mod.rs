//! Downloading a whole set from the vendor into one folder: parallel,
//! resumable, hashed as it streams.
//!
//! [`plan`] turns the URLs given into the set's parts: from one installer URL
//! it fetches the `.exe`, reads its Inno Setup header (slice count, slices per
//! disk, naming) and names every `NAME-N.bin` beside it; from `NAME.7z.001` it
//! reads the 32-byte start header (a ranged request, nothing else) for the
//! archive's length and so the number of volumes; from other names it probes
//! the next part numbers until the server says 404; several URLs are taken as
//! the list of parts. Every part's size is asked of the server (`HEAD`), the
//! free space in the folder is checked against what is still to download, and
//! manifests already in the folder that belong to another set stop it there.
//!
//! [`download`] then fetches the parts `jobs` at a time ([`transfer`]: resume,
//! retries, SHA-256 while writing, size checks, rename when complete), runs
//! the completeness check on the folder, and writes `SHA256SUMS` and
//! `NAME.manifest.json` from the hashes it streamed. [`fetch`] is both.
//!
//! Nothing under a part's name is ever incomplete: partial bytes live in
//! `NAME.airlock-download` (see [`state`]) until they are checked.

mod canned;
mod http;
mod plan;
mod state;
mod transfer;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde::Serialize;

use crate::check::{CheckReport, check};
use crate::error::{Error, Result};
use crate::hash::{Digest256, hash_file, hex};
use crate::manifest::{BESIDE_NAMES, Manifest};
use crate::progress::{Cancel, NoProgress, Progress, Task};

pub use canned::{CannedOutcome, CannedPart, CannedRequest, CannedResume, transfer_canned};
use plan::{Family, PartUrl};
pub use state::DOWNLOAD_SUFFIX;
use state::PartFiles;
use transfer::{Transfer, Transferred};

/// Room kept for the manifests beside the parts.
const MANIFEST_ROOM: u64 = 1 << 20;
/// The largest published manifest read from a URL.
const MANIFEST_LIMIT: u64 = 16 << 20;

/// How to download. Start from [`FetchOptions::new`] and set what differs.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct FetchOptions {
    /// The folder the set is downloaded into (created if missing).
    pub dest: PathBuf,
    /// Parts downloaded at once.
    pub jobs: usize,
    /// Attempts after the first for each request that fails in passing
    /// (connection reset, timeout, 5xx).
    pub retries: u32,
    /// The wait before the first retry; it doubles with each one (at most a minute).
    pub retry_delay: Duration,
    /// A transfer with no progress for this long fails (and is retried).
    pub timeout: Duration,
    /// Proxy URL; `None` takes `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` and `NO_PROXY`.
    pub proxy: Option<String>,
    /// PEM file of extra trusted root certificates (added to the system's).
    pub ca_file: Option<PathBuf>,
    /// Published hashes to compare every part with: a file or an http(s) URL.
    pub manifest: Option<String>,
    /// Stops the work early when set; partial parts stay resumable.
    pub cancel: Cancel,
    /// The installer's Authenticode check: with a signer required, an
    /// installer not validly signed by it stops the fetch before any slice
    /// is downloaded (`None`: not checked).
    pub signer: Option<crate::authenticode::Trust>,
}

impl FetchOptions {
    /// The defaults: 4 jobs, 5 retries from 1 s, 30 s timeout, proxy from the environment.
    pub fn new(dest: impl Into<PathBuf>) -> Self {
        Self {
            dest: dest.into(),
            jobs: 4,
            retries: 5,
            retry_delay: Duration::from_secs(1),
            timeout: Duration::from_secs(30),
            proxy: None,
            ca_file: None,
            manifest: None,
            cancel: Cancel::new(),
            signer: None,
        }
    }
}

/// Where the list of parts came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PlanSource {
    /// The Inno Setup installer's header (slice count and naming).
    InnoHeader,
    /// The 7z start header (archive length, so the volume count).
    SevenZHeader,
    /// The URLs given.
    Listed,
    /// Asking for the next part numbers until the server said 404.
    Probed,
    /// One file.
    Single,
}

/// One part the plan will download.
#[derive(Clone, Debug, Serialize)]
pub struct PlannedPart {
    /// Its file name in the download folder.
    pub name: String,
    /// Its URL.
    pub url: String,
    /// Its size as the server announced it.
    pub size: Option<u64>,
    /// Where the server's redirects led (when they did).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub final_url: Option<String>,
    /// Bytes already in the folder from an earlier run (all of them when complete).
    pub present: u64,
    /// Whether the part is already complete in the folder.
    pub complete: bool,
    #[serde(skip)]
    slice: bool,
    #[serde(skip)]
    fetched: Option<(Transferred, PartAction)>,
}

/// The parts of a set to download, ready for [`download`].
#[derive(Clone, Debug)]
pub struct FetchPlan {
    /// The download folder.
    pub dir: PathBuf,
    /// The head part's file name (`NAME.exe`, `NAME.7z.001` …).
    pub head: String,
    /// How the parts were found.
    pub source: PlanSource,
    /// Every part, head first.
    pub parts: Vec<PlannedPart>,
    /// The published manifest compared with, when one was given.
    pub published: Option<String>,
    expected: HashMap<String, Digest256>,
    agent: ureq::Agent,
}

impl FetchPlan {
    /// Bytes still to download (the installer fetched to plan is done).
    pub fn remaining(&self) -> u64 {
        self.parts
            .iter()
            .filter(|p| !p.complete && p.fetched.is_none())
            .map(|p| p.size.unwrap_or(0).saturating_sub(p.present))
            .fold(0u64, u64::saturating_add)
    }
}

/// What happened to one part.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PartAction {
    /// Downloaded in this run from the first byte.
    Downloaded,
    /// Continued from bytes an earlier run left.
    Resumed,
    /// Already complete in the folder; hashed, not downloaded.
    AlreadyThere,
}

/// One downloaded part.
#[derive(Clone, Debug, Serialize)]
pub struct FetchedPart {
    /// Its file name.
    pub name: String,
    /// Its URL.
    pub url: String,
    /// Where the server's redirects led.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub final_url: Option<String>,
    /// Its size.
    pub size: u64,
    /// Its SHA-256 (hex), computed while it was written.
    pub sha256: String,
    /// What was done.
    pub action: PartAction,
    /// Requests retried after passing failures.
    pub retries: u32,
    /// Bytes kept from an earlier run.
    pub resumed_bytes: u64,
    /// Bytes received in this run.
    pub received_bytes: u64,
    /// Why the part started again from zero, each time it did.
    pub restarts: Vec<String>,
}

/// What a download did.
#[derive(Clone, Debug, Serialize)]
pub struct FetchReport {
    /// The download folder.
    pub dir: PathBuf,
    /// How the parts were found.
    pub source: PlanSource,
    /// Every part, head first.
    pub parts: Vec<FetchedPart>,
    /// The manifests written.
    pub written: Vec<PathBuf>,
    /// The published manifest every part matched, when one was given.
    pub published: Option<String>,
    /// The completeness check of the folder.
    pub check: CheckReport,
}

/// Plans and downloads; see [`plan`] and [`download`].
pub fn fetch(urls: &[String], options: &FetchOptions, progress: &dyn Progress) -> Result<FetchReport> {
    download(plan(urls, options, progress)?, options, progress)
}

/// Works out the set's parts and their sizes; see the module docs. Fetches
/// the installer itself when the parts are named by its header.
pub fn plan(urls: &[String], options: &FetchOptions, progress: &dyn Progress) -> Result<FetchPlan> {
    let given = urls.iter().map(|url| PartUrl::parse(url)).collect::<Result<Vec<_>>>()?;
    let Some(first) = given.first() else {
        return Err(Error::Argument { what: "airlock fetch".into(), reason: "give at least one URL".into() });
    };
    let mut seen = std::collections::HashSet::new();
    for url in &given {
        if !seen.insert(url.name.to_lowercase()) {
            return Err(Error::Argument {
                what: url.name.clone(),
                reason: "is named by two URLs; every part needs its own name in the folder".into(),
            });
        }
    }
    let dir = options.dest.clone();
    fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    ensure_manifests_replaceable(&dir, &first.name)?;
    let agent = http::agent(&http::ClientSettings {
        proxy: options.proxy.clone(),
        ca_file: options.ca_file.clone(),
        timeout: options.timeout,
    })?;
    let mut planner = Planner { agent: &agent, options, dir: &dir, progress, expected: HashMap::new() };
    if let Some(source) = &options.manifest {
        planner.expected = planner.published(source)?;
    }

    let mut parts = Vec::new();
    let source = if given.len() > 1 {
        for url in &given {
            parts.push(planner.announced(&url.name, &url.sibling(&url.name), false)?);
        }
        PlanSource::Listed
    } else {
        planner.expand(first, &mut parts)?
    };
    let plan = FetchPlan {
        dir: dir.clone(),
        head: first.name.clone(),
        source,
        parts,
        published: options.manifest.clone(),
        expected: planner.expected,
        agent: agent.clone(),
    };
    ensure_space(&dir, plan.remaining().saturating_add(MANIFEST_ROOM))?;
    Ok(plan)
}

/// Downloads what `plan` lists, checks the folder and writes the manifests.
pub fn download(plan: FetchPlan, options: &FetchOptions, progress: &dyn Progress) -> Result<FetchReport> {
    let todo: Vec<usize> = (0..plan.parts.len()).filter(|&i| plan.parts[i].fetched.is_none()).collect();
    let results: Mutex<HashMap<usize, Result<(Transferred, PartAction)>>> = Mutex::new(HashMap::new());
    let next = AtomicUsize::new(0);
    progress.begin(Task::Download, plan.remaining());
    let workers = options.jobs.clamp(1, todo.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some(&index) = todo.get(next.fetch_add(1, Ordering::SeqCst)) {
                    let part = &plan.parts[index];
                    let outcome = if options.cancel.is_cancelled() {
                        Err(Error::Interrupted)
                    } else {
                        get_part(&plan, part, options, progress)
                    };
                    results.lock().unwrap_or_else(|e| e.into_inner()).insert(index, outcome);
                }
            });
        }
    });
    progress.end(Task::Download);

    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut fetched = Vec::new();
    let mut failures = Vec::new();
    for (index, part) in plan.parts.iter().enumerate() {
        let outcome = match &part.fetched {
            Some(done) => Ok(done.clone()),
            None => results.remove(&index).unwrap_or(Err(Error::Interrupted)),
        };
        match outcome {
            Ok((done, action)) => fetched.push(FetchedPart {
                name: part.name.clone(),
                url: part.url.clone(),
                final_url: done.final_url.clone().filter(|u| *u != part.url),
                size: done.size,
                sha256: hex(&done.sha256),
                action,
                retries: done.retries,
                resumed_bytes: done.resumed_bytes,
                received_bytes: done.received_bytes,
                restarts: done.restarts,
            }),
            Err(error) => failures.push(error),
        }
    }
    if failures.iter().any(|e| matches!(e, Error::Interrupted)) {
        let partial = plan
            .parts
            .iter()
            .filter(|p| PartFiles::new(&plan.dir, &p.name).partial.exists())
            .map(|p| format!("{}{DOWNLOAD_SUFFIX}", p.name))
            .collect();
        return Err(Error::FetchInterrupted { dir: plan.dir.clone(), partial });
    }
    if let Some(error) = failures.into_iter().min_by_key(failure_rank) {
        return Err(error);
    }

    let set = crate::discover::discover(&plan.dir.join(&plan.head))?;
    let report = check(&set, None)?.into_result()?;
    let streamed: HashMap<&str, (u64, Digest256)> = fetched
        .iter()
        .filter_map(|p| crate::hash::parse_hex(&p.sha256).map(|d| (p.name.as_str(), (p.size, d))))
        .collect();
    let mut entries = Vec::new();
    for path in report.part_paths() {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let (size, digest) = match streamed.get(name.as_str()) {
            Some(known) => *known,
            // A part the check counts that this run did not fetch (listed by
            // hand before): hash it like any other.
            None => {
                let size = fs::metadata(&path).map_err(|e| Error::io(&path, e))?.len();
                (size, hash_file(&path, false, &NoProgress, &options.cancel)?)
            }
        };
        entries.push((name, size, digest));
    }
    let manifest = Manifest::from_parts(&set.name, Some(report.scheme), report.payload, entries);
    // Both manifests or neither, 0644 under the umask (`write_file`).
    let files: Vec<(PathBuf, String)> = manifest_names(&set.name)
        .into_iter()
        .zip([manifest.to_sha256sum(), manifest.to_json()])
        .map(|(name, text)| (plan.dir.join(name), text))
        .collect();
    let borrowed: Vec<(&Path, &[u8])> = files.iter().map(|(p, t)| (p.as_path(), t.as_bytes())).collect();
    crate::write_file::write_files(&borrowed)?;
    let written: Vec<PathBuf> = files.into_iter().map(|(path, _)| path).collect();
    Ok(FetchReport {
        dir: plan.dir,
        source: plan.source,
        parts: fetched,
        written,
        published: plan.published,
        check: report,
    })
}

/// Which failure to report when several parts failed: the part's own
/// problems first, then the server's answers, then the network.
fn failure_rank(error: &Error) -> u8 {
    match error {
        Error::Integrity { .. } => 0,
        Error::DownloadMismatch { .. } => 1,
        Error::HttpStatus { .. } => 2,
        Error::Network { .. } => 3,
        _ => 4,
    }
}

/// Downloads (or, when already complete, hashes) one part.
fn get_part(
    plan: &FetchPlan,
    part: &PlannedPart,
    options: &FetchOptions,
    progress: &dyn Progress,
) -> Result<(Transferred, PartAction)> {
    let files = PartFiles::new(&plan.dir, &part.name);
    if part.complete {
        let digest = hash_file(&files.done, false, &NoProgress, &options.cancel)?;
        if let Some(expected) = plan.expected.get(&part.name.to_lowercase())
            && *expected != digest
        {
            return Err(Error::Integrity {
                what: part.name.clone(),
                reason: format!(
                    "{} is already in the folder but does not match the published manifest; move it away and run again to download it",
                    files.done.display()
                ),
            });
        }
        let done = Transferred {
            size: part.present,
            sha256: digest,
            final_url: None,
            retries: 0,
            resumed_bytes: part.present,
            received_bytes: 0,
            restarts: Vec::new(),
        };
        return Ok((done, PartAction::AlreadyThere));
    }
    progress.item_started(&part.name, part.size.unwrap_or(0));
    let outcome = Transfer {
        agent: &plan.agent,
        name: &part.name,
        url: &part.url,
        files,
        slice: part.slice,
        expected_sha256: plan.expected.get(&part.name.to_lowercase()).copied(),
        retries: options.retries,
        retry_delay: options.retry_delay,
        cancel: &options.cancel,
        progress,
    }
    .run();
    progress.item_finished(&part.name);
    let done = outcome?;
    let action = if done.resumed_bytes > 0 { PartAction::Resumed } else { PartAction::Downloaded };
    Ok((done, action))
}

/// `SHA256SUMS` and `NAME.manifest.json`.
fn manifest_names(set_name: &str) -> [String; 2] {
    [BESIDE_NAMES[0].to_owned(), BESIDE_NAMES[2].replace("{}", set_name)]
}

/// Refuses to start when the folder holds manifests of something else that
/// the end of the download would replace (checked before any download).
fn ensure_manifests_replaceable(dir: &Path, head: &str) -> Result<()> {
    let family = crate::naming::classify(head);
    let set_name = family.as_ref().map_or_else(|| head.to_owned(), |n| n.base.clone());
    let ours = |name: &str| match (&family, crate::naming::classify(name)) {
        (Some(head), Some(part)) => head.family == part.family,
        _ => name.eq_ignore_ascii_case(head),
    };
    let in_the_way: Vec<String> = manifest_names(&set_name)
        .into_iter()
        .filter(|name| {
            let path = dir.join(name);
            path.exists() && !Manifest::read(&path).is_ok_and(|m| m.entries.iter().all(|e| ours(&e.name)))
        })
        .collect();
    if in_the_way.is_empty() {
        Ok(())
    } else {
        Err(Error::Argument {
            what: dir.display().to_string(),
            reason: format!(
                "already holds {} listing other files; download into an empty folder (-d) or move them away",
                in_the_way.join(" and ")
            ),
        })
    }
}

/// The free-space rule, before the first byte of the parts is downloaded.
fn ensure_space(dir: &Path, needed: u64) -> Result<()> {
    let (available, measured) = crate::space::available_space(dir)?;
    if available < needed {
        return Err(Error::NoSpace { path: measured, needed, available });
    }
    Ok(())
}

/// The planning steps, sharing the agent and options.
struct Planner<'a> {
    agent: &'a ureq::Agent,
    options: &'a FetchOptions,
    dir: &'a Path,
    progress: &'a dyn Progress,
    expected: HashMap<String, Digest256>,
}

/// What a `HEAD` said about a URL.
struct Announced {
    size: Option<u64>,
    final_url: String,
}

impl Planner<'_> {
    /// With `--signer`, the installer just fetched must be validly signed by
    /// it before anything else is downloaded: a download that is not the
    /// vendor's costs its few MB, not the whole set.
    fn require_signer(&self, name: &str) -> Result<()> {
        let Some(trust) = self.options.signer.as_ref().filter(|t| t.required_signer().is_some()) else {
            return Ok(());
        };
        let report = crate::authenticode::verify_file(&self.dir.join(name), trust)?;
        match crate::authenticode::requirement_problem(report.as_ref(), trust) {
            Some(reason) => {
                Err(Error::Integrity { what: name.to_owned(), reason: format!("{reason}; no slice was downloaded") })
            }
            None => Ok(()),
        }
    }

    /// The parts one URL leads to, head first.
    fn expand(&self, head: &PartUrl, parts: &mut Vec<PlannedPart>) -> Result<PlanSource> {
        let head_url = head.sibling(&head.name);
        let mut first = self.announced(&head.name, &head_url, false)?;
        match plan::numbered_family(&head.name) {
            Some(Family::Slices { base }) => {
                // The installer is needed whole to read its header.
                ensure_space(self.dir, first.size.unwrap_or(0).saturating_add(MANIFEST_ROOM))?;
                self.fetch_now(&mut first)?;
                self.require_signer(&head.name)?;
                let info = crate::payload::inno::probe(&self.dir.join(&head.name))?;
                parts.push(first);
                if let Some(info) = info.filter(|i| i.data_in_slices && i.slice_count > 0) {
                    let base = self.slice_base(head, &base, info.base_filename.as_deref(), info.slices_per_disk)?;
                    for index in 0..info.slice_count {
                        let name = plan::inno_slice_name(&base, index, info.slices_per_disk);
                        parts.push(self.announced(&name, &head.sibling(&name), true)?);
                    }
                    return Ok(PlanSource::InnoHeader);
                }
                self.probe(head, &Family::Slices { base }, 1, parts)
            }
            Some(Family::Volumes { base }) => {
                let length =
                    if base.to_ascii_lowercase().ends_with(".7z") { self.sevenz_length(&head_url)? } else { None };
                parts.push(first);
                match (length, parts[0].size) {
                    (Some(length), Some(volume)) => {
                        let family = Family::Volumes { base };
                        let count = plan::volume_count(length, volume).ok_or_else(|| Error::DownloadMismatch {
                            part: head.name.clone(),
                            url: head_url.clone(),
                            reason: format!(
                                "its 7z start header gives an archive of {length} bytes, which {volume}-byte volumes cannot hold"
                            ),
                        })?;
                        for number in 2..=count {
                            let name = family.member(number);
                            parts.push(self.announced(&name, &head.sibling(&name), false)?);
                        }
                        Ok(PlanSource::SevenZHeader)
                    }
                    _ => self.probe(head, &Family::Volumes { base }, 2, parts),
                }
            }
            None => {
                parts.push(first);
                Ok(PlanSource::Single)
            }
        }
    }

    /// Asks for `family` members from `from` on until the server says 404.
    fn probe(&self, head: &PartUrl, family: &Family, from: u32, parts: &mut Vec<PlannedPart>) -> Result<PlanSource> {
        let mut found = false;
        for number in from..=plan::PROBE_LIMIT {
            let name = family.member(number);
            let url = head.sibling(&name);
            match self.head_request(&name, &url)? {
                Some(announced) => {
                    parts.push(self.planned(&name, &url, announced, false)?);
                    found = true;
                }
                None => break,
            }
        }
        Ok(if found { PlanSource::Probed } else { PlanSource::Single })
    }

    /// The slices' base name: the installer URL's, or the one its header
    /// records when the server has no slices under the first.
    fn slice_base(&self, head: &PartUrl, url_base: &str, header_base: Option<&str>, per_disk: u32) -> Result<String> {
        let Some(header_base) = header_base.filter(|b| !b.eq_ignore_ascii_case(url_base)) else {
            return Ok(url_base.to_owned());
        };
        let first = plan::inno_slice_name(url_base, 0, per_disk);
        if self.head_request(&first, &head.sibling(&first))?.is_some() {
            return Ok(url_base.to_owned());
        }
        Ok(header_base.to_owned())
    }

    /// A part whose size the server must announce (a 404 is an error here).
    fn announced(&self, name: &str, url: &str, slice: bool) -> Result<PlannedPart> {
        match self.head_request(name, url)? {
            Some(announced) => self.planned(name, url, announced, slice),
            None => Err(Error::HttpStatus { part: name.to_owned(), url: url.to_owned(), status: 404 }),
        }
    }

    /// A planned part, with what the folder already holds of it.
    fn planned(&self, name: &str, url: &str, announced: Announced, slice: bool) -> Result<PlannedPart> {
        let files = PartFiles::new(self.dir, name);
        let (present, complete) = match fs::metadata(&files.done) {
            Ok(meta) => match announced.size {
                Some(size) if size != meta.len() => {
                    return Err(Error::Argument {
                        what: files.done.display().to_string(),
                        reason: format!(
                            "is already there with {} bytes where the server has {size} for {url}; move it away and run again",
                            meta.len()
                        ),
                    });
                }
                _ => (meta.len(), true),
            },
            Err(_) => (files.resumable(url).map_or(0, |_| files.partial_len()), false),
        };
        Ok(PlannedPart {
            name: name.to_owned(),
            url: url.to_owned(),
            size: announced.size,
            final_url: Some(announced.final_url).filter(|u| u != url),
            present,
            complete,
            slice,
            fetched: None,
        })
    }

    /// Downloads a part during planning (the installer, to read its header).
    fn fetch_now(&self, part: &mut PlannedPart) -> Result<()> {
        let files = PartFiles::new(self.dir, &part.name);
        let (done, action) = if part.complete {
            let digest = hash_file(&files.done, false, &NoProgress, &self.options.cancel)?;
            let done = Transferred {
                size: part.present,
                sha256: digest,
                final_url: None,
                retries: 0,
                resumed_bytes: part.present,
                received_bytes: 0,
                restarts: Vec::new(),
            };
            (done, PartAction::AlreadyThere)
        } else {
            self.progress.begin(Task::Download, part.size.unwrap_or(0).saturating_sub(part.present));
            self.progress.item_started(&part.name, part.size.unwrap_or(0));
            let outcome = Transfer {
                agent: self.agent,
                name: &part.name,
                url: &part.url,
                files,
                slice: false,
                expected_sha256: self.expected.get(&part.name.to_lowercase()).copied(),
                retries: self.options.retries,
                retry_delay: self.options.retry_delay,
                cancel: &self.options.cancel,
                progress: self.progress,
            }
            .run();
            self.progress.item_finished(&part.name);
            self.progress.end(Task::Download);
            match outcome {
                Ok(done) if done.resumed_bytes > 0 => (done, PartAction::Resumed),
                Ok(done) => (done, PartAction::Downloaded),
                Err(Error::Interrupted) => {
                    return Err(Error::FetchInterrupted {
                        dir: self.dir.to_path_buf(),
                        partial: vec![format!("{}{DOWNLOAD_SUFFIX}", part.name)],
                    });
                }
                Err(error) => return Err(error),
            }
        };
        if let Some(expected) = self.expected.get(&part.name.to_lowercase())
            && *expected != done.sha256
        {
            return Err(Error::Integrity {
                what: part.name.clone(),
                reason:
                    "is already in the folder but does not match the published manifest; move it away and run again"
                        .to_owned(),
            });
        }
        part.fetched = Some((done, action));
        Ok(())
    }

    /// `HEAD url` with retries: `None` for 404/410, an error for other failures.
    fn head_request(&self, name: &str, url: &str) -> Result<Option<Announced>> {
        let mut retries = 0u32;
        loop {
            self.options.cancel.check()?;
            let failure = match self.agent.head(url).call() {
                Ok(response) => {
                    let head = http::head_of(&response);
                    let final_url = ureq::ResponseExt::get_uri(&response).to_string();
                    match head.status {
                        200..=299 => return Ok(Some(Announced { size: head.content_length, final_url })),
                        404 | 410 => return Ok(None),
                        405 | 501 => return self.ranged_size(name, url),
                        408 | 425 | 429 | 500..=599 => {
                            Err(Error::HttpStatus { part: name.to_owned(), url: url.to_owned(), status: head.status })
                        }
                        status => {
                            return Err(Error::HttpStatus { part: name.to_owned(), url: url.to_owned(), status });
                        }
                    }
                }
                Err(error) if http::is_passing(&error) => Err(Error::Network {
                    part: name.to_owned(),
                    url: url.to_owned(),
                    reason: error.to_string(),
                    attempts: retries + 1,
                }),
                Err(error) => {
                    return Err(Error::Network {
                        part: name.to_owned(),
                        url: url.to_owned(),
                        reason: error.to_string(),
                        attempts: retries + 1,
                    });
                }
            };
            if retries >= self.options.retries {
                return failure.map(|()| None);
            }
            retries += 1;
            self.wait(retries)?;
        }
    }

    /// The size of a file whose server refuses `HEAD`: from the total of a one-byte range.
    fn ranged_size(&self, name: &str, url: &str) -> Result<Option<Announced>> {
        let response = self.agent.get(url).header("Range", "bytes=0-0").call().map_err(|e| Error::Network {
            part: name.to_owned(),
            url: url.to_owned(),
            reason: e.to_string(),
            attempts: 1,
        })?;
        let head = http::head_of(&response);
        let final_url = ureq::ResponseExt::get_uri(&response).to_string();
        match head.status {
            200..=299 => Ok(Some(Announced { size: head.total_size(), final_url })),
            404 | 410 => Ok(None),
            status => Err(Error::HttpStatus { part: name.to_owned(), url: url.to_owned(), status }),
        }
    }

    /// The archive length in the 7z start header at `url` (a 32-byte ranged request).
    fn sevenz_length(&self, url: &str) -> Result<Option<u64>> {
        let Ok(response) = self.agent.get(url).header("Range", "bytes=0-31").call() else {
            return Ok(None);
        };
        if !matches!(response.status().as_u16(), 200 | 206) {
            return Ok(None);
        }
        let mut header = Vec::with_capacity(32);
        let mut reader = std::io::Read::take(response.into_body().into_reader(), 32);
        if std::io::Read::read_to_end(&mut reader, &mut header).is_err() {
            return Ok(None);
        }
        Ok(crate::payload::detect::sevenz_archive_length(&header))
    }

    /// The published manifest's hashes by part name.
    fn published(&self, source: &str) -> Result<HashMap<String, Digest256>> {
        let manifest = if source.starts_with("http://") || source.starts_with("https://") {
            let response = self.agent.get(source).call().map_err(|e| Error::Network {
                part: "the manifest".into(),
                url: source.to_owned(),
                reason: e.to_string(),
                attempts: 1,
            })?;
            let status = response.status().as_u16();
            if status != 200 {
                return Err(Error::HttpStatus { part: "the manifest".into(), url: source.to_owned(), status });
            }
            let text = response.into_body().with_config().limit(MANIFEST_LIMIT).read_to_string().map_err(|e| {
                Error::Manifest { path: PathBuf::from(source), line: 0, reason: format!("cannot be read: {e}") }
            })?;
            Manifest::parse(&text, Path::new(source))?
        } else {
            Manifest::read(Path::new(source))?
        };
        Ok(manifest.entries.into_iter().map(|e| (e.name.to_lowercase(), e.sha256)).collect())
    }

    fn wait(&self, retry: u32) -> Result<()> {
        let factor = 1u32.checked_shl(retry.saturating_sub(1)).unwrap_or(u32::MAX);
        let until =
            std::time::Instant::now() + self.options.retry_delay.saturating_mul(factor).min(Duration::from_secs(60));
        while std::time::Instant::now() < until {
            self.options.cancel.check()?;
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(())
    }
}
