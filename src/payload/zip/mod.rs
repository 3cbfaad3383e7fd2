//! zip archives: listing their entries and streaming them out.
//!
//! # Finding the archive
//! The zip crate locates the end of central directory from the end of the
//! reader and works out where the archive starts, so a set whose first part
//! begins with a self-extractor stub is read as it is, whether the stub's
//! builder adjusted the offsets in the archive or not. A set cut into
//! byte-wise volumes is one reader already ([`SetReader`]).
//!
//! # Parallel decoding
//! Every zip entry is compressed on its own, so selected entries are decoded
//! on a rayon pool of `threads` workers, largest first so the longest entry
//! does not start last. Each job reads through its own clone of the
//! [`ZipArchive`], which shares the parsed central directory and clones the
//! cheap [`SetReader`]. Entries are streamed to the sink, never held whole;
//! a decoder's state is small (deflate: 32 KiB window), so memory stays
//! bounded whatever the entry sizes.
//!
//! # Integrity
//! The zip crate checks an entry's CRC-32 when its reader reaches the end,
//! but reports a mismatch with the same `InvalidData` kind as corrupt
//! compressed data. So its check is switched off and the reader handed to the
//! sink computes the CRC-32 itself (crc32fast, still once per byte): at the
//! end it compares size and CRC with the central directory and, on a CRC
//! mismatch, fails with an `InvalidData` error whose inner error is a
//! [`Fault::Integrity`](super::Fault::Integrity) instead of returning the
//! end, which the sink reports as an integrity failure. Any failure of the
//! decoder itself reaches the sink as `InvalidData` carrying the classified
//! [`Error`]. AE-2 encrypted entries record no CRC; their HMAC, which the zip
//! crate checks, takes its place. Every call into the zip crate runs inside
//! [`contain`].
//!
//! The sink decides what a failed entry means: when it returns an error,
//! everything stops and that error is returned unchanged; when it returns
//! `Ok` (deep verification records the failure and goes on), the other
//! entries are still decoded.
//!
//! # Files
//! [`open`] reads the central directory (dropping malformed extra fields,
//! [`extra`]), refuses an archive that disagrees with itself
//! ([`consistency`]: overlapping entries, local names that differ from the
//! central ones, folders with data) and turns it into entries; [`decode`] picks the jobs and checks
//! each entry's size and CRC-32 through the shared entry reader.
//!
//! Sizes and offsets from the central directory are only compared, never
//! summed; what this module counts (bytes decoded) uses saturating forms, and
//! the lint below keeps every other arithmetic out.
#![warn(clippy::arithmetic_side_effects)]

mod consistency;
mod decode;
mod extra;
mod open;
#[cfg(test)]
mod tests;

use zip::ZipArchive;

use super::jobs::{Stop, run_jobs};
use super::{EntrySink, Format, Payload, PayloadFormat, Request};
use crate::read::contain::contain;
use crate::read::set_reader::SetReader;
use crate::vocab::error::Result;

/// The decoder's name in the messages of [`contain`].
const DECODER: &str = "zip";

type Archive = ZipArchive<SetReader>;

/// A zip archive opened: its central directory read and checked against
/// itself once, in [`Zip::open`] (the zip crate finds where it starts).
pub(crate) struct Zip<'a> {
    archive: Archive,
    /// For encrypted entries (zip encrypts data, not names).
    password: Option<&'a str>,
    label: &'a str,
}

impl<'a> Zip<'a> {
    /// Opens the zip archive in `reader` and lists every entry, in central
    /// directory order.
    pub(crate) fn open(reader: SetReader, password: Option<&'a str>, label: &'a str) -> Result<Payload<'a>> {
        let mut archive = open::open(&reader, label)?;
        let entries = contain(label, DECODER, || {
            (0..archive.len()).map(|index| open::entry_at(&mut archive, index, label)).collect()
        })?;
        Ok(Payload::new(PayloadFormat::Zip, Zip { archive, password, label }, entries, None, label))
    }
}

impl Format for Zip<'_> {
    /// Streams every selected file entry to `sink`; see the module docs for
    /// how. Entries are decoded side by side; the memory budget is not
    /// needed (a zip decoder's state is small: deflate's window is 32 KiB).
    fn extract(&self, request: &Request<'_>, sink: &dyn EntrySink) -> Result<()> {
        let (archive, label) = (&self.archive, self.label);
        request.check_selection(archive.len(), label)?;
        let jobs = contain(label, DECODER, || decode::jobs(archive, request.selected, label))?;
        let stop = Stop::new(request.cancel);
        let extraction = decode::Extraction { archive, password: self.password, label, sink, stop: &stop };
        run_jobs(&jobs, request.threads, &stop, |job| extraction.entry(job))
    }
}
