//! The roots a signature may chain to: the two Microsoft code-signing roots
//! built in, plus whatever the caller adds (`--root FILE`).
//!
//! The built-in certificates are public and committed as PEM beside this
//! file, each with its SHA-256 fingerprint; a unit test holds the
//! fingerprints so a changed file cannot slip in unnoticed.

use std::path::Path;

use der::{Decode, DecodePem, Encode};
use x509_cert::Certificate;

use crate::vocab::error::{Error, Result};

/// Microsoft Root Certificate Authority 2010 (Microsoft's timestamping and older signing chains).
const MICROSOFT_ROOT_2010: &str = include_str!("roots/microsoft-root-2010.pem");
/// Microsoft Root Certificate Authority 2011 (Microsoft's code signing today).
const MICROSOFT_ROOT_2011: &str = include_str!("roots/microsoft-root-2011.pem");

/// The roots a signature must chain to, and the signer it must name.
///
/// [`SignerPolicy::default`] holds the built-in Microsoft roots and no signer
/// requirement; [`SignerPolicy::add_root_file`] adds a root, [`SignerPolicy::signer`]
/// requires a signer.
#[derive(Clone, Debug)]
pub struct SignerPolicy {
    pub(crate) roots: Vec<Certificate>,
    pub(crate) signer: Option<String>,
}

impl Default for SignerPolicy {
    fn default() -> Self {
        let roots = [MICROSOFT_ROOT_2010, MICROSOFT_ROOT_2011]
            .iter()
            .flat_map(|pem| parse_pem(pem.as_bytes()).unwrap_or_default())
            .collect();
        SignerPolicy { roots, signer: None }
    }
}

impl SignerPolicy {
    /// The built-in roots only (Microsoft Root Certificate Authority 2010 and 2011).
    pub fn builtin() -> Self {
        Self::default()
    }

    /// Adds every certificate in `path` (PEM, one or more, or DER) as a root.
    pub fn add_root_file(&mut self, path: &Path) -> Result<()> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let certificates = parse_certificates(&bytes).map_err(|reason| Error::NotASet {
            path: path.to_path_buf(),
            reason: format!("{reason}; {} a certificate file in PEM or DER form", crate::vocab::hint::Hint::RootForm),
        })?;
        self.roots.extend(certificates);
        Ok(())
    }

    /// Requires a valid signature whose signing certificate's subject
    /// organisation (O) or common name (CN) is `name`, ignoring case.
    #[must_use]
    pub fn signer(mut self, name: impl Into<String>) -> Self {
        self.signer = Some(name.into());
        self
    }

    /// The signer required, if any.
    pub fn required_signer(&self) -> Option<&str> {
        self.signer.as_deref()
    }

    /// How many roots are trusted.
    pub fn root_count(&self) -> usize {
        self.roots.len()
    }

    /// Whether `certificate` is one of the trusted roots (byte for byte).
    pub(crate) fn is_root(&self, certificate: &Certificate) -> bool {
        let Ok(der) = certificate.to_der() else { return false };
        self.roots.iter().any(|root| root.to_der().is_ok_and(|r| r == der))
    }
}

/// Certificates from PEM text (every `CERTIFICATE` block) or one DER certificate.
pub(crate) fn parse_certificates(bytes: &[u8]) -> std::result::Result<Vec<Certificate>, String> {
    if bytes.windows(11).any(|w| w == b"-----BEGIN ") {
        let certificates = parse_pem(bytes)?;
        if certificates.is_empty() {
            return Err("no CERTIFICATE block in this PEM file".into());
        }
        return Ok(certificates);
    }
    Certificate::from_der(bytes).map(|c| vec![c]).map_err(|e| format!("not a DER certificate ({e})"))
}

/// Every `-----BEGIN CERTIFICATE-----` block in `text`, ignoring the text around them.
fn parse_pem(text: &[u8]) -> std::result::Result<Vec<Certificate>, String> {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let text = String::from_utf8_lossy(text);
    let mut rest = text.as_ref();
    let mut found = Vec::new();
    while let Some(start) = rest.find(BEGIN) {
        let block = &rest[start..];
        let Some(end) = block.find(END) else {
            return Err("a CERTIFICATE block has no END line".into());
        };
        let pem = &block[..end + END.len()];
        found.push(
            Certificate::from_pem(pem.as_bytes()).map_err(|e| format!("a CERTIFICATE block is not valid ({e})"))?,
        );
        rest = &block[end + END.len()..];
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2_010::{Digest, Sha256};

    #[test]
    fn the_builtin_roots_are_the_published_microsoft_roots() {
        let policy = SignerPolicy::builtin();
        let fingerprints: Vec<String> =
            policy.roots.iter().map(|c| hex::encode(Sha256::digest(c.to_der().unwrap()))).collect();
        assert_eq!(
            fingerprints,
            [
                // Microsoft Root Certificate Authority 2010
                "df545bf919a2439c36983b54cdfc903dfa4f37d3996d8d84b4c31eec6f3c163e",
                // Microsoft Root Certificate Authority 2011
                "847df6a78497943f27fc72eb93f9a637320a02b561d0a91b09e87a7807ed7c61",
            ]
        );
    }

    #[test]
    fn der_and_pem_both_load_and_junk_does_not() {
        let pem = MICROSOFT_ROOT_2011.as_bytes();
        let one = parse_certificates(pem).unwrap();
        assert_eq!(one.len(), 1);
        let der = one[0].to_der().unwrap();
        assert_eq!(parse_certificates(&der).unwrap(), one);
        assert!(parse_certificates(b"hello").is_err());
        assert!(parse_certificates(b"-----BEGIN CERTIFICATE-----\nAAAA\n").is_err());
    }
}
