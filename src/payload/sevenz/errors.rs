//! Sorting sevenz-rust2's errors: integrity (a CRC mismatch), password,
//! unsupported, corrupt, or a read fault of a part.
//!
//! A CRC mismatch is found by its type (`ChecksumVerificationFailed`, also
//! inside an `io::Error` from the decoder's readers), never by its words; in
//! encrypted data it may as well mean a wrong password, and is said so.
#![warn(clippy::arithmetic_side_effects)]

use std::io;

use super::{MEMORY_LIMIT_KB, SevenZError};
use crate::payload::Fault;
use crate::vocab::error::Error;

/// Turns a failure to read the archive headers into an error about the set.
pub(super) fn header_error(label: &str, error: SevenZError, with_password: bool) -> Error {
    match error {
        SevenZError::PasswordRequired => Error::payload(
            label,
            format!("the archive is encrypted (even its file list); {}", crate::vocab::hint::Hint::Password),
        ),
        SevenZError::MaybeBadPassword(_) => Error::payload(
            label,
            "wrong password: the archive's encrypted file list does not decrypt (or it is damaged)",
        ),
        // The start header and the stored file list carry a CRC of their own
        // bytes (encrypted or not); a compressed file list, one of its content.
        SevenZError::ChecksumVerificationFailed | SevenZError::NextHeaderCrcMismatch => headers_damaged(label),
        SevenZError::Io(ref io, _) if !with_password && is_checksum_failure(io) => headers_damaged(label),
        SevenZError::BadSignature(_) => {
            Error::payload_from(label, "not a 7z archive (no 7z signature)", Cause::of(&error))
        }
        SevenZError::UnsupportedVersion { major, minor } => {
            Error::payload(label, format!("7z format version {major}.{minor} is not supported"))
        }
        SevenZError::MaxMemLimited { actaul_kb, .. } => too_much_memory(label, actaul_kb),
        SevenZError::UnsupportedCompressionMethod(ref method) => Error::payload(
            label,
            format!("the file list is compressed with the {method} method, which airlock cannot decode"),
        ),
        SevenZError::Io(ref io, _) if io.kind() == io::ErrorKind::UnexpectedEof => {
            Error::payload(label, "the 7z headers end early: the archive is truncated (a part missing or cut short?)")
        }
        _ => Error::payload_from(label, "the 7z headers are corrupt", Cause::of(&error)),
    }
}

/// A sevenz-rust2 error in words. Its `Display` is its `Debug`
/// (`Io(Error { kind: UnexpectedEof, .. }, "")`), which must not reach a
/// message, so the cause kept as an error's source is this instead.
#[derive(Debug)]
pub(crate) struct Cause(String);

impl std::fmt::Display for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Cause {}

impl Cause {
    /// Describes a decoder error.
    pub(crate) fn of(error: &SevenZError) -> Cause {
        Cause(describe(error))
    }

    /// Describes an I/O error from the decoder's readers.
    pub(crate) fn io(error: &io::Error) -> Cause {
        Cause(describe_io(error))
    }
}

fn describe(error: &SevenZError) -> String {
    match error {
        SevenZError::BadSignature(_) => "no 7z signature".to_owned(),
        SevenZError::UnsupportedVersion { major, minor } => format!("7z format version {major}.{minor}"),
        SevenZError::ChecksumVerificationFailed => "a CRC does not match".to_owned(),
        SevenZError::NextHeaderCrcMismatch => "the header's CRC does not match".to_owned(),
        SevenZError::Io(io, context) if context.is_empty() => describe_io(io),
        SevenZError::Io(io, context) => format!("{context}: {}", describe_io(io)),
        SevenZError::FileOpen(io, _) => describe_io(io),
        SevenZError::Other(text) | SevenZError::Unsupported(text) => text.to_string(),
        SevenZError::BadTerminatedStreamsInfo(_)
        | SevenZError::BadTerminatedUnpackInfo
        | SevenZError::BadTerminatedPackInfo(_)
        | SevenZError::BadTerminatedSubStreamsInfo
        | SevenZError::BadTerminatedHeader(_) => "a header record ends where it should not".to_owned(),
        SevenZError::ExternalUnsupported => "the header is stored in a separate stream".to_owned(),
        SevenZError::UnsupportedCompressionMethod(method) => format!("the {method} method"),
        SevenZError::MaxMemLimited { actaul_kb, .. } => format!("needs {} MiB of memory", actaul_kb / 1024),
        SevenZError::PasswordRequired => "a password is needed".to_owned(),
        SevenZError::MaybeBadPassword(_) => "the data does not decrypt".to_owned(),
        SevenZError::FileNotFound => "an entry is missing".to_owned(),
    }
}

fn describe_io(error: &io::Error) -> String {
    if let Some(inner) = error.get_ref().and_then(|inner| inner.downcast_ref::<SevenZError>()) {
        return describe(inner);
    }
    match error.kind() {
        io::ErrorKind::UnexpectedEof => "the data ends early".to_owned(),
        io::ErrorKind::InvalidData => "the data is not valid for its method".to_owned(),
        _ => crate::vocab::error::describe_io(error),
    }
}

fn headers_damaged(label: &str) -> Error {
    Error::Integrity {
        what: label.to_owned(),
        reason: "the CRC of the 7z headers does not match: the archive is damaged".to_owned(),
    }
}

/// Whether an I/O error from sevenz-rust2's readers is its CRC mismatch.
fn is_checksum_failure(error: &io::Error) -> bool {
    error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<SevenZError>())
        .is_some_and(|inner| matches!(inner, SevenZError::ChecksumVerificationFailed))
}

fn too_much_memory(what: &str, needed_kb: usize) -> Error {
    Error::payload(
        what,
        format!(
            "decoding needs {} MiB of memory for one dictionary or model, more than airlock's limit of {} MiB",
            needed_kb / 1024,
            MEMORY_LIMIT_KB / 1024
        ),
    )
}

/// Gives a payload error raised by [`contain`] a more precise subject.
pub(super) fn renamed(error: Error, what: String) -> Error {
    match error {
        Error::Payload { reason, source, .. } => Error::Payload { what, reason, source },
        other => other,
    }
}

const WRONG_PASSWORD_OR_DAMAGED: &str =
    "wrong password, or the entry is damaged: its data does not decrypt to what the archive recorded";

/// Sorts a decoder error about entry `name` into integrity and payload errors.
pub(super) fn classify(what: &str, name: &str, encrypted: bool, error: SevenZError) -> (Fault, Error) {
    if let SevenZError::Io(io, _) | SevenZError::FileOpen(io, _) = &error
        && let Some(fault) = crate::read::read_fault::find(io)
    {
        return (Fault::Unreadable, crate::read::read_fault::to_error(fault));
    }
    match error {
        SevenZError::ChecksumVerificationFailed if encrypted => {
            (Fault::Password, Error::payload_from(what, WRONG_PASSWORD_OR_DAMAGED, Cause::of(&error)))
        }
        SevenZError::ChecksumVerificationFailed => (
            Fault::Integrity,
            Error::Integrity {
                what: name.to_owned(),
                reason: "CRC-32 mismatch (the data does not match the CRC the archive records)".to_owned(),
            },
        ),
        SevenZError::MaybeBadPassword(_) => {
            (Fault::Password, Error::payload_from(what, WRONG_PASSWORD_OR_DAMAGED, Cause::of(&error)))
        }
        SevenZError::PasswordRequired => (
            Fault::Password,
            Error::payload(what, format!("the entry is encrypted; {}", crate::vocab::hint::Hint::Password)),
        ),
        SevenZError::UnsupportedCompressionMethod(ref method) => (
            Fault::Unsupported,
            Error::payload(what, format!("compressed with the {method} method, which airlock cannot decode")),
        ),
        SevenZError::Unsupported(ref feature) => {
            (Fault::Unsupported, Error::payload(what, format!("uses a 7z feature airlock cannot decode: {feature}")))
        }
        SevenZError::MaxMemLimited { actaul_kb, .. } => (Fault::Unsupported, too_much_memory(what, actaul_kb)),
        SevenZError::Io(io, _) => classify_io(what, name, encrypted, io),
        other if encrypted => {
            (Fault::Password, Error::payload_from(what, WRONG_PASSWORD_OR_DAMAGED, Cause::of(&other)))
        }
        other => (Fault::Corrupt, Error::payload_from(what, "the compressed data is corrupt", Cause::of(&other))),
    }
}

/// Like [`classify`] for the I/O errors the decoder's readers return, which
/// carry a `sevenz_rust2::Error` when the CRC or the size did not match.
pub(super) fn classify_io(what: &str, name: &str, encrypted: bool, error: io::Error) -> (Fault, Error) {
    // A part the device could not read: an I/O error naming it, not damage.
    if let Some(fault) = crate::read::read_fault::find(&error) {
        return (Fault::Unreadable, crate::read::read_fault::to_error(fault));
    }
    if error.get_ref().is_some_and(|inner| inner.is::<SevenZError>()) {
        if let Some(Ok(inner)) = error.into_inner().map(|inner| inner.downcast::<SevenZError>()) {
            return classify(what, name, encrypted, *inner);
        }
        return (Fault::Corrupt, Error::payload(what, "the decoder failed"));
    }
    let (fault, reason) = if encrypted {
        (Fault::Password, WRONG_PASSWORD_OR_DAMAGED)
    } else if error.kind() == io::ErrorKind::UnexpectedEof {
        (Fault::Corrupt, "the data ends early: the archive is truncated or damaged")
    } else {
        (Fault::Corrupt, "the compressed data is corrupt")
    };
    (fault, Error::payload_from(what, reason, Cause::io(&error)))
}
