//! The HTTP side of a download: the client, and what a response means.
//!
//! The client is `ureq` (synchronous, rustls with the `ring` provider) behind
//! [`Client`], which picks each request's proxy as curl does ([`Proxies`]):
//! `--proxy`, else by the URL's scheme `http_proxy`/`HTTP_PROXY` for http and
//! `https_proxy`/`HTTPS_PROXY` for https, else `ALL_PROXY`; none for a host
//! `NO_PROXY` names (itself or a subdomain); and names the proxy in a
//! failure's message. The system's trust store (`rustls-native-certs`) plus `--ca-file`, redirects
//! followed, and a timeout on every read so a stalled transfer fails after
//! `--timeout` without progress rather than after a total time a 3 GB
//! download could never meet.
//!
//! What a response *means* for a part — resume, restart from zero (and why),
//! retry, give up — is decided by [`judge`] from a [`Head`], which is parsed
//! from plain header strings (or raw bytes, [`Head::from_bytes`]), so all of it
//! is tested, and can be fuzzed, without a network. Every number a server
//! sends is checked before it is used.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use crate::vocab::error::{Error, Result};

/// The longest response head [`Head::from_bytes`] accepts.
#[cfg_attr(not(test), allow(dead_code))]
const MAX_HEAD: usize = 64 << 10;

/// The validators a server gave for a file, recorded to resume it later.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Validators {
    /// The `ETag` header, as sent (quotes and `W/` kept).
    pub etag: Option<String>,
    /// The `Last-Modified` header, as sent.
    pub last_modified: Option<String>,
}

impl Validators {
    /// The value for `If-Range`: a strong ETag, else Last-Modified (RFC 9110
    /// forbids weak ETags there). `None` when resuming cannot be made safe.
    pub(crate) fn if_range(&self) -> Option<&str> {
        match &self.etag {
            Some(etag) if !etag.starts_with("W/") => Some(etag),
            _ => self.last_modified.as_deref(),
        }
    }
}

/// A `Content-Range: bytes START-END/TOTAL` header (END inclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ContentRange {
    pub start: u64,
    pub end: u64,
    /// `None` for `/*` (length unknown to the server).
    pub total: Option<u64>,
}

/// Parses a `Content-Range` value; `None` unless it is a well-formed,
/// consistent byte range (start ≤ end < total).
pub(crate) fn parse_content_range(value: &str) -> Option<ContentRange> {
    let rest = value.trim().strip_prefix("bytes")?.trim_start();
    let (range, total) = rest.split_once('/')?;
    let (start, end) = range.trim().split_once('-')?;
    let start = parse_u64(start)?;
    let end = parse_u64(end)?;
    let total = match total.trim() {
        "*" => None,
        text => Some(parse_u64(text)?),
    };
    if start > end || total.is_some_and(|t| end >= t) {
        return None;
    }
    Some(ContentRange { start, end, total })
}

/// A decimal number as HTTP writes it: digits only, no sign, no overflow.
fn parse_u64(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// What a response's status line and headers say about the body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Head {
    pub status: u16,
    /// `Content-Length`, if present and a valid number.
    pub content_length: Option<u64>,
    /// `Content-Range`, if present and consistent.
    pub content_range: Option<ContentRange>,
    /// `Content-Range` was present but malformed.
    pub bad_content_range: bool,
    pub validators: Validators,
}

impl Head {
    /// Reads the headers that matter from `(name, value)` pairs.
    pub(crate) fn parse<'a>(status: u16, headers: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Head {
        let mut head = Head { status, ..Head::default() };
        for (name, value) in headers {
            let Ok(value) = std::str::from_utf8(value) else { continue };
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                head.content_length = parse_u64(value);
            } else if name.eq_ignore_ascii_case("content-range") {
                head.content_range = parse_content_range(value);
                head.bad_content_range = head.content_range.is_none();
            } else if name.eq_ignore_ascii_case("etag") && !value.is_empty() {
                head.validators.etag = Some(value.to_owned());
            } else if name.eq_ignore_ascii_case("last-modified") && !value.is_empty() {
                head.validators.last_modified = Some(value.to_owned());
            }
        }
        head
    }

    /// Parses a raw response head (`HTTP/1.1 206 …\r\n…\r\n\r\n`): the
    /// entry point for unit tests and a fuzz target over response handling.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn from_bytes(bytes: &[u8]) -> std::result::Result<Head, String> {
        if bytes.len() > MAX_HEAD {
            return Err(format!("response head longer than {MAX_HEAD} bytes"));
        }
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut response = httparse::Response::new(&mut headers);
        match response.parse(bytes) {
            Ok(httparse::Status::Complete(_)) => {}
            Ok(httparse::Status::Partial) => return Err("incomplete response head".to_owned()),
            Err(e) => return Err(format!("malformed response head: {e}")),
        }
        let status = response.code.ok_or("no status code")?;
        Ok(Head::parse(status, response.headers.iter().map(|h| (h.name, h.value))))
    }

    /// The file's full size as this response gives it.
    pub(crate) fn total_size(&self) -> Option<u64> {
        match self.status {
            206 => self.content_range.and_then(|r| r.total),
            200..=299 => self.content_length,
            _ => None,
        }
    }
}

/// What to do with a response to a request for a part from byte `asked_from`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Answer {
    /// The body is the whole file; when bytes were already there, they are
    /// thrown away for this reason.
    Whole { restart_reason: Option<String> },
    /// The body continues the file at `asked_from`, as asked.
    Continues,
    /// The range asked for is past the file's end (416): start again without one.
    StartOver(String),
    /// A passing failure (5xx, 408, 429, a malformed range): try again later.
    Retry(String),
    /// A failure trying again will not fix (other 4xx, odd statuses).
    Fatal(u16),
}

/// Decides what a response means for a part resumed from `asked_from`
/// (0 for a fresh request) whose earlier bytes came with `known`.
pub(crate) fn judge(asked_from: u64, known: &Validators, expected_total: Option<u64>, head: &Head) -> Answer {
    match head.status {
        200 => {
            let restart_reason = (asked_from > 0).then(|| restart_reason(known, &head.validators));
            Answer::Whole { restart_reason }
        }
        206 => match head.content_range {
            Some(range) if asked_from == 0 && range.start == 0 => Answer::Continues,
            Some(range) if range.start != asked_from => Answer::StartOver(format!(
                "the server sent bytes from {} when asked for bytes from {asked_from}",
                range.start
            )),
            Some(range) if expected_total.is_some() && range.total.is_some() && range.total != expected_total => {
                Answer::StartOver(format!(
                    "the file's size on the server changed from {} to {} bytes",
                    expected_total.unwrap_or_default(),
                    range.total.unwrap_or_default()
                ))
            }
            Some(_) => Answer::Continues,
            None => Answer::Retry("the server sent a partial answer without a valid Content-Range".to_owned()),
        },
        416 => Answer::StartOver(format!(
            "the server has no bytes from {asked_from} on (HTTP 416): the file on the server is shorter than the part downloaded"
        )),
        408 | 425 | 429 | 500..=599 => Answer::Retry(format!("the server answered HTTP {}", head.status)),
        status => Answer::Fatal(status),
    }
}

/// Why a server answered a range request with the whole file.
fn restart_reason(known: &Validators, now: &Validators) -> String {
    match (&known.etag, &now.etag) {
        (Some(before), Some(after)) if before != after => {
            return format!("the file changed on the server (ETag was {before}, now {after})");
        }
        _ => {}
    }
    match (&known.last_modified, &now.last_modified) {
        (Some(before), Some(after)) if before != after => {
            format!("the file changed on the server (Last-Modified was {before}, now {after})")
        }
        _ => "the server ignored the range request (it sent the whole file)".to_owned(),
    }
}

/// How the client reaches servers.
#[derive(Clone, Debug, Default)]
pub(crate) struct ClientSettings {
    /// `--proxy`; `None` reads the environment.
    pub proxy: Option<String>,
    /// Extra trusted roots (PEM).
    pub ca_file: Option<std::path::PathBuf>,
    /// No progress for this long fails the read.
    pub timeout: Duration,
}

/// One proxy setting and where it came from (`--proxy`, `HTTPS_PROXY` …).
#[derive(Clone, Debug)]
pub(crate) struct ProxySetting {
    proxy: ureq::Proxy,
    /// The variable that set it; `None` for the proxy option (`--proxy`).
    from: Option<&'static str>,
    /// The proxy's URL as given, without any user name or password.
    shown: String,
}

/// Which proxy each URL goes through, as curl chooses: `--proxy` for every
/// URL; else by the URL's scheme (`http_proxy` then `HTTP_PROXY` for http,
/// `https_proxy` then `HTTPS_PROXY` for https), else `all_proxy`/`ALL_PROXY`;
/// none for a host `no_proxy`/`NO_PROXY` names. Empty variables are unset.
#[derive(Clone, Debug, Default)]
pub(crate) struct Proxies {
    explicit: Option<ProxySetting>,
    http: Option<ProxySetting>,
    https: Option<ProxySetting>,
    all: Option<ProxySetting>,
    /// `NO_PROXY`'s entries, lower-case, without a leading dot.
    no_proxy: Vec<String>,
}

impl Proxies {
    /// From `--proxy` and the environment (`var` looks a variable up).
    pub(crate) fn new(explicit: Option<&str>, var: impl Fn(&str) -> Option<String>) -> Result<Proxies> {
        let first = |names: [&'static str; 2]| -> Result<Option<ProxySetting>> {
            for name in names {
                if let Some(value) = var(name).filter(|v| !v.trim().is_empty()) {
                    return setting(value.trim(), Some(name)).map(Some);
                }
            }
            Ok(None)
        };
        let no_proxy = ["no_proxy", "NO_PROXY"]
            .into_iter()
            .find_map(|name| var(name).filter(|v| !v.trim().is_empty()))
            .map(|list| {
                list.split(',')
                    .map(|entry| entry.trim().trim_start_matches("*.").trim_start_matches('.').to_ascii_lowercase())
                    .filter(|entry| !entry.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        Ok(Proxies {
            explicit: explicit.map(|url| setting(url, None)).transpose()?,
            http: first(["http_proxy", "HTTP_PROXY"])?,
            https: first(["https_proxy", "HTTPS_PROXY"])?,
            all: first(["all_proxy", "ALL_PROXY"])?,
            no_proxy,
        })
    }

    /// The proxy for `url`, or `None` to connect directly.
    pub(crate) fn for_url(&self, url: &str) -> Option<&ProxySetting> {
        let uri: ureq::http::Uri = url.parse().ok()?;
        let host = uri.host()?.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
        if self.bypasses(&host) {
            return None;
        }
        let by_scheme = match uri.scheme_str() {
            Some(scheme) if scheme.eq_ignore_ascii_case("http") => self.http.as_ref(),
            Some(scheme) if scheme.eq_ignore_ascii_case("https") => self.https.as_ref(),
            _ => None,
        };
        self.explicit.as_ref().or(by_scheme).or(self.all.as_ref())
    }

    /// Whether `NO_PROXY` names `host`: `*`, the host itself, or a domain it is in.
    fn bypasses(&self, host: &str) -> bool {
        self.no_proxy.iter().any(|entry| {
            let entry =
                entry.rsplit_once(':').filter(|(_, port)| port.parse::<u16>().is_ok()).map_or(&**entry, |(h, _)| h);
            entry == "*" || host == entry || host.strip_suffix(entry).is_some_and(|rest| rest.ends_with('.'))
        })
    }
}

/// Parses one proxy URL; `from` names the variable (`None`: the option) in the error.
fn setting(url: &str, from: Option<&'static str>) -> Result<ProxySetting> {
    let proxy = ureq::Proxy::new(url).map_err(|e| Error::Argument {
        what: match from {
            None => format!("{} {url}", crate::vocab::hint::Hint::Proxy),
            Some(var) => format!("the proxy {var}={url}"),
        },
        reason: format!("not a proxy URL ({e}); give it as http://host:port"),
    })?;
    let shown = match url.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{}", rest.rsplit_once('@').map_or(rest, |(_, host)| host)),
        None => url.rsplit_once('@').map_or(url, |(_, host)| host).to_owned(),
    };
    Ok(ProxySetting { proxy, from, shown })
}

/// The HTTP agent with each request's proxy chosen by its URL.
#[derive(Clone, Debug)]
pub(crate) struct Client {
    agent: ureq::Agent,
    proxies: Arc<Proxies>,
}

impl Client {
    /// A client over `agent` whose own proxy setting is replaced per request.
    pub(crate) fn new(agent: ureq::Agent, proxies: Proxies) -> Client {
        Client { agent, proxies: Arc::new(proxies) }
    }

    /// `GET url`, through the proxy chosen for it.
    pub(crate) fn get(&self, url: &str) -> ureq::RequestBuilder<ureq::typestate::WithoutBody> {
        let proxy = self.proxies.for_url(url).map(|s| s.proxy.clone());
        self.agent.get(url).config().proxy(proxy).build()
    }

    /// `HEAD url`, through the proxy chosen for it.
    pub(crate) fn head(&self, url: &str) -> ureq::RequestBuilder<ureq::typestate::WithoutBody> {
        let proxy = self.proxies.for_url(url).map(|s| s.proxy.clone());
        self.agent.head(url).config().proxy(proxy).build()
    }

    /// A failure to reach `url`, naming the proxy it went through: a dead
    /// proxy must not pass for a dead server.
    pub(crate) fn failure(&self, url: &str, error: &ureq::Error) -> String {
        match self.proxies.for_url(url) {
            Some(setting) => format!(
                "{error} (through the proxy {} from {}; check it, or reach this host without it by adding it to NO_PROXY)",
                setting.shown,
                setting.from.map_or_else(|| crate::vocab::hint::Hint::Proxy.to_string(), str::to_owned)
            ),
            None => error.to_string(),
        }
    }
}

/// Builds the HTTP client.
pub(crate) fn agent(settings: &ClientSettings) -> Result<Client> {
    let proxies = Proxies::new(settings.proxy.as_deref(), |name| std::env::var(name).ok())?;
    let roots = trusted_roots(settings.ca_file.as_deref())?;
    let tls = ureq::tls::TlsConfig::builder()
        .provider(ureq::tls::TlsProvider::Rustls)
        .root_certs(ureq::tls::RootCerts::Specific(Arc::new(roots)))
        .build();
    let config = config_builder(settings.timeout).proxy(None).tls_config(tls).build();
    Ok(Client::new(config.into(), proxies))
}

/// The agent's settings other than proxy and TLS (shared with the in-memory
/// agent of `canned`, so both judge responses alike): status codes are not
/// errors, up to 10 redirects, a timeout on every read and write.
pub(crate) fn config_builder(timeout: Duration) -> ureq::config::ConfigBuilder<ureq::typestate::AgentScope> {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(10)
        .save_redirect_history(false)
        .timeout_connect(Some(timeout))
        .timeout_per_read(Some(timeout))
        .timeout_per_write(Some(timeout))
        .user_agent(concat!("airlock/", env!("CARGO_PKG_VERSION")))
}

/// The system's trusted roots plus those in `ca_file`.
fn trusted_roots(ca_file: Option<&Path>) -> Result<Vec<ureq::tls::Certificate<'static>>> {
    let mut roots: Vec<ureq::tls::Certificate<'static>> = rustls_native_certs::load_native_certs()
        .certs
        .iter()
        .map(|der| ureq::tls::Certificate::from_der(der.as_ref()).to_owned())
        .collect();
    if let Some(path) = ca_file {
        let pem = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let before = roots.len();
        for item in ureq::tls::parse_pem(&pem) {
            if let Ok(ureq::tls::PemItem::Certificate(cert)) = item {
                roots.push(cert);
            }
        }
        if roots.len() == before {
            return Err(Error::Argument {
                what: format!("{} {}", crate::vocab::hint::Hint::CaFile, path.display()),
                reason: "holds no PEM certificate (-----BEGIN CERTIFICATE-----); pass the CA's certificate in PEM form"
                    .to_owned(),
            });
        }
    }
    Ok(roots)
}

/// Whether a transport failure is worth another attempt.
pub(crate) fn is_passing(error: &ureq::Error) -> bool {
    matches!(
        error,
        ureq::Error::Io(_)
            | ureq::Error::Timeout(_)
            | ureq::Error::ConnectionFailed
            | ureq::Error::HostNotFound
            | ureq::Error::Protocol(_)
            | ureq::Error::BodyStalled
            | ureq::Error::ConnectProxyFailed(_)
    )
}

/// Reads the head of a ureq response.
pub(crate) fn head_of(response: &ureq::http::Response<ureq::Body>) -> Head {
    Head::parse(
        response.status().as_u16(),
        response.headers().iter().map(|(name, value)| (name.as_str(), value.as_bytes())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(raw: &str) -> Head {
        Head::from_bytes(raw.as_bytes()).unwrap()
    }

    fn etag(tag: &str) -> Validators {
        Validators { etag: Some(tag.to_owned()), last_modified: None }
    }

    #[test]
    fn content_ranges_are_parsed_and_checked() {
        assert_eq!(
            parse_content_range("bytes 100-199/1000"),
            Some(ContentRange { start: 100, end: 199, total: Some(1000) })
        );
        assert_eq!(parse_content_range("bytes 0-0/*").map(|r| r.total), Some(None));
        for bad in [
            "bytes 200-100/1000",
            "bytes 0-1000/1000",
            "bytes -1-5/9",
            "items 0-1/2",
            "bytes 0-18446744073709551616/18446744073709551617",
            "bytes 0-1",
            "",
        ] {
            assert_eq!(parse_content_range(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_head_is_read_from_raw_bytes() {
        let parsed = head(
            "HTTP/1.1 206 Partial Content\r\nContent-Length: 100\r\nContent-Range: bytes 100-199/1000\r\nETag: \"abc\"\r\nLast-Modified: Wed, 25 Nov 2026 17:26:34 GMT\r\n\r\n",
        );
        assert_eq!(parsed.status, 206);
        assert_eq!(parsed.content_length, Some(100));
        assert_eq!(parsed.total_size(), Some(1000));
        assert_eq!(parsed.validators.etag.as_deref(), Some("\"abc\""));
        assert!(Head::from_bytes(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n").is_err());
        assert!(Head::from_bytes(b"garbage\r\n\r\n").is_err());
        assert_eq!(head("HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n").content_length, None);
        assert!(head("HTTP/1.1 206 OK\r\nContent-Range: bytes x\r\n\r\n").bad_content_range);
    }

    #[test]
    fn a_range_answered_as_asked_continues() {
        let h = head("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 100-999/1000\r\nETag: \"a\"\r\n\r\n");
        assert_eq!(judge(100, &etag("\"a\""), Some(1000), &h), Answer::Continues);
    }

    #[test]
    fn an_ignored_range_or_a_changed_file_restarts_with_the_reason() {
        let whole = head("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nETag: \"a\"\r\n\r\n");
        match judge(100, &etag("\"a\""), Some(1000), &whole) {
            Answer::Whole { restart_reason: Some(reason) } => assert!(reason.contains("ignored the range"), "{reason}"),
            other => panic!("{other:?}"),
        }
        let changed = head("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nETag: \"b\"\r\n\r\n");
        match judge(100, &etag("\"a\""), Some(1000), &changed) {
            Answer::Whole { restart_reason: Some(reason) } => {
                assert!(reason.contains("changed on the server") && reason.contains("\"b\""), "{reason}")
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(judge(0, &Validators::default(), None, &whole), Answer::Whole { restart_reason: None });
        let elsewhere = head("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-999/1000\r\n\r\n");
        assert!(matches!(judge(100, &etag("\"a\""), Some(1000), &elsewhere), Answer::StartOver(_)));
        let resized = head("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 100-1999/2000\r\n\r\n");
        assert!(matches!(judge(100, &etag("\"a\""), Some(1000), &resized), Answer::StartOver(_)));
        assert!(matches!(judge(100, &etag("\"a\""), None, &head("HTTP/1.1 416 No\r\n\r\n")), Answer::StartOver(_)));
    }

    #[test]
    fn server_errors_are_retried_and_client_errors_are_not() {
        for status in [500, 502, 503, 504, 408, 429] {
            let h = head(&format!("HTTP/1.1 {status} X\r\n\r\n"));
            assert!(matches!(judge(0, &Validators::default(), None, &h), Answer::Retry(_)), "{status}");
        }
        for status in [400, 401, 403, 404, 410, 304] {
            let h = head(&format!("HTTP/1.1 {status} X\r\n\r\n"));
            assert_eq!(judge(0, &Validators::default(), None, &h), Answer::Fatal(status));
        }
        let no_range = head("HTTP/1.1 206 Partial Content\r\nContent-Length: 3\r\n\r\n");
        assert!(matches!(judge(5, &Validators::default(), None, &no_range), Answer::Retry(_)));
    }

    #[test]
    fn weak_etags_are_not_used_for_if_range() {
        let weak = Validators { etag: Some("W/\"x\"".into()), last_modified: Some("Tue".into()) };
        assert_eq!(weak.if_range(), Some("Tue"));
        assert_eq!(etag("\"s\"").if_range(), Some("\"s\""));
        assert_eq!(Validators::default().if_range(), None);
    }

    fn proxies(explicit: Option<&str>, env: &[(&str, &str)]) -> Proxies {
        let env: Vec<(String, String)> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Proxies::new(explicit, |name| env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())).unwrap()
    }

    fn chosen(proxies: &Proxies, url: &str) -> Option<(String, &'static str)> {
        proxies.for_url(url).map(|s| (s.shown.clone(), s.from.unwrap_or("(the option)")))
    }

    #[test]
    fn the_proxy_is_chosen_by_the_urls_scheme_as_curl_does() {
        let env = [("HTTP_PROXY", "http://h:1"), ("https_proxy", "http://s:2"), ("ALL_PROXY", "http://a:3")];
        let p = proxies(None, &env);
        assert_eq!(chosen(&p, "http://vendor.example/x.exe"), Some(("http://h:1".into(), "HTTP_PROXY")));
        assert_eq!(chosen(&p, "https://vendor.example/x.exe"), Some(("http://s:2".into(), "https_proxy")));
        // ALL_PROXY only where the scheme has none.
        let p = proxies(None, &[("HTTPS_PROXY", "http://s:2"), ("ALL_PROXY", "http://a:3")]);
        assert_eq!(chosen(&p, "http://vendor.example/x"), Some(("http://a:3".into(), "ALL_PROXY")));
        // An HTTPS proxy alone leaves http:// direct (a dead one cannot break it).
        let p = proxies(None, &[("HTTPS_PROXY", "http://s:2")]);
        assert_eq!(chosen(&p, "http://vendor.example/x"), None);
        // The lower-case variable first; an empty one is unset.
        let p = proxies(None, &[("http_proxy", "http://low:1"), ("HTTP_PROXY", "http://up:1")]);
        assert_eq!(chosen(&p, "http://v/x").unwrap().1, "http_proxy");
        let p = proxies(None, &[("http_proxy", " "), ("HTTP_PROXY", "http://up:1")]);
        assert_eq!(chosen(&p, "http://v/x").unwrap().1, "HTTP_PROXY");
        // --proxy wins over every variable.
        let p = proxies(Some("http://flag:9"), &env);
        assert_eq!(chosen(&p, "https://v/x"), Some(("http://flag:9".into(), "(the option)")));
        // A password never reaches a message.
        let p = proxies(Some("http://me:secret@flag:9"), &[]);
        assert_eq!(chosen(&p, "https://v/x").unwrap().0, "http://flag:9");
    }

    #[test]
    fn no_proxy_names_hosts_and_their_subdomains_as_curl_reads_it() {
        let env = [("HTTPS_PROXY", "http://s:2"), ("NO_PROXY", "internal.example, .corp.test,10.0.0.5:8080")];
        let p = proxies(None, &env);
        for direct in [
            "https://internal.example/x",
            "https://dl.internal.example/x",
            "https://CORP.test/x",
            "https://a.b.corp.test/x",
            "https://10.0.0.5/x",
        ] {
            assert_eq!(chosen(&p, direct), None, "{direct}");
        }
        for proxied in ["https://notinternal.example/x", "https://internal.example.com/x", "https://corp.test.org/x"] {
            assert!(chosen(&p, proxied).is_some(), "{proxied}");
        }
        let p = proxies(Some("http://flag:9"), &[("no_proxy", "*")]);
        assert_eq!(chosen(&p, "https://anything/x"), None);
    }

    #[test]
    fn a_proxy_variable_that_is_not_a_url_is_refused_by_name() {
        let error = Proxies::new(None, |name| (name == "HTTPS_PROXY").then(|| "http://[bad".to_owned())).unwrap_err();
        assert!(error.to_string().contains("HTTPS_PROXY=http://[bad"), "{error}");
    }
}
