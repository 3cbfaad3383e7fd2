//! How each block is decoded: how many LZMA2 decoding threads it gets, and
//! whether its sink runs on a second thread ([`piped`](crate::payload::pipe::piped)).
//!
//! # The policy ([`choose`])
//! Blocks run side by side on up to `cores` workers, largest first. When the
//! blocks are about even, that keeps every core busy and nothing more is
//! done. When one block *dominates* — it alone is longer than an even share
//! of the whole (`size × cores > total`), as with a single solid block, or
//! one block holding most files beside a few small ones — the other workers
//! finish early and their cores go idle while it runs. That block then gets:
//!
//! - **a pipe**: its entries' writes (and the sink's progress) move to a
//!   second thread, so decoding does not wait for them. The BCJ filter and
//!   the CRC-32 checks stay on the decoding thread: sevenz-rust2 runs them
//!   inside its reader chain and offers no way to take them out;
//! - **LZMA2 threads** (`Lzma2ReaderMt`, up to `cores`), when its stream is
//!   cut into independent chunks (each starts with a dictionary reset, as
//!   7-Zip's multi-threaded encoder writes them) and the memory of that many
//!   decoders, each holding a whole decoded chunk, fits in the budget beside
//!   the largest other block. A stream without such cuts would be decoded as
//!   one unit held whole in memory (the 3 GB of RSS the module docs of
//!   [`super`] warn of), so its chunks are read first ([`scan_lzma2`]).
//!
//! When there are fewer blocks than cores, every block is piped (there are
//! idle cores for the whole run) and they share the cores out as LZMA2 threads.
//!
//! Measured on 2 cores (400 real shared libraries, two 100 MB random cabs and
//! a setup.exe; `7zz a -mx1`: BCJ + LZMA2, one block holding the libraries):
//! see the numbers in `benches/sevenz_pipeline.rs` and the commit that added
//! this module.
#![warn(clippy::arithmetic_side_effects)]

use sevenz_rust2::{Archive, EncoderMethod, SIGNATURE_HEADER_SIZE};

use super::plan::{BlockJob, Mode};
use crate::read::set_reader::SetReader;

/// What [`choose`] knows of a block.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    /// Decoded size.
    pub(crate) size: u64,
    /// Decoder memory with one thread.
    pub(crate) memory: u64,
    /// The independent chunks of its LZMA2 stream, when it was scanned and
    /// can be decoded by several threads.
    pub(crate) units: Option<Units>,
}

/// The independent pieces of an LZMA2 stream (a run of chunks from one
/// dictionary reset to the next), which `Lzma2ReaderMt` decodes side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Units {
    pub(crate) count: u64,
    /// Decoded size of the largest.
    pub(crate) largest: u64,
    /// Packed size of the largest packed one.
    pub(crate) largest_packed: u64,
    /// The stream's dictionary size.
    pub(crate) dictionary: u64,
}

/// Most LZMA2 threads one block gets, however many cores there are: past a
/// few, reading the packed stream and the BCJ/CRC pass on the one decoding
/// thread are the limit.
const MAX_LZMA2_THREADS: u32 = 8;

/// Whether a block of `size` bytes outlasts an even share of `total` bytes on
/// `cores` cores, and so leaves cores idle while it runs.
pub(crate) fn dominates(size: u64, total: u64, cores: usize) -> bool {
    let cores = u64::try_from(cores).unwrap_or(u64::MAX);
    cores > 1 && size > 0 && size.saturating_mul(cores) > total
}

/// The mode of each block (in the order given, largest first); see the
/// module docs.
pub(crate) fn choose(shapes: &[Shape], cores: usize, budget: u64) -> Vec<Mode> {
    let total = shapes.iter().map(|shape| shape.size).fold(0, u64::saturating_add);
    let few = shapes.len() < cores;
    shapes
        .iter()
        .enumerate()
        .map(|(index, shape)| {
            let plain = Mode::plain(shape.memory);
            if !dominates(shape.size, total, cores) {
                return Mode { piped: few && cores > 1, ..plain };
            }
            // What the others may hold beside it: the largest of them.
            let beside = shapes
                .iter()
                .enumerate()
                .filter(|&(other, _)| other != index)
                .map(|(_, other)| other.memory)
                .max()
                .unwrap_or(0);
            let room = budget.saturating_sub(beside);
            // Fewer blocks than cores: they share the cores out.
            let share = if few { cores.checked_div(shapes.len()).unwrap_or(cores) } else { cores };
            let wanted = u32::try_from(share).unwrap_or(u32::MAX).min(MAX_LZMA2_THREADS);
            let threads = shape.units.map_or(1, |units| {
                (2..=wanted)
                    .rev()
                    .filter(|&threads| units.count >= u64::from(threads))
                    .find(|&threads| shape.memory.saturating_add(threaded_memory(threads, &units)) <= room)
                    .unwrap_or(1)
            });
            match (threads, shape.units) {
                (threads @ 2.., Some(units)) => {
                    Mode { threads, piped: true, memory: shape.memory.saturating_add(threaded_memory(threads, &units)) }
                }
                _ => Mode { piped: true, ..plain },
            }
        })
        .collect()
}

/// Sets the mode of every planned block (largest first): scans the LZMA2
/// streams of the blocks that dominate, then [`choose`]s.
///
/// With `exact_failures` no block gets LZMA2 threads: `Lzma2ReaderMt` can
/// report a damaged unit while an earlier entry is still being read, which
/// would blame that entry.
pub(super) fn apply(
    jobs: &mut [BlockJob],
    archive: &Archive,
    reader: &SetReader,
    cores: usize,
    budget: u64,
    exact_failures: bool,
) {
    let total = jobs.iter().map(|job| job.size).fold(0, u64::saturating_add);
    let shapes: Vec<Shape> = jobs
        .iter()
        .map(|job| Shape {
            size: job.size,
            memory: job.memory,
            units: (dominates(job.size, total, cores) && !exact_failures)
                .then(|| scan_lzma2(archive, job.block, reader))
                .flatten(),
        })
        .collect();
    for (job, mode) in jobs.iter_mut().zip(choose(&shapes, cores, budget)) {
        job.mode = mode;
    }
}

/// Memory `Lzma2ReaderMt` holds with `threads` workers beyond the plain
/// decoder's: each worker has its own dictionary (grown only as far as its
/// unit) and a packed unit, and decodes a unit whole into a vector that may
/// have grown to twice its size; up to `threads` decoded units wait to be
/// returned in order, plus the one in the channel and the one being read.
fn threaded_memory(threads: u32, units: &Units) -> u64 {
    let threads = u64::from(threads);
    let decoded = units.largest.saturating_mul(2);
    let worker = units.dictionary.min(units.largest).saturating_add(units.largest_packed).saturating_add(decoded);
    let waiting = threads.saturating_add(2).saturating_mul(decoded);
    threads.saturating_mul(worker).saturating_add(waiting)
}

/// Most chunk headers [`scan_lzma2`] reads before it gives up (and the block
/// is decoded by one thread): 7-Zip writes chunks of up to 64 KiB packed, so
/// this covers streams of 8 GiB and bounds the cost of a hostile stream of
/// tiny chunks to this many small reads.
const MAX_CHUNKS: u64 = 1 << 17;

/// The independent units of block `block`'s LZMA2 stream, read from its chunk
/// headers (a few bytes each, the data skipped), when the block is one
/// unencrypted LZMA2 stream, possibly behind single-stream filters (BCJ,
/// delta), and has at least two units. `None` for anything else, or a stream
/// whose headers do not add up: the plain decoder then reports the damage.
pub(crate) fn scan_lzma2(archive: &Archive, block: usize, reader: &SetReader) -> Option<Units> {
    let coders = archive.blocks.get(block)?;
    let map = &archive.stream_map;
    let first_pack = *map.block_first_pack_stream_index().get(block)?;
    let next_pack = map.block_first_pack_stream_index().get(block.checked_add(1)?).copied();
    let packs = next_pack.unwrap_or(archive.pack_sizes().len()).checked_sub(first_pack)?;
    let chained = coders.ordered_coder_iter().count() == coders.coders.len();
    let (_, first) = coders.ordered_coder_iter().next()?;
    let bcj2 = coders.coders.iter().any(|coder| coder.encoder_method_id() == EncoderMethod::ID_BCJ2);
    if packs != 1 || !chained || bcj2 || first.encoder_method_id() != EncoderMethod::ID_LZMA2 {
        return None;
    }
    let dictionary = super::plan::lzma2_dictionary(*first.properties().first()?);
    let start = SIGNATURE_HEADER_SIZE
        .checked_add(archive.pack_pos())?
        .checked_add(*map.pack_stream_offsets().get(first_pack)?)?;
    let len = *archive.pack_sizes().get(first_pack)?;
    let units = scan_chunks(|offset, buf| reader.read_exact_at(start.checked_add(offset)?, buf).ok(), len)?;
    Some(Units { dictionary, ..units }).filter(|units| units.count >= 2)
}

/// Walks the LZMA2 chunk headers of a stream of `len` bytes read by
/// `read_at(offset, buf)`; see [`scan_lzma2`]. A unit starts where
/// `Lzma2ReaderMt` cuts: at a chunk that resets the dictionary (control byte
/// `0x01`, or `0xE0` and above).
fn scan_chunks(read_at: impl Fn(u64, &mut [u8]) -> Option<()>, len: u64) -> Option<Units> {
    let mut units = Units { count: 0, largest: 0, largest_packed: 0, dictionary: 0 };
    let (mut offset, mut unit, mut unit_packed, mut chunks) = (0u64, 0u64, 0u64, 0u64);
    let end_unit = |units: &mut Units, unit: u64, packed: u64| {
        units.count = units.count.saturating_add(1);
        units.largest = units.largest.max(unit);
        units.largest_packed = units.largest_packed.max(packed);
    };
    loop {
        chunks = chunks.saturating_add(1);
        if chunks > MAX_CHUNKS || offset > len {
            return None; // too many chunks, or a chunk past the stream's end
        }
        if offset == len {
            // No end marker (sevenz-rust2's own writer leaves it out); the
            // stream's end is its end, for `Lzma2ReaderMt` too.
            if unit_packed > 0 {
                end_unit(&mut units, unit, unit_packed);
            }
            return Some(units);
        }
        let mut header = [0u8; 6];
        let control = {
            read_at(offset, &mut header[..1])?;
            header[0]
        };
        if control == 0 {
            if unit_packed > 0 {
                end_unit(&mut units, unit, unit_packed);
            }
            return Some(units);
        }
        let (header_len, decoded, packed) = match control {
            0x01 | 0x02 => {
                read_at(offset.checked_add(1)?, &mut header[1..3])?;
                let size = u64::from(u16::from_be_bytes([header[1], header[2]])).checked_add(1)?;
                (3u64, size, size)
            }
            0x80.. => {
                let header_len: u64 = if control >= 0xC0 { 6 } else { 5 };
                read_at(offset.checked_add(1)?, &mut header[1..5])?;
                let high = u64::from(control & 0x1F) << 16;
                let decoded = (high | u64::from(u16::from_be_bytes([header[1], header[2]]))).checked_add(1)?;
                let packed = u64::from(u16::from_be_bytes([header[3], header[4]])).checked_add(1)?;
                (header_len, decoded, packed)
            }
            _ => return None,
        };
        let independent = control == 0x01 || control >= 0xE0;
        if independent && unit_packed > 0 {
            end_unit(&mut units, unit, unit_packed);
            (unit, unit_packed) = (0, 0);
        }
        let size = header_len.checked_add(packed)?;
        unit = unit.checked_add(decoded)?;
        unit_packed = unit_packed.checked_add(size)?;
        offset = offset.checked_add(size)?;
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // small, known test values
mod tests {
    use super::*;

    const MIB: u64 = 1 << 20;

    fn units(count: u64, largest: u64) -> Option<Units> {
        Some(Units { count, largest, largest_packed: largest, dictionary: MIB })
    }

    fn shape(size: u64, units: Option<Units>) -> Shape {
        Shape { size, memory: 2 * MIB, units }
    }

    #[test]
    fn a_block_holding_most_of_the_archive_is_piped_and_gets_lzma2_threads() {
        let shapes = [shape(500 * MIB, units(400, MIB)), shape(100 * MIB, None), shape(MIB, None)];
        let modes = choose(&shapes, 2, 160 * MIB);
        assert_eq!(modes[0].threads, 2);
        assert!(modes[0].piped);
        assert!(modes[0].memory > shapes[0].memory);
        // The small ones fill the other core as before.
        assert_eq!(&modes[1..], &[Mode::plain(2 * MIB), Mode::plain(2 * MIB)]);
    }

    #[test]
    fn a_single_block_without_independent_chunks_is_only_piped() {
        let modes = choose(&[shape(700 * MIB, None)], 2, 160 * MIB);
        assert_eq!(modes, [Mode { threads: 1, piped: true, memory: 2 * MIB }]);
        // One independent unit is no better: it would be decoded whole in memory.
        let modes = choose(&[shape(700 * MIB, units(1, 700 * MIB))], 2, 160 * MIB);
        assert_eq!(modes[0].threads, 1);
    }

    #[test]
    fn even_blocks_run_side_by_side_as_before() {
        let shapes = [shape(100 * MIB, units(100, MIB)), shape(100 * MIB, units(100, MIB))];
        assert_eq!(choose(&shapes, 2, 160 * MIB), [Mode::plain(2 * MIB); 2]);
        // More cores than blocks: each block is piped and gets its share of them.
        let modes = choose(&shapes, 4, 160 * MIB);
        assert!(modes.iter().all(|mode| mode.piped && mode.threads == 2), "{modes:?}");
    }

    #[test]
    fn threads_are_cut_to_what_the_budget_and_the_chunks_allow() {
        // 64 MiB units (7-Zip's -mx5 block size) on 8 cores: not even two fit in 160 MiB.
        let modes = choose(&[shape(2000 * MIB, units(30, 64 * MIB))], 8, 160 * MIB);
        assert_eq!(modes[0].threads, 1);
        // 4 MiB units: as many threads as cores, capped.
        let modes = choose(&[shape(2000 * MIB, units(500, 4 * MIB))], 16, 1 << 40);
        assert_eq!(modes[0].threads, MAX_LZMA2_THREADS);
        // Fewer units than cores: no more threads than units.
        let modes = choose(&[shape(8 * MIB, units(3, 4 * MIB))], 8, 1 << 40);
        assert_eq!(modes[0].threads, 3);
        // The budget leaves room for the largest other block beside it.
        let shapes = [shape(900 * MIB, units(400, 2 * MIB)), Shape { size: MIB, memory: 158 * MIB, units: None }];
        assert_eq!(choose(&shapes, 2, 160 * MIB)[0].threads, 1);
    }

    #[test]
    fn one_core_changes_nothing() {
        let modes = choose(&[shape(700 * MIB, units(400, MIB))], 1, 160 * MIB);
        assert_eq!(modes, [Mode::plain(2 * MIB)]);
        assert!(!dominates(0, 0, 2));
    }

    /// An LZMA2 stream's headers: `(control, decoded, packed)` per chunk.
    fn stream(chunks: &[(u8, u64, u64)]) -> Vec<u8> {
        let mut bytes = Vec::new();
        for &(control, decoded, packed) in chunks {
            if control < 0x80 {
                bytes.push(control);
                bytes.extend_from_slice(&((decoded - 1) as u16).to_be_bytes());
                bytes.resize(bytes.len() + decoded as usize, 0xAA);
            } else {
                let decoded = decoded - 1;
                bytes.push(control | (decoded >> 16) as u8);
                bytes.extend_from_slice(&(decoded as u16).to_be_bytes());
                bytes.extend_from_slice(&((packed - 1) as u16).to_be_bytes());
                if control >= 0xC0 {
                    bytes.push(0x5D);
                }
                bytes.resize(bytes.len() + packed as usize, 0xAA);
            }
        }
        bytes.push(0);
        bytes
    }

    fn scan(bytes: &[u8]) -> Option<Units> {
        let read_at = |offset: u64, buf: &mut [u8]| {
            let from = usize::try_from(offset).ok()?;
            buf.copy_from_slice(bytes.get(from..from.checked_add(buf.len())?)?);
            Some(())
        };
        scan_chunks(read_at, bytes.len() as u64)
    }

    #[test]
    fn units_are_cut_at_dictionary_resets() {
        let bytes = stream(&[
            (0xE0, 2 << 20, 60_000),
            (0x80, 1 << 20, 30_000),
            (0x02, 1000, 1000),
            (0xE0, 1 << 20, 50_000),
            (0xC0, 1 << 20, 40_000),
            (0x01, 500, 500),
        ]);
        let units = scan(&bytes).unwrap();
        assert_eq!(units.count, 3);
        assert_eq!(units.largest, (3 << 20) + 1000);
        assert_eq!(units.largest_packed, 6 + 60_000 + 5 + 30_000 + 3 + 1000);
        // A stream that is one unit is one unit.
        assert_eq!(scan(&stream(&[(0xE0, 1 << 20, 100), (0x80, 1 << 20, 100)])).unwrap().count, 1);
    }

    #[test]
    fn streams_whose_headers_do_not_add_up_are_not_scanned() {
        let bytes = stream(&[(0xE0, 1 << 20, 100), (0xE0, 1 << 20, 100)]);
        // Cut inside a chunk.
        assert_eq!(scan(&bytes[..bytes.len() - 50]), None);
        // A control byte LZMA2 does not have.
        let mut bad = bytes.clone();
        bad[0] = 0x40;
        assert_eq!(scan(&bad), None);
    }
}
