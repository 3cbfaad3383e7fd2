//! Malformed optional zip extra fields, found so they cost only themselves.
//!
//! The zip crate refuses a whole archive when one entry carries a malformed
//! optional extra field (an extended timestamp of length 0, a Unicode path
//! field too short to hold its CRC): "invalid Zip archive: Extended
//! timestamp field is empty". 7-Zip, Info-ZIP and Python ignore such a field
//! and read the entry. This module walks the central directory and the local
//! headers, finds the optional fields the zip crate would reject, and says
//! which two bytes to show instead: the field's ID replaced by one no reader
//! knows ([`DROPPED_ID`]), so the field is skipped as unknown, or a length
//! that runs past its extra area cut to what is there. The archive on disk is
//! never changed; [`SetReader::with_patches`] overlays the bytes.
//!
//! Fields the data depends on (zip64 sizes `0x0001`, AES `0x9901`) are never
//! touched: damage there is damage to the archive.
//!
//! Lengths and offsets here are header bytes: positions are computed with
//! checked sums (the lint below keeps it so), and a record that does not fit
//! ends the walk.
#![warn(clippy::arithmetic_side_effects)]

use crate::read::set_reader::SetReader;

/// The ID a dropped field is given: not assigned by PKWARE or Info-ZIP, so
/// every reader skips it.
pub(crate) const DROPPED_ID: [u8; 2] = *b"AL";

const CENTRAL_MAGIC: &[u8; 4] = b"PK\x01\x02";
const LOCAL_MAGIC: &[u8; 4] = b"PK\x03\x04";
const CENTRAL_LEN: u64 = 46;
const LOCAL_LEN: u64 = 30;
/// Central directories larger than this are not walked (the patches are a
/// repair for small odd archives, not a second zip parser).
const MAX_DIRECTORY: u64 = 64 << 20;

/// The patches that make the zip crate skip every malformed optional extra
/// field of the archive whose central directory is `directory_size` bytes at
/// `directory_start` (offsets of `reader`; local header offsets are shifted
/// by `stub`). Empty when there is nothing to drop.
pub(crate) fn patches(reader: &SetReader, directory_start: u64, directory_size: u64, stub: u64) -> Vec<(u64, [u8; 2])> {
    if directory_size > MAX_DIRECTORY {
        return Vec::new();
    }
    let mut directory = vec![0u8; usize::try_from(directory_size).unwrap_or(0)];
    if reader.read_exact_at(directory_start, &mut directory).is_err() {
        return Vec::new();
    }
    let mut patches = Vec::new();
    let mut at = 0usize;
    // Each record: 46 fixed bytes (read at fixed offsets), then name, extra, comment.
    while let Some(record) =
        directory.get(at..).filter(|r| r.len() >= CENTRAL_LEN as usize && r.starts_with(CENTRAL_MAGIC))
    {
        let field = |i: usize| {
            record.get(i..).and_then(|b| b.get(..2)).map_or(0, |b| usize::from(u16::from_le_bytes([b[0], b[1]])))
        };
        let (name_len, extra_len, comment_len) = (field(28), field(30), field(32));
        let local_offset = u32::from_le_bytes([record[42], record[43], record[44], record[45]]);
        // Lengths are u16s: these sums stay far below usize::MAX.
        let extra_start = (CENTRAL_LEN as usize).saturating_add(name_len);
        let Some(extra) = record.get(extra_start..extra_start.saturating_add(extra_len)) else { break };
        let Some(base) = at.checked_add(extra_start).and_then(|i| directory_start.checked_add(i as u64)) else { break };
        patches.extend(
            extra_patches(extra, false).into_iter().filter_map(|(i, bytes)| Some((base.checked_add(i as u64)?, bytes))),
        );
        local_patches(reader, u64::from(local_offset).saturating_add(stub), &mut patches);
        at = at.saturating_add(extra_start).saturating_add(extra_len).saturating_add(comment_len);
    }
    patches
}

/// Adds the patches for the local header at `offset`.
fn local_patches(reader: &SetReader, offset: u64, patches: &mut Vec<(u64, [u8; 2])>) {
    let mut header = [0u8; LOCAL_LEN as usize];
    if reader.read_exact_at(offset, &mut header).is_err() || &header[..4] != LOCAL_MAGIC {
        return;
    }
    let name_len = u64::from(u16::from_le_bytes([header[26], header[27]]));
    let extra_len = usize::from(u16::from_le_bytes([header[28], header[29]]));
    let Some(extra_at) = offset.checked_add(LOCAL_LEN).and_then(|o| o.checked_add(name_len)) else { return };
    let mut extra = vec![0u8; extra_len];
    if reader.read_exact_at(extra_at, &mut extra).is_err() {
        return;
    }
    patches.extend(
        extra_patches(&extra, true).into_iter().filter_map(|(i, bytes)| Some((extra_at.checked_add(i as u64)?, bytes))),
    );
}

/// The patches (offsets within `extra`) for one extra area.
fn extra_patches(extra: &[u8], local: bool) -> Vec<(usize, [u8; 2])> {
    let mut patches = Vec::new();
    let mut at = 0usize;
    // Each field: a 2-byte ID and a 2-byte length, then that many bytes.
    while let Some(&[i0, i1, l0, l1]) = extra.get(at..).and_then(|rest| rest.get(..4)) {
        let id = u16::from_le_bytes([i0, i1]);
        let len = usize::from(u16::from_le_bytes([l0, l1]));
        let data_at = at.saturating_add(4); // at + 4 <= extra.len()
        let room = extra.len().saturating_sub(data_at);
        let optional = matches!(id, 0x5455 | 0x6375 | 0x7075 | 0x000a | 0xa11e | 0xd935);
        if len > room {
            // Runs past the extra area (often the bytes after a field whose
            // own length is wrong): the zip crate fails on any such field.
            // Unless it is one the data depends on, it is cut to what is
            // there and dropped.
            if !matches!(id, 0x0001 | 0x9901) {
                patches.push((at, DROPPED_ID));
                patches.push((at.saturating_add(2), u16::try_from(room).unwrap_or(u16::MAX).to_le_bytes()));
            }
            break;
        }
        let data = &extra[data_at..data_at.saturating_add(len)]; // len <= room
        if optional && malformed(id, data, local) {
            patches.push((at, DROPPED_ID));
        }
        at = data_at.saturating_add(len);
    }
    patches
}

/// Whether the zip crate would reject optional field `id` with `data`.
fn malformed(id: u16, data: &[u8], local: bool) -> bool {
    match id {
        // Extended timestamp: a flags byte, then the times the flags name
        // (the local header must hold exactly those; 5 bytes always pass).
        0x5455 => {
            let Some(flags) = data.first() else { return true };
            // At most 1 + 4 * 8: no overflow.
            local && data.len() != 5 && data.len() != (flags.count_ones() as usize).saturating_mul(4).saturating_add(1)
        }
        // Info-ZIP Unicode comment / path: version byte, CRC-32, then text.
        0x6375 | 0x7075 => data.len() < 5,
        // Data stream alignment: a two-byte header at least.
        0xa11e | 0xd935 => data.len() < 2,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(id: u16, data: &[u8]) -> Vec<u8> {
        let mut out = id.to_le_bytes().to_vec();
        out.extend((data.len() as u16).to_le_bytes());
        out.extend(data);
        out
    }

    #[test]
    fn an_empty_timestamp_is_dropped_and_good_fields_are_kept() {
        let mut extra = field(0x5455, &[]);
        extra.extend(field(0x5455, &[1, 1, 2, 3, 4]));
        extra.extend(field(0x0001, &[0; 8]));
        assert_eq!(extra_patches(&extra, false), [(0, DROPPED_ID)]);
    }

    #[test]
    fn a_local_timestamp_whose_flags_disagree_with_its_length_is_dropped() {
        let extra = field(0x5455, &[0b111, 1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(extra_patches(&extra, true), [(0, DROPPED_ID)]);
        assert!(extra_patches(&extra, false).is_empty());
    }

    #[test]
    fn a_field_running_past_the_area_is_cut_only_when_optional() {
        let mut extra = field(0x7075, &[1, 0, 0, 0, 0, b'x']);
        extra.truncate(extra.len() - 2);
        assert_eq!(extra_patches(&extra, false), [(0, DROPPED_ID), (2, 4u16.to_le_bytes())]);
        let mut unknown = field(0x1103, &[0; 8]);
        unknown.truncate(6);
        assert_eq!(extra_patches(&unknown, false), [(0, DROPPED_ID), (2, 2u16.to_le_bytes())]);
        let mut zip64 = field(0x0001, &[0; 8]);
        zip64.truncate(6);
        assert!(extra_patches(&zip64, false).is_empty());
    }
}
