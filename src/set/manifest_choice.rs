//! The manifest a run goes by, chosen once for verify, extract and stage:
//! the one given, or one beside the set; with a trusted minisign key, the
//! signed one, its signature checked before anything else is believed
//! ([`crate::manifest::choice`]); then read as this set's
//! ([`DownloadSet::read_manifest`]: other manifests beside it must agree).

use std::path::{Path, PathBuf};

use crate::manifest::Manifest;
use crate::manifest::choice::{SignatureCheck, choose_signed};
use crate::set::discover::DownloadSet;
use crate::vocab::error::{Error, Result};

/// What [`DownloadSet::choose_manifest`] found.
pub(crate) struct ManifestChoice {
    /// The manifest's file, when one was read and lists this set's parts.
    pub path: Option<PathBuf>,
    /// The manifest, when there is one that lists this set's parts.
    pub manifest: Option<Manifest>,
    /// With a trusted key: whether the chosen manifest's signature verified.
    pub signature: Option<SignatureCheck>,
}

impl ManifestChoice {
    /// Fails with [`Error::Integrity`] when a trusted key was given and the
    /// manifest's signature did not verify; `nothing_done` ends the reason
    /// ("nothing was extracted").
    pub(crate) fn refuse_bad_signature(&self, set_name: &str, nothing_done: &str) -> Result<()> {
        match self.signature.as_ref().filter(|s| !s.valid) {
            Some(signature) => Err(Error::Integrity {
                what: signature.manifest.as_ref().map_or_else(|| set_name.to_owned(), |p| p.display().to_string()),
                reason: format!("{}; {nothing_done}", signature.message.as_deref().unwrap_or_default()),
            }),
            None => Ok(()),
        }
    }
}

impl DownloadSet {
    /// The manifest given, or the one beside the set (the first there that
    /// lists one of its parts), read as this set's
    /// ([`Self::read_manifest`]); no signature asked for.
    pub fn manifest(&self, given: Option<&Path>) -> Result<Option<Manifest>> {
        Ok(self.choose_manifest(given, None)?.manifest)
    }

    /// The manifest given (`given`), or the one beside the set; with a
    /// trusted minisign public key (`key`), the signed one, checked.
    pub(crate) fn choose_manifest(&self, given: Option<&Path>, key: Option<&Path>) -> Result<ManifestChoice> {
        let (path, signature) = match key {
            // Beside the set, the first manifest that lists a part of it.
            None => (given.map(Path::to_path_buf).or_else(|| self.beside_manifest()), None),
            Some(key) => {
                let (path, check) = choose_signed(&self.dir, &self.name, given, key)?;
                (path, Some(check))
            }
        };
        let manifest = match &path {
            Some(path) => self.read_manifest(path, given.is_some() || key.is_some())?,
            None => None,
        };
        let path = manifest.as_ref().and(path);
        Ok(ManifestChoice { path, manifest, signature })
    }
}
