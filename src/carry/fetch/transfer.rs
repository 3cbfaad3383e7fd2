//! One part: request, resume, retry, hash while writing, check, rename.
//!
//! The bytes go to `NAME.airlock-download` and through SHA-256 as they are
//! written, so the part is never read a second time (a resumed part's earlier
//! bytes are hashed once from the disk when the run starts). A passing
//! failure (reset, timeout, 5xx) is retried with doubling delays, resuming at
//! the byte reached; a resume the server cannot honour starts the part again
//! from zero and records why. A 206's body is exactly the range its
//! `Content-Range` names: bytes past its end are refused, a body that stops
//! short is resumed. Only when the bytes are complete — as many as
//! the server announced, as many as a slice's own header says, and the
//! published hash when there is one — is the file renamed to `NAME`.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::carry::fetch::http::{self, Answer, Validators};
use crate::carry::fetch::state::{PartFiles, ResumeState};
use crate::payload::inno::slice_header;
use crate::read::hash::{Digest256, hex};
use crate::vocab::error::{Error, Result};
use crate::vocab::progress::{Cancel, Item, Progress};

/// Read and write block.
const BLOCK: usize = 256 << 10;
/// How often (in bytes) the state file's byte count is refreshed.
const SAVE_EVERY: u64 = 16 << 20;
/// The longest wait between two attempts.
const MAX_DELAY: Duration = Duration::from_secs(60);

/// What one part transfer needs.
pub(crate) struct Transfer<'a> {
    pub agent: &'a super::http::Client,
    pub name: &'a str,
    pub url: &'a str,
    pub files: PartFiles,
    /// The part is an Inno Setup slice: its first 12 bytes state its size.
    pub slice: bool,
    /// The published SHA-256, when a manifest was given.
    pub expected_sha256: Option<Digest256>,
    pub retries: u32,
    pub retry_delay: Duration,
    pub cancel: &'a Cancel,
    pub progress: &'a dyn Progress,
    /// The part's item in `progress` (its position in the plan).
    pub item: Item,
}

/// What a finished transfer did.
#[derive(Clone, Debug)]
pub(crate) struct Transferred {
    pub size: u64,
    pub sha256: Digest256,
    pub final_url: Option<String>,
    /// Attempts beyond the first.
    pub retries: u32,
    /// Bytes kept from an earlier run (not downloaded again).
    pub resumed_bytes: u64,
    /// Body bytes received in this run (including any thrown away by a restart).
    pub received_bytes: u64,
    /// Why the part started again from zero, each time it did.
    pub restarts: Vec<String>,
}

impl Transferred {
    /// A part found complete on disk: nothing downloaded, all of it kept.
    pub(crate) fn already_there(size: u64, sha256: Digest256) -> Self {
        Transferred {
            size,
            sha256,
            final_url: None,
            retries: 0,
            resumed_bytes: size,
            received_bytes: 0,
            restarts: Vec::new(),
        }
    }
}

/// The partial file being written, with the hash of its bytes so far.
struct Partial {
    file: File,
    hasher: Sha256,
    len: u64,
}

impl Partial {
    fn reset(&mut self, files: &PartFiles) -> Result<()> {
        self.file.set_len(0).map_err(|e| Error::io(&files.partial, e))?;
        self.file.seek(SeekFrom::Start(0)).map_err(|e| Error::io(&files.partial, e))?;
        self.hasher = Sha256::new();
        self.len = 0;
        Ok(())
    }
}

/// Why the body of one response stopped.
enum BodyEnd {
    /// The body ended where it said it would (or, without a length, at EOF).
    Complete,
    /// A passing failure; try again from the byte reached.
    Passing(String),
}

impl Transfer<'_> {
    /// Downloads the part; see the module docs.
    pub(crate) fn run(&self) -> Result<Transferred> {
        let mut outcome = Transferred {
            size: 0,
            sha256: [0; 32],
            final_url: None,
            retries: 0,
            resumed_bytes: 0,
            received_bytes: 0,
            restarts: Vec::new(),
        };
        let (mut state, mut partial) = self.open()?;
        outcome.resumed_bytes = partial.len;
        let mut attempts = 0u32;
        let mut last_status = None;
        loop {
            if self.cancel.is_cancelled() {
                self.save(&state, partial.len);
                return Err(Error::Interrupted);
            }
            if state.total.is_some_and(|total| total == partial.len && total > 0) {
                break;
            }
            attempts = attempts.saturating_add(1);
            if partial.len > 0 && state.validators.if_range().is_none() {
                // Without an ETag or Last-Modified nothing proves the rest
                // would come from the same file (it may have been replaced
                // since): a spliced part must never be hashed into a
                // manifest, so the part starts over, as across runs.
                outcome.restarts.push(format!(
                    "the server sent no ETag or Last-Modified, so the {} bytes received cannot be proven to belong \
                     to the file it serves now",
                    partial.len
                ));
                outcome.resumed_bytes = 0;
                partial.reset(&self.files)?;
            }
            let mut request = self.agent.get(self.url);
            let asked_from = partial.len;
            if asked_from > 0 {
                request = request.header("Range", format!("bytes={asked_from}-"));
                if let Some(validator) = state.validators.if_range() {
                    request = request.header("If-Range", validator);
                }
            }
            let response = match request.call() {
                Ok(response) => response,
                Err(error) if http::is_passing(&error) => {
                    self.pause(&mut outcome, attempts, self.agent.failure(self.url, &error), last_status)?;
                    continue;
                }
                Err(error) => return Err(self.network(self.agent.failure(self.url, &error), attempts)),
            };
            outcome.final_url = Some(ureq::ResponseExt::get_uri(&response).to_string());
            let head = http::head_of(&response);
            match http::judge(asked_from, &state.validators, state.total, &head) {
                Answer::Continues => {}
                Answer::Whole { restart_reason } => {
                    if let Some(reason) = restart_reason {
                        outcome.restarts.push(reason);
                        outcome.resumed_bytes = 0;
                        partial.reset(&self.files)?;
                    }
                }
                Answer::StartOver(reason) => {
                    outcome.restarts.push(reason);
                    outcome.resumed_bytes = 0;
                    partial.reset(&self.files)?;
                    state.validators = Validators::default();
                    state.total = None;
                    if outcome.restarts.len() as u64 > u64::from(self.retries) + 1 {
                        return Err(self.network("the server keeps refusing to resume".to_owned(), attempts));
                    }
                    continue;
                }
                Answer::Retry(reason) => {
                    last_status = Some(head.status);
                    self.pause(&mut outcome, attempts, reason, last_status)?;
                    continue;
                }
                Answer::Fatal(status) => {
                    if partial.len == 0 {
                        self.files.forget();
                    } else {
                        self.save(&state, partial.len);
                    }
                    return Err(Error::HttpStatus { part: self.name.to_owned(), url: self.url.to_owned(), status });
                }
            }
            state.url = self.url.to_owned();
            state.validators = head.validators.clone();
            state.total = head.total_size();
            self.save(&state, partial.len);
            // A 206's body is the range its Content-Range names, no more and no less.
            let range_end = match (head.status, head.content_range) {
                (206, Some(range)) => range.end.checked_add(1),
                _ => None,
            };
            match self.stream(response, &mut partial, &state, range_end, &mut outcome)? {
                BodyEnd::Complete => match state.total.or(range_end) {
                    Some(total) if partial.len < total => {
                        let reason = format!("the connection ended after {} of {total} bytes", partial.len);
                        self.save(&state, partial.len);
                        self.pause(&mut outcome, attempts, reason, None)?;
                    }
                    _ => break,
                },
                BodyEnd::Passing(reason) => {
                    self.save(&state, partial.len);
                    self.pause(&mut outcome, attempts, reason, None)?;
                }
            }
        }
        self.finish(partial, outcome)
    }

    /// Opens the partial file: resumed (its bytes hashed) when its state
    /// allows, else empty.
    fn open(&self) -> Result<(ResumeState, Partial)> {
        let files = &self.files;
        let resumable = files.resumable(self.url);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&files.partial)
            .map_err(|e| Error::io(&files.partial, e))?;
        let mut hasher = Sha256::new();
        let mut len = 0;
        let state = match resumable {
            Some(state) => {
                let on_disk = files.partial_len();
                len = match state.total {
                    Some(total) if on_disk > total => 0,
                    _ => on_disk,
                };
                file.set_len(len).map_err(|e| Error::io(&files.partial, e))?;
                // Ctrl-C while the kept bytes are hashed stops the run as
                // any interruption does (exit 130), not as a read failure.
                hash_prefix(&mut file, &files.partial, len, &mut hasher, self.cancel)?;
                state
            }
            None => {
                file.set_len(0).map_err(|e| Error::io(&files.partial, e))?;
                ResumeState { url: self.url.to_owned(), ..ResumeState::default() }
            }
        };
        file.seek(SeekFrom::Start(len)).map_err(|e| Error::io(&files.partial, e))?;
        Ok((state, Partial { file, hasher, len }))
    }

    /// Streams one response body into the partial file; a 206's body must
    /// not go past `range_end` (its Content-Range's last byte + 1).
    fn stream(
        &self,
        response: ureq::http::Response<ureq::Body>,
        partial: &mut Partial,
        state: &ResumeState,
        range_end: Option<u64>,
        outcome: &mut Transferred,
    ) -> Result<BodyEnd> {
        let mut reader = response.into_body().into_reader();
        let mut buffer = vec![0u8; BLOCK];
        let mut since_save = 0u64;
        loop {
            if self.cancel.is_cancelled() {
                self.save(state, partial.len);
                return Err(Error::Interrupted);
            }
            let n = match reader.read(&mut buffer) {
                Ok(0) => return Ok(BodyEnd::Complete),
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Ok(BodyEnd::Passing(format!("the transfer failed: {e}"))),
            };
            let chunk = &buffer[..n];
            let len = partial.len.checked_add(n as u64).ok_or_else(|| self.mismatch("more bytes than fit a file"))?;
            if let Some(total) = state.total
                && len > total
            {
                self.files.forget();
                return Err(self.mismatch(&format!("the server sent more than the {total} bytes it announced")));
            }
            if let Some(end) = range_end
                && len > end
            {
                self.files.forget();
                return Err(self.mismatch(&format!(
                    "the server sent bytes past the end of the range it announced (up to byte {})",
                    end.saturating_sub(1)
                )));
            }
            partial.file.write_all(chunk).map_err(|e| Error::io(&self.files.partial, e))?;
            partial.hasher.update(chunk);
            partial.len = len;
            outcome.received_bytes = outcome.received_bytes.saturating_add(n as u64);
            self.progress.advance(self.item, n as u64);
            since_save = since_save.saturating_add(n as u64);
            if since_save >= SAVE_EVERY {
                since_save = 0;
                self.save(state, partial.len);
            }
        }
    }

    /// Checks the complete bytes and renames them into place.
    fn finish(&self, mut partial: Partial, mut outcome: Transferred) -> Result<Transferred> {
        let files = &self.files;
        if self.slice {
            let mut header = Vec::with_capacity(16);
            partial.file.seek(SeekFrom::Start(0)).map_err(|e| Error::io(&files.partial, e))?;
            let _ = std::io::Read::take(&mut partial.file, 16).read_to_end(&mut header);
            let Some(parsed) = slice_header::parse(&header) else {
                files.forget();
                return Err(self.mismatch(
                    "the download is not an Inno Setup disk slice (no idska32 magic); the server sent something else (an error page?)",
                ));
            };
            if parsed.declared_size != partial.len {
                files.forget();
                return Err(self.mismatch(&format!(
                    "its slice header says {} bytes but the server sent {} (its Content-Length was wrong or the download was cut); run the same airlock fetch again",
                    parsed.declared_size, partial.len
                )));
            }
        }
        let digest: Digest256 = partial.hasher.finalize().into();
        if let Some(expected) = self.expected_sha256
            && expected != digest
        {
            files.forget();
            return Err(Error::Integrity {
                what: self.name.to_owned(),
                reason: format!(
                    "downloaded from {} with SHA-256 {} where the published manifest says {}; the download was removed, check the URL and the manifest",
                    self.url,
                    hex(&digest),
                    hex(&expected)
                ),
            });
        }
        partial.file.sync_all().map_err(|e| Error::io(&files.partial, e))?;
        drop(partial.file);
        std::fs::rename(&files.partial, &files.done).map_err(|e| Error::io(&files.done, e))?;
        let _ = std::fs::remove_file(&files.state);
        outcome.size = partial.len;
        outcome.sha256 = digest;
        Ok(outcome)
    }

    /// Counts a passing failure and waits before the next attempt, or gives up.
    fn pause(&self, outcome: &mut Transferred, attempts: u32, reason: String, status: Option<u16>) -> Result<()> {
        if outcome.retries >= self.retries {
            return Err(match status {
                Some(status) => Error::HttpStatus { part: self.name.to_owned(), url: self.url.to_owned(), status },
                None => self.network(reason, attempts),
            });
        }
        outcome.retries += 1;
        let factor = 1u32.checked_shl(outcome.retries - 1).unwrap_or(u32::MAX);
        let delay = self.retry_delay.saturating_mul(factor).min(MAX_DELAY);
        let until = std::time::Instant::now() + delay;
        while std::time::Instant::now() < until {
            if self.cancel.is_cancelled() {
                return Err(Error::Interrupted);
            }
            std::thread::sleep(Duration::from_millis(20).min(delay));
        }
        Ok(())
    }

    fn save(&self, state: &ResumeState, written: u64) {
        let _ = self.files.save(&ResumeState { bytes_written: written, ..state.clone() });
    }

    fn network(&self, reason: String, attempts: u32) -> Error {
        Error::Network { part: self.name.to_owned(), url: self.url.to_owned(), reason, attempts }
    }

    fn mismatch(&self, reason: &str) -> Error {
        Error::DownloadMismatch { part: self.name.to_owned(), url: self.url.to_owned(), reason: reason.to_owned() }
    }
}

/// Hashes the first `len` bytes of `file` (a resumed part's earlier bytes).
fn hash_prefix(file: &mut File, path: &Path, len: u64, hasher: &mut Sha256, cancel: &Cancel) -> Result<()> {
    file.seek(SeekFrom::Start(0)).map_err(|e| Error::io(path, e))?;
    let mut remaining = len;
    let mut buffer = vec![0u8; BLOCK];
    while remaining > 0 {
        cancel.check()?;
        let want = usize::try_from(remaining).map_or(BLOCK, |r| r.min(BLOCK));
        file.read_exact(&mut buffer[..want]).map_err(|e| Error::io(path, e))?;
        hasher.update(&buffer[..want]);
        remaining -= want as u64;
    }
    Ok(())
}
