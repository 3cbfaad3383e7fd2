//! The PE side of Authenticode: where the signature sits, what it covers, and
//! the file's digest recomputed.
//!
//! The `authenticode` crate computes the digest the way the specification
//! describes (headers, then sections in file order, then the data after the
//! last section, skipping the checksum field, the certificate-table
//! directory entry and the table itself). That order leaves out any bytes
//! between sections, so before trusting it airlock checks the layout: the
//! sections must follow each other without gaps from the end of the headers,
//! and the certificate table must end the file (up to 7 bytes of zero
//! padding). Then every byte of the file except the checksum field, the
//! directory entry and the table is covered, and [`SignedPe::signed_end`]
//! is the offset up to which the signature vouches for the content.

use std::ops::Range;

use authenticode::{AttributeCertificateIterator, PeTrait};
use object::read::pe::{PeFile32, PeFile64};

use super::DigestAlgorithm;

/// `WIN_CERT_REVISION_2_0`.
const REVISION_2: u16 = 0x0200;
/// `WIN_CERT_TYPE_PKCS_SIGNED_DATA`.
const TYPE_PKCS_SIGNED_DATA: u16 = 0x0002;
/// Zero bytes allowed after the certificate table (8-byte alignment).
const MAX_PADDING: usize = 7;

/// A parsed PE file of either width.
enum Pe<'a> {
    Pe32(PeFile32<'a>),
    Pe64(PeFile64<'a>),
}

impl Pe<'_> {
    fn as_trait(&self) -> &dyn PeTrait {
        match self {
            Pe::Pe32(pe) => pe,
            Pe::Pe64(pe) => pe,
        }
    }
}

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
    pe: Pe<'a>,
    /// The PKCS#7 bytes of the one `WIN_CERTIFICATE` entry (they may be
    /// followed by unused bytes inside the entry; the DER decoder reads only
    /// the `ContentInfo`).
    pub signature: &'a [u8],
    /// Offset where the certificate table starts: every byte before it,
    /// except the checksum field and the directory entry, is signed.
    pub signed_end: u64,
}

impl SignedPe<'_> {
    /// The Authenticode digest of the file with `algorithm`.
    pub(crate) fn digest(&self, algorithm: DigestAlgorithm) -> std::result::Result<Vec<u8>, String> {
        let mut hasher = algorithm.hasher();
        authenticode::authenticode_digest(self.pe.as_trait(), hasher.as_update())
            .map_err(|_| "the PE headers hold an offset outside the file".to_owned())?;
        Ok(hasher.finish())
    }
}

/// Reads the layout of `data`.
pub(crate) fn inspect(data: &[u8]) -> Layout<'_> {
    let pe = match object::FileKind::parse(data) {
        Ok(object::FileKind::Pe32) => PeFile32::parse(data).map(Pe::Pe32),
        Ok(object::FileKind::Pe64) => PeFile64::parse(data).map(Pe::Pe64),
        _ => return Layout::NotPe,
    };
    let pe = match pe {
        Ok(pe) => pe,
        Err(error) => return Layout::Broken(format!("the PE headers cannot be read ({error})")),
    };
    let table = match pe.as_trait().certificate_table_range() {
        Ok(Some(range)) if range.start == 0 && range.is_empty() => return Layout::Unsigned,
        Ok(None) => return Layout::Unsigned,
        Ok(Some(range)) => range,
        Err(_) => return Layout::Broken("the certificate table's size overflows".into()),
    };
    match check_layout(&pe, &table, data.len()) {
        Ok(signature) => Layout::Signed(SignedPe { signature, signed_end: table.start as u64, pe }),
        Err(reason) => Layout::Broken(reason),
    }
}

/// Checks the certificate table and the section layout; returns the
/// signature bytes of the table's one entry.
fn check_layout<'a>(pe: &Pe<'a>, table: &Range<usize>, file_len: usize) -> std::result::Result<&'a [u8], String> {
    let data: &'a [u8] = match pe {
        Pe::Pe32(pe) => pe.data(),
        Pe::Pe64(pe) => pe.data(),
    };
    if table.start == 0 || table.is_empty() || table.end > file_len {
        return Err(format!(
            "the certificate table ({} bytes at offset {}) does not fit in the file ({file_len} bytes)",
            table.len(),
            table.start
        ));
    }
    let after = &data[table.end..];
    if after.len() > MAX_PADDING || after.iter().any(|&b| b != 0) {
        return Err(format!(
            "{} bytes follow the certificate table; the signature does not cover them (data was appended after signing)",
            after.len()
        ));
    }

    // Sections, in file order, must tile the file from the end of the
    // headers to the certificate table: a gap would be unsigned bytes.
    let offsets = pe.as_trait().offsets().map_err(|_| "the PE headers hold an offset outside the file".to_owned())?;
    let mut sections = Vec::new();
    for index in 1..=pe.as_trait().num_sections() {
        let range = pe
            .as_trait()
            .section_data_range(index)
            .map_err(|_| format!("section {index} has a size that overflows"))?;
        if !range.is_empty() {
            sections.push(range);
        }
    }
    sections.sort_unstable_by_key(|r| r.start);
    let mut end = offsets.after_header;
    for range in &sections {
        if range.start != end {
            return Err(format!(
                "the PE sections leave bytes {}..{} outside the signed data or overlap there; airlock accepts only layouts the signature fully covers",
                end.min(range.start),
                end.max(range.start)
            ));
        }
        end = range.end;
    }
    if end > table.start {
        return Err(format!(
            "the certificate table (offset {}) starts inside the PE image (which ends at {end})",
            table.start
        ));
    }

    let mut entries = AttributeCertificateIterator::new(pe.as_trait())
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
    // The entry borrows from the trait object; re-slice the file so the
    // signature lives as long as the data.
    let start = (first.data.as_ptr() as usize).checked_sub(data.as_ptr() as usize).ok_or("bad certificate entry")?;
    let end = start.checked_add(first.data.len()).ok_or("bad certificate entry")?;
    data.get(start..end).ok_or_else(|| "bad certificate entry".to_owned())
}
