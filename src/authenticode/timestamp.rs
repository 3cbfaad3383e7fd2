//! Timestamps: proof that a signature existed at a time its certificate was
//! valid, so it stays valid after the certificate expires.
//!
//! Two forms are in use, both unsigned attributes of the signer:
//! - an RFC 3161 token (Microsoft's `1.3.6.1.4.1.311.3.3.1`): a SignedData
//!   whose content is a `TSTInfo` (`x509-tsp` crate) with the hash of the
//!   signer's signature value and the time;
//! - a PKCS#9 countersignature (`1.2.840.113549.1.9.6`, legacy
//!   Authenticode): a SignerInfo over the hash of the signature value, with
//!   a `signingTime` attribute, its certificates in the outer SignedData.
//!
//! Either must verify, and its authority chain to a trusted root with the
//! timeStamping EKU at the stamped time; a timestamp that does not verify
//! makes the whole signature invalid (as with osslsigncode), rather than
//! being silently ignored.

use cms::signed_data::SignerInfo;
use der::oid::ObjectIdentifier;
use der::{Decode, Encode};
use x509_cert::Certificate;
use x509_tsp::MessageImprint;

use super::chain::{self, TIME_STAMPING};
use super::pkcs7::{self, Check};
use super::roots::SignerPolicy;
use super::{DigestAlgorithm, Timestamp, TimestampKind};

/// Microsoft's attribute holding an RFC 3161 token.
const RFC3161_TOKEN: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.311.3.3.1");
/// PKCS#9 `countersignature`.
const COUNTERSIGNATURE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.6");
/// PKCS#9 `signingTime`.
const SIGNING_TIME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");
/// `id-ct-TSTInfo`.
const TST_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");

/// The verified timestamp of `signer_info`, if it has one.
pub(crate) fn find(
    signer_info: &SignerInfo,
    certificates: &[Certificate],
    policy: &SignerPolicy,
) -> Check<Option<Timestamp>> {
    let signature = signer_info.signature.as_bytes();
    for attribute in signer_info.unsigned_attrs.iter().flat_map(|a| a.iter()) {
        let Some(value) = attribute.values.iter().next() else { continue };
        if attribute.oid == RFC3161_TOKEN {
            let der = value.to_der().map_err(|e| format!("the timestamp cannot be read ({e})"))?;
            return rfc3161(&der, signature, certificates, policy).map(Some);
        }
        if attribute.oid == COUNTERSIGNATURE {
            let der = value.to_der().map_err(|e| format!("the countersignature cannot be read ({e})"))?;
            return countersignature(&der, signature, certificates, policy).map(Some);
        }
    }
    Ok(None)
}

fn rfc3161(der: &[u8], signature: &[u8], outer: &[Certificate], policy: &SignerPolicy) -> Check<Timestamp> {
    let bad = |e: String| format!("the RFC 3161 timestamp is not valid: {e}");
    let signed_data = pkcs7::decode_signed_data(der).map_err(bad)?;
    if signed_data.encap_content_info.econtent_type != TST_INFO {
        return Err(bad("its content is not a TSTInfo".into()));
    }
    let content = signed_data.encap_content_info.econtent.as_ref().ok_or_else(|| bad("it has no content".into()))?;
    let tst_der = content.value();
    let (imprint, unix) = read_tst_info(tst_der).map_err(|e| bad(format!("the TSTInfo cannot be decoded ({e})")))?;
    let imprint_algorithm = DigestAlgorithm::from_oid(&imprint.hash_algorithm.oid)
        .ok_or_else(|| bad(format!("imprint algorithm {} is not accepted", imprint.hash_algorithm.oid)))?;
    if imprint.hashed_message.as_bytes() != imprint_algorithm.hash(signature) {
        return Err(bad("it stamps a different signature".into()));
    }
    let [tsa_info] = signed_data.signer_infos.0.as_slice() else {
        return Err(bad("it must have exactly one signer".into()));
    };
    let mut pool = pkcs7::certificates_of(&signed_data);
    pool.extend(outer.iter().cloned());
    let tsa = pkcs7::check_signer_info(tsa_info, tst_der, &pool).map_err(bad)?;
    chain::build(tsa, &pool, policy, unix, TIME_STAMPING, "(at the stamped time)")
        .map_err(|e| bad(format!("authority: {e}")))?;
    Ok(Timestamp {
        time: chain::rfc3339(unix),
        unix,
        authority: chain::display_name(tsa),
        kind: TimestampKind::Rfc3161,
    })
}

fn countersignature(der: &[u8], signature: &[u8], outer: &[Certificate], policy: &SignerPolicy) -> Check<Timestamp> {
    let bad = |e: String| format!("the countersignature timestamp is not valid: {e}");
    let info = SignerInfo::from_der(der).map_err(|e| bad(format!("it cannot be decoded ({e})")))?;
    let signer = pkcs7::check_signer_info(&info, signature, outer).map_err(bad)?;
    let attributes = info.signed_attrs.as_ref().ok_or_else(|| bad("it has no signed attributes".into()))?;
    let time = attributes
        .iter()
        .find(|a| a.oid == SIGNING_TIME)
        .and_then(|a| a.values.iter().next())
        .and_then(|v| v.to_der().ok())
        .and_then(|der| x509_cert::time::Time::from_der(&der).ok())
        .ok_or_else(|| bad("it has no signing time".into()))?;
    let unix = time.to_unix_duration().as_secs();
    chain::build(signer, outer, policy, unix, TIME_STAMPING, "(at the stamped time)")
        .map_err(|e| bad(format!("authority: {e}")))?;
    Ok(Timestamp {
        time: chain::rfc3339(unix),
        unix,
        authority: chain::display_name(signer),
        kind: TimestampKind::Countersignature,
    })
}

/// The imprint and time of a `TSTInfo`. Read field by field rather than with
/// `x509_tsp::TstInfo`, because RFC 3161 allows fractional seconds in
/// `genTime` (Microsoft's authority writes them) and DER's GeneralizedTime
/// type in the `der` crate refuses them.
fn read_tst_info(der_bytes: &[u8]) -> Check<(MessageImprint, u64)> {
    use der::{Reader, SliceReader, Tag, Tagged};
    let outer = der::Any::from_der(der_bytes).map_err(|e| e.to_string())?;
    let mut reader = SliceReader::new(outer.value()).map_err(|e| e.to_string())?;
    let mut next = || der::Any::decode(&mut reader).map_err(|e| e.to_string());
    let _version = next()?;
    let _policy = next()?;
    let imprint = next()?.decode_as::<MessageImprint>().map_err(|e| e.to_string())?;
    let _serial = next()?;
    let time = next()?;
    if time.tag() != Tag::GeneralizedTime {
        return Err("genTime is not a GeneralizedTime".into());
    }
    let _ = reader.is_finished();
    Ok((imprint, generalized_time(time.value()).ok_or("genTime is not a valid time")?))
}

/// `YYYYMMDDHHMMSS[.f*]Z` as Unix seconds (the fraction dropped).
fn generalized_time(text: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(text).ok()?;
    let text = text.strip_suffix('Z')?;
    let whole = text.split('.').next()?;
    if whole.len() != 14 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let field = |range: std::ops::Range<usize>| whole.get(range)?.parse::<u8>().ok();
    let year = whole.get(0..4)?.parse::<u16>().ok()?;
    let time =
        der::DateTime::new(year, field(4..6)?, field(6..8)?, field(8..10)?, field(10..12)?, field(12..14)?).ok()?;
    Some(time.unix_duration().as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generalized_time_takes_fractions_and_refuses_junk() {
        assert_eq!(generalized_time(b"20260527021429.123Z"), Some(1_779_848_069));
        assert_eq!(generalized_time(b"20260527021429Z"), Some(1_779_848_069));
        assert_eq!(generalized_time(b"2026052702142Z"), None);
        assert_eq!(generalized_time(b"20261327021429Z"), None);
        assert_eq!(generalized_time(b"20260527021429"), None);
    }
}
