//! What an Inno Setup installer's external files are, as reports name them:
//! `[Files]` entries with `Flags: external`, whose source the installer opens
//! at install time instead of carrying the bytes. How they are read from the
//! headers and found on disk is `payload::inno::external`'s.

use serde::Serialize;

/// What an external entry needs of the set.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ExternalNeed {
    /// A file of the set: the install fails without it.
    Required,
    /// A file of the set the installer skips when it is not there
    /// (`skipifsourcedoesntexist`).
    Optional,
    /// A file on the target machine (`{sys}`, `{win}`, an absolute path):
    /// not part of the set.
    OnTarget,
    /// Fetched from the network at install time (`download`, Inno Setup 6.5+).
    Network,
}

/// One `external` entry of the installer's `[Files]`, as its headers record it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExternalSource {
    /// The source as the installer names it (`{src}\SQL\Updates\*`).
    pub source: String,
    /// The destination as the installer records it (`{app}\SQL\Updates\`).
    pub destination: String,
    /// What it needs of the set.
    pub need: ExternalNeed,
    /// For a source under `{src}`: its path in the set, `/`-separated
    /// (`SQL/Updates/*`).
    pub relative: Option<String>,
    /// The source's file name is a wildcard: it takes what matches.
    pub wildcard: bool,
    /// `recursesubdirs`: a wildcard also matches in subfolders.
    pub recurse: bool,
    /// The size the installer records for the file (`ExternalSize`).
    pub size: Option<u64>,
    /// `extractarchive` (Inno Setup 6.5+): the file is an archive the
    /// installer unpacks at install time.
    pub extract_archive: bool,
    /// The crate's file-entry index.
    #[serde(skip)]
    pub(crate) index: usize,
}

impl ExternalSource {
    /// Whether the set holds (or should hold) this entry's files.
    pub fn in_set(&self) -> bool {
        matches!(self.need, ExternalNeed::Required | ExternalNeed::Optional) && self.relative.is_some()
    }

    /// The folder its files must be in, relative to the installer's
    /// (`""` for the installer's own folder).
    pub fn folder(&self) -> &str {
        let relative = self.relative.as_deref().unwrap_or("");
        relative.rsplit_once('/').map_or("", |(folder, _)| folder)
    }
}
