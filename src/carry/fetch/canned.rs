//! Canned responses through the real download code, without a network: the
//! entry point of the `fetch_response` fuzz target (and of its regression
//! replay in `tests/fuzz_regressions.rs`).
//!
//! [`transfer_canned`] downloads one part with the same [`Transfer`] and the
//! same agent settings as `fetch`, but the agent's transport is in memory:
//! each connection ureq opens is answered with the next raw response given,
//! verbatim, in small reads. So ureq's own response parser and body framing
//! (`Content-Length`, chunked, close-delimited, redirects) and airlock's
//! judging, size, range and slice checks all run on those bytes. The requests
//! ureq wrote are recorded, so a caller can check what was asked against what
//! was kept.
//!
//! Not a supported API: it exists for fuzzing, and is compiled only with the
//! `fuzzing` feature (fuzz/ and the tests turn it on), which `lib.rs`
//! re-exports as `airlock::fuzzing`. It changes nothing in how `fetch` behaves.

use std::collections::VecDeque;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use ureq::unversioned::resolver::{ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{Buffers, ConnectionDetails, Connector, LazyBuffers, NextTimeout, Transport};

use crate::carry::fetch::http::{self, Validators};
use crate::carry::fetch::state::{PartFiles, ResumeState};
use crate::carry::fetch::transfer::Transfer;
use crate::read::hash::Digest256;
use crate::vocab::error::Result;
use crate::vocab::progress::{Cancel, NoProgress};

/// The most bytes one read of the in-memory transport hands to ureq (so
/// heads and chunks also arrive cut in pieces).
const READ: usize = 1000;

/// A partial part left by an earlier run, to resume from.
#[derive(Clone, Debug, Default)]
pub struct CannedResume {
    /// The bytes already downloaded.
    pub bytes: Vec<u8>,
    /// The `ETag` they came with.
    pub etag: Option<String>,
    /// The `Last-Modified` they came with.
    pub last_modified: Option<String>,
    /// The size the server announced then.
    pub total: Option<u64>,
}

/// One request as ureq wrote it to the in-memory transport.
#[derive(Clone, Debug, Default)]
pub struct CannedRequest {
    /// Which of the canned responses answered it (index).
    pub response: usize,
    /// The request target (`/X.exe`, or where a redirect pointed).
    pub target: String,
    /// The `Range` header, as sent.
    pub range: Option<String>,
    /// The `If-Range` header, as sent.
    pub if_range: Option<String>,
}

/// A part the transfer completed and renamed into place.
#[derive(Clone, Debug)]
pub struct CannedPart {
    /// Where it is (`DIR/X.exe` or `DIR/X-1.bin`).
    pub path: PathBuf,
    /// Its size, as the transfer counted it.
    pub size: u64,
    /// Its SHA-256, computed while writing.
    pub sha256: Digest256,
    /// Bytes kept from [`CannedResume`].
    pub resumed_bytes: u64,
    /// Body bytes received (including any thrown away by a restart).
    pub received_bytes: u64,
    /// Why the part started again from zero, each time it did.
    pub restarts: Vec<String>,
    /// Attempts beyond the first.
    pub retries: u32,
}

/// What [`transfer_canned`] did.
#[derive(Debug)]
pub struct CannedOutcome {
    /// The requests, in order.
    pub requests: Vec<CannedRequest>,
    /// The part, or why the transfer failed.
    pub result: Result<CannedPart>,
    /// The part's files: `done` (only ever a complete, checked part),
    /// `partial` (`.airlock-download`) and `state`.
    pub done: PathBuf,
    /// The partial file.
    pub partial: PathBuf,
    /// The partial file's state.
    pub state: PathBuf,
}

/// Downloads one part into `dir` from `responses` (raw HTTP/1.1 responses,
/// one per connection, in order; a connection past the last one fails as a
/// refused connection would). The part is `X-1.bin` (an Inno Setup slice,
/// whose own header must state its size) when `slice`, else `X.exe`; its URL
/// is `http://fuzz.invalid/NAME`. `resume` writes an earlier partial part and
/// its state first. Up to `retries` passing failures are retried, without
/// waiting.
#[doc(hidden)]
pub fn transfer_canned(
    dir: &Path,
    responses: Vec<Vec<u8>>,
    resume: Option<CannedResume>,
    slice: bool,
    retries: u32,
) -> CannedOutcome {
    let name = if slice { "X-1.bin" } else { "X.exe" };
    let url = format!("http://fuzz.invalid/{name}");
    let files = PartFiles::new(dir, name);
    let mut outcome = CannedOutcome {
        requests: Vec::new(),
        result: Ok(CannedPart {
            path: files.done.clone(),
            size: 0,
            sha256: [0; 32],
            resumed_bytes: 0,
            received_bytes: 0,
            restarts: Vec::new(),
            retries: 0,
        }),
        done: files.done.clone(),
        partial: files.partial.clone(),
        state: files.state.clone(),
    };
    if let Some(resume) = resume {
        let written = std::fs::write(&files.partial, &resume.bytes)
            .map_err(|e| crate::vocab::error::Error::io(&files.partial, e))
            .and_then(|()| {
                files.save(&ResumeState {
                    url: url.clone(),
                    validators: Validators { etag: resume.etag, last_modified: resume.last_modified },
                    total: resume.total,
                    bytes_written: resume.bytes.len() as u64,
                    ..ResumeState::default()
                })
            });
        if let Err(error) = written {
            outcome.result = Err(error);
            return outcome;
        }
    }
    let shared = Arc::new(Mutex::new(Shared { responses: responses.into_iter().collect(), ..Shared::default() }));
    let config = http::config_builder(Duration::from_secs(30)).proxy(None).build();
    let agent = http::Client::new(
        ureq::Agent::with_parts(config, CannedConnector(Arc::clone(&shared)), CannedResolver),
        http::Proxies::default(),
    );
    let cancel = Cancel::default();
    let transfer = Transfer {
        agent: &agent,
        name,
        url: &url,
        files,
        slice,
        expected_sha256: None,
        retries,
        retry_delay: Duration::ZERO,
        cancel: &cancel,
        progress: &NoProgress,
        item: crate::vocab::progress::Item::Part(0),
    };
    outcome.result = transfer.run().map(|done| CannedPart {
        path: outcome.done.clone(),
        size: done.size,
        sha256: done.sha256,
        resumed_bytes: done.resumed_bytes,
        received_bytes: done.received_bytes,
        restarts: done.restarts,
        retries: done.retries,
    });
    drop(agent);
    outcome.requests = std::mem::take(&mut shared.lock().unwrap_or_else(PoisonError::into_inner).requests);
    outcome
}

/// What the connector and its transports share.
#[derive(Default)]
struct Shared {
    responses: VecDeque<Vec<u8>>,
    served: usize,
    requests: Vec<CannedRequest>,
}

/// Opens a [`CannedTransport`] on the next response.
struct CannedConnector(Arc<Mutex<Shared>>);

impl fmt::Debug for CannedConnector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CannedConnector")
    }
}

impl Connector<()> for CannedConnector {
    type Out = CannedTransport;

    fn connect(
        &self,
        details: &ConnectionDetails,
        _: Option<()>,
    ) -> std::result::Result<Option<Self::Out>, ureq::Error> {
        let mut shared = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(input) = shared.responses.pop_front() else { return Err(ureq::Error::ConnectionFailed) };
        let index = shared.served;
        shared.served = index.saturating_add(1);
        let buffers = LazyBuffers::new(details.config.input_buffer_size(), details.config.output_buffer_size());
        Ok(Some(CannedTransport {
            buffers,
            input,
            at: 0,
            request: Vec::new(),
            logged: false,
            index,
            shared: Arc::clone(&self.0),
        }))
    }
}

/// One connection: the request bytes ureq writes are kept and parsed, the
/// response is handed out in reads of at most [`READ`] bytes, then EOF.
struct CannedTransport {
    buffers: LazyBuffers,
    input: Vec<u8>,
    at: usize,
    request: Vec<u8>,
    logged: bool,
    index: usize,
    shared: Arc<Mutex<Shared>>,
}

impl fmt::Debug for CannedTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CannedTransport").field("response", &self.index).finish_non_exhaustive()
    }
}

impl CannedTransport {
    /// Records the request once its head is complete.
    fn log_request(&mut self) {
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut request = httparse::Request::new(&mut headers);
        if !matches!(request.parse(&self.request), Ok(httparse::Status::Complete(_))) {
            return;
        }
        let header = |name: &str| {
            request
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case(name))
                .map(|h| String::from_utf8_lossy(h.value).into_owned())
        };
        let logged = CannedRequest {
            response: self.index,
            target: request.path.unwrap_or_default().to_owned(),
            range: header("range"),
            if_range: header("if-range"),
        };
        self.logged = true;
        self.shared.lock().unwrap_or_else(PoisonError::into_inner).requests.push(logged);
    }
}

impl Transport for CannedTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, _: NextTimeout) -> std::result::Result<(), ureq::Error> {
        let output = self.buffers.output();
        let sent = output.get(..amount).unwrap_or(output);
        if !self.logged {
            self.request.extend_from_slice(sent);
            self.log_request();
        }
        Ok(())
    }

    fn await_input(&mut self, _: NextTimeout) -> std::result::Result<bool, ureq::Error> {
        let rest = self.input.get(self.at..).unwrap_or_default();
        let buffer = self.buffers.input_append_buf();
        let n = rest.len().min(buffer.len()).min(READ);
        buffer[..n].copy_from_slice(&rest[..n]);
        self.buffers.input_appended(n);
        self.at = self.at.saturating_add(n);
        Ok(n > 0)
    }

    fn is_open(&mut self) -> bool {
        // Never reused: every request gets a connection, and so the next response.
        false
    }
}

/// Every host is 127.0.0.1 (nothing is resolved, nothing connects).
#[derive(Debug)]
struct CannedResolver;

impl Resolver for CannedResolver {
    fn resolve(
        &self,
        _: &ureq::http::Uri,
        _: &ureq::config::Config,
        _: NextTimeout,
    ) -> std::result::Result<ResolvedSocketAddrs, ureq::Error> {
        let mut addresses = self.empty();
        addresses.push(std::net::SocketAddr::from(([127, 0, 0, 1], 80)));
        Ok(addresses)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_answer_then_a_resumed_one_are_downloaded_through_ureq() {
        let dir = tempfile::tempdir().unwrap();
        let chunked =
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n".to_vec();
        let outcome = transfer_canned(dir.path(), vec![chunked], None, false, 0);
        let part = outcome.result.unwrap();
        assert_eq!((part.size, std::fs::read(&part.path).unwrap()), (7, b"abcdefg".to_vec()));
        assert_eq!(outcome.requests.len(), 1);
        assert_eq!((outcome.requests[0].target.as_str(), outcome.requests[0].range.as_deref()), ("/X.exe", None));

        let dir = tempfile::tempdir().unwrap();
        let resume =
            CannedResume { bytes: b"abcd".to_vec(), etag: Some("\"e\"".into()), total: Some(7), ..Default::default() };
        let rest =
            b"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 4-6/7\r\nContent-Length: 3\r\n\r\nefg".to_vec();
        let outcome = transfer_canned(dir.path(), vec![rest], Some(resume), false, 0);
        let request = &outcome.requests[0];
        assert_eq!((request.range.as_deref(), request.if_range.as_deref()), (Some("bytes=4-"), Some("\"e\"")));
        let part = outcome.result.unwrap();
        assert_eq!((part.resumed_bytes, std::fs::read(&part.path).unwrap()), (4, b"abcdefg".to_vec()));
        assert!(!outcome.partial.exists() && !outcome.state.exists());
    }

    /// Found with the fetch_response fuzz target's invariant (regressions
    /// `206-body-past-content-range-end`, `206-unknown-total-body-short-of-range-end`).
    #[test]
    fn a_partial_answer_is_exactly_the_range_it_names() {
        let body: Vec<u8> = (0..3000u32).map(|i| (i * 31 + 7) as u8).collect();
        let past = [&b"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-99/3000\r\n\r\n"[..], &body].concat();
        let dir = tempfile::tempdir().unwrap();
        let outcome = transfer_canned(dir.path(), vec![past], None, false, 0);
        assert!(
            matches!(outcome.result, Err(crate::vocab::error::Error::DownloadMismatch { .. })),
            "{:?}",
            outcome.result
        );
        assert!(!outcome.done.exists() && !outcome.partial.exists());

        let short = [
            &b"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-2999/*\r\nETag: \"e\"\r\n\r\n"[..],
            &body[..1000],
        ]
        .concat();
        let rest = [
            &b"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 1000-2999/*\r\nETag: \"e\"\r\n\r\n"[..],
            &body[1000..],
        ]
        .concat();
        let dir = tempfile::tempdir().unwrap();
        let outcome = transfer_canned(dir.path(), vec![short.clone()], None, false, 0);
        assert!(
            matches!(outcome.result, Err(crate::vocab::error::Error::Network { .. })),
            "a cut range was taken as whole"
        );
        let dir = tempfile::tempdir().unwrap();
        let outcome = transfer_canned(dir.path(), vec![short, rest], None, false, 1);
        assert_eq!(outcome.requests[1].range.as_deref(), Some("bytes=1000-"));
        assert_eq!(outcome.requests[1].if_range.as_deref(), Some("\"e\""));
        assert_eq!(std::fs::read(outcome.result.unwrap().path).unwrap(), body);
    }

    #[test]
    fn a_cut_answer_without_a_validator_starts_over_instead_of_splicing() {
        // No ETag, no Last-Modified: the rest of the bytes could come from a
        // file replaced in between, so the retry asks for the whole part.
        let body: Vec<u8> = (0..3000u32).map(|i| (i * 17 + 3) as u8).collect();
        let cut = [&b"HTTP/1.1 200 OK\r\nContent-Length: 3000\r\n\r\n"[..], &body[..1200]].concat();
        let whole = [&b"HTTP/1.1 200 OK\r\nContent-Length: 3000\r\n\r\n"[..], &body].concat();
        let dir = tempfile::tempdir().unwrap();
        let outcome = transfer_canned(dir.path(), vec![cut, whole], None, false, 1);
        let ranges: Vec<_> = outcome.requests.iter().map(|r| r.range.as_deref()).collect();
        assert_eq!(ranges, [None, None], "a retry without a validator must not ask for a range");
        let part = outcome.result.unwrap();
        assert_eq!((part.resumed_bytes, std::fs::read(&part.path).unwrap()), (0, body));
        assert!(part.restarts.iter().any(|r| r.contains("no ETag or Last-Modified")), "{:?}", part.restarts);
    }

    #[test]
    fn a_redirect_takes_the_next_response_and_running_out_is_a_network_error() {
        let dir = tempfile::tempdir().unwrap();
        let moved = b"HTTP/1.1 302 Found\r\nLocation: /elsewhere/X.exe\r\nContent-Length: 0\r\n\r\n".to_vec();
        let outcome = transfer_canned(dir.path(), vec![moved], None, false, 1);
        assert_eq!(outcome.requests.iter().map(|r| r.target.as_str()).collect::<Vec<_>>(), ["/X.exe"]);
        assert!(matches!(outcome.result, Err(crate::vocab::error::Error::Network { .. })), "{:?}", outcome.result);
        assert!(!outcome.done.exists());
    }
}
