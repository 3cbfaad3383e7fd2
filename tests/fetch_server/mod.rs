//! A loopback HTTP(S) file server for the fetch tests, with a fault layer.
//!
//! It serves the files of one folder under any path (`/dl/NAME`), with
//! `HEAD`, `Range` (`bytes=N-`, `bytes=N-M`), `If-Range`, `ETag` and
//! `Last-Modified`, keep-alive, and the faults a download meets: a connection
//! cut after N bytes, a 503 once, a server that ignores Range, an ETag that
//! changes mid-download, a 404 for one file, a stall past the client's
//! timeout, a Content-Length that lies, and redirects. It counts the body
//! bytes it sent for each file and logs every request, so tests assert that
//! resumed parts were not downloaded twice.
//!
//! Requests are parsed with `httparse`; responses are written by hand because
//! the faults need the socket itself (cutting or stalling a response half
//! way), which server crates do not hand out. It listens on 127.0.0.1 only,
//! every connection has a read timeout, stalls wait at most [`STALL_LIMIT`],
//! and dropping the [`Server`] stops it.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The longest a stalled response waits before the server drops it.
const STALL_LIMIT: Duration = Duration::from_secs(30);
/// The longest [`Server::wait_for`] waits.
const WAIT_LIMIT: Duration = Duration::from_secs(60);
pub const LAST_MODIFIED: &str = "Wed, 25 Nov 2026 17:26:34 GMT";

/// A fault, for the file named `name`.
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    /// Once: close the connection after sending `bytes` bytes of a GET body.
    CutAfter { name: String, bytes: u64 },
    /// Once: answer a GET with this status.
    Status { name: String, status: u16 },
    /// Always: answer ranges with the whole file (200).
    IgnoreRange { name: String },
    /// Once: send `bytes` bytes, change the file's ETag, close the connection.
    ChangeEtagAfter { name: String, bytes: u64 },
    /// Always: 404 (for GET only when `get_only`).
    NotFound { name: String, get_only: bool },
    /// Once: send `bytes` bytes, then send nothing until released.
    StallAfter { name: String, bytes: u64 },
    /// Always: announce `delta` more (or fewer) bytes than the body has, send
    /// what is announced or what there is, whichever is less, then close.
    LieLength { name: String, delta: i64 },
    /// Always: answer 302 with `Location: {to}{name}`.
    Redirect { name: String, to: String },
    /// Always: refuse HEAD with 405.
    NoHead,
}

impl Fault {
    fn name(&self) -> Option<&str> {
        match self {
            Fault::CutAfter { name, .. }
            | Fault::Status { name, .. }
            | Fault::IgnoreRange { name }
            | Fault::ChangeEtagAfter { name, .. }
            | Fault::NotFound { name, .. }
            | Fault::StallAfter { name, .. }
            | Fault::LieLength { name, .. }
            | Fault::Redirect { name, .. } => Some(name),
            Fault::NoHead => None,
        }
    }

    fn once(&self) -> bool {
        matches!(
            self,
            Fault::CutAfter { .. } | Fault::Status { .. } | Fault::ChangeEtagAfter { .. } | Fault::StallAfter { .. }
        )
    }
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Logged {
    pub method: String,
    pub name: String,
    pub range: Option<String>,
    pub if_range: Option<String>,
    pub status: u16,
}

/// What the server has done, for assertions.
#[derive(Default)]
pub struct State {
    pub faults: Vec<Fault>,
    /// Body bytes sent per file name.
    pub sent: HashMap<String, u64>,
    pub requests: Vec<Logged>,
    /// Responses currently stalled.
    pub stalled: u32,
    pub release: bool,
    etag_generation: HashMap<String, u32>,
}

impl State {
    pub fn sent(&self, name: &str) -> u64 {
        self.sent.get(name).copied().unwrap_or(0)
    }

    pub fn gets(&self, name: &str) -> Vec<Logged> {
        self.requests.iter().filter(|r| r.method == "GET" && r.name == name).cloned().collect()
    }
}

struct Shared {
    root: PathBuf,
    state: Mutex<State>,
    changed: Condvar,
    stop: AtomicBool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A running server; stops when dropped.
pub struct Server {
    pub port: u16,
    scheme: &'static str,
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Serves the files of `root` over plain HTTP.
    pub fn http(root: &Path) -> Server {
        Server::start(root, None)
    }

    /// Serves the files of `root` over HTTPS with `config`.
    pub fn https(root: &Path, config: Arc<rustls::ServerConfig>) -> Server {
        Server::start(root, Some(config))
    }

    fn start(root: &Path, tls: Option<Arc<rustls::ServerConfig>>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let shared = Arc::new(Shared {
            root: root.to_path_buf(),
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
            stop: AtomicBool::new(false),
        });
        let scheme = if tls.is_some() { "https" } else { "http" };
        let accept_shared = Arc::clone(&shared);
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if accept_shared.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let shared = Arc::clone(&accept_shared);
                let tls = tls.clone();
                std::thread::spawn(move || {
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                    let _ = stream.set_nodelay(true);
                    match tls {
                        None => serve(stream, &shared),
                        Some(config) => {
                            let Ok(connection) = rustls::ServerConnection::new(config) else { return };
                            serve(rustls::StreamOwned::new(connection, stream), &shared);
                        }
                    }
                });
            }
        });
        Server { port, scheme, shared, thread: Some(thread) }
    }

    /// The URL of `name` on this server.
    pub fn url(&self, name: &str) -> String {
        format!("{}://127.0.0.1:{}/dl/{name}", self.scheme, self.port)
    }

    /// The URL prefix files are served under (for redirects to this server).
    pub fn prefix(&self) -> String {
        format!("{}://127.0.0.1:{}/dl/", self.scheme, self.port)
    }

    pub fn add(&self, fault: Fault) {
        self.shared.lock().faults.push(fault);
    }

    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    /// The server's state, for assertions.
    pub fn state(&self) -> MutexGuard<'_, State> {
        self.shared.lock()
    }

    /// Lets stalled responses end.
    pub fn release(&self) {
        self.shared.lock().release = true;
        self.shared.changed.notify_all();
    }

    /// Waits (bounded) until `ready` holds for the server's state.
    pub fn wait_for(&self, mut ready: impl FnMut(&State) -> bool) -> bool {
        let deadline = Instant::now() + WAIT_LIMIT;
        let mut state = self.shared.lock();
        while !ready(&state) {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            state = self.shared.changed.wait_timeout(state, deadline - now).unwrap_or_else(|e| e.into_inner()).0;
        }
        true
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        self.release();
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// One parsed request.
struct Request {
    method: String,
    /// The request target as sent (`/dl/NAME`, or `host:port` for CONNECT).
    target: String,
    name: String,
    /// The file served: the path below `/dl/` (subfolders included, for an
    /// installer's external files), or the last segment elsewhere.
    file: String,
    range: Option<String>,
    if_range: Option<String>,
}

/// Serves requests on one connection until it closes or a fault cuts it.
fn serve<S: Read + Write>(mut stream: S, shared: &Shared) {
    let mut buffered = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buffered) else { return };
        if request.method == "CONNECT" {
            // Act as an HTTP proxy whose tunnel leads back to this server.
            shared.lock().requests.push(Logged {
                method: request.method.clone(),
                name: request.target.clone(),
                range: None,
                if_range: None,
                status: 200,
            });
            if stream.write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n").and_then(|()| stream.flush()).is_err() {
                return;
            }
            continue;
        }
        if !respond(&mut stream, shared, &request) {
            return;
        }
    }
}

fn read_request<S: Read>(stream: &mut S, buffered: &mut Vec<u8>) -> Option<Request> {
    let mut chunk = [0u8; 4096];
    loop {
        let mut headers = [httparse::EMPTY_HEADER; 32];
        let mut parsed = httparse::Request::new(&mut headers);
        if let Ok(httparse::Status::Complete(len)) = parsed.parse(buffered) {
            let header = |wanted: &str| {
                parsed
                    .headers
                    .iter()
                    .find(|h| h.name.eq_ignore_ascii_case(wanted))
                    .map(|h| String::from_utf8_lossy(h.value).into_owned())
            };
            let path = parsed.path.unwrap_or("/");
            let path = path.split('?').next().unwrap_or(path);
            let request = Request {
                method: parsed.method.unwrap_or("GET").to_owned(),
                target: parsed.path.unwrap_or("/").to_owned(),
                name: path.rsplit('/').next().unwrap_or("").to_owned(),
                file: path
                    .strip_prefix("/dl/")
                    .filter(|rest| !rest.split('/').any(|s| s == ".." || s.is_empty()))
                    .unwrap_or_else(|| path.rsplit('/').next().unwrap_or(""))
                    .to_owned(),
                range: header("range"),
                if_range: header("if-range"),
            };
            buffered.drain(..len);
            return Some(request);
        }
        if buffered.len() > 64 << 10 {
            return None;
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => buffered.extend_from_slice(&chunk[..n]),
        }
    }
}

/// Answers one request; `false` when the connection must close.
fn respond<S: Write>(stream: &mut S, shared: &Shared, request: &Request) -> bool {
    let get = request.method == "GET";
    let (fault, etag) = {
        let mut state = shared.lock();
        let applicable = state.faults.iter().position(|f| match f {
            Fault::NoHead => !get,
            Fault::NotFound { get_only, .. } => f.name() == Some(&request.name) && (get || !get_only),
            Fault::Redirect { .. } => f.name() == Some(&request.name),
            _ => get && f.name() == Some(&request.name),
        });
        let fault = applicable.map(|i| {
            let fault = state.faults[i].clone();
            if fault.once() {
                state.faults.remove(i);
            }
            fault
        });
        let generation = state.etag_generation.get(&request.name).copied().unwrap_or(0);
        (fault, generation)
    };
    let log = |status: u16| {
        shared.lock().requests.push(Logged {
            method: request.method.clone(),
            name: request.name.clone(),
            range: request.range.clone(),
            if_range: request.if_range.clone(),
            status,
        });
        shared.changed.notify_all();
    };
    let file = std::fs::File::open(shared.root.join(&request.file))
        .ok()
        .filter(|f| !request.name.is_empty() && f.metadata().is_ok_and(|m| m.is_file()));
    let short = |stream: &mut S, status: u16, reason: &str, extra: &str| {
        log(status);
        let head = format!("HTTP/1.1 {status} {reason}\r\nContent-Length: 0\r\n{extra}\r\n");
        stream.write_all(head.as_bytes()).and_then(|()| stream.flush()).is_ok()
    };
    match &fault {
        Some(Fault::NoHead) => return short(stream, 405, "Method Not Allowed", ""),
        Some(Fault::NotFound { .. }) => return short(stream, 404, "Not Found", ""),
        Some(Fault::Status { status, .. }) => return short(stream, *status, "Fault", ""),
        Some(Fault::Redirect { to, name }) => {
            return short(stream, 302, "Found", &format!("Location: {to}{name}\r\n"));
        }
        _ => {}
    }
    let Some(file) = file else { return short(stream, 404, "Not Found", "") };
    let len = file.metadata().map_or(0, |m| m.len());
    let etag = format!("\"{len:x}-{etag}\"");
    let honour_range = !matches!(fault, Some(Fault::IgnoreRange { .. }))
        && request.if_range.as_deref().is_none_or(|v| v == etag || v == LAST_MODIFIED);
    let range = request.range.as_deref().filter(|_| honour_range).and_then(parse_range);
    let (status, start, end) = match range {
        Some((start, _)) if start >= len => {
            return short(stream, 416, "Range Not Satisfiable", &format!("Content-Range: bytes */{len}\r\n"));
        }
        Some((start, end)) => (206, start, end.map_or(len - 1, |e| e.min(len - 1))),
        None => (200, 0, len.saturating_sub(1)),
    };
    let body_len = if len == 0 { 0 } else { end - start + 1 };
    let mut announced = body_len;
    if let Some(Fault::LieLength { delta, .. }) = fault {
        announced = announced.saturating_add_signed(delta);
    }
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Length: {announced}\r\nETag: {etag}\r\nLast-Modified: {LAST_MODIFIED}\r\nAccept-Ranges: bytes\r\n",
        if status == 206 { "Partial Content" } else { "OK" }
    );
    if status == 206 {
        head.push_str(&format!("Content-Range: bytes {start}-{end}/{len}\r\n"));
    }
    head.push_str("\r\n");
    log(status);
    if stream.write_all(head.as_bytes()).is_err() {
        return false;
    }
    if !get {
        return stream.flush().is_ok();
    }
    let (limit, after) = match &fault {
        Some(Fault::CutAfter { bytes, .. }) => (*bytes, After::Close),
        Some(Fault::ChangeEtagAfter { bytes, .. }) => (*bytes, After::ChangeEtag),
        Some(Fault::StallAfter { bytes, .. }) => (*bytes, After::Stall),
        Some(Fault::LieLength { .. }) => (announced.min(body_len), After::Close),
        _ => (u64::MAX, After::KeepAlive),
    };
    let mut sent = 0u64;
    let mut buffer = vec![0u8; 256 << 10];
    while sent < body_len.min(limit) {
        let want = (body_len.min(limit) - sent).min(buffer.len() as u64) as usize;
        let chunk = &mut buffer[..want];
        if std::os::unix::fs::FileExt::read_exact_at(&file, chunk, start + sent).is_err()
            || stream.write_all(chunk).is_err()
        {
            return false;
        }
        sent += want as u64;
        *shared.lock().sent.entry(request.name.clone()).or_insert(0) += want as u64;
        shared.changed.notify_all();
    }
    let _ = stream.flush();
    match after {
        After::KeepAlive => true,
        After::Close => false,
        After::ChangeEtag => {
            *shared.lock().etag_generation.entry(request.name.clone()).or_insert(0) += 1;
            false
        }
        After::Stall => {
            let deadline = Instant::now() + STALL_LIMIT;
            let mut state = shared.lock();
            state.stalled += 1;
            shared.changed.notify_all();
            while !state.release && !shared.stop.load(Ordering::SeqCst) && Instant::now() < deadline {
                state =
                    shared.changed.wait_timeout(state, Duration::from_millis(200)).unwrap_or_else(|e| e.into_inner()).0;
            }
            state.stalled -= 1;
            false
        }
    }
}

enum After {
    KeepAlive,
    Close,
    ChangeEtag,
    Stall,
}

/// `bytes=N-` or `bytes=N-M`.
fn parse_range(value: &str) -> Option<(u64, Option<u64>)> {
    let (start, end) = value.trim().strip_prefix("bytes=")?.split_once('-')?;
    let start = start.trim().parse().ok()?;
    let end = if end.trim().is_empty() { None } else { Some(end.trim().parse().ok()?) };
    Some((start, end))
}

/// A test CA and a server certificate for 127.0.0.1 and localhost it signed:
/// `(server config, CA certificate PEM)`.
pub fn test_tls() -> (Arc<rustls::ServerConfig>, String) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(DnType::CommonName, "airlock test CA");
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let leaf_key = KeyPair::generate().unwrap();
    let mut leaf_params = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()]).unwrap();
    leaf_params.distinguished_name.push(DnType::CommonName, "airlock test server");
    let leaf = leaf_params.signed_by(&leaf_key, &issuer).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
        )
        .unwrap();
    (Arc::new(config), ca_cert.pem())
}
