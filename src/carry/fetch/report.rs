//! What fetching plans and what it did: the parts to download and where
//! their list came from, then each part's outcome and the set's report.

use std::collections::HashMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::read::hash::Digest256;
use crate::set::check::CheckReport;

use super::transfer::Transferred;

/// Where the list of parts came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PlannedPart {
    /// Its file name in the download folder.
    pub name: String,
    /// Its URL.
    pub url: String,
    /// Its size as the server announced it.
    pub size: Option<u64>,
    /// Where the server's redirects led (when they did).
    pub final_url: Option<String>,
    /// Bytes already in the folder from an earlier run (all of them when complete).
    pub present: u64,
    /// Whether the part is already complete in the folder.
    pub complete: bool,
    #[serde(skip)]
    pub(super) slice: bool,
    #[serde(skip)]
    pub(super) fetched: Option<(Transferred, PartAction)>,
}

/// The parts of a set to download, ready for [`download`](crate::download).
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
    pub(super) expected: HashMap<String, Digest256>,
    pub(super) agent: super::http::Client,
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FetchedPart {
    /// Its file name.
    pub name: String,
    /// Its URL.
    pub url: String,
    /// Where the server's redirects led.
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
