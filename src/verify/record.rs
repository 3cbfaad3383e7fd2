//! `make_manifest`: the parts of a complete set hashed and described in a
//! manifest, refused when the set is incomplete or contradicts the manifest
//! it was checked against.
#![warn(clippy::arithmetic_side_effects)]

use std::path::{Path, PathBuf};

use crate::dest::write_file::write_files;
use crate::manifest::minisign::{SigningKey, signature_path};
use crate::manifest::{Manifest, ManifestFormat};
use crate::read::hash::{HashOptions, hash_files};
use crate::set::check::{self, ProblemKind};
use crate::set::discover::DownloadSet;
use crate::vocab::error::{Error, Result};
use crate::vocab::progress::{Cancel, Progress, Task};
use crate::vocab::states::{Overwrite, PartState};

/// Hashes the parts of a complete set and describes them in a [`Manifest`]
/// (names, sizes, SHA-256, scheme and payload). The options' `manifest` is
/// one to check completeness against, as for [`verify`](crate::verify()).
/// An incomplete set is an error: a manifest of it would vouch for the
/// wrong thing. So is a part whose bytes contradict that manifest
/// ([`Error::Integrity`] naming every such part): recording them would bless
/// damage. The options' `rerecord` says the set changed on purpose: the
/// known manifest is then ignored and the bytes recorded as they are.
fn make_manifest(set: &DownloadSet, options: &ManifestOptions, progress: &dyn Progress) -> Result<Manifest> {
    let (cancel, rerecord) = (&options.cancel, options.rerecord);
    let known = if rerecord { None } else { set.manifest(options.manifest.as_deref())? };
    let mut report = check::run(set, known.as_ref(), cancel, progress)?.report;
    // Parts the known manifest leaves out are what a new manifest adds.
    report.problems.retain(|p| p.kind != ProblemKind::Unlisted);
    let report = report.into_result()?;
    let paths = report.member_paths();
    let names: Vec<String> = report.members().map(|p| p.name.clone()).collect();
    let total = report.parts.iter().filter(|p| p.status != PartState::Extra).filter_map(|p| p.size).sum();
    progress.begin(Task::Hash, total);
    let digests = hash_files(&paths, options.hash, progress, cancel);
    progress.end(Task::Hash);
    let mut parts = Vec::with_capacity(paths.len());
    // A part by its file name, an installer's external file by its path in the set.
    for ((path, digest), name) in paths.iter().zip(digests).zip(names) {
        let size = std::fs::metadata(path).map_err(|e| Error::io(path, e))?.len();
        parts.push((name, size, digest?));
    }
    if let Some(known) = &known {
        let contradicted: Vec<String> = parts
            .iter()
            .filter(|(name, _, digest)| known.find_path(name).is_some_and(|entry| entry.sha256 != *digest))
            .map(|(name, _, _)| name.clone())
            .collect();
        if !contradicted.is_empty() {
            return Err(Error::Integrity {
                what: contradicted.join(", "),
                reason: format!(
                    "SHA-256 does not match {}: the part is damaged or altered, and a new manifest would vouch for the damage; download {} again, or {} if the set changed on purpose",
                    known.path.as_deref().map_or_else(|| "the manifest".to_owned(), |p| p.display().to_string()),
                    if contradicted.len() == 1 { "it" } else { "them" },
                    crate::vocab::hint::Hint::Rerecord
                ),
            });
        }
    }
    Ok(Manifest::from_parts(&set.name, Some(report.scheme), report.payload, parts))
}

/// How to make a manifest and where to put it ([`write_manifest`]). Build it
/// with [`ManifestOptions::default`] and the setters: new options may be
/// added without breaking callers.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct ManifestOptions {
    /// A manifest to check completeness against instead of one beside the
    /// set (as for [`verify`](crate::verify())).
    pub manifest: Option<PathBuf>,
    /// The format written: [`ManifestFormat::Sha256sum`] (the default) or
    /// [`ManifestFormat::Json`]; the others are read, never written.
    pub format: ManifestFormat,
    /// The file to write; `None` writes nothing (the text is in the report).
    pub output: Option<PathBuf>,
    /// Whether an existing `output` may be replaced; `IfDifferent` leaves an
    /// identical one as it is.
    pub overwrite: Overwrite,
    /// The set changed on purpose: the known manifest is ignored and the
    /// bytes recorded as they are.
    pub rerecord: bool,
    /// A minisign secret key: the manifest is signed and the signature
    /// written beside it (`FILE.minisig`), both files or neither. Needs
    /// `output`.
    pub signing_key: Option<PathBuf>,
    /// The secret key's password, when it has one.
    pub key_password: Option<String>,
    /// Threads and I/O strategy for hashing.
    pub hash: HashOptions,
    /// Stops the work early when set.
    pub cancel: Cancel,
}

impl ManifestOptions {
    /// A manifest to check completeness against instead of one beside the set.
    #[must_use]
    pub fn manifest(mut self, manifest: Option<PathBuf>) -> Self {
        self.manifest = manifest;
        self
    }

    /// The format written (sha256sum or JSON).
    #[must_use]
    pub fn format(mut self, format: ManifestFormat) -> Self {
        self.format = format;
        self
    }

    /// The file to write the manifest to.
    #[must_use]
    pub fn output(mut self, output: Option<PathBuf>) -> Self {
        self.output = output;
        self
    }

    /// Whether an existing output file may be replaced.
    #[must_use]
    pub fn overwrite(mut self, overwrite: Overwrite) -> Self {
        self.overwrite = overwrite;
        self
    }

    /// Record the bytes as they are, ignoring the known manifest.
    #[must_use]
    pub fn rerecord(mut self, rerecord: bool) -> Self {
        self.rerecord = rerecord;
        self
    }

    /// Sign the manifest with this minisign secret key (and its password).
    #[must_use]
    pub fn signing_key(mut self, key: Option<PathBuf>, password: Option<String>) -> Self {
        self.signing_key = key;
        self.key_password = password;
        self
    }

    /// Threads and I/O strategy for hashing.
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
}

/// What [`write_manifest`] made and wrote.
#[derive(Clone, Debug)]
#[non_exhaustive]
#[must_use]
pub struct ManifestReport {
    /// The manifest.
    pub manifest: Manifest,
    /// Its text, in the format asked for.
    pub text: String,
    /// The files written, the manifest first (left out when `IfDifferent`
    /// found it identical), then its signature.
    pub written: Vec<PathBuf>,
}

/// Makes the manifest of a complete set and, with an
/// `output`, writes it, signed on request: the key is opened first (a wrong
/// password is found before the hashing), an existing file is refused
/// unless `overwrite` allows it, and the manifest and its signature are
/// written together or not at all.
/// Without an `output` nothing is written, and the report holds the text:
///
/// ```
/// use airlock::{ManifestOptions, NoProgress};
///
/// let set = airlock::discover("testdata/inno/inno-6.4.1-lzma2-solid-spanned".as_ref())?;
/// let made = airlock::write_manifest(&set, &ManifestOptions::default(), &NoProgress)?;
/// assert!(made.written.is_empty());
/// // The fixture's own SHA256SUMS was checked against, and the new one says the same.
/// let beside = std::fs::read_to_string("testdata/inno/inno-6.4.1-lzma2-solid-spanned/SHA256SUMS").unwrap();
/// let sorted = |text: &str| { let mut lines: Vec<String> = text.lines().map(str::to_owned).collect(); lines.sort(); lines };
/// assert_eq!(sorted(&made.text), sorted(&beside));
/// let json = made.manifest.to_json(); // names, sizes, SHA-256, naming scheme and payload format
/// # assert!(json.contains("\"airlock_manifest\""));
/// # Ok::<(), airlock::Error>(())
/// ```
pub fn write_manifest(set: &DownloadSet, options: &ManifestOptions, progress: &dyn Progress) -> Result<ManifestReport> {
    let output = options.output.as_deref();
    if let (Some(key), None) = (&options.signing_key, output) {
        return Err(Error::Argument {
            what: key.display().to_string(),
            reason:
                "a signature is written beside its manifest as FILE.minisig: give the manifest a file to be written to"
                    .to_owned(),
        });
    }
    if !matches!(options.format, ManifestFormat::Sha256sum | ManifestFormat::Json) {
        return Err(Error::Argument {
            what: format!("{:?}", options.format),
            reason: "manifests are written as sha256sum lines or airlock's JSON".to_owned(),
        });
    }
    if let Some(path) = output
        && path.exists()
        && options.overwrite == Overwrite::Never
    {
        return Err(Error::WouldOverwrite {
            dest: path.parent().map(Path::to_path_buf).unwrap_or_default(),
            existing: vec![path.display().to_string()],
        });
    }
    let key =
        options.signing_key.as_deref().map(|key| SigningKey::open(key, options.key_password.clone())).transpose()?;
    let manifest = make_manifest(set, options, progress)?;
    let text = match options.format {
        ManifestFormat::Json => manifest.to_json(),
        _ => manifest.to_sha256sum(),
    };
    let mut written = Vec::new();
    if let Some(path) = output {
        let signature = match key {
            Some(key) => {
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                Some((signature_path(path), key.sign(text.as_bytes(), &name)?))
            }
            None => None,
        };
        let unchanged =
            options.overwrite == Overwrite::IfDifferent && std::fs::read(path).is_ok_and(|old| old == text.as_bytes());
        let mut files: Vec<(&Path, &[u8])> = Vec::new();
        if !unchanged {
            files.push((path, text.as_bytes()));
        }
        if let Some((signature_path, signature)) = &signature {
            files.push((signature_path.as_path(), signature.as_bytes()));
        }
        write_files(&files)?;
        written.extend(files.iter().map(|(path, _)| path.to_path_buf()));
    }
    Ok(ManifestReport { manifest, text, written })
}
