//! The planning steps over the network: the head fetched first (its
//! Authenticode signer checked with `--signer`), `HEAD` and ranged requests
//! for sizes, a 7z start header for the volume count, probing for the next
//! part numbers, published manifests, and the waits between retries.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::manifest::Manifest;
use crate::read::hash::{Digest256, PartAccess, hash_file};
use crate::vocab::error::{Error, Result};
use crate::vocab::progress::{Item, NoProgress, Progress, Task};

use super::http;
use super::plan::{self, Family, PartUrl};
use super::state::{DOWNLOAD_SUFFIX, PartFiles};
use super::transfer::{Transfer, Transferred};
use super::{FetchOptions, MANIFEST_LIMIT, MANIFEST_ROOM, PartAction, PlanSource, PlannedPart, ensure_space};

/// The planning steps, sharing the agent and options.
pub(super) struct Planner<'a> {
    pub(super) agent: &'a super::http::Client,
    pub(super) options: &'a FetchOptions,
    pub(super) dir: &'a Path,
    pub(super) progress: &'a dyn Progress,
    pub(super) expected: HashMap<String, Digest256>,
    /// The published manifest's files in subfolders (`SQL/x.exe`), as it
    /// names them: what an installer's wildcard external entry takes.
    pub(super) published_paths: Vec<String>,
}

/// What a `HEAD` said about a URL.
pub(super) struct Announced {
    size: Option<u64>,
    final_url: String,
}

impl Planner<'_> {
    /// With `--signer`, the installer just fetched must be validly signed by
    /// it before anything else is downloaded: a download that is not the
    /// vendor's costs its few MB, not the whole set.
    pub(super) fn require_signer(&self, name: &str) -> Result<()> {
        let Some(trust) = self.options.signer.as_ref().filter(|t| t.required_signer().is_some()) else {
            return Ok(());
        };
        let report = crate::authenticode::verify_authenticode(&self.dir.join(name), trust, &self.options.cancel)?;
        match crate::authenticode::signer_requirement_problem(report.as_ref(), trust) {
            Some(reason) => {
                Err(Error::Integrity { what: name.to_owned(), reason: format!("{reason}; no slice was downloaded") })
            }
            None => Ok(()),
        }
    }

    /// The parts one URL leads to, head first.
    pub(super) fn expand(&self, head: &PartUrl, parts: &mut Vec<PlannedPart>) -> Result<PlanSource> {
        let head_url = head.sibling(&head.name);
        let mut first = self.announced(&head.name, &head_url, false)?;
        match plan::numbered_family(&head.name) {
            Some(Family::Slices { base }) => {
                // The installer is needed whole to read its header.
                ensure_space(self.dir, first.size.unwrap_or(0).saturating_add(MANIFEST_ROOM))?;
                self.fetch_now(&mut first, Item::Part(parts.len()))?;
                self.require_signer(&head.name)?;
                let info = crate::payload::inno::probe(&self.dir.join(&head.name))?;
                parts.push(first);
                let source = match info.as_ref().filter(|i| i.data_in_slices && i.slice_count > 0) {
                    Some(info) => {
                        let base = self.slice_base(head, &base, info.base_filename.as_deref(), info.slices_per_disk)?;
                        for index in 0..info.slice_count {
                            let name = plan::inno_slice_name(&base, index, info.slices_per_disk);
                            parts.push(self.announced(&name, &head.sibling(&name), true)?);
                        }
                        PlanSource::InnoHeader
                    }
                    None => self.probe(head, &Family::Slices { base }, 1, parts)?,
                };
                if let Some(info) = &info {
                    self.externals(head, &info.externals, parts)?;
                }
                Ok(source)
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

    /// The files an Inno Setup installer reads from beside itself, at their
    /// path relative to its URL: each file it names (an optional one the
    /// server does not have is left out), and what a wildcard takes of the
    /// published manifest's files (a server lists no folders). What is still
    /// missing at the end, the final check names.
    fn externals(
        &self,
        head: &PartUrl,
        externals: &[crate::vocab::external::ExternalSource],
        parts: &mut Vec<PlannedPart>,
    ) -> Result<()> {
        for external in externals.iter().filter(|e| e.in_set()) {
            let names: Vec<String> = if external.wildcard {
                self.published_paths.iter().filter_map(|p| crate::set::check::external_member(external, p)).collect()
            } else {
                external.relative.iter().cloned().collect()
            };
            for name in names {
                if parts.iter().any(|p| p.name.eq_ignore_ascii_case(&name)) {
                    continue;
                }
                let url = head.sibling_path(&name);
                match self.head_request(&name, &url)? {
                    Some(announced) => parts.push(self.planned(&name, &url, announced, false)?),
                    None if external.need == crate::vocab::external::ExternalNeed::Optional => {}
                    None => return Err(Error::HttpStatus { part: name, url, status: 404 }),
                }
            }
        }
        Ok(())
    }

    /// Asks for `family` members from `from` on until the server says 404.
    pub(super) fn probe(
        &self,
        head: &PartUrl,
        family: &Family,
        from: u32,
        parts: &mut Vec<PlannedPart>,
    ) -> Result<PlanSource> {
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
    pub(super) fn slice_base(
        &self,
        head: &PartUrl,
        url_base: &str,
        header_base: Option<&str>,
        per_disk: u32,
    ) -> Result<String> {
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
    pub(super) fn announced(&self, name: &str, url: &str, slice: bool) -> Result<PlannedPart> {
        match self.head_request(name, url)? {
            Some(announced) => self.planned(name, url, announced, slice),
            None => Err(Error::HttpStatus { part: name.to_owned(), url: url.to_owned(), status: 404 }),
        }
    }

    /// A planned part, with what the folder already holds of it.
    pub(super) fn planned(&self, name: &str, url: &str, announced: Announced, slice: bool) -> Result<PlannedPart> {
        let files = PartFiles::new(self.dir, name);
        // An installer's external file keeps its folder (`SQL/x.exe`).
        if let Some(folder) = files.done.parent().filter(|_| name.contains('/')) {
            fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
        }
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

    /// Downloads a part during planning (the installer, to read its header),
    /// a download task of its own where the part is `item`: its position in
    /// the plan.
    pub(super) fn fetch_now(&self, part: &mut PlannedPart, item: Item) -> Result<()> {
        let files = PartFiles::new(self.dir, &part.name);
        let (done, action) = if part.complete {
            let digest = hash_file(&files.done, PartAccess::Read, &NoProgress, &self.options.cancel)?;
            let done = Transferred::already_there(part.present, digest);
            (done, PartAction::AlreadyThere)
        } else {
            self.progress.begin(Task::Download, part.size.unwrap_or(0).saturating_sub(part.present));
            self.progress.item_started(item, &part.name, part.size.unwrap_or(0));
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
                item,
            }
            .run();
            self.progress.item_finished(item);
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
    pub(super) fn head_request(&self, name: &str, url: &str) -> Result<Option<Announced>> {
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
                    reason: self.agent.failure(url, &error),
                    attempts: retries + 1,
                }),
                Err(error) => {
                    return Err(Error::Network {
                        part: name.to_owned(),
                        url: url.to_owned(),
                        reason: self.agent.failure(url, &error),
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
    pub(super) fn ranged_size(&self, name: &str, url: &str) -> Result<Option<Announced>> {
        let response = self.agent.get(url).header("Range", "bytes=0-0").call().map_err(|e| Error::Network {
            part: name.to_owned(),
            url: url.to_owned(),
            reason: self.agent.failure(url, &e),
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
    pub(super) fn sevenz_length(&self, url: &str) -> Result<Option<u64>> {
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

    /// The published manifest's hashes by part name (and by path, for files
    /// in subfolders), and the paths of its files in subfolders.
    pub(super) fn published(&self, source: &str) -> Result<(HashMap<String, Digest256>, Vec<String>)> {
        let manifest = if source.starts_with("http://") || source.starts_with("https://") {
            let response = self.agent.get(source).call().map_err(|e| Error::Network {
                part: "the manifest".into(),
                url: source.to_owned(),
                reason: self.agent.failure(source, &e),
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
        let paths = manifest.entries.iter().filter(|e| e.path.contains('/')).map(|e| e.path.clone()).collect();
        let hashes = manifest
            .entries
            .into_iter()
            .flat_map(|e| {
                let path = e.path.contains('/').then(|| (e.path.to_lowercase(), e.sha256));
                std::iter::once((e.name.to_lowercase(), e.sha256)).chain(path)
            })
            .collect();
        Ok((hashes, paths))
    }

    pub(super) fn wait(&self, retry: u32) -> Result<()> {
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
