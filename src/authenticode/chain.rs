//! The chain from a signing certificate to a trusted root.
//!
//! Authenticode signatures carry their intermediates, so the path is short
//! and the candidates few: a depth-first search over the certificates in the
//! signature and the trusted roots, matching issuer to subject and checking
//! each signature (`x509-verify`), each certificate's validity at the
//! signing time, CA-ness of issuers, and the extended key usage (codeSigning
//! for signatures, timeStamping for timestamps) on the leaf and on any
//! intermediate that restricts it. Revocation is not checked: the far side
//! of an air gap has no CRL or OCSP to ask (docs/guide.md says so).

use der::Decode;
use der::asn1::ObjectIdentifier;
use x509_cert::Certificate;
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, SubjectKeyIdentifier};

use super::roots::SignerPolicy;

/// `id-kp-codeSigning`.
pub(crate) const CODE_SIGNING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.3");
/// `id-kp-timeStamping`.
pub(crate) const TIME_STAMPING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.8");
const ANY_EKU: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37.0");
const EXT_EKU: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
const EXT_BASIC_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.19");
const EXT_SUBJECT_KEY_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.14");
const COMMON_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
const ORGANIZATION: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.10");
/// Longest chain tried (leaf, intermediates, root).
const MAX_DEPTH: usize = 8;

/// Finds a chain from `leaf` to a root in `policy` through `pool`, every
/// certificate valid at `at` (Unix seconds), the leaf allowed `usage`.
/// Returns it leaf first, root last. `when` says in messages what time `at` is.
pub(crate) fn build<'a>(
    leaf: &'a Certificate,
    pool: &'a [Certificate],
    policy: &'a SignerPolicy,
    at: u64,
    usage: ObjectIdentifier,
    when: &str,
) -> std::result::Result<Vec<&'a Certificate>, String> {
    let purpose = if usage == CODE_SIGNING { "code signing" } else { "timestamping" };
    match eku(leaf) {
        Some(list) if !list.contains(&usage) && !list.contains(&ANY_EKU) => {
            return Err(format!("{} is not allowed for {purpose} (extended key usage)", display_name(leaf)));
        }
        None => {
            return Err(format!("{} has no extended key usage for {purpose}", display_name(leaf)));
        }
        _ => {}
    }
    let mut path = vec![leaf];
    let mut best = None;
    if walk(&mut path, pool, policy, at, usage, when, &mut best) {
        Ok(path)
    } else {
        Err(best.unwrap_or_else(|| format!("{} does not chain to a trusted root", display_name(leaf))))
    }
}

/// Extends `path` (ending in the certificate to find an issuer for) to a
/// trusted root; on failure leaves the most telling reason in `best`.
fn walk<'a>(
    path: &mut Vec<&'a Certificate>,
    pool: &'a [Certificate],
    policy: &'a SignerPolicy,
    at: u64,
    usage: ObjectIdentifier,
    when: &str,
    best: &mut Option<String>,
) -> bool {
    let Some(&current) = path.last() else { return false };
    if let Err(reason) = valid_at(current, at, when) {
        *best = Some(reason);
        return false;
    }
    if path.len() > 1 && !restricts_ok(current, usage) {
        *best =
            Some(format!("{} may not issue certificates for this purpose (extended key usage)", display_name(current)));
        return false;
    }
    if policy.is_root(current) {
        return true;
    }
    let issuer = &current.tbs_certificate.issuer;
    if issuer == &current.tbs_certificate.subject {
        // Self-signed and not a trusted root: the chain ends here.
        let top = display_name(current);
        *best = Some(if policy.roots.iter().any(|r| &r.tbs_certificate.subject == issuer) {
            format!(
                "the chain ends at a certificate named \"{top}\" that has the name of a trusted root but not its key: it is another root of the same name (an impostor, or a root you have not {})",
                crate::vocab::hint::Hint::AddedAsRoot
            )
        } else {
            format!(
                "the chain ends at \"{top}\", which is not a trusted root (add it {} if you trust it)",
                crate::vocab::hint::Hint::AddRoot
            )
        });
        return false;
    }
    if path.len() >= MAX_DEPTH {
        *best = Some("the certificate chain is too long".into());
        return false;
    }
    let candidates: Vec<&'a Certificate> = policy
        .roots
        .iter()
        .chain(pool.iter())
        .filter(|c| &c.tbs_certificate.subject == issuer && !path.contains(c))
        .collect();
    let mut any = false;
    for candidate in candidates {
        any = true;
        if !is_ca(candidate) {
            *best = Some(format!("{} is not a certificate authority", display_name(candidate)));
            continue;
        }
        if verifies(candidate, current).is_err() {
            *best = Some(format!(
                "the signature on {} does not verify with {}",
                display_name(current),
                display_name(candidate)
            ));
            continue;
        }
        path.push(candidate);
        if walk(path, pool, policy, at, usage, when, best) {
            return true;
        }
        path.pop();
    }
    if !any && best.is_none() {
        let top = display_name(current);
        *best = Some(format!(
            "the chain ends at \"{top}\", whose issuer \"{}\" is neither in the signature nor a trusted root (add the root {} if you trust it)",
            name_cn(issuer).unwrap_or_else(|| issuer.to_string()),
            crate::vocab::hint::Hint::AddRoot
        ));
    }
    false
}

/// Whether `issuer`'s key verifies `subject`'s signature.
pub(crate) fn verifies(issuer: &Certificate, subject: &Certificate) -> std::result::Result<(), String> {
    let key = x509_verify::VerifyingKey::try_from(issuer).map_err(|e| e.to_string())?;
    key.verify(subject).map_err(|e| e.to_string())
}

/// Whether `certificate` is valid at `at`.
fn valid_at(certificate: &Certificate, at: u64, when: &str) -> std::result::Result<(), String> {
    let validity = &certificate.tbs_certificate.validity;
    let not_before = validity.not_before.to_unix_duration().as_secs();
    let not_after = validity.not_after.to_unix_duration().as_secs();
    if at < not_before {
        return Err(format!("{} is not valid until {} {when}", display_name(certificate), rfc3339(not_before)));
    }
    if at > not_after {
        return Err(format!("{} expired on {} {when}", display_name(certificate), rfc3339(not_after)));
    }
    Ok(())
}

/// An intermediate restricts usage only when it carries an EKU extension.
fn restricts_ok(certificate: &Certificate, usage: ObjectIdentifier) -> bool {
    eku(certificate).is_none_or(|list| list.contains(&usage) || list.contains(&ANY_EKU))
}

fn extension(certificate: &Certificate, oid: ObjectIdentifier) -> Option<&[u8]> {
    certificate.tbs_certificate.extensions.iter().flatten().find(|e| e.extn_id == oid).map(|e| e.extn_value.as_bytes())
}

/// The certificate's extended key usages, when it lists any.
fn eku(certificate: &Certificate) -> Option<Vec<ObjectIdentifier>> {
    let bytes = extension(certificate, EXT_EKU)?;
    // An EKU extension that does not decode allows nothing.
    Some(ExtendedKeyUsage::from_der(bytes).map(|e| e.0).unwrap_or_default())
}

/// Whether `certificate` may issue certificates (basicConstraints cA, or a
/// v1 certificate, which predates extensions).
fn is_ca(certificate: &Certificate) -> bool {
    match extension(certificate, EXT_BASIC_CONSTRAINTS) {
        Some(bytes) => BasicConstraints::from_der(bytes).is_ok_and(|b| b.ca),
        None => certificate.tbs_certificate.version == x509_cert::certificate::Version::V1,
    }
}

/// The subject key identifier, when present.
pub(crate) fn subject_key_id(certificate: &Certificate) -> Option<Vec<u8>> {
    let bytes = extension(certificate, EXT_SUBJECT_KEY_ID)?;
    SubjectKeyIdentifier::from_der(bytes).ok().map(|k| k.0.as_bytes().to_vec())
}

/// The subject's CN, or O, or the whole name.
pub(crate) fn display_name(certificate: &Certificate) -> String {
    let subject = &certificate.tbs_certificate.subject;
    name_cn(subject).or_else(|| attribute(subject, ORGANIZATION)).unwrap_or_else(|| subject.to_string())
}

/// The subject's organisation (O).
pub(crate) fn organization(certificate: &Certificate) -> Option<String> {
    attribute(&certificate.tbs_certificate.subject, ORGANIZATION)
}

fn name_cn(name: &x509_cert::name::Name) -> Option<String> {
    attribute(name, COMMON_NAME)
}

/// The last value of attribute `oid` in `name`, as text.
fn attribute(name: &x509_cert::name::Name, oid: ObjectIdentifier) -> Option<String> {
    let value = name.0.iter().flat_map(|rdn| rdn.0.iter()).rfind(|atv| atv.oid == oid)?;
    Some(directory_string(&value.value))
}

/// A DirectoryString (or IA5/BMP string) as text, lossily.
fn directory_string(value: &der::Any) -> String {
    use der::{Tag, Tagged};
    let bytes = value.value();
    match value.tag() {
        Tag::BmpString => {
            let units: Vec<u16> = bytes.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
            String::from_utf16_lossy(&units)
        }
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Unix seconds as RFC 3339 UTC.
pub(crate) fn rfc3339(seconds: u64) -> String {
    let time = std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds);
    crate::vocab::time::rfc3339(time).unwrap_or_else(|| format!("{seconds} s after 1970"))
}
