//! How to extract: the destination, the overwrite policy, the free-space
//! floor, the selection and the rest of what a caller may set.
#![warn(clippy::arithmetic_side_effects)]

use std::path::PathBuf;

use crate::dest::collisions::Collisions;
use crate::payload::inno::choice::InnoChoice;
use crate::read::hash::HashOptions;
use crate::vocab::progress::Cancel;

use super::select::Selection;

pub use crate::vocab::states::Overwrite;

/// How to extract. Build it with [`ExtractOptions::new`] and the setters:
/// new options may be added without breaking callers.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ExtractOptions {
    /// The destination folder (created if missing).
    pub dest: PathBuf,
    /// Which entries.
    pub selection: Selection,
    /// What to do with existing files.
    pub overwrite: Overwrite,
    /// The free-space floor: refuse unless at least this much is available
    /// (and at least the total size of the selected entries). The vendor asks
    /// for 4 GiB, the default.
    pub min_free: u64,
    /// A manifest to verify the parts against; `None` looks beside the set.
    pub manifest: Option<PathBuf>,
    /// Verify the parts when a manifest is known.
    pub verify_parts: bool,
    /// Password for encrypted 7z, zip or Inno Setup payloads.
    pub password: Option<String>,
    /// Hashing and decoding threads (`0`: all cores).
    pub hash: HashOptions,
    /// Stops the work early when set.
    pub cancel: Cancel,
    /// A minisign public key the manifest must be signed with.
    pub manifest_key: Option<PathBuf>,
    /// For an Inno Setup installer: the language, components and tasks to
    /// extract for (the default: the installer's default language, every
    /// component, every task). Applied before `selection`.
    pub inno: InnoChoice,
    /// What to do when two archive entries would land on one file.
    pub collisions: Collisions,
    /// Roots and a required signer for the installer's Authenticode
    /// signature: with a signer required, anything but a valid signature by
    /// it refuses the run before anything is written
    /// ([`crate::Error::SignerRefused`]). `None` (the default) checks nothing.
    pub signer: Option<crate::authenticode::SignerPolicy>,
}

/// The default free-space floor: the vendor's 4 GiB.
pub const DEFAULT_MIN_FREE: u64 = 4 << 30;

impl ExtractOptions {
    /// Options that extract everything into `dest` with the defaults.
    pub fn new(dest: impl Into<PathBuf>) -> Self {
        Self {
            dest: dest.into(),
            selection: Selection::all(),
            overwrite: Overwrite::Never,
            min_free: DEFAULT_MIN_FREE,
            manifest: None,
            verify_parts: true,
            password: None,
            hash: HashOptions::default(),
            cancel: Cancel::new(),
            manifest_key: None,
            inno: InnoChoice::default(),
            collisions: Collisions::Refuse,
            signer: None,
        }
    }

    /// Require the installer to be validly signed (`policy` with a required
    /// signer) before anything is written.
    #[must_use]
    pub fn signer(mut self, policy: Option<crate::authenticode::SignerPolicy>) -> Self {
        self.signer = policy;
        self
    }

    /// Which entries to extract.
    #[must_use]
    pub fn selection(mut self, selection: Selection) -> Self {
        self.selection = selection;
        self
    }

    /// What to do with files that already exist.
    #[must_use]
    pub fn overwrite(mut self, overwrite: Overwrite) -> Self {
        self.overwrite = overwrite;
        self
    }

    /// The free-space floor in bytes (`0` removes it).
    #[must_use]
    pub fn min_free(mut self, bytes: u64) -> Self {
        self.min_free = bytes;
        self
    }

    /// A manifest to verify the parts against instead of one beside the set.
    #[must_use]
    pub fn manifest(mut self, manifest: Option<PathBuf>) -> Self {
        self.manifest = manifest;
        self
    }

    /// Whether to verify the parts when a manifest is known.
    #[must_use]
    pub fn verify_parts(mut self, verify: bool) -> Self {
        self.verify_parts = verify;
        self
    }

    /// The password of an encrypted payload.
    #[must_use]
    pub fn password(mut self, password: Option<String>) -> Self {
        self.password = password;
        self
    }

    /// Threads and I/O strategy.
    #[must_use]
    pub fn hash(mut self, hash: HashOptions) -> Self {
        self.hash = hash;
        self
    }

    /// Stop early when `cancel` is set.
    #[must_use]
    pub fn cancel(mut self, cancel: Cancel) -> Self {
        self.cancel = cancel;
        self
    }

    /// Require the manifest to be signed by this minisign public key.
    #[must_use]
    pub fn manifest_key(mut self, key: Option<PathBuf>) -> Self {
        self.manifest_key = key;
        self
    }

    /// What to do when two 7z/zip entries would be one file in DEST.
    #[must_use]
    pub fn collisions(mut self, collisions: Collisions) -> Self {
        self.collisions = collisions;
        self
    }

    /// Inno Setup: the language, components and tasks to extract for.
    #[must_use]
    pub fn inno(mut self, choice: InnoChoice) -> Self {
        self.inno = choice;
        self
    }
}
