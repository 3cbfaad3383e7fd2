//! What is inside a set: detecting the payload format, listing its entries,
//! and streaming them out. This file is the contract every format keeps.
//!
//! - **Where**: a [`Source`] — the set's parts, where [`detect`] located the
//!   payload, and a name for messages.
//! - **The one door**: [`open`] reads the payload's headers once, lists its
//!   entries, checks a password (deriving its key) where the format can, and
//!   hands back a [`Payload`]: the opened handle a whole run keeps (entries,
//!   the installer described, whether decoding can start, extraction).
//! - **What and how**: a [`Request`] — which entries (one flag per listed
//!   entry), how many threads, the decoder memory budget, and the cancel
//!   flag. A format reads the fields that mean something to it and says in
//!   its docs which it ignores (Inno Setup decodes one stream: no threads, no
//!   budget).
//! - **Out**: an [`EntrySink`], fed each selected file entry's bytes through a
//!   reader that verifies the format's own checksum and fails at its end if it
//!   does not match ([`reader::EntryReader`] does this for 7z and zip), capped
//!   by the contract at the size the entry declares ([`capped`]: never more,
//!   and a failure, naming the entry, for more or fewer).
//! - **Failures**: a reader's error carries its [`Fault`] in its type
//!   (integrity, corrupt, size, unsupported, password, read fault, cancelled); sinks
//!   ask [`fault_of`](errors::fault_of) or turn it into the library error with
//!   [`entry_error`], never by reading the message.
//! - **Panics**: every call into a decoder runs inside
//!   [`contain`](crate::read::contain::contain), the one boundary, so a decoder's
//!   panic is an [`Error::Payload`](crate::Error::Payload) and a sink's panic
//!   is the sink's (it reaches the caller unchanged).
//!
//! A format is a folder with a type implementing [`Format`] and an `open`
//! that returns a [`Payload`]; [`open`] picks it with one exhaustive `match`
//! on [`Located`]. The shared pieces live beside this file: [`entry`] (what a
//! listing holds), [`errors`] (the fault classification), [`reader`] (the
//! checked entry reader), [`jobs`] (decoding side by side), [`budget`]
//! (decoder memory), [`attributes`] (link and folder bits of Windows and Unix
//! attributes).

pub(crate) mod attributes;
pub(crate) mod budget;
mod capped;
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
#[cfg(test)]
pub(crate) mod testing;
pub(crate) mod zip;

pub use crate::vocab::payload_format::PayloadFormat;
pub(crate) use capped::{BLOCK, read_entry};
pub use entry::{Checksum, Entry, EntryKind};
pub(crate) use errors::{Fault, entry_error};

use std::io::Read;

use crate::read::set_reader::SetReader;
use crate::vocab::error::{Error, Result};
use crate::vocab::progress::Cancel;
use detect::Located;

/// Receives the bytes of each extracted file entry.
///
/// `reader` yields exactly the entry's bytes — never more than the size the
/// entry declares, and it fails instead of ending short of it ([`capped`]) —
/// and returns an error instead of its end when the format's checksum does
/// not match, so a sink that commits only after reading to the end never
/// commits damaged or cut data. Format modules may call `file` from several
/// threads at once.
pub(crate) trait EntrySink: Sync {
    /// Consumes entry number `index` (an index into [`Payload::entries`]).
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

/// Where a located payload is: the parts that carry it, ready to [`open`].
pub(crate) struct Source<'a> {
    /// The set's parts, head first, as the completeness check approved them.
    pub parts: &'a [std::path::PathBuf],
    /// Where the payload is.
    pub located: &'a Located,
    /// A name for the set in messages.
    pub label: &'a str,
}

impl Source<'_> {
    /// The parts of a 7z or zip set as one [`SetReader`], opened when the
    /// format opens (choosing the format reads nothing).
    ///
    /// Positioned reads, not maps: on the 3.2 GiB benchmark set (7z, 11
    /// blocks) extraction took 3.94 s with a peak RSS of 10.9 MB this way,
    /// against 6.11 s and 61.6 MB memory-mapped (page faults and `madvise`
    /// calls cost more than the copy, and the kernel's read-ahead serves
    /// sequential block reads well). `/usr/bin/time -f '%e s %M KB' airlock
    /// extract SET -d OUT --min-free 0 --no-verify`.
    fn set_reader(&self) -> Result<SetReader> {
        SetReader::open_buffered(self.parts)
    }
}

/// What to extract and how: the one request every format takes.
#[derive(Clone, Copy)]
pub(crate) struct Request<'a> {
    /// One flag per entry [`Payload::entries`] lists; only selected *file* entries
    /// reach the sink (folders and links never do).
    pub selected: &'a [bool],
    /// Decoding workers (0: rayon's default). Formats that decode one stream
    /// (Inno Setup) ignore it.
    pub threads: usize,
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
    pub(crate) fn new(selected: &'a [bool], threads: usize, cancel: &'a Cancel) -> Self {
        Request { selected, threads, budget: Self::DEFAULT_BUDGET, cancel, exact_failures: false }
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

/// One payload format, opened: what stays open of it between listing and
/// decoding (its parsed headers, a derived key). A format's `open` reads the
/// headers once and hands back a [`Payload`]; a new format implements this in
/// a folder of its own and gets one arm in [`open`].
pub(crate) trait Format {
    /// Refuses, before anything is created, a decoding run that cannot
    /// start (an encrypted installer without a password). Headers only.
    fn ready(&self) -> Result<()> {
        Ok(())
    }

    /// Streams the selected file entries into `sink`. The [`Payload`] has
    /// checked the selection against the entries it lists.
    fn extract(&self, request: &Request<'_>, sink: &dyn EntrySink) -> Result<()>;
}

/// A payload opened once: its headers read, its entries listed, a password
/// given checked (and its key derived) — the one door to a payload. Callers
/// open it once ([`open`]) and keep it for the whole run: list, describe,
/// refuse a run that cannot start, extract.
pub(crate) struct Payload<'a> {
    /// Which format it is.
    kind: PayloadFormat,
    /// Every entry, in payload order.
    entries: Vec<Entry>,
    /// The installer, when the payload is one.
    installer: Option<inno::info::InnoSetupInfo>,
    format: Box<dyn Format + 'a>,
    /// A name for the set in messages.
    label: &'a str,
}

impl<'a> Payload<'a> {
    /// What a format's `open` returns: the format with what it lists.
    fn new(
        kind: PayloadFormat,
        format: impl Format + 'a,
        entries: Vec<Entry>,
        installer: Option<inno::info::InnoSetupInfo>,
        label: &'a str,
    ) -> Self {
        Payload { kind, entries, installer, format: Box::new(format), label }
    }

    /// Which format it is.
    pub(crate) fn payload_format(&self) -> PayloadFormat {
        self.kind
    }

    /// The set's name in messages.
    pub(crate) fn label(&self) -> &'a str {
        self.label
    }

    /// Every entry, in payload order.
    pub(crate) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entries, the payload closed.
    pub(crate) fn into_entries(self) -> Vec<Entry> {
        self.entries
    }

    /// The installer as a whole, when the payload is an Inno Setup installer.
    pub(crate) fn installer(&self) -> Option<&inno::info::InnoSetupInfo> {
        self.installer.as_ref()
    }

    /// Refuses, before anything is created, a decoding run that cannot
    /// start: an encrypted Inno Setup installer without a password.
    pub(crate) fn ready(&self) -> Result<()> {
        self.format.ready()
    }

    /// Streams the selected file entries (indices into [`Payload::entries`])
    /// into `sink`, each through a reader capped at the size the entry
    /// declares ([`capped`]): it never passes more, and fails, naming the
    /// entry, when the decoder yields more or fewer bytes.
    pub(crate) fn extract(&self, request: &Request<'_>, sink: &dyn EntrySink) -> Result<()> {
        request.check_selection(self.entries.len(), self.label)?;
        self.format.ready()?;
        self.format.extract(request, &capped::CappedSink { entries: &self.entries, sink })
    }
}

/// Opens the located payload: reads its headers, lists its entries, checks
/// `password` where the format can (Inno Setup; 7z when its names are
/// encrypted), once for the whole run.
pub(crate) fn open<'a>(source: &Source<'a>, password: Option<&'a str>) -> Result<Payload<'a>> {
    match source.located {
        Located::Inno { exe, info, parsed } => {
            inno::Installer::open(exe, info, parsed, slices_of(source.parts), password, source.label)
        }
        Located::SevenZ { offset, .. } => {
            sevenz::SevenZ::open(source.set_reader()?.starting_at(*offset), password, source.label)
        }
        Located::Zip(_) => zip::Zip::open(source.set_reader()?, password, source.label),
    }
}

/// The slices of an Inno Setup set: every part after the `.exe`.
fn slices_of(parts: &[std::path::PathBuf]) -> &[std::path::PathBuf] {
    parts.get(1..).unwrap_or(&[])
}
