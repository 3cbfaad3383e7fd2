//! 7z archives: listing their entries and streaming them out.
//!
//! # How blocks are decoded
//! A 7z archive stores its data in *blocks* (7-Zip calls them folders). A
//! block is one compressed stream holding one or more entries back to back,
//! so the entries of a block can only be decoded in order, while different
//! blocks are independent:
//!
//! - A solid archive with one block is one stream and is decoded on the
//!   calling thread. Every decoder is created with a thread count of 1:
//!   sevenz-rust2's default multi-threaded LZMA2 decoder keeps many chunks in
//!   flight and was measured slower than the plain one and at 3 GB of RSS.
//! - An archive with several blocks (non-solid, `-ms=e`, or solid with a
//!   block-size limit) has its blocks decoded on a rayon pool of `threads`
//!   workers, largest block first so the longest one does not start last.
//!   Every worker reads through its own clone of the [`SetReader`].
//!
//! # Memory
//! Entries are streamed to the sink, never held whole. What a decoder holds is
//! its dictionary window, which lzma-rust2 grows with the output, so a block
//! needs about min(dictionary, block size). Parallel workers start a block
//! only while the estimates of the blocks in flight fit in
//! the request's memory budget ([`Request::budget`]) (a block larger than that runs alone), and a
//! dictionary or model over [`MEMORY_LIMIT_KB`] is refused, not allocated.
//!
//! # Integrity
//! sevenz-rust2 checks the CRC-32 of every entry that records one, and the
//! decoded size of every entry and block: a mismatch is returned by the read
//! that would have reached the end. The reader handed to the sink turns it
//! into an `InvalidData` error whose inner error says [`Fault::Integrity`],
//! which the sink reports as an integrity failure; any other decoder failure
//! reaches the sink as `InvalidData` carrying the classified [`Error`]. A
//! mismatch found where no sink is reading (in data decoded only to reach a
//! later entry) is returned as [`Error::Integrity`] by `extract` itself. Every
//! call into the decoder runs inside [`contain`], so a panic is an error too.
//!
//! # Whose error wins
//! The sink decides what a failed entry means: when it returns an error,
//! everything stops and that error is returned unchanged; when it returns
//! `Ok` (deep verification records the failure and goes on), so does
//! extraction. A solid block cannot be decoded past damage, so the selected
//! entries after a failed one in the same block are then handed to the sink
//! with a reader that fails at once, saying why.
//!
//! # Files
//! [`open`] reads the headers (and the password question) and turns them into
//! entries, once for the opened archive ([`SevenZ::open`]); [`plan`] picks the blocks to decode and estimates their memory;
//! [`decode`] runs a block and hands its entries to the sink; [`errors`]
//! sorts sevenz-rust2's errors into integrity, password, unsupported and
//! corrupt. The job runner, entry reader and memory budget are shared
//! ([`super::jobs`], [`super::reader`], [`super::budget`]).
//!
//! # Header numbers
//! Sizes, counts and indices from the archive's headers are summed only in
//! checked or saturating forms (the lint below keeps it so): the memory
//! estimate saturates (a block "needing" `u64::MAX` runs alone, which is the
//! budget's meaning of too big), packed sizes that cannot be summed are `None`.
#![warn(clippy::arithmetic_side_effects)]

mod decode;
mod errors;
mod open;
mod plan;
mod schedule;
#[cfg(test)]
mod tests;

use std::io;

use super::budget::Budget;
#[cfg(doc)]
use super::errors::Fault;
use super::jobs::{Stop, run_jobs};
use super::{Entry, EntrySink, Format, Payload, PayloadFormat, Request};
use crate::read::contain::contain;
use crate::read::set_reader::SetReader;
use crate::vocab::error::Result;
use plan::Mode;

type SevenZError = sevenz_rust2::Error;

/// The decoder's name in the messages of [`contain`].
const DECODER: &str = "7z";

/// Largest dictionary or model a single decoder may declare, in KiB (1 GiB).
///
/// 7-Zip's own presets stay at or below 64 MiB; a bigger declaration is either
/// a hand-tuned archive or an attempt to make the extractor allocate, and
/// failing with a message beats being killed for running out of memory.
const MEMORY_LIMIT_KB: usize = 1 << 20;

/// A 7z archive opened: its headers read (with the password when they are
/// encrypted) once, in [`SevenZ::open`].
pub(crate) struct SevenZ<'a> {
    /// The set, starting at the archive's signature (past any stub).
    reader: SetReader,
    opened: open::Opened,
    label: &'a str,
}

impl<'a> SevenZ<'a> {
    /// Opens the 7z archive whose signature is byte 0 of `reader` and lists
    /// every entry.
    pub(crate) fn open(reader: SetReader, password: Option<&str>, label: &'a str) -> Result<Payload<'a>> {
        let (format, entries) = Self::read(reader, password, label)?;
        Ok(Payload::new(PayloadFormat::SevenZ, format, entries, None, label))
    }

    /// The archive and its entries.
    fn read(reader: SetReader, password: Option<&str>, label: &'a str) -> Result<(Self, Vec<Entry>)> {
        let opened = open::open(&reader, password, label)?;
        let archive = &opened.archive;
        let entries = contain(label, DECODER, || {
            let packed = open::packed_sizes(archive);
            let stem = open::unnamed_entry_name(label);
            Ok(archive.files.iter().zip(packed).map(|(file, packed)| open::to_entry(file, packed, &stem)).collect())
        })?;
        Ok((SevenZ { reader, opened, label }, entries))
    }

    /// [`Format::extract`], with every block decoded by `threads` LZMA2
    /// threads and piped or not as `fixed` says instead of as
    /// [`schedule::choose`] decides (tests and benches compare the two).
    fn extract_as(&self, request: &Request<'_>, sink: &dyn EntrySink, fixed: Option<(u32, bool)>) -> Result<()> {
        let (archive, reader, label) = (&self.opened.archive, &self.reader, self.label);
        request.check_selection(archive.files.len(), label)?;
        let wanted: Vec<bool> = archive
            .files
            .iter()
            .zip(request.selected)
            .map(|(file, &selected)| selected && open::kind_of(file) == super::EntryKind::File)
            .collect();
        let mut plan = contain(label, DECODER, || plan::plan(archive, &wanted, label))?;
        let cores = if request.threads == 0 { rayon::current_num_threads() } else { request.threads };
        contain(label, DECODER, || {
            match fixed {
                None => {
                    schedule::apply(&mut plan.blocks, archive, reader, cores, request.budget, request.exact_failures)
                }
                Some((threads, piped)) => {
                    plan.blocks.iter_mut().for_each(|job| job.mode = Mode { threads, piped, ..job.mode })
                }
            }
            Ok(())
        })?;
        let stop = Stop::new(request.cancel);
        let extraction = decode::Extraction {
            archive,
            password: &self.opened.password,
            reader,
            label,
            wanted: &wanted,
            sink,
            stop: &stop,
            budget: Budget::new(request.budget),
        };
        for &index in &plan.streamless {
            request.cancel.check()?;
            sink.file(index, &mut io::empty())?;
        }
        run_jobs(&plan.blocks, request.threads, &stop, |job| extraction.decode_block(job))
    }
}

impl Format for SevenZ<'_> {
    /// Streams every selected file entry to `sink`; see the module docs for how.
    fn extract(&self, request: &Request<'_>, sink: &dyn EntrySink) -> Result<()> {
        self.extract_as(request, sink, None)
    }
}

/// For benches only (`benches/sevenz_pipeline.rs`), not a supported API;
/// only with the `benching` feature.
#[cfg(feature = "benching")]
pub mod benching {
    use std::path::Path;

    use super::super::{EntrySink, Request};
    use crate::read::set_reader::SetReader;
    use crate::vocab::error::{Error, Result};
    use crate::vocab::progress::Cancel;

    /// How every block is decoded.
    #[derive(Debug, Clone, Copy)]
    pub enum SevenZWay {
        /// As `airlock extract` decodes it ([`super::schedule::choose`]).
        Policy,
        /// Every block the same way.
        Fixed {
            /// LZMA2 decoding threads (1: the plain decoder).
            threads: u32,
            /// Whether the sink runs on a second thread.
            piped: bool,
        },
    }

    /// Writes entry `index` to `out/index`.
    struct Files<'a>(&'a Path);

    impl EntrySink for Files<'_> {
        fn file(&self, index: usize, reader: &mut dyn std::io::Read) -> Result<()> {
            let path = self.0.join(index.to_string());
            let mut file =
                std::fs::File::create(&path).map_err(|e| Error::payload(path.display().to_string(), e.to_string()))?;
            std::io::copy(reader, &mut file).map_err(|e| Error::payload(path.display().to_string(), e.to_string()))?;
            Ok(())
        }
    }

    /// Decodes every entry of the 7z archive `archive` into files under
    /// `out` (named by index) on `threads` workers, decoding blocks `way`.
    pub fn sevenz_extract_into(archive: &Path, out: &Path, threads: usize, way: SevenZWay) -> Result<()> {
        let reader = SetReader::open(&[archive.to_path_buf()])?;
        let (format, entries) = super::SevenZ::read(reader, None, "bench")?;
        let selected = vec![true; entries.len()];
        let cancel = Cancel::new();
        let request = Request::new(&selected, threads, &cancel);
        let fixed = match way {
            SevenZWay::Policy => None,
            SevenZWay::Fixed { threads, piped } => Some((threads, piped)),
        };
        format.extract_as(&request, &Files(out), fixed)
    }
}
