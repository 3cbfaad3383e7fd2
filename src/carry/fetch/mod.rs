//! Downloading a whole set from the vendor into one folder: parallel,
//! resumable, hashed as it streams.
//!
//! [`plan_fetch`] turns the URLs given into the set's parts: from one installer URL
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

#[cfg(feature = "fuzzing")]
mod canned;
mod http;
mod plan;
mod planner;
mod report;
mod state;
mod transfer;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::manifest::{Beside, Manifest};
use crate::read::hash::{Digest256, PartAccess, hash_file, hex};
use crate::vocab::error::{Error, Result};
use crate::vocab::progress::{Cancel, Item, NoProgress, Progress, Task};

#[cfg(feature = "fuzzing")]
pub use canned::{CannedOutcome, CannedPart, CannedRequest, CannedResume, transfer_canned};
use plan::PartUrl;
pub use state::DOWNLOAD_SUFFIX;
use state::PartFiles;
use transfer::{Transfer, Transferred};

use planner::Planner;
pub use report::{FetchPlan, FetchReport, FetchedPart, PartAction, PlanSource, PlannedPart};

/// Room kept for the manifests beside the parts.
pub(super) const MANIFEST_ROOM: u64 = 1 << 20;
/// The largest published manifest read from a URL.
pub(super) const MANIFEST_LIMIT: u64 = 16 << 20;

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
    /// Proxy URL for every request; `None` chooses per URL from the environment as curl does (see `http::Proxies`).
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
    pub signer: Option<crate::authenticode::SignerPolicy>,
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

/// Plans and downloads; see [`plan_fetch`] and [`download`].
///
/// `no_run`: it needs the vendor's server.
///
/// ```no_run
/// use airlock::{FetchOptions, NoProgress};
///
/// // The installer's URL alone: its Inno Setup header names the slices.
/// let url = "https://download.vendor.example/mabs/v4/MicrosoftAzureBackupInstaller.exe".to_owned();
/// let mut options = FetchOptions::new("downloads/mabs");
/// options.manifest = Some("https://download.vendor.example/mabs/v4/SHA256SUMS".to_owned());
/// let report = airlock::fetch(&[url], &options, &NoProgress)?;
/// assert!(report.check.is_ok()); // the completeness check ran on what arrived
/// for written in &report.written {
///     println!("wrote {}", written.display()); // SHA256SUMS, NAME.manifest.json
/// }
/// # Ok::<(), airlock::Error>(())
/// ```
pub fn fetch(urls: &[String], options: &FetchOptions, progress: &dyn Progress) -> Result<FetchReport> {
    download(plan_fetch(urls, options, progress)?, options, progress)
}

/// Works out the set's parts and their sizes; see the module docs. Fetches
/// the installer itself when the parts are named by its header.
///
/// Show the plan first, as the binary does (`airlock::plan_fetch`, then
/// `airlock::download`); `no_run`: it needs the vendor's server.
///
/// ```no_run
/// use airlock::{FetchOptions, NoProgress};
///
/// let options = FetchOptions::new("downloads/mabs");
/// let url = "https://download.vendor.example/mabs/v4/MicrosoftAzureBackupInstaller.exe".to_owned();
/// let plan = airlock::plan_fetch(&[url], &options, &NoProgress)?;
/// for part in &plan.parts {
///     println!("{:>12}  {}", part.size.map_or("?".to_owned(), |s| s.to_string()), part.name);
/// }
/// let report = airlock::download(plan, &options, &NoProgress)?;
/// # let _ = report;
/// # Ok::<(), airlock::Error>(())
/// ```
pub fn plan_fetch(urls: &[String], options: &FetchOptions, progress: &dyn Progress) -> Result<FetchPlan> {
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
    let mut planner =
        Planner { agent: &agent, options, dir: &dir, progress, expected: HashMap::new(), published_paths: Vec::new() };
    if let Some(source) = &options.manifest {
        (planner.expected, planner.published_paths) = planner.published(source)?;
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
                    let outcome = if options.cancel.is_cancelled() {
                        Err(Error::Interrupted)
                    } else {
                        get_part(&plan, index, options, progress)
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

    let set = crate::set::discover::discover(&plan.dir.join(&plan.head))?;
    let report = crate::set::check::run(&set, None, &options.cancel, progress)?.into_result()?.report;
    let streamed: HashMap<&str, (u64, Digest256)> = fetched
        .iter()
        .filter_map(|p| crate::read::hash::parse_hex(&p.sha256).map(|d| (p.name.as_str(), (p.size, d))))
        .collect();
    let mut entries = Vec::new();
    // The parts, then the installer's external files by their path in the set.
    for (path, name) in report.member_paths().into_iter().zip(report.members().map(|p| p.name.clone())) {
        let (size, digest) = match streamed.get(name.as_str()) {
            Some(known) => *known,
            // A part the check counts that this run did not fetch (listed by
            // hand before): hash it like any other.
            None => {
                let size = fs::metadata(&path).map_err(|e| Error::io(&path, e))?.len();
                (size, hash_file(&path, PartAccess::Read, &NoProgress, &options.cancel)?)
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
    crate::dest::write_file::write_files(&borrowed)?;
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

/// Downloads (or, when already complete, hashes) the plan's part `index`
/// (its item in `progress`).
fn get_part(
    plan: &FetchPlan,
    index: usize,
    options: &FetchOptions,
    progress: &dyn Progress,
) -> Result<(Transferred, PartAction)> {
    let (part, item) = (&plan.parts[index], Item::Part(index));
    let files = PartFiles::new(&plan.dir, &part.name);
    if part.complete {
        let digest = hash_file(&files.done, PartAccess::Read, &NoProgress, &options.cancel)?;
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
        let done = Transferred::already_there(part.present, digest);
        return Ok((done, PartAction::AlreadyThere));
    }
    progress.item_started(item, &part.name, part.size.unwrap_or(0));
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
        item,
    }
    .run();
    progress.item_finished(item);
    let done = outcome?;
    let action = if done.resumed_bytes > 0 { PartAction::Resumed } else { PartAction::Downloaded };
    Ok((done, action))
}

/// `SHA256SUMS` and `NAME.manifest.json`.
fn manifest_names(set_name: &str) -> [String; 2] {
    Beside::WRITTEN.map(|beside| beside.file_name(set_name))
}

/// Refuses to start when the folder holds manifests of something else that
/// the end of the download would replace (checked before any download).
fn ensure_manifests_replaceable(dir: &Path, head: &str) -> Result<()> {
    let family = crate::vocab::naming::classify(head);
    let set_name = family.as_ref().map_or_else(|| head.to_owned(), |n| n.base.clone());
    let ours = |name: &str| match (&family, crate::vocab::naming::classify(name)) {
        (Some(head), Some(part)) => head.family == part.family,
        _ => name.eq_ignore_ascii_case(head),
    };
    let in_the_way: Vec<String> = manifest_names(&set_name)
        .into_iter()
        .filter(|name| {
            let path = dir.join(name);
            // Files in subfolders are an installer's external files (an
            // earlier fetch of the set wrote them).
            path.exists()
                && !Manifest::read(&path).is_ok_and(|m| m.entries.iter().all(|e| ours(&e.name) || e.path.contains('/')))
        })
        .collect();
    if in_the_way.is_empty() {
        Ok(())
    } else {
        Err(Error::Argument {
            what: dir.display().to_string(),
            reason: format!(
                "already holds {} listing other files; download into an empty folder{} or move them away",
                in_the_way.join(" and "),
                crate::vocab::hint::Hint::DestOption
            ),
        })
    }
}

/// The free-space rule, before the first byte of the parts is downloaded.
pub(super) fn ensure_space(dir: &Path, needed: u64) -> Result<()> {
    let (available, measured) = crate::dest::space::available_space(dir)?;
    if available < needed {
        return Err(Error::NoSpace { path: measured, needed, available });
    }
    Ok(())
}
