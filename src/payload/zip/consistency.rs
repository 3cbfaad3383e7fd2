//! A zip archive that disagrees with itself is refused before anything is
//! decoded: the central directory is what every entry is listed by, and the
//! local headers and data it points at must tell the same story.
//!
//! - no two entries may share a local header or overlap (the "better zip
//!   bomb" makes thousands of central entries point into one compressed
//!   stream; `unzip -t` calls it "overlapped components");
//! - each entry's local header must be one (signature `PK\3\4`) and carry the
//!   name its central entry has: a local header naming `../../evil.txt` under
//!   a central `setup.exe` would be read one way by this tool and another by
//!   the next;
//! - a folder entry (`docs/`) may not carry data, which would otherwise be
//!   dropped without a word.
//!
//! The central directory is read once; each local header's fixed part and
//! name take one positioned read. Offsets are compared, and added only
//! with checked arithmetic (hostile headers).
#![warn(clippy::arithmetic_side_effects)]

use zip::HasZipMetadata;

use super::Archive;
use crate::read::set_reader::SetReader;
use crate::vocab::error::{Error, Result};

/// A central directory header's signature and fixed part.
const CENTRAL_MAGIC: &[u8; 4] = b"PK\x01\x02";
const CENTRAL_LEN: u64 = 46;

/// A local file header's signature.
const LOCAL_MAGIC: &[u8; 4] = b"PK\x03\x04";
/// A local file header's fixed part.
const LOCAL_LEN: u64 = 30;

/// Where one entry's local header and data sit.
struct Span {
    index: usize,
    start: u64,
    end: u64,
    name: String,
    /// The local header's name, when it is not the central entry's.
    local_differs: Option<String>,
}

/// Refuses an archive whose central directory, local headers and data
/// disagree (see the module documentation), naming the entries.
pub(super) fn check(archive: &Archive, reader: &SetReader, label: &str) -> Result<()> {
    let refuse = |reason: String| {
        Err(Error::payload(
            label,
            format!(
                "{reason}; the archive disagrees with itself (damaged or crafted), so it is refused and nothing was written"
            ),
        ))
    };
    let central = Central::read(reader);
    let mut spans = Vec::with_capacity(archive.len());
    for index in 0..archive.len() {
        let meta = archive
            .by_index_data(index)
            .map_err(|error| Error::payload_from(label, format!("entry {index} cannot be read"), error))?;
        let data = meta.get_metadata();
        let name = String::from_utf8_lossy(meta.name_raw()).into_owned();
        if meta.name_raw().ends_with(b"/") && data.uncompressed_size > 0 {
            return refuse(format!(
                "the folder entry {name} carries {} bytes of data, which no folder can hold",
                data.uncompressed_size
            ));
        }
        // The central entry's own name bytes (the zip crate's name may come
        // from a Unicode path extra field instead, which the local header
        // need not repeat), from the central directory read once.
        let central = central
            .name_at(meta.central_header_start())
            .or_else(|| central_name(reader, meta.central_header_start()))
            .unwrap_or_else(|| meta.name_raw().to_vec());
        // The local header and, in the same read, the name it should carry.
        let start = meta.header_start();
        let mut local = vec![0u8; central.len().saturating_add(LOCAL_LEN as usize)];
        let whole = reader.read_exact_at(start, &mut local).is_ok();
        if !whole && reader.read_exact_at(start, &mut local[..LOCAL_LEN as usize]).is_err()
            || &local[..4] != LOCAL_MAGIC
        {
            return refuse(format!("the entry {name} points at offset {start}, where no local header is"));
        }
        let name_len = u16::from_le_bytes([local[26], local[27]]);
        let extra_len = u16::from_le_bytes([local[28], local[29]]);
        let name_at = start.checked_add(LOCAL_LEN);
        if !whole || usize::from(name_len) != central.len() {
            local.resize(usize::from(name_len).saturating_add(LOCAL_LEN as usize), 0);
            if name_at.is_none_or(|at| reader.read_exact_at(at, &mut local[LOCAL_LEN as usize..]).is_err()) {
                return refuse(format!("the local header of {name} is cut short"));
            }
        }
        let local_name = &local[LOCAL_LEN as usize..];
        let local_differs = (local_name != central).then(|| String::from_utf8_lossy(local_name).into_owned());
        let end = name_at
            .and_then(|at| at.checked_add(u64::from(name_len)))
            .and_then(|at| at.checked_add(u64::from(extra_len)))
            .and_then(|at| at.checked_add(data.compressed_size));
        let Some(end) = end else {
            return refuse(format!("the entry {name} claims a size past any archive"));
        };
        spans.push(Span { index, start, end, name, local_differs });
    }
    spans.sort_unstable_by_key(|span| (span.start, span.index));
    for pair in spans.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a.start == b.start {
            return refuse(format!(
                "the entries {} and {} share one local header (one set of bytes listed twice)",
                a.name, b.name
            ));
        }
        if b.start < a.end {
            return refuse(format!(
                "the entries {} and {} overlap (bytes {}..{} and {}..{}): one compressed stream read as several files is how a zip bomb multiplies its size",
                a.name, b.name, a.start, a.end, b.start, b.end
            ));
        }
    }
    if let Some(span) = spans.iter().find(|span| span.local_differs.is_some()) {
        let local = span.local_differs.as_deref().unwrap_or_default();
        return refuse(format!("the entry listed as {} has a local header naming {local}", span.name));
    }
    Ok(())
}

/// The name bytes of the central directory header at `at`, as stored.
fn central_name(reader: &SetReader, at: u64) -> Option<Vec<u8>> {
    let mut fixed = [0u8; CENTRAL_LEN as usize];
    reader.read_exact_at(at, &mut fixed).ok()?;
    if &fixed[..4] != CENTRAL_MAGIC {
        return None;
    }
    let mut name = vec![0u8; usize::from(u16::from_le_bytes([fixed[28], fixed[29]]))];
    reader.read_exact_at(at.checked_add(CENTRAL_LEN)?, &mut name).ok()?;
    Some(name)
}

/// The central directory's bytes, read in one go (or nothing, when it
/// cannot be: each name is then read where it is).
struct Central {
    start: u64,
    bytes: Vec<u8>,
}

impl Central {
    /// At most this much is held: a central directory of 200 000 entries
    /// with short names is about 20 MB.
    const MOST: u64 = 256 << 20;

    fn read(reader: &SetReader) -> Central {
        let end = crate::payload::detect::find_zip_end(reader).ok().flatten();
        let bytes = end
            .filter(|end| end.central_size <= Self::MOST)
            .and_then(|end| {
                let mut bytes = vec![0u8; usize::try_from(end.central_size).ok()?];
                reader.read_exact_at(end.central_start, &mut bytes).ok()?;
                Some(bytes)
            })
            .unwrap_or_default();
        Central { start: end.map_or(0, |end| end.central_start), bytes }
    }

    /// The name bytes of the central header at `at` in the set.
    fn name_at(&self, at: u64) -> Option<Vec<u8>> {
        let from = usize::try_from(at.checked_sub(self.start)?).ok()?;
        let fixed = self.bytes.get(from..from.checked_add(CENTRAL_LEN as usize)?)?;
        if &fixed[..4] != CENTRAL_MAGIC {
            return None;
        }
        let len = usize::from(u16::from_le_bytes([fixed[28], fixed[29]]));
        let name_from = from.checked_add(CENTRAL_LEN as usize)?;
        self.bytes.get(name_from..name_from.checked_add(len)?).map(<[u8]>::to_vec)
    }
}
