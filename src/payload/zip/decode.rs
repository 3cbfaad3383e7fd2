//! Decoding the selected zip entries, each checked against the central
//! directory's size and CRC-32.
#![warn(clippy::arithmetic_side_effects)]

use std::io;

use zip::result::ZipError;
use zip::{CompressionMethod, HasZipMetadata, ZipReadOptions};

use super::{Archive, DECODER, open};
use crate::payload::jobs::{Stop, outcome};
use crate::payload::reader::{Decoding, EntryReader};
use crate::payload::{EntryKind, EntrySink, Fault};
use crate::read::contain::contain;
use crate::vocab::error::{Error, Result};

/// General-purpose flag bit 6: PKWARE's proprietary strong encryption.
const STRONG_ENCRYPTION: u16 = 0x0040;

/// One selected file entry to decode.
pub(super) struct Job {
    index: usize,
    name: String,
    size: u64,
    crc: Option<u32>,
    encrypted: bool,
}

/// The selected file entries, largest first; an error if one of them uses
/// a compression method that cannot be decoded.
pub(super) fn jobs(archive: &Archive, selected: &[bool], label: &str) -> Result<Vec<Job>> {
    let mut jobs = Vec::new();
    for (index, _) in selected.iter().enumerate().filter(|(_, selected)| **selected) {
        let meta = archive
            .by_index_data(index)
            .map_err(|error| Error::payload_from(label, format!("entry {index} cannot be read"), error))?;
        let data = meta.get_metadata();
        if open::kind_of(meta.is_dir(), data.system, data.external_attributes, data.uncompressed_size)
            != EntryKind::File
        {
            continue;
        }
        let name = meta.name().map(|name| name.replace('\\', "/")).unwrap_or_default();
        if data.flags.as_u16() & STRONG_ENCRYPTION != 0 {
            // The zip crate would try the traditional cipher and call the
            // password wrong; no password would help.
            return Err(Error::payload(
                format!("{label}: {name}"),
                "is encrypted with PKWARE strong encryption, which airlock does not support (nor do 7-Zip and Info-ZIP); no password would help: ask for the archive with AES (7-Zip's zip AES) or unencrypted",
            ));
        }
        if !decodable(data.compression_method) {
            // Said before anything is decoded, rather than as a read error.
            return Err(unsupported_method(&format!("{label}: {name}"), method_number(data.compression_method)));
        }
        jobs.push(Job {
            index,
            name,
            size: data.uncompressed_size,
            crc: open::recorded_crc(&meta),
            encrypted: data.is_encrypted(),
        });
    }
    jobs.sort_by_key(|job| std::cmp::Reverse(job.size));
    Ok(jobs)
}

/// Whether the zip crate, as built, can decode `method`. Its list of
/// supported methods leaves out LZMA and the legacy PKWARE methods (Shrink,
/// Reduce, Implode; feature `legacy-zip`), which it decodes all the same.
fn decodable(method: CompressionMethod) -> bool {
    zip::SUPPORTED_COMPRESSION_METHODS.contains(&method)
        || matches!(
            method,
            CompressionMethod::Lzma
                | CompressionMethod::Shrink
                | CompressionMethod::Reduce(_)
                | CompressionMethod::Implode
        )
}

/// The method's number as the zip format records it.
fn method_number(method: CompressionMethod) -> u16 {
    #[allow(deprecated)] // the replacement constants cannot name an unknown method's number
    method.to_u16()
}

/// What every job needs, shared by all of them.
pub(super) struct Extraction<'a> {
    pub(super) archive: &'a Archive,
    pub(super) password: Option<&'a str>,
    pub(super) label: &'a str,
    pub(super) sink: &'a dyn EntrySink,
    pub(super) stop: &'a Stop<'a>,
}

impl Extraction<'_> {
    /// Decodes one entry into the sink.
    pub(super) fn entry(&self, job: &Job) -> Result<()> {
        let what = format!("{}: {}", self.label, job.name);
        let mut archive = self.archive.clone();
        let options = ZipReadOptions::new()
            .password(self.password.map(str::as_bytes))
            // This module checks the CRC itself, to tell it from corrupt data.
            .ignore_crc32(true);
        let (archive, subject) = (&mut archive, &what);
        let mut file = contain(&what, DECODER, move || {
            archive.by_index_with_options(job.index, options).map_err(|error| open_error(subject, error))
        })?;
        let checks = Checks { job, what: what.clone(), hasher: crc32fast::Hasher::new(), size: 0 };
        let mut reader = EntryReader::new(&mut file, checks, what, DECODER, self.stop.cancel);
        let result = self.sink.file(job.index, &mut reader);
        outcome(reader.failure(), result)
    }
}

/// Why an entry cannot be opened for reading.
fn open_error(what: &str, error: ZipError) -> Error {
    match error {
        ZipError::UnsupportedArchive(ZipError::PASSWORD_REQUIRED) => {
            Error::payload(what, format!("the entry is encrypted; {}", crate::vocab::hint::Hint::Password))
        }
        ZipError::InvalidPassword => Error::payload(what, "wrong password: the entry does not decrypt"),
        ZipError::CompressionMethodNotSupported(method) => unsupported_method(what, method),
        ZipError::UnsupportedArchive(feature) => {
            Error::payload(what, format!("uses a zip feature airlock cannot decode: {feature}"))
        }
        _ => Error::payload_from(
            what,
            "the entry's local header is missing or corrupt (the archive is truncated or damaged)",
            error,
        ),
    }
}

fn unsupported_method(what: &str, method: u16) -> Error {
    let name = match method {
        7 => "Tokenizing",
        10 => "PKWARE DCL Implode",
        18 => "IBM TERSE",
        19 => "IBM LZ77",
        20 => "Zstandard (old number)",
        94 => "MP3",
        96 => "JPEG",
        97 => "WavPack",
        n => CompressionMethod::name_from_u16(n),
    };
    Error::payload(
        what,
        format!(
            "compressed with method {method} ({name}), which airlock does not support; extract it with a tool that does (7-Zip reads some), or ask for the archive in Deflate"
        ),
    )
}

/// What the shared entry reader checks of a zip entry: the zip crate's CRC
/// check is off (it reports a mismatch like corrupt data), so the size and
/// CRC-32 of what passed are compared with the central directory here.
struct Checks<'a> {
    job: &'a Job,
    what: String,
    hasher: crc32fast::Hasher,
    size: u64,
}

impl Decoding for Checks<'_> {
    /// Sorts an error of the zip crate's reader into a payload error.
    fn error(&mut self, error: io::Error) -> (Fault, Error) {
        if let Some(ZipError::CompressionMethodNotSupported(method)) =
            error.get_ref().and_then(|inner| inner.downcast_ref::<ZipError>())
        {
            return (Fault::Unsupported, unsupported_method(&self.what, *method));
        }
        let (fault, reason) = if self.job.encrypted {
            (Fault::Password, "wrong password, or the entry is damaged: its data does not decrypt")
        } else if error.kind() == io::ErrorKind::UnexpectedEof {
            (Fault::Corrupt, "the data ends early: the archive is truncated or damaged")
        } else {
            (Fault::Corrupt, "the compressed data is corrupt")
        };
        (fault, Error::payload_from(&self.what, reason, error))
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.hasher.update(bytes);
        // Counts of bytes really decoded: they cannot pass u64::MAX, and a
        // saturated count would still differ from a recorded size below it.
        self.size = self.size.saturating_add(bytes.len() as u64);
    }

    /// At the end: does the data have the recorded size and CRC-32?
    fn end(&mut self) -> std::result::Result<(), (Fault, Error)> {
        let job = self.job;
        if self.size != job.size {
            return Err((
                Fault::Corrupt,
                Error::payload(
                    &self.what,
                    format!(
                        "the data ends after {} of its {} bytes: the archive is truncated or damaged",
                        self.size, job.size
                    ),
                ),
            ));
        }
        let actual = self.hasher.clone().finalize();
        match job.crc {
            Some(expected) if expected != actual => {
                let mismatch =
                    format!("CRC-32 mismatch (the archive records {expected:08x}, the data has {actual:08x})");
                if job.encrypted {
                    let reason = format!("wrong password, or the entry is damaged: {mismatch}");
                    Err((Fault::Password, Error::payload(&self.what, reason)))
                } else {
                    Err((Fault::Integrity, Error::Integrity { what: job.name.clone(), reason: mismatch }))
                }
            }
            _ => Ok(()),
        }
    }
}
