//! What a completeness check found, as data: the report, each part's state
//! and each problem. A leaf: it names no stage of the pipeline, so errors
//! (`Error::Incomplete`) and later stages can carry a report without
//! depending on the check itself. Which exit code a report amounts to is
//! decided beside `ErrorKind` (`CheckReport::error_kind`).
#![warn(clippy::arithmetic_side_effects)]

use std::path::PathBuf;

use serde::Serialize;

use super::external::ExternalSource;
use super::payload_format::PayloadFormat;
use crate::vocab::naming::Scheme;
use crate::vocab::states::PartState;

/// How serious a [`Problem`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The set cannot be used as it is.
    Error,
    /// Worth a look; the set itself is usable.
    Warning,
    /// Something to know about the set; nothing is wrong with it (a file the
    /// installer needs on the target machine, or fetches at install time).
    Note,
}

/// What kind of problem was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProblemKind {
    /// A part is not there.
    Missing,
    /// A part is in a subfolder or the parent folder.
    Misplaced,
    /// A browser's unfinished download (`.crdownload`, `.part` …).
    Unfinished,
    /// A browser's second copy (`NAME-3 (1).bin`).
    Copy,
    /// A zero-length part.
    Empty,
    /// A part whose size is not what its header or the manifest says.
    WrongSize,
    /// A slice without the slice magic.
    BadMagic,
    /// The set's bytes fall short of what the payload needs.
    Short,
    /// The set's bytes run past the payload's end.
    Long,
    /// A file named like a part of the set that the set does not use.
    Extra,
    /// The payload's headers cannot be read or are not recognised.
    Payload,
    /// A part the manifest lists is here under another name (matched by
    /// size and SHA-256): a note, not a fault.
    Renamed,
    /// A part the payload's structure needs that the manifest does not list.
    Unlisted,
    /// A part that cannot be opened or read.
    Unreadable,
    /// What an Inno Setup installer reads from outside itself at install
    /// time: files a wildcard takes, optional files that are not here, files
    /// on the target machine, downloads.
    External,
}

/// One thing wrong with the set.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Problem {
    /// The kind of problem.
    pub kind: ProblemKind,
    /// Error or warning.
    pub severity: Severity,
    /// The file it is about (as it should be named), if any.
    pub part: Option<String>,
    /// One line: what is wrong, which file, what to do.
    pub message: String,
}

/// The state of one part after the check.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PartStatus {
    /// The part's file name (the expected name when it is missing).
    pub name: String,
    /// Its size on disk (absent when missing).
    pub size: Option<u64>,
    /// The size the payload or manifest requires, when known.
    pub expected_size: Option<u64>,
    /// What the check found.
    pub status: PartState,
    /// The name the manifest lists this part under, when it is here under
    /// another (`NAME (1).exe` for `NAME.exe`).
    pub listed_as: Option<String>,
    #[serde(skip)]
    pub(crate) path: Option<PathBuf>,
    /// For a file an Inno Setup installer reads from beside itself at
    /// install time: the installer's source for it (`{src}\\SQL\\x.exe`).
    /// The part's name is then its path in the set (`SQL/x.exe`), and it is
    /// not part of the payload's bytes.
    pub external: Option<String>,
    /// The part's number (0 for the head); orders the report.
    #[serde(skip)]
    pub(crate) number: u32,
}

/// One entry of an Inno Setup installer's `[Files]` that it reads from
/// outside itself at install time, and the files of the set it takes.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Serialize)]
pub struct ExternalFiles {
    /// The entry as the installer records it.
    #[serde(flatten)]
    pub source: ExternalSource,
    /// The files of the set it takes, by their path in the set.
    pub files: Vec<String>,
}

/// The outcome of a completeness check: it may list errors. Ask
/// [`CheckReport::is_ok`] or call [`CheckReport::into_result`].
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[must_use = "a check report may hold errors: check is_ok() or call into_result()"]
pub struct CheckReport {
    /// The set's name.
    pub set: String,
    /// The folder holding it.
    pub dir: PathBuf,
    /// How its parts are named.
    pub scheme: Scheme,
    /// The payload found, if any.
    pub payload: Option<PayloadFormat>,
    /// A description of the payload (version, compression, slices).
    pub payload_detail: Option<String>,
    /// How a renamed installer was paired with its slices.
    pub pairing: Option<String>,
    /// The manifest used, if any.
    pub manifest: Option<PathBuf>,
    /// Every expected part, then extras.
    pub parts: Vec<PartStatus>,
    /// Every problem found.
    pub problems: Vec<Problem>,
    /// Inno Setup: the files the installer reads from outside itself at
    /// install time (the set's own are among `parts` too).
    pub externals: Vec<ExternalFiles>,
    /// The installer's Authenticode signature, as [`check`](crate::check())
    /// and [`list`](crate::list()) found it against their options' `signer`;
    /// `None` when the set's head is not a Windows executable, and in the
    /// check inside verify, extract and stage, whose own reports carry it.
    /// Not serialized with the report (the binary prints it as
    /// `authenticode` beside it).
    #[serde(skip)]
    pub authenticode: Option<crate::vocab::signature::AuthenticodeReport>,
}

impl CheckReport {
    /// Whether the set is usable: no problem of severity error.
    pub fn is_ok(&self) -> bool {
        !self.problems.iter().any(|p| p.severity == Severity::Error)
    }

    /// The errors, then the warnings.
    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| p.severity == Severity::Error)
    }

    /// One line: the first error, and how many more there are.
    pub fn summary(&self) -> String {
        let errors: Vec<&Problem> = self.errors().collect();
        match errors.as_slice() {
            [] => format!("{}: complete", self.set),
            [one] => one.message.clone(),
            [first, rest @ ..] => format!("{} (and {} more problems)", first.message, rest.len()),
        }
    }

    /// The paths of the payload's parts that are present and expected, in
    /// order (the installer's external files are not among them).
    pub fn part_paths(&self) -> Vec<PathBuf> {
        self.parts
            .iter()
            .filter(|p| p.status != PartState::Extra && p.external.is_none())
            .filter_map(|p| p.path.clone())
            .collect()
    }

    /// Every file of the set that is present and expected, in order: the
    /// payload's parts, then the installer's external files. What is hashed,
    /// recorded and staged.
    pub fn member_paths(&self) -> Vec<PathBuf> {
        self.members().map(|p| p.path.clone().unwrap_or_default()).collect()
    }

    /// The statuses of [`member_paths`](Self::member_paths), in its order.
    pub(crate) fn members(&self) -> impl Iterator<Item = &PartStatus> {
        self.parts.iter().filter(|p| p.status != PartState::Extra && p.path.is_some())
    }
}

impl CheckReport {
    /// Adds a problem.
    pub(crate) fn problem(&mut self, kind: ProblemKind, severity: Severity, part: Option<String>, message: String) {
        self.problems.push(Problem { kind, severity, part, message });
    }
}
