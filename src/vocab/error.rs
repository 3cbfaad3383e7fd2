//! Typed errors for everything airlock can refuse or fail at.
//!
//! Every variant carries the file, part or entry it is about, and keeps the
//! underlying cause reachable through [`std::error::Error::source`] instead of
//! flattening it into a string. [`Error::kind`] sorts errors into the handful
//! of outcomes a caller acts on differently (the binary maps each to its own
//! exit code).

use std::io;
use std::path::{Path, PathBuf};

use crate::vocab::check_report::{CheckReport, ProblemKind};
use crate::vocab::hint::Hint;
use crate::vocab::signature::AuthenticodeReport;

/// What kind of failure an [`Error`] is, independent of its details.
///
/// The binary turns each kind into one exit code; an embedding tool can use it
/// to decide whether to retry, re-download or give up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// A hash or checksum did not match: the data is damaged or was altered.
    Integrity,
    /// The request itself cannot be carried out as given (bad path, no set,
    /// ambiguous set, unreadable manifest, files in the way).
    Usage,
    /// The download set is incomplete or inconsistent.
    Incomplete,
    /// Not enough free space at the destination.
    NoSpace,
    /// The payload is unsupported, corrupt or unsafe to extract.
    Payload,
    /// Any other I/O failure.
    Io,
    /// A symbolic link inside the destination (or media folder) stands where
    /// airlock would write: found before the run, or made by another program
    /// while it ran. airlock never writes through one.
    LinkInDest,
    /// The caller asked to stop (for example Ctrl-C).
    Interrupted,
}

/// The library's error type.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An I/O operation on `path` failed.
    #[error("{}: {}", path.display(), describe_io(source))]
    Io {
        /// The file or folder the operation was about.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
    /// A file or folder the user named cannot be used as given: a SET,
    /// `--manifest`, `--trust` or `--sign` file that does not exist, or a
    /// destination that is a file.
    #[error("{}: {reason}", path.display())]
    BadInput {
        /// The path as the user gave it.
        path: PathBuf,
        /// What is wrong with it and what to do.
        reason: String,
    },
    /// The path given as the set names no download set.
    #[error("{}: {reason}", path.display())]
    NotASet {
        /// What the user gave.
        path: PathBuf,
        /// Why it is not a set, with what was found.
        reason: String,
    },
    /// A folder holds more than one download set, so the choice is the user's.
    #[error("{} holds {} download sets ({}); name the one to use, e.g. {}", dir.display(), found.len(), found.join(", "), dir.join(&found[0]).display())]
    AmbiguousSet {
        /// The folder searched.
        dir: PathBuf,
        /// The head file of each set found.
        found: Vec<String>,
    },
    /// The completeness check found problems; the report names each.
    #[error("{}", report.summary())]
    Incomplete {
        /// The full report, with every problem found.
        report: Box<CheckReport>,
    },
    /// A manifest could not be read or parsed.
    #[error("{}", located(path, *line, reason))]
    Manifest {
        /// The manifest file.
        path: PathBuf,
        /// The 1-based line (0 when not about a line).
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// One or more parts or entries failed their hash or checksum.
    #[error("{what}: {reason}")]
    Integrity {
        /// The part or entry that failed (the first, when several did).
        what: String,
        /// What did not match.
        reason: String,
    },
    /// The installer is not validly signed by the signer the options
    /// require (`signer`): refused before anything else is done.
    #[error("{installer}: {reason}")]
    SignerRefused {
        /// The installer (the set's head part), or the set when it has none.
        installer: String,
        /// Why the requirement is not met.
        reason: String,
        /// The installer's signature as checked; `None` when the set has no
        /// Windows executable.
        signature: Option<Box<AuthenticodeReport>>,
    },
    /// The payload cannot be read, is not supported, or is unsafe.
    #[error("{what}: {reason}")]
    Payload {
        /// The set file or archive entry concerned.
        what: String,
        /// What is wrong.
        reason: String,
        /// The decoder's own error, when there was one.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// The destination's filesystem has less room than the extraction needs.
    #[error(
        "not enough free space on the filesystem holding {}: {} needed, {} available; free space there, or choose a folder on a larger disk",
        path.display(), crate::vocab::size::human_size(*needed), crate::vocab::size::human_size(*available)
    )]
    NoSpace {
        /// The destination (or its nearest existing ancestor) that was measured.
        path: PathBuf,
        /// Bytes the operation needs.
        needed: u64,
        /// Bytes available to this user there.
        available: u64,
    },
    /// The destination's filesystem filled up while writing.
    #[error("the filesystem holding {} filled up while writing; everything this run wrote was removed; free space there and run again", path.display())]
    DiskFull {
        /// The file being written when it filled up.
        path: PathBuf,
    },
    /// Files in the destination would be overwritten and the policy forbids it.
    #[error("{} file(s) already exist in {}: {}; {}, or pick an empty folder", existing.len(), dest.display(), crate::vocab::error::list_some(existing), Hint::Overwrite)]
    WouldOverwrite {
        /// The destination folder.
        dest: PathBuf,
        /// Destination-relative paths that exist.
        existing: Vec<String>,
    },
    /// Paths in the destination are in the way in a manner no overwrite
    /// setting resolves: a folder where a file goes, a file where a folder
    /// goes (files that merely exist are listed with them).
    #[error("{} path(s) in {} are in the way: {}; airlock replaces files only, never a folder with a file or a file with a folder: move them away, or pick an empty folder; nothing was written", paths.len(), dest.display(), crate::vocab::error::list_some(paths))]
    InTheWay {
        /// The destination folder.
        dest: PathBuf,
        /// Destination-relative paths, each with what is wrong there.
        paths: Vec<String>,
    },
    /// The payload is encrypted and no password, or a wrong one, was given.
    /// Checked against the payload's own test value before anything is decoded.
    #[error("{what}: {reason}")]
    Password {
        /// The set file concerned.
        what: String,
        /// Missing or wrong, and how to pass it.
        reason: String,
    },
    /// A language, component or task asked for names nothing the installer has.
    #[error("{flag} {name}: {reason}")]
    UnknownChoice {
        /// Which choice: [`Hint::Component`], [`Hint::Task`] or
        /// [`Hint::Language`] as the front end names it (`--component`).
        flag: String,
        /// The name given.
        name: String,
        /// What the installer has instead.
        reason: String,
    },
    /// The operation was cancelled before it finished; nothing it wrote remains.
    #[error("interrupted; everything this run wrote was removed")]
    Interrupted,
    /// A staging was cancelled: what it removed and what it left on the media.
    #[error(
        "interrupted; removed from {}: {}; left there: {}; no manifest was written, so run the same command again to finish",
        media.display(),
        if removed.is_empty() { "nothing but temporary files".to_owned() } else { format!("the {} part(s) this run copied ({}) and its temporary files", removed.len(), crate::vocab::error::list_some(removed)) },
        if left.is_empty() { "nothing".to_owned() } else { format!("{} part(s) that were already there and identical ({})", left.len(), crate::vocab::error::list_some(left)) }
    )]
    StageInterrupted {
        /// The media folder.
        media: PathBuf,
        /// Parts this run had copied, now removed.
        removed: Vec<String>,
        /// Parts that were on the media before and stay.
        left: Vec<String>,
    },
    /// A symbolic link inside the destination stands on the way to a file
    /// this run writes: there before the run (`during` false), or made while
    /// it ran (another program changed the destination). Nothing was written
    /// through it, so nothing landed outside the destination.
    #[error("{}", link_in_dest(dest, path, *during))]
    LinkInDest {
        /// The destination folder.
        dest: PathBuf,
        /// The link, relative to the destination.
        path: String,
        /// Whether it appeared while the run was writing.
        during: bool,
    },
    /// The destination is the set's own folder.
    #[error("{} is the set's own folder ({}): the extracted files would mix with its parts; {} a folder outside it or a new subfolder such as {}", dest.display(), dir.display(), Hint::OtherDest, dir.join("extracted").display())]
    DestIsSetFolder {
        /// The destination given.
        dest: PathBuf,
        /// The set's folder.
        dir: PathBuf,
    },
    /// An include pattern matches no entry of the payload.
    #[error("{}{} matches nothing in the payload; nothing was extracted; {} shows the paths it holds (as `setup.exe` or `{{app}}/setup.exe`)", Hint::Include, patterns.iter().map(|p| format!("'{p}'")).collect::<Vec<_>>().join(&format!(", {}", Hint::Include)), Hint::ListPayload)]
    NothingMatched {
        /// The patterns that matched nothing.
        patterns: Vec<String>,
    },
    /// Another airlock run holds the lock on the folder this run would write into.
    #[error("another airlock run is writing into {}; wait for it to finish, then run again (nothing was written)", dir.display())]
    Busy {
        /// The destination or media folder.
        dir: PathBuf,
    },
    /// A server answered a download request with an error status (4xx, or
    /// 5xx once the retries ran out).
    #[error(
        "{url}: the server answered HTTP {status} for {part}; check the URL; parts already downloaded are kept, and the same airlock fetch run again resumes"
    )]
    HttpStatus {
        /// The part being downloaded.
        part: String,
        /// The URL asked for (before redirects).
        url: String,
        /// The HTTP status code.
        status: u16,
    },
    /// The network failed for a part and the retries ran out.
    #[error(
        "{url}: {reason} (giving up on {part} after {attempts} attempt(s)); what was downloaded is kept, run the same airlock fetch again to resume, or {}",
        Hint::Retries
    )]
    Network {
        /// The part being downloaded.
        part: String,
        /// The URL asked for.
        url: String,
        /// The last failure.
        reason: String,
        /// How many requests were made.
        attempts: u32,
    },
    /// A downloaded part is not what the server or the payload's header said.
    #[error("{part} from {url}: {reason}")]
    DownloadMismatch {
        /// The part.
        part: String,
        /// Its URL.
        url: String,
        /// What does not match.
        reason: String,
    },
    /// A URL, proxy or certificate file given for a download cannot be used.
    #[error("{what}: {reason}")]
    Argument {
        /// What was given (the proxy, a URL, a file).
        what: String,
        /// What is wrong with it and what to do.
        reason: String,
    },
    /// A download was interrupted; its partial parts stay resumable.
    #[error("interrupted; {} partial part(s) kept in {} ({}); run the same airlock fetch again to resume them", partial.len(), dir.display(), crate::vocab::error::list_some(partial))]
    FetchInterrupted {
        /// The download folder.
        dir: PathBuf,
        /// The parts left partial (their `.airlock-download` files).
        partial: Vec<String>,
    },
}

impl Error {
    /// Which kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Io { .. } => ErrorKind::Io,
            Error::NotASet { .. } | Error::AmbiguousSet { .. } | Error::Manifest { .. } => ErrorKind::Usage,
            Error::WouldOverwrite { .. }
            | Error::InTheWay { .. }
            | Error::Password { .. }
            | Error::UnknownChoice { .. }
            | Error::BadInput { .. }
            | Error::Argument { .. } => ErrorKind::Usage,
            // A set whose only problem is a payload airlock cannot read is
            // a payload failure (exit 5), as `check` reports it.
            Error::Incomplete { report } => report.error_kind(),
            Error::Integrity { .. } | Error::SignerRefused { .. } => ErrorKind::Integrity,
            Error::Payload { .. } => ErrorKind::Payload,
            Error::NoSpace { .. } | Error::DiskFull { .. } => ErrorKind::NoSpace,
            Error::Interrupted | Error::StageInterrupted { .. } | Error::FetchInterrupted { .. } => {
                ErrorKind::Interrupted
            }
            Error::Busy { .. } | Error::NothingMatched { .. } | Error::DestIsSetFolder { .. } => ErrorKind::Usage,
            Error::HttpStatus { .. } | Error::Network { .. } => ErrorKind::Io,
            Error::LinkInDest { .. } => ErrorKind::LinkInDest,
            Error::DownloadMismatch { .. } => ErrorKind::Incomplete,
        }
    }

    /// The message with every underlying cause appended (`a: b: c`), for
    /// one-line reports that should not lose the decoder's own words.
    pub fn full_message(&self) -> String {
        let mut message = self.to_string();
        if let Error::Io { .. } = self {
            return message; // the OS error is already described, with advice
        }
        let mut source = std::error::Error::source(self);
        while let Some(cause) = source {
            let text = cause.to_string();
            // A decoder whose Display is its Debug (`Io(Error { kind: … })`)
            // says nothing a user can act on: its cause is left out.
            let debug_like = text.contains(" { ") || text.contains("Custom {") || text.contains("(Error");
            if !message.contains(&text) && !debug_like {
                message.push_str(": ");
                message.push_str(&text);
            }
            source = cause.source();
        }
        message
    }

    /// Builds an [`Error::Io`] about `path` ([`Error::DiskFull`] when the
    /// filesystem is full).
    pub(crate) fn io(path: impl AsRef<Path>, source: io::Error) -> Self {
        if source.kind() == io::ErrorKind::StorageFull {
            return Error::DiskFull { path: path.as_ref().to_path_buf() };
        }
        Error::Io { path: path.as_ref().to_path_buf(), source }
    }

    /// Builds the error for reading an input the user named (`role`: "the
    /// set", "the manifest" …): one that does not exist is
    /// [`Error::BadInput`] (a usage error), anything else [`Error::Io`].
    pub(crate) fn input(path: impl AsRef<Path>, role: &str, source: io::Error) -> Self {
        let path = path.as_ref().to_path_buf();
        match source.kind() {
            io::ErrorKind::NotFound => Error::BadInput {
                path,
                reason: format!("{role} does not exist; check the path (relative paths start from the current folder)"),
            },
            io::ErrorKind::NotADirectory => Error::BadInput {
                path,
                reason: format!("{role} does not exist: a folder on its path is a file; check the path"),
            },
            _ => Error::Io { path, source },
        }
    }

    /// Builds an [`Error::Payload`] without an underlying decoder error.
    pub(crate) fn payload(what: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Payload { what: what.into(), reason: reason.into(), source: None }
    }

    /// Builds an [`Error::Payload`] that keeps the decoder's error as its source.
    pub(crate) fn payload_from(
        what: impl Into<String>,
        reason: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Error::Payload { what: what.into(), reason: reason.into(), source: Some(Box::new(source)) }
    }
}

/// The result type of the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What [`Error::LinkInDest`] says.
fn link_in_dest(dest: &Path, path: &str, during: bool) -> String {
    let link = dest.join(path);
    if during {
        format!(
            "{} became a symbolic link while airlock was writing into {} (another program changed it); airlock never writes through a link, so it stopped: everything this run wrote was removed and nothing was written outside {}; find out what changes {}, then run again",
            link.display(),
            dest.display(),
            dest.display(),
            dest.display()
        )
    } else {
        format!(
            "{} is a symbolic link on the way to a file airlock would write; airlock never writes through a link; nothing was written; remove the link or choose another destination",
            link.display()
        )
    }
}

/// `path: line N: reason`, or `path: reason` when not about a line.
fn located(path: &Path, line: usize, reason: &str) -> String {
    if line == 0 {
        format!("{}: {reason}", path.display())
    } else {
        format!("{}: line {line}: {reason}", path.display())
    }
}

/// An OS error in words, with what to do, without the raw `(os error N)`.
pub(crate) fn describe_io(error: &io::Error) -> String {
    use io::ErrorKind as K;
    let advice = match error.kind() {
        K::NotFound => "does not exist; check the path",
        K::PermissionDenied => "permission denied; check the file's permissions or run as a user who may use it",
        K::AlreadyExists => "already exists; move it away or choose another name",
        K::NotADirectory => "a folder on this path is a file; check the path",
        K::IsADirectory => "is a folder where a file was expected; check the path",
        K::DirectoryNotEmpty => "the folder is not empty; empty it or choose another",
        K::ReadOnlyFilesystem => "the filesystem is read-only; remount it writable or choose another place",
        K::StorageFull | K::QuotaExceeded => "the filesystem is full; free space there and run again",
        K::UnexpectedEof => "the file ended early: it is cut short; copy or download it again",
        K::Interrupted => "interrupted; run again",
        K::InvalidFilename => "the name is too long or not allowed on this filesystem; choose another place",
        K::CrossesDevices => "cannot move across filesystems; choose a place on the same filesystem",
        K::FileTooLarge => "the file is too large for this filesystem; choose another place",
        K::ResourceBusy | K::ExecutableFileBusy => "the file is in use by another program; close it and run again",
        K::TimedOut | K::WouldBlock => "timed out; check the device or network share and run again",
        _ => "",
    };
    if !advice.is_empty() {
        return advice.to_owned();
    }
    // Other errors: the OS's own words, without the raw code, and advice.
    let text = error.to_string();
    let words = match text.find(" (os error ") {
        Some(cut) => text[..cut].to_owned(),
        None => text,
    };
    format!("{}; check the device and run again", words.to_lowercase())
}

/// Lists up to eight names, then how many more there are.
pub(crate) fn list_some(names: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut text = names.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

/// Which [`ErrorKind`] a completeness report amounts to: decided here, beside
/// the kinds, so the report stays a leaf that names no error.
impl CheckReport {
    /// The kind of failure the errors amount to: [`ErrorKind::Incomplete`]
    /// only when the set's own structure (or its manifest) shows parts
    /// missing, empty, short, of the wrong size or not slices; a payload that
    /// cannot be recognised or read, or one with bytes past its end, is
    /// [`ErrorKind::Payload`].
    pub fn error_kind(&self) -> ErrorKind {
        let incomplete = self.errors().any(|p| {
            matches!(
                p.kind,
                ProblemKind::Missing
                    | ProblemKind::Misplaced
                    | ProblemKind::Unfinished
                    | ProblemKind::Copy
                    | ProblemKind::Empty
                    | ProblemKind::WrongSize
                    | ProblemKind::BadMagic
                    | ProblemKind::Short
                    | ProblemKind::Unlisted
            )
        });
        if incomplete {
            ErrorKind::Incomplete
        } else if self.errors().any(|p| p.kind == ProblemKind::Unreadable) {
            // A part that cannot be read is an I/O failure, not a missing part.
            ErrorKind::Io
        } else {
            ErrorKind::Payload
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `text` names a command-line flag (`--name`, ` -d `).
    pub(crate) fn names_a_flag(text: &str) -> bool {
        let bytes = text.as_bytes();
        let long = bytes.windows(3).any(|w| w[0] == b'-' && w[1] == b'-' && w[2].is_ascii_lowercase());
        let short = bytes.windows(4).any(|w| w[0] == b' ' && w[1] == b'-' && w[2].is_ascii_lowercase() && w[3] == b' ');
        long || short
    }

    /// Every variant, each with the data that brings out all its wording.
    fn every_error() -> Vec<Error> {
        let path = PathBuf::from("set/app.exe");
        let names = vec!["a.txt".to_owned(), "b.txt".to_owned()];
        vec![
            Error::io(&path, io::Error::from(io::ErrorKind::PermissionDenied)),
            Error::io(&path, io::Error::from(io::ErrorKind::StorageFull)),
            Error::input(&path, "the manifest", io::Error::from(io::ErrorKind::NotFound)),
            Error::input(&path, "the manifest", io::Error::from(io::ErrorKind::NotADirectory)),
            Error::NotASet { path: path.clone(), reason: "no parts".into() },
            Error::AmbiguousSet { dir: "set".into(), found: names.clone() },
            Error::Manifest { path: path.clone(), line: 3, reason: "bad line".into() },
            Error::Integrity { what: "app-1.bin".into(), reason: "SHA-256 does not match".into() },
            Error::payload("app.exe", "unsupported"),
            Error::NoSpace { path: path.clone(), needed: 5 << 30, available: 1 << 30 },
            Error::WouldOverwrite { dest: "dest".into(), existing: names.clone() },
            Error::Password { what: "app.exe".into(), reason: "wrong password".into() },
            Error::UnknownChoice { flag: Hint::Component.to_string(), name: "sqk".into(), reason: "none".into() },
            Error::Interrupted,
            Error::StageInterrupted { media: "media".into(), removed: names.clone(), left: names.clone() },
            Error::StageInterrupted { media: "media".into(), removed: vec![], left: vec![] },
            Error::DestIsSetFolder { dest: "set".into(), dir: "set".into() },
            Error::NothingMatched { patterns: names.clone() },
            Error::Busy { dir: "dest".into() },
            Error::HttpStatus { part: "app-1.bin".into(), url: "https://example.com/a".into(), status: 404 },
            Error::Network {
                part: "a".into(),
                url: "https://example.com/a".into(),
                reason: "reset".into(),
                attempts: 3,
            },
            Error::DownloadMismatch { part: "a".into(), url: "https://example.com/a".into(), reason: "short".into() },
            Error::Argument { what: format!("{} http://x", Hint::Proxy), reason: "not a URL".into() },
            Error::FetchInterrupted { dir: "dl".into(), partial: names },
        ]
    }

    #[test]
    fn messages_name_no_flag() {
        // The binary adds the flags (`Hint`); the library's own words never
        // name one. Messages built elsewhere are held to this by
        // tests/source_rules.rs, which reads every string in src/.
        for error in every_error() {
            let text = error.full_message();
            assert!(!names_a_flag(&text), "{error:?}: {text}");
        }
        for hint in Hint::ALL {
            assert!(!names_a_flag(&format!(" {hint} ")), "{hint:?}");
        }
        assert!(names_a_flag("pass --overwrite always") && names_a_flag("or pass -d a folder"));
    }

    #[test]
    fn hints_read_as_prose() {
        let text = Error::WouldOverwrite { dest: "dest".into(), existing: vec!["a".into()] }.to_string();
        assert_eq!(
            text,
            "1 file(s) already exist in dest: a; allow overwriting (always, or only files that differ), or pick an empty folder"
        );
        let text = Error::NothingMatched { patterns: vec!["x".into(), "y".into()] }.to_string();
        assert!(text.starts_with("the pattern 'x', the pattern 'y' matches nothing"), "{text}");
    }
}
