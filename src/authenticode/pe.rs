//! The PE side of Authenticode: where the signature sits, what it covers, and
//! the file's digest recomputed.
//!
//! The headers are read by the one PE reader ([`crate::read::pe`]), which
//! also says which bytes the digest covers, the way the specification
//! describes (headers, then sections in file order, then the data after the
//! last section, skipping the checksum field, the certificate-table
//! directory entry and the table itself). That order leaves out any bytes
//! between sections, so before trusting it airlock checks the layout: the
//! sections must follow each other without gaps from the end of the headers,
//! and the certificate table must end the file (up to 7 bytes of zero
//! padding). Then every byte of the file except the checksum field, the
//! directory entry and the table is covered, and [`SignedPe::signed_end`]
//! is the offset up to which the signature vouches for the content.
//!
//! Only the headers and the certificate table are read to judge the layout;
//! the digest then reads the covered bytes in blocks, from memory or from
//! the file, and stops at the first block after the run's `Cancel` is set
//! (the image can be gigabytes: a self-extractor with its archive appended).

use std::fs::File;
use std::ops::Range;

use authenticode::{AttributeCertificateIterator, PeOffsetError, PeOffsets, PeTrait};
use object::ReadRef;

use super::DigestAlgorithm;
use crate::read::pe::{self, Headers, Optional, PeHeaders};
use crate::vocab::progress::Cancel;

/// `WIN_CERT_REVISION_2_0`.
const REVISION_2: u16 = 0x0200;
/// `WIN_CERT_TYPE_PKCS_SIGNED_DATA`.
const TYPE_PKCS_SIGNED_DATA: u16 = 0x0002;
/// Zero bytes allowed after the certificate table (8-byte alignment).
const MAX_PADDING: u64 = 7;
/// The largest certificate table read: real signatures, nested ones and
/// their certificate chains included, take kilobytes; a table that claims
/// more is not read into memory.
const MAX_TABLE: u64 = 64 << 20;
/// How much of the image the digest hashes between two looks at the cancel.
const BLOCK: usize = 1 << 20;

/// What the PE layout says about a signature.
pub(crate) enum Layout<'a> {
    /// Not a PE file at all.
    NotPe,
    /// A PE file with no certificate table.
    Unsigned,
    /// A PE file whose table or layout cannot be trusted, and why.
    Broken(String),
    /// A signed PE file with a sound layout.
    Signed(SignedPe<'a>),
}

/// A signed PE file whose layout passed the checks.
pub(crate) struct SignedPe<'a> {
    headers: PeHeaders,
    len: u64,
    /// The PKCS#7 bytes of the one `WIN_CERTIFICATE` entry (they may be
    /// followed by unused bytes inside the entry; the DER decoder reads only
    /// the `ContentInfo`).
    pub signature: &'a [u8],
    /// Offset where the certificate table starts: every byte before it,
    /// except the checksum field and the directory entry, is signed.
    pub signed_end: u64,
}

/// Where the digest reads the image's bytes.
#[derive(Clone, Copy)]
pub(crate) enum Image<'a> {
    /// All of them in memory.
    Memory(&'a [u8]),
    /// A file, read in blocks with positioned reads.
    File(&'a File),
}

/// Why a digest was not computed.
pub(crate) enum DigestError {
    /// The layout gives a range outside the file: the signature is invalid.
    Invalid(String),
    /// The run's `Cancel` was set.
    Interrupted,
    /// The file could not be read.
    Io(std::io::Error),
}

impl SignedPe<'_> {
    /// The Authenticode digest of `image` (the bytes this layout was read
    /// from) with `algorithm`; stops when `cancel` is set.
    pub(crate) fn digest(
        &self,
        algorithm: DigestAlgorithm,
        image: Image<'_>,
        cancel: &Cancel,
    ) -> std::result::Result<Vec<u8>, DigestError> {
        let ranges = self.headers.digest_ranges(self.len).map_err(DigestError::Invalid)?;
        let mut hasher = algorithm.hasher();
        let mut buffer = Vec::new();
        for range in ranges {
            let mut at = range.start;
            while at < range.end {
                if cancel.is_cancelled() {
                    return Err(DigestError::Interrupted);
                }
                let n = usize::try_from(range.end - at).map_or(BLOCK, |left| left.min(BLOCK));
                let block = match image {
                    Image::Memory(data) => usize::try_from(at)
                        .ok()
                        .and_then(|start| data.get(start..start.checked_add(n)?))
                        .ok_or_else(|| DigestError::Invalid("the PE headers hold an offset outside the file".into()))?,
                    Image::File(file) => {
                        buffer.resize(n, 0);
                        crate::platform::read_exact_at(file, &mut buffer, at).map_err(DigestError::Io)?;
                        &buffer[..]
                    }
                };
                hasher.as_update().update(block);
                at += n as u64;
            }
        }
        // Also after the last read: one held at its end (a slow device,
        // a network file) must not turn a Ctrl-C into a verdict.
        if cancel.is_cancelled() {
            return Err(DigestError::Interrupted);
        }
        Ok(hasher.finish())
    }
}

/// Reads the layout of the PE image `data` (bytes in memory, or a file
/// through `object::ReadCache`): its headers and certificate table only.
pub(crate) fn inspect<'a, R: ReadRef<'a>>(data: R) -> Layout<'a> {
    let Ok(len) = data.len() else { return Layout::NotPe };
    let headers = match pe::read(data) {
        Headers::NotPe | Headers::Cut { signature: false, .. } => return Layout::NotPe,
        Headers::Cut { needs, signature: true } => {
            return Layout::Broken(format!(
                "the PE headers cannot be read (they need {needs} bytes; the file has {len}): the file is cut short"
            ));
        }
        Headers::Pe(headers) => headers,
    };
    match &headers.optional {
        Optional::Read(_) => {}
        Optional::UnknownMagic => return Layout::NotPe,
        Optional::Unreadable(why) => return Layout::Broken(why.clone()),
    }
    let table = match headers.certificate_table(len) {
        Ok(None) => return Layout::Unsigned,
        Ok(Some(table)) => table,
        Err(reason) => return Layout::Broken(reason),
    };
    match check_layout(data, &headers, &table, len) {
        Ok(signature) => Layout::Signed(SignedPe { signature, signed_end: table.start, headers, len }),
        Err(reason) => Layout::Broken(reason),
    }
}

/// Checks the certificate table and the section layout; returns the
/// signature bytes of the table's one entry.
fn check_layout<'a, R: ReadRef<'a>>(
    data: R,
    headers: &PeHeaders,
    table: &Range<u64>,
    file_len: u64,
) -> std::result::Result<&'a [u8], String> {
    // `certificate_table` keeps the table inside the file.
    let padding = file_len - table.end;
    let zeros = |after: &[u8]| after.iter().all(|&b| b == 0);
    if padding > MAX_PADDING || !data.read_bytes_at(table.end, padding).is_ok_and(zeros) {
        return Err(format!(
            "{padding} bytes follow the certificate table; the signature does not cover them (data was appended after signing)"
        ));
    }

    // Sections, in file order, must tile the file from the end of the
    // headers to the certificate table: a gap would be unsigned bytes.
    let end = headers.gapless_end()?;
    if end > table.start {
        return Err(format!(
            "the certificate table (offset {}) starts inside the PE image (which ends at {end})",
            table.start
        ));
    }

    let size = table.end - table.start;
    if size > MAX_TABLE {
        return Err(format!(
            "the certificate table is {size} bytes, more than any Authenticode signature needs (at most {MAX_TABLE})"
        ));
    }
    let bytes =
        data.read_bytes_at(table.start, size).map_err(|()| "the certificate table cannot be read".to_owned())?;
    let table = CertificateTable(bytes);
    let mut entries = AttributeCertificateIterator::new(&table)
        .map_err(|e| format!("the certificate table is malformed ({e})"))?
        .ok_or_else(|| "the certificate table is empty".to_owned())?;
    let first = entries
        .next()
        .ok_or_else(|| "the certificate table holds no entry".to_owned())?
        .map_err(|e| format!("the certificate table is malformed ({e})"))?;
    if entries.next().is_some() {
        return Err("the certificate table holds more than one entry; airlock expects exactly one".into());
    }
    if first.revision != REVISION_2 || first.certificate_type != TYPE_PKCS_SIGNED_DATA {
        return Err(format!(
            "the certificate entry is revision {:#06x} type {:#06x}, not a PKCS#7 Authenticode signature",
            first.revision, first.certificate_type
        ));
    }
    // The entry borrows from the table's wrapper; re-slice the table's bytes
    // so the signature lives as long as the data.
    let start = (first.data.as_ptr() as usize).checked_sub(bytes.as_ptr() as usize).ok_or("bad certificate entry")?;
    let end = start.checked_add(first.data.len()).ok_or("bad certificate entry")?;
    bytes.get(start..end).ok_or_else(|| "bad certificate entry".to_owned())
}

/// The certificate table alone, as the `authenticode` crate's entry
/// iterator reads it (`WIN_CERTIFICATE` headers, sizes, alignment): the
/// table is the whole of this "image", and it has no sections or headers.
struct CertificateTable<'a>(&'a [u8]);

impl PeTrait for CertificateTable<'_> {
    fn data(&self) -> &[u8] {
        self.0
    }

    fn num_sections(&self) -> usize {
        0
    }

    fn section_data_range(&self, _index: usize) -> std::result::Result<Range<usize>, PeOffsetError> {
        Err(PeOffsetError)
    }

    fn certificate_table_range(&self) -> std::result::Result<Option<Range<usize>>, PeOffsetError> {
        Ok(Some(0..self.0.len()))
    }

    fn offsets(&self) -> std::result::Result<PeOffsets, PeOffsetError> {
        Err(PeOffsetError)
    }
}
