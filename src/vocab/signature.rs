//! What an installer's Authenticode signature amounts to, as reports carry
//! it: the verdict, its signer, chain, digest and timestamp. The words only:
//! `authenticode` fills them (and gives them their methods); they live here
//! so that `Error::SignerRefused` can carry the signature it refused.

use serde::Serialize;

/// The digest algorithm of a signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum DigestAlgorithm {
    /// SHA-1: collisions can be made; weaker.
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

/// How a timestamp was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TimestampKind {
    /// An RFC 3161 token (Microsoft's `1.3.6.1.4.1.311.3.3.1` attribute).
    Rfc3161,
    /// A PKCS#9 countersignature (the legacy Authenticode timestamp).
    Countersignature,
}

/// A verified timestamp: the time a trusted authority saw the signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Timestamp {
    /// When, RFC 3339 in UTC.
    pub time: String,
    /// Seconds since the Unix epoch.
    pub unix: u64,
    /// The timestamping certificate's common name.
    pub authority: String,
    /// RFC 3161 token or legacy countersignature.
    pub kind: TimestampKind,
}

/// One verified signature (the primary, or a nested one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SignatureInfo {
    /// The signing certificate's common name (or organisation when it has none).
    pub signer: String,
    /// Its organisation (O), when it has one.
    pub organization: Option<String>,
    /// Common names from the signing certificate up to the trusted root.
    pub chain: Vec<String>,
    /// The digest algorithm of the file's digest.
    pub digest: DigestAlgorithm,
    /// The timestamp, when there is one.
    pub timestamp: Option<Timestamp>,
}

/// What a file's Authenticode signature amounts to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum AuthenticodeStatus {
    /// Every signature verified and chains to a trusted root.
    Valid {
        /// The primary signature's signer.
        signer: String,
        /// The primary signature's chain, signer first.
        chain: Vec<String>,
        /// The strongest digest among the signer's signatures.
        digest: DigestAlgorithm,
        /// The primary signature's timestamp.
        timestamp: Option<Timestamp>,
        /// Every signature, primary first.
        signatures: Vec<SignatureInfo>,
        /// Bytes from the start of the file the signature vouches for (all
        /// but the checksum field and the certificate-table entry).
        signed_bytes: u64,
    },
    /// The file carries a signature that does not verify.
    Invalid {
        /// Why, in one sentence.
        reason: String,
    },
    /// The file carries no signature.
    Unsigned,
}

/// The signature check of one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[must_use]
pub struct AuthenticodeReport {
    /// The file's name.
    pub file: String,
    /// The verdict.
    #[serde(flatten)]
    pub status: AuthenticodeStatus,
}
