//! What is inside a set: detecting the payload format, listing its entries,
//! and streaming them out. This file is the contract every format keeps.
//!
//! - **Where**: a [`Source`] — the set's parts, where [`detect`] located the
//!   payload, and a name for messages.
//! - **What and how**: a [`Request`] — which entries (one flag per listed
//!   entry), how many threads, the password, the decoder memory budget, and the
//!   cancel flag. A format reads the fields that mean something to it and says
//!   in its docs which it ignores (Inno Setup decodes one stream: no threads,
//!   no budget).
//! - **Out**: an [`EntrySink`], fed each selected file entry's bytes through a
//!   reader that verifies the format's own checksum and fails at its end if it
//!   does not match ([`reader::EntryReader`] does this for 7z and zip).
//! - **Failures**: a reader's error carries its [`Fault`] in its type
//!   (integrity, corrupt, unsupported, password, read fault, cancelled); sinks
//!   ask [`fault_of`] or turn it into the library error with [`entry_error`],
//!   never by reading the message.
//! - **Panics**: every call into a decoder runs inside
//!   [`contain`](crate::read::contain::contain), the one boundary, so a decoder's
//!   panic is an [`Error::Payload`](crate::Error::Payload) and a sink's panic
//!   is the sink's (it reaches the caller unchanged).
//!
//! A format is a folder with a type implementing [`Format`]; [`backend`] picks
//! it with one exhaustive `match` on [`Located`]. The shared pieces live beside
//! this file: [`format`] (the [`PayloadFormat`] names, a leaf the reports use),
//! [`entry`] (what a listing holds), [`errors`] (the fault
//! classification), [`reader`] (the checked entry reader), [`jobs`] (decoding
//! side by side), [`budget`] (decoder memory), [`attributes`] (link and folder
//! bits of Windows and Unix attributes).

pub(crate) mod attributes;
pub(crate) mod budget;
#[cfg(test)]
mod conformance;
pub(crate) mod detect;
pub(crate) mod entry;
pub(crate) mod entry_path;
pub(crate) mod errors;
pub(crate) mod inno;
pub(crate) mod jobs;
pub(crate) mod pipe;
pub(crate) mod reader;
pub(crate) mod sevenz;
pub(crate) mod sink;
#[cfg(test)]
pub(crate) mod testing;
pub(crate) mod zip;

pub use crate::vocab::payload_format::PayloadFormat;
pub use entry::{Checksum, Entry, EntryKind};
pub(crate) use errors::{Fault, entry_error};

use std::io::Read;

use crate::read::set_reader::SetReader;
use crate::vocab::error::{Error, Result};
use crate::vocab::progress::Cancel;
use detect::Located;

/// Receives the bytes of each extracted file entry.
///
/// `reader` yields exactly the entry's bytes and returns an error instead of
/// its end when the format's checksum does not match, so a sink that commits
/// only after reading to the end never commits damaged data. Format modules
/// may call `file` from several threads at once.
pub(crate) trait EntrySink: Sync {
    /// Consumes entry number `index` (an index into the list `list` returned).
    fn file(&self, index: usize, reader: &mut dyn Read) -> Result<()>;

    /// Entry `index` has the same bytes as entry `same_as`, which this sink
    /// consumed successfully just before (an Inno Setup installer stores one
    /// copy of data that several entries install): produce it without
    /// decoding again. Only the Inno Setup reader calls it; the default
    /// refuses, for sinks that never meet shared data.
    fn duplicate(&self, index: usize, same_as: usize) -> Result<()> {
        Err(Error::payload(
            format!("entry {index}"),
            format!("shares the data of entry {same_as}, which this reader cannot reproduce"),
        ))
    }
}

/// Where a located payload is: the parts that carry it, ready to list or extract.
pub(crate) struct Source<'a> {
    /// The set's parts, head first, as the completeness check approved them.
    pub parts: &'a [std::path::PathBuf],
    /// Where the payload is.
    pub located: &'a Located,
    /// A name for the set in messages.
    pub label: &'a str,
}

impl<'a> Source<'a> {
    fn opener(&self) -> SetOpener<'a> {
        SetOpener { parts: self.parts, label: self.label }
    }
}

/// The parts of a 7z or zip set, opened as one [`SetReader`] when a format
/// starts work (not before: choosing the format reads nothing).
#[derive(Clone, Copy)]
pub(crate) struct SetOpener<'a> {
    parts: &'a [std::path::PathBuf],
    /// A name for the set in messages.
    pub label: &'a str,
}

impl SetOpener<'_> {
    /// The reader the 7z and zip decoders read the set through.
    ///
    /// Positioned reads, not maps: on the 3.2 GiB benchmark set (7z, 11
    /// blocks) extraction took 3.94 s with a peak RSS of 10.9 MB this way,
    /// against 6.11 s and 61.6 MB memory-mapped (page faults and `madvise`
    /// calls cost more than the copy, and the kernel's read-ahead serves
    /// sequential block reads well). `/usr/bin/time -f '%e s %M KB' airlock
    /// extract SET -d OUT --min-free 0 --no-verify`.
    pub(crate) fn open(&self) -> Result<SetReader> {
        SetReader::open_buffered(self.parts)
    }
}

/// What to extract and how: the one request every format takes.
#[derive(Clone, Copy)]
pub(crate) struct Request<'a> {
    /// One flag per entry [`list`] returned; only selected *file* entries
    /// reach the sink (folders and links never do).
    pub selected: &'a [bool],
    /// Decoding workers (0: rayon's default). Formats that decode one stream
    /// (Inno Setup) ignore it.
    pub threads: usize,
    /// For encrypted 7z, zip or Inno Setup data.
    pub password: Option<&'a str>,
    /// How much decoder memory blocks decoded at the same time may hold
    /// together, in bytes (7z; a block larger than this runs alone).
    pub budget: u64,
    /// Checked between entries and every [`reader::CHECK_INTERVAL`] bytes.
    pub cancel: &'a Cancel,
    /// Every failure must name the entry whose bytes were damaged (deep
    /// verification reports each one): no decoding that can report damage
    /// ahead of the entry being read (7z's threaded LZMA2).
    pub exact_failures: bool,
}

impl<'a> Request<'a> {
    /// How much decoder memory parallel 7z blocks may hold together by default.
    pub(crate) const DEFAULT_BUDGET: u64 = budget::PARALLEL_MEMORY_BUDGET;

    /// A request with the default memory budget.
    pub(crate) fn new(selected: &'a [bool], threads: usize, password: Option<&'a str>, cancel: &'a Cancel) -> Self {
        Request { selected, threads, password, budget: Self::DEFAULT_BUDGET, cancel, exact_failures: false }
    }

    /// Refuses a selection that is not one flag per listed entry (a caller's
    /// bug: the indices would name other entries).
    pub(crate) fn check_selection(&self, entries: usize, label: &str) -> Result<()> {
        if self.selected.len() == entries {
            return Ok(());
        }
        Err(Error::payload(
            label,
            format!("{} selection flags given for a payload of {entries} entries", self.selected.len()),
        ))
    }
}

/// A payload's entries and, for an Inno Setup installer, the installer as a whole.
pub(crate) struct Listing {
    /// Every entry, in payload order.
    pub entries: Vec<Entry>,
    /// The installer, when the payload is one.
    pub installer: Option<inno::info::InnoSetupInfo>,
}

/// One payload format: what [`list`], [`list_described`], [`require_password`]
/// and [`extract`] dispatch to. A new format implements it in a folder of its
/// own and gets one arm in [`backend`].
pub(crate) trait Format {
    /// Every entry, in payload order. A password is checked here where the
    /// format can (Inno Setup), or needed for encrypted names (7z).
    fn list(&self, password: Option<&str>) -> Result<Vec<Entry>>;

    /// The entries and, for an installer, the installer as a whole.
    fn describe(&self, password: Option<&str>) -> Result<Listing> {
        Ok(Listing { entries: self.list(password)?, installer: None })
    }

    /// Refuses, before anything is created, a decoding run that cannot
    /// start (an encrypted installer without a password). Headers only.
    fn ready(&self, password: Option<&str>) -> Result<()> {
        let _ = password;
        Ok(())
    }

    /// Streams the selected file entries into `sink`.
    fn extract(&self, request: &Request<'_>, sink: &dyn EntrySink) -> Result<()>;
}

/// The format of a located payload, opened on its parts.
pub(crate) fn backend<'a>(source: &Source<'a>) -> Box<dyn Format + 'a> {
    match source.located {
        Located::Inno { exe, info } => {
            Box::new(inno::Installer { exe, info, slices: slices_of(source.parts), label: source.label })
        }
        Located::SevenZ { offset, .. } => Box::new(sevenz::SevenZ { set: source.opener(), offset: *offset }),
        Located::Zip(_) => Box::new(zip::Zip { set: source.opener() }),
    }
}

/// Lists the payload's entries and describes an Inno Setup installer.
pub(crate) fn list_described(source: &Source<'_>, password: Option<&str>) -> Result<Listing> {
    backend(source).describe(password)
}

/// Lists the payload's entries.
pub(crate) fn list(source: &Source<'_>, password: Option<&str>) -> Result<Vec<Entry>> {
    backend(source).list(password)
}

/// Refuses, before anything is created, a decoding run that cannot start:
/// an encrypted Inno Setup installer without a password.
pub(crate) fn require_password(source: &Source<'_>, password: Option<&str>) -> Result<()> {
    backend(source).ready(password)
}

/// Streams the selected file entries (indices into [`list`]'s result) into `sink`.
pub(crate) fn extract(source: &Source<'_>, request: &Request<'_>, sink: &dyn EntrySink) -> Result<()> {
    backend(source).extract(request, sink)
}

/// The slices of an Inno Setup set: every part after the `.exe`.
fn slices_of(parts: &[std::path::PathBuf]) -> &[std::path::PathBuf] {
    parts.get(1..).unwrap_or(&[])
}
