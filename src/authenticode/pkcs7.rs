//! The PKCS#7 SignedData of an Authenticode signature: the content digest,
//! the signer's signature over the signed attributes, and nested signatures.
//!
//! The `authenticode` crate checks the structure (one signer, the
//! `SpcIndirectDataContent` content type) and extracts the file digest; the
//! `cms` crate decodes the rest; `x509-verify` checks the RSA/ECDSA
//! signatures. What is written here is the glue Authenticode needs and no
//! crate has: which bytes each digest covers, the algorithm pairing CMS
//! leaves implicit, and the walk over nested signatures.

use authenticode::AuthenticodeSignature;
use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use der::asn1::OctetString;
use der::oid::ObjectIdentifier;
use der::{Decode, Encode, SliceReader};
use x509_cert::Certificate;
use x509_cert::spki::AlgorithmIdentifierOwned;

use super::chain::{self, CODE_SIGNING};
use super::roots::SignerPolicy;
use super::{DigestAlgorithm, SignatureInfo, timestamp};

/// `id-signedData`.
pub(crate) const SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
/// PKCS#9 `messageDigest` attribute.
pub(crate) const MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
/// Microsoft's nested-signature attribute (`szOID_NESTED_SIGNATURE`).
const NESTED_SIGNATURE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.311.2.4.1");
/// How deep nested signatures may go (Windows nests one level).
const MAX_NESTING: usize = 1;

/// A check that fails with a one-sentence reason.
pub(crate) type Check<T> = std::result::Result<T, String>;

/// Verifies every signature in the PKCS#7 `der` (nested ones too) against
/// the file digest `digest_of` computes; returns them, primary first.
pub(crate) fn verify(
    der: &[u8],
    digest_of: &dyn Fn(DigestAlgorithm) -> Check<Vec<u8>>,
    policy: &SignerPolicy,
    now: u64,
) -> Check<Vec<SignatureInfo>> {
    let mut found = Vec::new();
    verify_one(der, digest_of, policy, now, 0, &mut found)?;
    Ok(found)
}

fn verify_one(
    der: &[u8],
    digest_of: &dyn Fn(DigestAlgorithm) -> Check<Vec<u8>>,
    policy: &SignerPolicy,
    now: u64,
    depth: usize,
    found: &mut Vec<SignatureInfo>,
) -> Check<()> {
    let which = if depth == 0 { "the signature".to_owned() } else { format!("nested signature {}", found.len()) };
    // Reasons about the primary signature read best without a prefix.
    let about = |e: String| if depth == 0 { e } else { format!("{which}: {e}") };
    let authenticode = AuthenticodeSignature::from_bytes(der)
        .or_else(|first| normalized(der).and_then(|d| AuthenticodeSignature::from_bytes(&d).ok()).ok_or(first))
        .map_err(|e| format!("{which} is malformed ({e})"))?;
    let signed_data = decode_signed_data(der).map_err(|e| format!("{which} is malformed ({e})"))?;

    // 1. The file digest the signature carries is the file's.
    let algorithm = DigestAlgorithm::from_oid(&authenticode.digest_algorithm().oid).ok_or_else(|| {
        format!("{which} uses digest algorithm {}, which airlock does not accept", authenticode.digest_algorithm().oid)
    })?;
    let actual = digest_of(algorithm)?;
    if actual != authenticode.digest() {
        return Err(format!(
            "the file's {} digest does not match {which}: the file was changed after it was signed",
            algorithm.label()
        ));
    }

    // 2. The signer signed that content.
    let signer_info = authenticode.signer_info();
    let content = authenticode.encapsulated_content().ok_or_else(|| format!("{which} has no signed content"))?;
    let certificates = certificates_of(&signed_data);
    let signer = check_signer_info(signer_info, content, &certificates).map_err(about)?;

    // 3. When, by a trusted timestamp; else now.
    // A broken chain is the clearer reason, so it is reported before a
    // broken timestamp (whose authority often chains to the same root).
    let timestamp = timestamp::find(signer_info, &certificates, policy);
    let at = timestamp.as_ref().ok().and_then(Option::as_ref).map_or(now, |t| t.unix);

    // 4. Who: the chain to a trusted root, valid then, for code signing.
    let when = match &timestamp {
        Ok(Some(_)) => "(at the time of the signature's timestamp)",
        Ok(None) => "(and the signature has no timestamp to show it was made before then)",
        Err(_) => "(and the signature's timestamp does not verify)",
    };
    let path = chain::build(signer, &certificates, policy, at, CODE_SIGNING, when).map_err(|e| match &timestamp {
        // Say why the timestamp could not date the signature.
        Err(stamp) => about(format!("{e}: {stamp}")),
        Ok(_) => about(e),
    })?;
    let timestamp = timestamp.map_err(about)?;
    found.push(SignatureInfo {
        signer: chain::display_name(signer),
        organization: chain::organization(signer),
        chain: path.iter().map(|c| chain::display_name(c)).collect(),
        digest: algorithm,
        timestamp,
    });

    // 5. Nested signatures (SHA-1 + SHA-256 dual signing).
    for attribute in signer_info.unsigned_attrs.iter().flat_map(|a| a.iter()) {
        if attribute.oid != NESTED_SIGNATURE {
            continue;
        }
        if depth >= MAX_NESTING {
            return Err("a nested signature holds another nested signature; airlock reads one level".into());
        }
        for value in attribute.values.iter() {
            let nested = value.to_der().map_err(|e| format!("a nested signature cannot be read ({e})"))?;
            verify_one(&nested, digest_of, policy, now, depth + 1, found)?;
        }
    }
    Ok(())
}

/// Decodes a `ContentInfo` holding `SignedData`, ignoring trailing bytes
/// (a certificate entry may be longer than its DER).
pub(crate) fn decode_signed_data(der: &[u8]) -> Check<SignedData> {
    let mut reader = SliceReader::new(der).map_err(|e| e.to_string())?;
    let content_info = ContentInfo::decode(&mut reader).map_err(|e| e.to_string())?;
    if content_info.content_type != SIGNED_DATA {
        return Err(format!("content type {} is not SignedData", content_info.content_type));
    }
    match content_info.content.decode_as::<SignedData>() {
        Ok(signed_data) => Ok(signed_data),
        // Microsoft's timestamp tokens carry a v1 attribute certificate
        // (`[1]` in the certificate set), which `cms` cannot decode, and
        // some signers list a certificate twice, which `der` refuses in a
        // SET OF. Neither is used for anything: drop them and decode again.
        Err(first) => without_attribute_certificates(&content_info.content)
            .and_then(|content| content.decode_as::<SignedData>().ok())
            .ok_or_else(|| first.to_string()),
    }
}

/// The ContentInfo `der` re-encoded with its certificate set cleaned up
/// (see [`decode_signed_data`]).
fn normalized(der: &[u8]) -> Option<Vec<u8>> {
    let mut reader = SliceReader::new(der).ok()?;
    let mut content_info = ContentInfo::decode(&mut reader).ok()?;
    content_info.content = without_attribute_certificates(&content_info.content)?;
    content_info.to_der().ok()
}

/// `content` (a SignedData) with only plain X.509 certificates, each once,
/// left in its certificate set.
fn without_attribute_certificates(content: &der::Any) -> Option<der::Any> {
    use der::{Tag, TagNumber, Tagged};
    let mut fields = Vec::new();
    let mut reader = SliceReader::new(content.value()).ok()?;
    while !der::Reader::is_finished(&reader) {
        fields.push(der::Any::decode(&mut reader).ok()?);
    }
    let certificates_tag = Tag::ContextSpecific { constructed: true, number: TagNumber::N0 };
    let mut body = Vec::new();
    for field in fields {
        if field.tag() == certificates_tag {
            let mut inner = SliceReader::new(field.value()).ok()?;
            let mut kept = Vec::new();
            let mut seen: Vec<der::Any> = Vec::new();
            while !der::Reader::is_finished(&inner) {
                let choice = der::Any::decode(&mut inner).ok()?;
                if choice.tag() == Tag::Sequence && !seen.contains(&choice) {
                    kept.extend(choice.to_der().ok()?);
                    seen.push(choice);
                }
            }
            body.extend(der::Any::new(certificates_tag, kept).ok()?.to_der().ok()?);
        } else {
            body.extend(field.to_der().ok()?);
        }
    }
    der::Any::new(Tag::Sequence, body).ok()
}

/// The X.509 certificates a SignedData carries.
pub(crate) fn certificates_of(signed_data: &SignedData) -> Vec<Certificate> {
    signed_data
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|choice| match choice {
            CertificateChoices::Certificate(c) => Some(c.clone()),
            _ => None,
        })
        .collect()
}

/// Checks a SignerInfo over `content` (the bytes its `messageDigest`
/// attribute must hash to) and returns the certificate that signed it.
pub(crate) fn check_signer_info<'c>(
    signer_info: &SignerInfo,
    content: &[u8],
    certificates: &'c [Certificate],
) -> Check<&'c Certificate> {
    let algorithm = DigestAlgorithm::from_oid(&signer_info.digest_alg.oid)
        .ok_or_else(|| format!("digest algorithm {} is not accepted", signer_info.digest_alg.oid))?;
    let attributes = signer_info.signed_attrs.as_ref().ok_or("the signer has no signed attributes")?;
    let digest =
        attribute_octets(attributes.iter(), MESSAGE_DIGEST).ok_or("the signer has no messageDigest attribute")?;
    if digest != algorithm.hash(content) {
        return Err("the signed attributes do not match the signed content".into());
    }
    let signer =
        find_signer(&signer_info.sid, certificates).ok_or("the signing certificate is not in the signature")?;
    let message = attributes.to_der().map_err(|e| format!("the signed attributes cannot be encoded ({e})"))?;
    verify_signature(signer, &message, &signer_info.signature_algorithm, algorithm, signer_info.signature.as_bytes())
        .map_err(|e| {
        format!("the signature over the signed attributes does not verify with {} ({e})", chain::display_name(signer))
    })?;
    Ok(signer)
}

/// The certificate a SignerIdentifier names.
pub(crate) fn find_signer<'c>(sid: &SignerIdentifier, certificates: &'c [Certificate]) -> Option<&'c Certificate> {
    certificates.iter().find(|c| match sid {
        SignerIdentifier::IssuerAndSerialNumber(id) => {
            c.tbs_certificate.issuer == id.issuer && c.tbs_certificate.serial_number == id.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => chain::subject_key_id(c).is_some_and(|k| k == ski.0.as_bytes()),
    })
}

/// The bytes of the single OCTET STRING value of attribute `oid`.
pub(crate) fn attribute_octets<'a>(
    mut attributes: impl Iterator<Item = &'a x509_cert::attr::Attribute>,
    oid: ObjectIdentifier,
) -> Option<Vec<u8>> {
    let attribute = attributes.find(|a| a.oid == oid)?;
    if attribute.values.len() != 1 {
        return None;
    }
    let value = attribute.values.iter().next()?;
    value.decode_as::<OctetString>().ok().map(|o| o.as_bytes().to_vec())
}

/// Verifies `signature` over `message` with `certificate`'s key. CMS may
/// name only the key type (`rsaEncryption`) and give the digest apart;
/// `x509-verify` wants the combined algorithm, so pair them here.
pub(crate) fn verify_signature(
    certificate: &Certificate,
    message: &[u8],
    signature_algorithm: &AlgorithmIdentifierOwned,
    digest: DigestAlgorithm,
    signature: &[u8],
) -> Check<()> {
    let combined = combined_algorithm(&signature_algorithm.oid, digest)
        .ok_or_else(|| format!("signature algorithm {} is not supported", signature_algorithm.oid))?;
    let algorithm = AlgorithmIdentifierOwned { oid: combined, parameters: None };
    let key = x509_verify::VerifyingKey::try_from(certificate).map_err(|e| format!("unusable public key: {e}"))?;
    let info = x509_verify::VerifyInfo::new(
        x509_verify::Message::new(message),
        x509_verify::Signature::new(&algorithm, signature),
    );
    key.verify(info).map_err(|e| e.to_string())
}

/// The `<hash>With<key>` algorithm for a key-type OID and digest.
fn combined_algorithm(oid: &ObjectIdentifier, digest: DigestAlgorithm) -> Option<ObjectIdentifier> {
    const RSA: &str = "1.2.840.113549.1.1.1";
    const EC: &str = "1.2.840.10045.2.1";
    let text = oid.to_string();
    let combined = match (text.as_str(), digest) {
        (RSA, DigestAlgorithm::Sha1) => "1.2.840.113549.1.1.5",
        (RSA, DigestAlgorithm::Sha256) => "1.2.840.113549.1.1.11",
        (RSA, DigestAlgorithm::Sha384) => "1.2.840.113549.1.1.12",
        (RSA, DigestAlgorithm::Sha512) => "1.2.840.113549.1.1.13",
        (EC, DigestAlgorithm::Sha256) => "1.2.840.10045.4.3.2",
        (EC, DigestAlgorithm::Sha384) => "1.2.840.10045.4.3.3",
        (EC, DigestAlgorithm::Sha512) => "1.2.840.10045.4.3.4",
        (EC, DigestAlgorithm::Sha1) => return None,
        // Already a combined algorithm (sha256WithRSAEncryption, ecdsa-with-SHA256 …).
        _ => return Some(*oid),
    };
    ObjectIdentifier::new(combined).ok()
}
