//! Authenticode: is the installer what its vendor signed?
//!
//! Microsoft publishes no hash list for its offline installers, but it signs
//! them. An Authenticode signature covers the whole PE file except the
//! checksum field and the certificate table, including the data after the
//! last section, where Inno Setup keeps its setup headers (which in turn
//! carry a checksum of every file in the slices). So a valid signature plus
//! a deep verification vouches for every extracted file.
//!
//! [`verify_authenticode`] checks, offline:
//! - the PE layout: the certificate table ends the file and the sections
//!   leave no unsigned gaps ([`pe`]);
//! - the Authenticode digest, recomputed ([`pe`], `authenticode` crate);
//! - every signature in the PKCS#7 SignedData, nested ones included: the
//!   signed attributes' digest and the signer's signature over them ([`pkcs7`]);
//! - the RFC 3161 timestamp or legacy countersignature ([`timestamp`]);
//! - the chain from the signing certificate to a trusted root, with the
//!   codeSigning EKU, at the timestamp's time ([`chain`], roots in [`roots`]).
//!
//! Every signature present must verify. Decoding runs inside the panic
//! boundary ([`crate::read::contain`]): these are hostile bytes.

mod chain;
mod pe;
mod pkcs7;
mod roots;
mod timestamp;

use std::fs::File;
use std::path::Path;

pub use crate::vocab::signature::{
    AuthenticodeReport, AuthenticodeStatus, DigestAlgorithm, SignatureInfo, Timestamp, TimestampKind,
};
pub use roots::SignerPolicy;

use crate::read::contain::contain;
use crate::vocab::error::{Error, Result};

impl DigestAlgorithm {
    /// The name people read: `SHA-256`.
    pub fn label(self) -> &'static str {
        match self {
            DigestAlgorithm::Sha1 => "SHA-1",
            DigestAlgorithm::Sha256 => "SHA-256",
            DigestAlgorithm::Sha384 => "SHA-384",
            DigestAlgorithm::Sha512 => "SHA-512",
        }
    }

    /// Whether collisions are practical (SHA-1).
    pub fn is_weak(self) -> bool {
        self == DigestAlgorithm::Sha1
    }

    pub(crate) fn from_oid(oid: &der::oid::ObjectIdentifier) -> Option<Self> {
        Some(match oid.to_string().as_str() {
            "1.3.14.3.2.26" => DigestAlgorithm::Sha1,
            "2.16.840.1.101.3.4.2.1" => DigestAlgorithm::Sha256,
            "2.16.840.1.101.3.4.2.2" => DigestAlgorithm::Sha384,
            "2.16.840.1.101.3.4.2.3" => DigestAlgorithm::Sha512,
            _ => return None,
        })
    }

    pub(crate) fn hasher(self) -> Hasher {
        use sha2_010::Digest;
        match self {
            DigestAlgorithm::Sha1 => Hasher::Sha1(sha1_010::Sha1::new()),
            DigestAlgorithm::Sha256 => Hasher::Sha256(sha2_010::Sha256::new()),
            DigestAlgorithm::Sha384 => Hasher::Sha384(sha2_010::Sha384::new()),
            DigestAlgorithm::Sha512 => Hasher::Sha512(sha2_010::Sha512::new()),
        }
    }

    pub(crate) fn hash(self, data: &[u8]) -> Vec<u8> {
        let mut hasher = self.hasher();
        hasher.as_update().update(data);
        hasher.finish()
    }
}

/// One of the digest-0.10 hashers the `authenticode` crate can feed.
pub(crate) enum Hasher {
    Sha1(sha1_010::Sha1),
    Sha256(sha2_010::Sha256),
    Sha384(sha2_010::Sha384),
    Sha512(sha2_010::Sha512),
}

impl Hasher {
    pub(crate) fn as_update(&mut self) -> &mut dyn sha2_010::digest::Update {
        match self {
            Hasher::Sha1(h) => h,
            Hasher::Sha256(h) => h,
            Hasher::Sha384(h) => h,
            Hasher::Sha512(h) => h,
        }
    }

    pub(crate) fn finish(self) -> Vec<u8> {
        use sha2_010::Digest;
        match self {
            Hasher::Sha1(h) => h.finalize().to_vec(),
            Hasher::Sha256(h) => h.finalize().to_vec(),
            Hasher::Sha384(h) => h.finalize().to_vec(),
            Hasher::Sha512(h) => h.finalize().to_vec(),
        }
    }
}

impl SignatureInfo {
    /// Whether the signing certificate's O or CN is `name`, ignoring case.
    pub fn is_signed_by(&self, name: &str) -> bool {
        let wanted = name.trim().to_lowercase();
        self.signer.to_lowercase() == wanted || self.organization.as_deref().is_some_and(|o| o.to_lowercase() == wanted)
    }
}

impl AuthenticodeReport {
    /// Whether the signature is valid.
    pub fn is_valid(&self) -> bool {
        matches!(self.status, AuthenticodeStatus::Valid { .. })
    }

    /// The primary signer, when valid.
    pub fn signer(&self) -> Option<&str> {
        match &self.status {
            AuthenticodeStatus::Valid { signer, .. } => Some(signer),
            _ => None,
        }
    }

    /// Whether the signature is valid and its primary signer's O or CN is
    /// `name` (ignoring case).
    pub fn is_signed_by(&self, name: &str) -> bool {
        match &self.status {
            AuthenticodeStatus::Valid { signatures, .. } => signatures.first().is_some_and(|s| s.is_signed_by(name)),
            _ => false,
        }
    }

    /// `None` if `policy` requires no signer or this report satisfies it;
    /// otherwise why not, in one sentence (the caller names the file).
    pub fn signer_problem(&self, policy: &SignerPolicy) -> Option<String> {
        let wanted = policy.required_signer()?;
        let why = match &self.status {
            AuthenticodeStatus::Valid { .. } if self.is_signed_by(wanted) => return None,
            AuthenticodeStatus::Valid { signer, .. } => format!("it is signed by \"{signer}\", not \"{wanted}\""),
            AuthenticodeStatus::Invalid { reason } => format!("its signature is not valid: {reason}"),
            AuthenticodeStatus::Unsigned => "it carries no Authenticode signature".to_owned(),
        };
        Some(format!(
            "{} \"{wanted}\" requires a valid signature by \"{wanted}\", but {why}; do not use this installer",
            crate::vocab::hint::Hint::Signer
        ))
    }
}

/// Checks the Authenticode signature of the PE file at `path` against
/// `policy`; `Ok(None)` if the file is not a PE file. Only I/O failures are
/// errors: a bad signature is an [`AuthenticodeStatus::Invalid`] report.
///
/// A DLL Microsoft signed, checked against the built-in Microsoft roots:
///
/// ```
/// use airlock::{AuthenticodeStatus, SignerPolicy};
///
/// let policy = SignerPolicy::builtin().signer("Microsoft Windows Software Compatibility Publisher");
/// let report = airlock::verify_authenticode("testdata/authenticode/real/msvcp140_codecvt_ids.dll".as_ref(), &policy)?
///     .expect("a PE file");
/// assert!(report.is_valid() && report.signer_problem(&policy).is_none());
/// if let AuthenticodeStatus::Valid { chain, timestamp, .. } = &report.status {
///     assert_eq!(chain.last().map(String::as_str), Some("Microsoft Root Certificate Authority 2011"));
///     assert!(timestamp.is_some());
/// }
/// // A file that is not a PE image has no signature to check.
/// assert!(airlock::verify_authenticode("testdata/minisign/SHA256SUMS".as_ref(), &policy)?.is_none());
/// # Ok::<(), airlock::Error>(())
/// ```
pub fn verify_authenticode(path: &Path, policy: &SignerPolicy) -> Result<Option<AuthenticodeReport>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // Not a PE file without the DOS header's `MZ`: a zip or 7z head is not
    // read whole (where it cannot be mapped, `load` reads it into memory).
    let mut magic = [0u8; 2];
    if len < 64 || crate::platform::read_exact_at(&file, &mut magic, 0).is_err() || &magic != b"MZ" {
        return Ok(None);
    }
    let map = FileBytes::load(&file).map_err(|e| Error::io(path, e))?;
    let status = contain(&name, "Authenticode", || Ok(verify_authenticode_bytes(&map, policy)));
    let status = match status {
        Ok(status) => status,
        Err(error) => Some(AuthenticodeStatus::Invalid { reason: error.to_string() }),
    };
    Ok(status.map(|status| AuthenticodeReport { file: name, status }))
}

/// A whole file's bytes: mapped, or read into memory where the file cannot
/// be mapped (some FUSE and network filesystems refuse maps with `ENODEV`).
enum FileBytes {
    Mapped(memmap2::Mmap),
    Read(Vec<u8>),
}

impl FileBytes {
    fn load(mut file: &File) -> std::io::Result<FileBytes> {
        // SAFETY: read-only map; a concurrent truncation raises SIGBUS, which
        // the binary turns into a clear error (as for hashing from maps).
        match unsafe { memmap2::Mmap::map(file) } {
            Ok(map) => Ok(FileBytes::Mapped(map)),
            Err(_) => {
                let mut bytes = Vec::new();
                std::io::Read::read_to_end(&mut file, &mut bytes)?;
                Ok(FileBytes::Read(bytes))
            }
        }
    }
}

impl std::ops::Deref for FileBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            FileBytes::Mapped(map) => map,
            FileBytes::Read(bytes) => bytes,
        }
    }
}

/// Why `report` (the installer's signature check, `None` when the set has
/// no executable) does not satisfy `policy`'s required signer, if it does not.
pub fn signer_requirement_problem(report: Option<&AuthenticodeReport>, policy: &SignerPolicy) -> Option<String> {
    match (report, policy.required_signer()) {
        (Some(report), _) => report.signer_problem(policy),
        (None, Some(wanted)) => Some(format!(
            "{} \"{wanted}\" requires a signed installer, but the set has no Windows executable to carry a signature",
            crate::vocab::hint::Hint::Signer
        )),
        (None, None) => None,
    }
}

/// `manifest_json` (airlock's JSON manifest) with the installer's signature
/// check recorded as its `authenticode` member.
pub(crate) fn record_in_manifest(manifest_json: &str, report: &AuthenticodeReport) -> String {
    // Spliced in as text so the manifest keeps its key order.
    let body = manifest_json.trim_end();
    let (Some(body), Ok(recorded)) = (body.strip_suffix('}'), serde_json::to_string_pretty(report)) else {
        return manifest_json.to_owned();
    };
    format!("{},\n  \"authenticode\": {}\n}}\n", body.trim_end(), recorded.replace('\n', "\n  "))
}

/// Checks the signature of a PE image held in memory; `None` if `data` is
/// not a PE file.
pub fn verify_authenticode_bytes(data: &[u8], policy: &SignerPolicy) -> Option<AuthenticodeStatus> {
    let signed = match pe::inspect(data) {
        pe::Layout::NotPe => return None,
        pe::Layout::Unsigned => return Some(AuthenticodeStatus::Unsigned),
        pe::Layout::Broken(reason) => return Some(AuthenticodeStatus::Invalid { reason }),
        pe::Layout::Signed(signed) => signed,
    };
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    // Nested signatures usually repeat the primary's algorithm: hash the
    // file once per algorithm.
    let digests = std::cell::RefCell::new(Vec::<(DigestAlgorithm, Vec<u8>)>::new());
    let digest_of = |algorithm: DigestAlgorithm| {
        if let Some((_, digest)) = digests.borrow().iter().find(|(a, _)| *a == algorithm) {
            return Ok(digest.clone());
        }
        let digest = signed.digest(algorithm)?;
        digests.borrow_mut().push((algorithm, digest.clone()));
        Ok(digest)
    };
    Some(match pkcs7::verify(signed.signature, &digest_of, policy, now) {
        Ok(signatures) => {
            let Some(primary) = signatures.first() else {
                return Some(AuthenticodeStatus::Invalid { reason: "the signature holds no signer".into() });
            };
            let digest = signatures
                .iter()
                .filter(|s| s.signer == primary.signer)
                .map(|s| s.digest)
                .max()
                .unwrap_or(primary.digest);
            AuthenticodeStatus::Valid {
                signer: primary.signer.clone(),
                chain: primary.chain.clone(),
                digest,
                timestamp: primary.timestamp.clone(),
                signed_bytes: signed.signed_end,
                signatures,
            }
        }
        Err(reason) => AuthenticodeStatus::Invalid { reason },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/authenticode").join(name)
    }

    /// Every fixture in ORACLE.tsv gets the verdict osslsigncode gave it
    /// (valid, or not); where osslsigncode says "unsigned" for a signature
    /// it ignores (data appended after the table) airlock says invalid.
    #[test]
    fn verdicts_match_the_recorded_osslsigncode_verdicts() {
        let table = std::fs::read_to_string(fixture("ORACLE.tsv")).unwrap();
        let mut checked = 0;
        for line in table.lines().skip(1) {
            let fields: Vec<&str> = line.split('\t').collect();
            let (file, roots, oracle) = (fields[0], fields[1], fields[2]);
            let mut policy = SignerPolicy::builtin();
            for root in roots.split(',').filter(|r| !r.is_empty()) {
                policy.add_root_file(&fixture(root)).unwrap();
            }
            let report = verify_authenticode(&fixture(file), &policy).unwrap().unwrap();
            let ours = match report.status {
                AuthenticodeStatus::Valid { .. } => "valid",
                AuthenticodeStatus::Invalid { .. } => "invalid",
                AuthenticodeStatus::Unsigned => "unsigned",
            };
            let agrees = ours == oracle || (file == "pe/appended.dll" && ours == "invalid" && oracle == "unsigned");
            assert!(agrees, "{file} with roots [{roots}]: airlock {:?}, osslsigncode {oracle}", report.status);
            checked += 1;
        }
        assert!(checked >= 15, "only {checked} fixtures in ORACLE.tsv");
    }

    #[test]
    fn hostile_bytes_give_a_verdict_not_a_panic() {
        let valid = std::fs::read(fixture("pe/valid.dll")).unwrap();
        let policy = SignerPolicy::builtin();
        // Truncations and byte flips across the whole file, headers and
        // certificate table included.
        for cut in (0..valid.len()).step_by(97) {
            let _ = verify_authenticode_bytes(&valid[..cut], &policy);
        }
        for at in (0..valid.len()).step_by(151) {
            let mut bent = valid.clone();
            bent[at] ^= 0x5a;
            let status = verify_authenticode_bytes(&bent, &policy);
            assert!(!matches!(status, Some(AuthenticodeStatus::Valid { .. })), "flip at {at} still valid");
        }
    }
}
