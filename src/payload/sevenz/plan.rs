//! Which blocks to decode for a selection, largest first, and how much
//! decoder memory each needs.
//!
//! Header numbers are summed only in checked or saturating forms: the memory
//! estimate saturates (a block "needing" `u64::MAX` runs alone, which is the
//! budget's meaning of too big).
#![warn(clippy::arithmetic_side_effects)]

use sevenz_rust2::{Archive, Block, EncoderMethod};

use super::open::entry_name;
use crate::vocab::error::{Error, Result};

/// What `extract` has to do.
pub(super) struct Plan {
    /// Blocks holding selected data, largest first.
    pub(super) blocks: Vec<BlockJob>,
    /// Selected files without data (empty files), which need no decoding.
    pub(super) streamless: Vec<usize>,
}

/// One block to decode.
pub(super) struct BlockJob {
    pub(super) block: usize,
    /// The first selected entry in the block, named by errors that come
    /// before any entry is reached (an unsupported method, a password).
    pub(super) first_wanted: usize,
    /// The last selected entry in the block: decoding stops after it.
    pub(super) last_wanted: usize,
    /// Decoded size, the measure of how long the block takes.
    pub(super) size: u64,
    /// Decoder memory the block needs with one thread.
    pub(super) memory: u64,
    /// How it is decoded (`schedule::choose`); plain until then.
    pub(super) mode: Mode,
}

pub(super) fn plan(archive: &Archive, wanted: &[bool], label: &str) -> Result<Plan> {
    // For each block, its first and last selected entries.
    let mut span: Vec<Option<(usize, usize)>> = vec![None; archive.blocks.len()];
    let mut streamless = Vec::new();
    for (index, file) in archive.files.iter().enumerate() {
        if !wanted[index] {
            continue;
        }
        if !file.has_stream {
            streamless.push(index);
            continue;
        }
        let block = archive.stream_map.file_block_index.get(index).copied().flatten();
        match block.and_then(|block| span.get_mut(block)) {
            Some(span) => *span = Some((span.map_or(index, |(first, _)| first), index)),
            None => {
                return Err(Error::payload(
                    format!("{label}: {}", entry_name(file)),
                    "the archive does not say which block holds this entry's data: its headers are corrupt",
                ));
            }
        }
    }
    let mut blocks: Vec<BlockJob> = span
        .iter()
        .enumerate()
        .filter_map(|(block, span)| {
            let (first_wanted, last_wanted) = (*span)?;
            let coders = archive.blocks.get(block)?;
            Some(BlockJob {
                block,
                first_wanted,
                last_wanted,
                size: coders.get_unpack_size(),
                memory: memory_estimate(coders),
                mode: Mode::plain(memory_estimate(coders)),
            })
        })
        .collect();
    blocks.sort_by_key(|job| std::cmp::Reverse(job.size));
    Ok(Plan { blocks, streamless })
}

/// Roughly how much memory decoding `block` takes: each LZ dictionary window
/// grows only as far as that coder's output, a PPMd model is allocated whole.
fn memory_estimate(block: &Block) -> u64 {
    const PER_CODER: u64 = 1 << 20;
    const BZIP2: u64 = 8 << 20;
    let le32 = |bytes: Option<&[u8]>| {
        bytes.and_then(|b| <[u8; 4]>::try_from(b).ok()).map_or(0, |b| u64::from(u32::from_le_bytes(b)))
    };
    block
        .coders
        .iter()
        .enumerate()
        .map(|(index, coder)| {
            let output = block.get_unpack_size_at_index(index);
            let props = coder.properties();
            let method = coder.encoder_method_id();
            let state = if method == EncoderMethod::ID_LZMA2 {
                props.first().map_or(0, |&bits| lzma2_dictionary(bits)).min(output)
            } else if method == EncoderMethod::ID_LZMA {
                le32(props.get(1..5)).min(output)
            } else if method == EncoderMethod::ID_PPMD {
                le32(props.get(1..5))
            } else if method == EncoderMethod::ID_BZIP2 {
                BZIP2
            } else {
                0
            };
            state.saturating_add(PER_CODER)
        })
        .fold(0, u64::saturating_add)
}

/// The dictionary size an LZMA2 property byte declares.
pub(super) fn lzma2_dictionary(bits: u8) -> u64 {
    match bits {
        // bits <= 39: 2 or 3 shifted by at most 30, so checked_shl never fails.
        0..=39 => u64::from(2 | (bits & 1)).checked_shl(u32::from(bits >> 1).saturating_add(11)).unwrap_or(u64::MAX),
        _ => u64::from(u32::MAX),
    }
}

pub(super) fn is_encrypted(block: &Block) -> bool {
    block.coders.iter().any(|coder| coder.encoder_method_id() == EncoderMethod::ID_AES256_SHA256)
}

/// How one block is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Mode {
    /// The LZMA2 decoder's thread count (1: the plain single-threaded one).
    pub(crate) threads: u32,
    /// Whether the block's entries go through a pipe to a second thread.
    pub(crate) piped: bool,
    /// Decoder memory the block holds in this mode, for the budget.
    pub(crate) memory: u64,
}

impl Mode {
    /// One thread, no pipe: how every block was decoded before.
    pub(crate) fn plain(memory: u64) -> Self {
        Mode { threads: 1, piped: false, memory }
    }
}
