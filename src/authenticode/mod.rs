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
//! - the Authenticode digest, recomputed over the ranges the one PE reader
//!   gives ([`pe`], [`crate::read::pe`]), read in blocks that honour the
//!   run's `Cancel`;
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
use crate::vocab::progress::Cancel;

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
/// `policy`; `Ok(None)` if the file is not a PE file. Only I/O failures and
/// an interruption are errors: a bad signature is an
/// [`AuthenticodeStatus::Invalid`] report.
///
/// Only the headers and the certificate table are read to judge the layout;
/// the digest then reads every signed byte (gigabytes for a self-extractor
/// with its archive appended) in blocks, and stops with
/// [`Error::Interrupted`] at the first block after `cancel` is set.
///
/// A DLL Microsoft signed, checked against the built-in Microsoft roots:
///
/// ```
/// use airlock::{AuthenticodeStatus, Cancel, SignerPolicy};
///
/// let policy = SignerPolicy::builtin().signer("Microsoft Windows Software Compatibility Publisher");
/// let dll = "testdata/authenticode/real/msvcp140_codecvt_ids.dll".as_ref();
/// let report = airlock::verify_authenticode(dll, &policy, &Cancel::new())?.expect("a PE file");
/// assert!(report.is_valid() && report.signer_problem(&policy).is_none());
/// if let AuthenticodeStatus::Valid { chain, timestamp, .. } = &report.status {
///     assert_eq!(chain.last().map(String::as_str), Some("Microsoft Root Certificate Authority 2011"));
///     assert!(timestamp.is_some());
/// }
/// // A file that is not a PE image has no signature to check.
/// assert!(airlock::verify_authenticode("testdata/minisign/SHA256SUMS".as_ref(), &policy, &Cancel::new())?.is_none());
/// # Ok::<(), airlock::Error>(())
/// ```
pub fn verify_authenticode(path: &Path, policy: &SignerPolicy, cancel: &Cancel) -> Result<Option<AuthenticodeReport>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // Not a PE file without the DOS header's `MZ`.
    let mut magic = [0u8; 2];
    if len < 64 || crate::platform::read_exact_at(&file, &mut magic, 0).is_err() || &magic != b"MZ" {
        return Ok(None);
    }
    let headers = object::ReadCache::new(&file);
    let status = contain(&name, "Authenticode", || Ok(verify_image(&headers, pe::Image::File(&file), policy, cancel)));
    let status = match status {
        Ok(Ok(status)) => status,
        Ok(Err(Stopped::Interrupted)) => return Err(Error::Interrupted),
        Ok(Err(Stopped::Io(error))) => return Err(Error::io(path, error)),
        Err(error) => Some(AuthenticodeStatus::Invalid { reason: error.to_string() }),
    };
    Ok(status.map(|status| AuthenticodeReport { file: name, status }))
}

/// Why a signature check stopped without a verdict.
enum Stopped {
    Interrupted,
    Io(std::io::Error),
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
    // Bytes in memory cannot fail to read, and nobody sets this cancel.
    verify_image(data, pe::Image::Memory(data), policy, &Cancel::new()).unwrap_or_default()
}

/// Checks the signature of the PE image whose headers `headers` reads and
/// whose bytes `image` holds (the same bytes): `None` if it is not a PE file.
fn verify_image<'a, R: object::ReadRef<'a>>(
    headers: R,
    image: pe::Image<'_>,
    policy: &SignerPolicy,
    cancel: &Cancel,
) -> std::result::Result<Option<AuthenticodeStatus>, Stopped> {
    let signed = match pe::inspect(headers) {
        pe::Layout::NotPe => return Ok(None),
        pe::Layout::Unsigned => return Ok(Some(AuthenticodeStatus::Unsigned)),
        pe::Layout::Broken(reason) => return Ok(Some(AuthenticodeStatus::Invalid { reason })),
        pe::Layout::Signed(signed) => signed,
    };
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    // Nested signatures usually repeat the primary's algorithm: hash the
    // file once per algorithm. A digest that stopped (interrupted, a read
    // error) is kept here and ends the check, whatever PKCS#7 makes of it.
    let digests = std::cell::RefCell::new(Vec::<(DigestAlgorithm, Vec<u8>)>::new());
    let stopped = std::cell::RefCell::new(None);
    let digest_of = |algorithm: DigestAlgorithm| {
        if let Some((_, digest)) = digests.borrow().iter().find(|(a, _)| *a == algorithm) {
            return Ok(digest.clone());
        }
        let digest = match signed.digest(algorithm, image, cancel) {
            Ok(digest) => digest,
            Err(pe::DigestError::Invalid(reason)) => return Err(reason),
            Err(pe::DigestError::Interrupted) => {
                stopped.replace(Some(Stopped::Interrupted));
                return Err("interrupted".to_owned());
            }
            Err(pe::DigestError::Io(error)) => {
                stopped.replace(Some(Stopped::Io(error)));
                return Err("the file cannot be read".to_owned());
            }
        };
        digests.borrow_mut().push((algorithm, digest.clone()));
        Ok(digest)
    };
    let verdict = pkcs7::verify(signed.signature, &digest_of, policy, now);
    if let Some(stop) = stopped.into_inner() {
        return Err(stop);
    }
    Ok(Some(match verdict {
        Ok(signatures) => {
            let Some(primary) = signatures.first() else {
                return Ok(Some(AuthenticodeStatus::Invalid { reason: "the signature holds no signer".into() }));
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
    }))
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
            let report = verify_authenticode(&fixture(file), &policy, &Cancel::new()).unwrap().unwrap();
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

    /// The digest reads every signed byte; a set cancel stops it with
    /// `Interrupted`, never a verdict, and the same file is valid without it.
    #[test]
    fn a_set_cancel_stops_the_digest() {
        let mut policy = SignerPolicy::builtin();
        policy.add_root_file(&fixture("pki/root.pem")).unwrap();
        let installer = fixture("inno/inno-6.4.1-signed.exe");
        let cancel = Cancel::new();
        let report = verify_authenticode(&installer, &policy, &cancel).unwrap().unwrap();
        assert!(report.is_valid(), "{:?}", report.status);
        cancel.cancel();
        let stopped = verify_authenticode(&installer, &policy, &cancel);
        assert!(matches!(stopped, Err(Error::Interrupted)), "{stopped:?}");
        // A child of the run's cancel stops it too.
        let parent = Cancel::new();
        let child = parent.child();
        parent.cancel();
        assert!(matches!(verify_authenticode(&installer, &policy, &child), Err(Error::Interrupted)));
        // No digest, no interruption: an unsigned file's verdict needs none.
        let unsigned = verify_authenticode(&fixture("pe/unsigned.dll"), &policy, &cancel).unwrap().unwrap();
        assert_eq!(unsigned.status, AuthenticodeStatus::Unsigned);
    }

    /// The file read in blocks and the same bytes in memory get one verdict.
    #[test]
    fn a_file_and_its_bytes_get_the_same_verdict() {
        let mut policy = SignerPolicy::builtin();
        policy.add_root_file(&fixture("pki/root.pem")).unwrap();
        for name in ["pe/valid.dll", "pe/appended.dll", "inno/inno-5.5.9-signed.exe", "sfx/sfx-7z-signed.exe"] {
            let path = fixture(name);
            let from_file = verify_authenticode(&path, &policy, &Cancel::new()).unwrap().unwrap().status;
            let from_bytes = verify_authenticode_bytes(&std::fs::read(&path).unwrap(), &policy).unwrap();
            assert_eq!(format!("{from_file:?}"), format!("{from_bytes:?}"), "{name}");
        }
        // Cut anywhere (inside the headers, the sections, the table), the
        // file read through its headers gets the verdict its bytes get.
        let valid = std::fs::read(fixture("pe/valid.dll")).unwrap();
        let temp = tempfile::tempdir().unwrap();
        let cut_file = temp.path().join("cut.dll");
        for cut in (64..valid.len()).step_by(331).chain([valid.len() - 1]) {
            std::fs::write(&cut_file, &valid[..cut]).unwrap();
            let from_file = verify_authenticode(&cut_file, &policy, &Cancel::new()).unwrap().map(|r| r.status);
            let from_bytes = verify_authenticode_bytes(&valid[..cut], &policy);
            assert_eq!(format!("{from_file:?}"), format!("{from_bytes:?}"), "cut at {cut}");
            assert!(!matches!(from_bytes, Some(AuthenticodeStatus::Valid { .. })), "cut at {cut} still valid");
        }
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
