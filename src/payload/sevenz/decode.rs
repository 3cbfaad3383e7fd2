//! Decoding one 7z block and handing its selected entries to the sink.
#![warn(clippy::arithmetic_side_effects)]

use std::io::{self, Read};

use sevenz_rust2::{Archive, BlockDecoder, Password};

use super::errors::{classify, classify_io, renamed};
use super::open::entry_name;
use super::plan::{BlockJob, is_encrypted};
use super::{DECODER, MEMORY_LIMIT_KB, SevenZError};
use crate::payload::budget::Budget;
use crate::payload::jobs::{SinkPanic, Stop, outcome};
use crate::payload::pipe::piped;
use crate::payload::reader::{Decoding, EntryReader, FailingReader};
use crate::payload::{EntrySink, Fault};
use crate::read::contain::contain;
use crate::read::set_reader::SetReader;
use crate::vocab::error::{Error, Result};

/// Everything a block worker needs, shared by all of them.
pub(super) struct Extraction<'a> {
    pub(super) archive: &'a Archive,
    pub(super) password: &'a Password,
    pub(super) reader: &'a SetReader,
    pub(super) label: &'a str,
    pub(super) wanted: &'a [bool],
    pub(super) sink: &'a dyn EntrySink,
    pub(super) stop: &'a Stop<'a>,
    pub(super) budget: Budget,
}

/// How a block's entries went.
enum Delivered {
    /// Every entry went well so far.
    Fine,
    /// The sink returned this error: stop and return it.
    Stopped(Error),
    /// The reader failed and the sink went on; the block cannot be decoded
    /// past this entry.
    Broken { index: usize, message: String },
    /// The sink panicked. The sink is called from inside the decoder's loop,
    /// which runs in [`contain`]; its panic is carried out and resumed there,
    /// so that a bug in the sink is not reported as corrupt data.
    SinkPanicked(SinkPanic),
}

impl Extraction<'_> {
    /// Decodes one block, handing its selected entries to the sink, and stops
    /// after the last of them. In a piped block ([`Mode::piped`](super::schedule::Mode))
    /// the sink runs on a second thread; the LZMA2 decoding, the BCJ filter
    /// and the CRC-32 checks stay on this one (sevenz-rust2 runs them in its
    /// reader chain), with `Lzma2ReaderMt`'s workers beside it when the mode
    /// gives the block more than one thread.
    pub(super) fn decode_block(&self, job: &BlockJob) -> Result<()> {
        let _memory = self.budget.take(job.mode.memory);
        // Waiting for memory can take a while; the extraction may be over.
        self.stop.check()?;
        if job.mode.piped {
            // The pipe resumes a panic of the sink on this thread, outside
            // the decoder's `contain`, as `Delivered::SinkPanicked` would.
            piped(self.label, self.sink, |pipe| self.decode_into(job, pipe))
        } else {
            self.decode_into(job, self.sink)
        }
    }

    /// [`Self::decode_block`] into `sink`: the request's sink or a pipe to it.
    fn decode_into(&self, job: &BlockJob, sink: &dyn EntrySink) -> Result<()> {
        let first = self.archive.stream_map.block_first_file_index.get(job.block).copied().unwrap_or(job.last_wanted);
        let encrypted = self.archive.blocks.get(job.block).is_some_and(is_encrypted);
        // Unencrypted blocks get no password: sevenz-rust2 reports any error
        // in a block decoded with a password as a possibly wrong password.
        let no_password = Password::empty();
        let password = if encrypted { self.password } else { &no_password };
        let mut source = self.reader.clone();
        let mut current = job.first_wanted;
        let mut delivered = Delivered::Fine;
        let decoded = contain(&self.what(current), DECODER, || {
            let decoder = BlockDecoder::new_with_memory_limit(
                job.mode.threads,
                MEMORY_LIMIT_KB,
                job.block,
                self.archive,
                password,
                &mut source,
            );
            let mut next = first;
            Ok(decoder.for_each_entries(&mut |entry, data| {
                let index = next;
                next = next.saturating_add(1); // counts entries, bounded by the archive's file list
                current = index;
                if !self.archive.files.get(index).is_some_and(|file| std::ptr::eq(file, entry)) {
                    return Err(SevenZError::Other("the block's entries are out of order".into()));
                }
                if !entry.has_stream || !self.wanted[index] {
                    // Unread data is decoded (and checked) by the block decoder.
                    return Ok(true);
                }
                delivered = self.deliver(sink, index, data, encrypted);
                Ok(matches!(delivered, Delivered::Fine) && index < job.last_wanted)
            }))
        });
        // After a sink's error, failure or panic the decoder was told to
        // stop at once, so it has nothing more to say.
        match delivered {
            Delivered::Fine => {
                let decoded = decoded.map_err(|error| renamed(error, self.what(current)))?;
                decoded.map_err(|error| self.entry_error(current, encrypted, error))?;
                Ok(())
            }
            Delivered::Stopped(error) => Err(error),
            Delivered::Broken { index, message } => self.fail_rest(sink, job, index, &message),
            Delivered::SinkPanicked(panic) => panic.resume(),
        }
    }

    /// Hands one entry to the sink.
    fn deliver(&self, sink: &dyn EntrySink, index: usize, data: &mut dyn Read, encrypted: bool) -> Delivered {
        if let Err(stop) = self.stop.check() {
            return Delivered::Stopped(stop);
        }
        let what = self.what(index);
        let decoding = Classify { what: what.clone(), name: self.name(index), encrypted };
        let mut reader = EntryReader::new(data, decoding, what, DECODER, self.stop.cancel);
        let result = match SinkPanic::call(|| sink.file(index, &mut reader)) {
            Ok(result) => result,
            Err(panic) => return Delivered::SinkPanicked(panic),
        };
        let failure = reader.into_failure();
        match (outcome(failure.as_ref(), result), failure) {
            (Err(error), _) => Delivered::Stopped(error),
            (Ok(()), Some(failure)) => Delivered::Broken { index, message: failure.message },
            (Ok(()), None) => Delivered::Fine,
        }
    }

    /// After entry `broken` of a solid block failed and the sink chose to go
    /// on, hands it the block's remaining selected entries, each with a reader
    /// that fails at once: they cannot be decoded past the damage.
    fn fail_rest(&self, sink: &dyn EntrySink, job: &BlockJob, broken: usize, message: &str) -> Result<()> {
        let reason = format!("not decoded: {} before it in the same solid block failed ({message})", self.name(broken));
        for index in broken.saturating_add(1)..=job.last_wanted {
            let streamed = self.archive.files.get(index).is_some_and(|file| file.has_stream);
            if !self.wanted[index] || !streamed {
                continue;
            }
            self.stop.check()?;
            let mut reader = FailingReader(&reason);
            sink.file(index, &mut reader)?;
        }
        Ok(())
    }

    /// `label: entry name`, the subject of payload errors about an entry.
    fn what(&self, index: usize) -> String {
        format!("{}: {}", self.label, self.name(index))
    }

    fn name(&self, index: usize) -> String {
        self.archive.files.get(index).map(entry_name).unwrap_or_default()
    }

    fn entry_error(&self, index: usize, encrypted: bool, error: SevenZError) -> Error {
        classify(&self.what(index), &self.name(index), encrypted, error).1
    }
}

/// What the shared entry reader needs to know of a 7z entry: how to sort its
/// decoder's errors. sevenz-rust2 checks the CRC and size itself.
struct Classify {
    what: String,
    name: String,
    encrypted: bool,
}

impl Decoding for Classify {
    fn error(&mut self, error: io::Error) -> (Fault, Error) {
        classify_io(&self.what, &self.name, self.encrypted, error)
    }
}
