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
//! [`PARALLEL_MEMORY_BUDGET`] (a block larger than that runs alone), and a
//! dictionary or model over [`MEMORY_LIMIT_KB`] is refused, not allocated.
//!
//! # Integrity
//! sevenz-rust2 checks the CRC-32 of every entry that records one, and the
//! decoded size of every entry and block: a mismatch is returned by the read
//! that would have reached the end. The reader handed to the sink turns it
//! into an `InvalidData` error whose inner error is a [`ChecksumMismatch`],
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
//! What this module shares with the zip module lives here: the job runner
//! [`run_jobs`] with its [`Stop`] flag, and the entry readers' [`Failure`]
//! and [`outcome`].
//!
//! # Header numbers
//! Sizes, counts and indices from the archive's headers are summed only in
//! checked or saturating forms (the lint below keeps it so): the memory
//! estimate saturates (a block "needing" `u64::MAX` runs alone, which is the
//! budget's meaning of too big), packed sizes that cannot be summed are `None`.
#![warn(clippy::arithmetic_side_effects)]

use std::any::Any;
use std::io::{self, Read};
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Condvar, Mutex, PoisonError};

use sevenz_rust2::{Archive, ArchiveEntry, Block, BlockDecoder, EncoderMethod, Password};

use super::jobs::{CHECK_INTERVAL, Failure, Stop, lock, outcome, run_jobs};
use super::{Checksum, Entry, EntryKind, EntrySink};
use crate::contain::contain;
use crate::error::{Error, Result};
use crate::progress::Cancel;
use crate::set_reader::SetReader;

type SevenZError = sevenz_rust2::Error;

/// The decoder's name in the messages of [`contain`].
const DECODER: &str = "7z";

/// Largest dictionary or model a single decoder may declare, in KiB (1 GiB).
///
/// 7-Zip's own presets stay at or below 64 MiB; a bigger declaration is either
/// a hand-tuned archive or an attempt to make the extractor allocate, and
/// failing with a message beats being killed for running out of memory.
const MEMORY_LIMIT_KB: usize = 1 << 20;

/// How much decoder memory blocks decoded in parallel may hold together.
const PARALLEL_MEMORY_BUDGET: u64 = 160 << 20;

const WINDOWS_REPARSE_POINT: u32 = 0x400;
/// 7-Zip's flag saying the high 16 bits of the attributes hold a Unix mode.
const UNIX_EXTENSION: u32 = 0x8000;
const UNIX_TYPE_MASK: u32 = 0o170000;
const UNIX_SYMLINK: u32 = 0o120000;

/// Lists every entry of the 7z archive whose signature is byte 0 of `reader`.
pub(crate) fn list(reader: &SetReader, password: Option<&str>, label: &str) -> Result<Vec<Entry>> {
    let opened = open(reader, password, label)?;
    let archive = &opened.archive;
    contain(label, DECODER, || {
        let packed = packed_sizes(archive);
        let stem = unnamed_entry_name(label);
        Ok(archive.files.iter().zip(packed).map(|(file, packed)| to_entry(file, packed, &stem)).collect())
    })
}

/// Streams every selected file entry to `sink`; see the module docs for how.
pub(crate) fn extract(
    reader: &SetReader,
    password: Option<&str>,
    label: &str,
    selected: &[bool],
    sink: &dyn EntrySink,
    threads: usize,
    cancel: &Cancel,
) -> Result<()> {
    let opened = open(reader, password, label)?;
    let archive = &opened.archive;
    if selected.len() != archive.files.len() {
        return Err(Error::payload(
            label,
            format!("{} selection flags given for an archive of {} entries", selected.len(), archive.files.len()),
        ));
    }
    let wanted: Vec<bool> = archive
        .files
        .iter()
        .zip(selected)
        .map(|(file, &selected)| selected && kind_of(file) == EntryKind::File)
        .collect();
    let plan = contain(label, DECODER, || plan(archive, &wanted, label))?;
    let stop = Stop::new(cancel);
    let extraction = Extraction {
        archive,
        password: &opened.password,
        reader,
        label,
        wanted: &wanted,
        sink,
        stop: &stop,
        budget: Budget::new(PARALLEL_MEMORY_BUDGET),
    };
    for &index in &plan.streamless {
        cancel.check()?;
        sink.file(index, &mut io::empty())?;
    }
    run_jobs(&plan.blocks, threads, &stop, |job| extraction.decode_block(job))
}

/// A parsed archive and the password its blocks are decoded with.
struct Opened {
    archive: Archive,
    password: Password,
}

/// Parses the archive headers.
///
/// The first attempt goes without the password, so that a user who always
/// sets `AIRLOCK_PASSWORD` does not have corrupt plain headers reported as a
/// wrong password (sevenz-rust2 blames the password for any header error when
/// one is given). Only encrypted headers are read again with it.
fn open(reader: &SetReader, password: Option<&str>, label: &str) -> Result<Opened> {
    let given = password.map(Password::from).unwrap_or_else(Password::empty);
    if is_empty_archive(reader) {
        // 7-Zip writes an archive of nothing as a start header pointing at
        // no header at all; sevenz-rust2 takes that for a truncated file.
        return Ok(Opened { archive: Archive::default(), password: given });
    }
    contain(label, DECODER, || match read_headers(reader, &Password::empty()) {
        Ok(archive) => Ok(Opened { archive, password: given }),
        Err(SevenZError::PasswordRequired) if password.is_some() => match read_headers(reader, &given) {
            Ok(archive) => Ok(Opened { archive, password: given }),
            Err(error) => Err(header_error(label, error, true)),
        },
        Err(error) => Err(header_error(label, error, false)),
    })
}

/// Whether the start header says the archive holds nothing: no next
/// header (offset and size 0). The caller found the start header's CRC valid.
fn is_empty_archive(reader: &SetReader) -> bool {
    let mut start = [0u8; 32];
    reader.read_exact_at(0, &mut start).is_ok() && start[12..28].iter().all(|&b| b == 0)
}

fn read_headers(reader: &SetReader, password: &Password) -> Result<Archive, SevenZError> {
    Archive::read_with_memory_limit(&mut reader.clone(), password, MEMORY_LIMIT_KB)
}

/// Turns a failure to read the archive headers into an error about the set.
fn header_error(label: &str, error: SevenZError, with_password: bool) -> Error {
    match error {
        SevenZError::PasswordRequired => Error::payload(
            label,
            "the archive is encrypted (even its file list); pass the password with --password or AIRLOCK_PASSWORD",
        ),
        SevenZError::MaybeBadPassword(_) => Error::payload(
            label,
            "wrong password: the archive's encrypted file list does not decrypt (or it is damaged)",
        ),
        // The start header and the stored file list carry a CRC of their own
        // bytes (encrypted or not); a compressed file list, one of its content.
        SevenZError::ChecksumVerificationFailed | SevenZError::NextHeaderCrcMismatch => headers_damaged(label),
        SevenZError::Io(ref io, _) if !with_password && is_checksum_failure(io) => headers_damaged(label),
        SevenZError::BadSignature(_) => {
            Error::payload_from(label, "not a 7z archive (no 7z signature)", Cause::of(&error))
        }
        SevenZError::UnsupportedVersion { major, minor } => {
            Error::payload(label, format!("7z format version {major}.{minor} is not supported"))
        }
        SevenZError::MaxMemLimited { actaul_kb, .. } => too_much_memory(label, actaul_kb),
        SevenZError::UnsupportedCompressionMethod(ref method) => Error::payload(
            label,
            format!("the file list is compressed with the {method} method, which airlock cannot decode"),
        ),
        SevenZError::Io(ref io, _) if io.kind() == io::ErrorKind::UnexpectedEof => {
            Error::payload(label, "the 7z headers end early: the archive is truncated (a part missing or cut short?)")
        }
        _ => Error::payload_from(label, "the 7z headers are corrupt", Cause::of(&error)),
    }
}

/// A sevenz-rust2 error in words. Its `Display` is its `Debug`
/// (`Io(Error { kind: UnexpectedEof, .. }, "")`), which must not reach a
/// message, so the cause kept as an error's source is this instead.
#[derive(Debug)]
pub(crate) struct Cause(String);

impl std::fmt::Display for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Cause {}

impl Cause {
    /// Describes a decoder error.
    pub(crate) fn of(error: &SevenZError) -> Cause {
        Cause(describe(error))
    }

    /// Describes an I/O error from the decoder's readers.
    pub(crate) fn io(error: &io::Error) -> Cause {
        Cause(describe_io(error))
    }
}

fn describe(error: &SevenZError) -> String {
    match error {
        SevenZError::BadSignature(_) => "no 7z signature".to_owned(),
        SevenZError::UnsupportedVersion { major, minor } => format!("7z format version {major}.{minor}"),
        SevenZError::ChecksumVerificationFailed => "a CRC does not match".to_owned(),
        SevenZError::NextHeaderCrcMismatch => "the header's CRC does not match".to_owned(),
        SevenZError::Io(io, context) if context.is_empty() => describe_io(io),
        SevenZError::Io(io, context) => format!("{context}: {}", describe_io(io)),
        SevenZError::FileOpen(io, _) => describe_io(io),
        SevenZError::Other(text) | SevenZError::Unsupported(text) => text.to_string(),
        SevenZError::BadTerminatedStreamsInfo(_)
        | SevenZError::BadTerminatedUnpackInfo
        | SevenZError::BadTerminatedPackInfo(_)
        | SevenZError::BadTerminatedSubStreamsInfo
        | SevenZError::BadTerminatedHeader(_) => "a header record ends where it should not".to_owned(),
        SevenZError::ExternalUnsupported => "the header is stored in a separate stream".to_owned(),
        SevenZError::UnsupportedCompressionMethod(method) => format!("the {method} method"),
        SevenZError::MaxMemLimited { actaul_kb, .. } => format!("needs {} MiB of memory", actaul_kb / 1024),
        SevenZError::PasswordRequired => "a password is needed".to_owned(),
        SevenZError::MaybeBadPassword(_) => "the data does not decrypt".to_owned(),
        SevenZError::FileNotFound => "an entry is missing".to_owned(),
    }
}

fn describe_io(error: &io::Error) -> String {
    if let Some(inner) = error.get_ref().and_then(|inner| inner.downcast_ref::<SevenZError>()) {
        return describe(inner);
    }
    match error.kind() {
        io::ErrorKind::UnexpectedEof => "the data ends early".to_owned(),
        io::ErrorKind::InvalidData => "the data is not valid for its method".to_owned(),
        _ => crate::error::describe_io(error),
    }
}

fn headers_damaged(label: &str) -> Error {
    Error::Integrity {
        what: label.to_owned(),
        reason: "the CRC of the 7z headers does not match: the archive is damaged".to_owned(),
    }
}

/// Whether an I/O error from sevenz-rust2's readers is its CRC mismatch.
fn is_checksum_failure(error: &io::Error) -> bool {
    error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<SevenZError>())
        .is_some_and(|inner| matches!(inner, SevenZError::ChecksumVerificationFailed))
}

fn too_much_memory(what: &str, needed_kb: usize) -> Error {
    Error::payload(
        what,
        format!(
            "decoding needs {} MiB of memory for one dictionary or model, more than airlock's limit of {} MiB",
            needed_kb / 1024,
            MEMORY_LIMIT_KB / 1024
        ),
    )
}

/// The name as the archive stores it, with Windows separators made `/`.
fn entry_name(file: &ArchiveEntry) -> String {
    file.name.replace('\\', "/")
}

/// The name 7-Zip gives an entry stored without one (`7z a -si` writes
/// such entries): the archive's name without `.7z`.
fn unnamed_entry_name(label: &str) -> String {
    let lower = label.to_ascii_lowercase();
    let stem = if lower.ends_with(".7z") { &label[..label.len().saturating_sub(3)] } else { label };
    if stem.is_empty() { "unnamed".to_owned() } else { stem.to_owned() }
}

fn to_entry(file: &ArchiveEntry, packed_size: Option<u64>, unnamed: &str) -> Entry {
    let name = entry_name(file);
    let name = if name.is_empty() && !file.is_directory { unnamed.to_owned() } else { name };
    let mut entry = Entry::new(name, kind_of(file), file.size);
    entry.packed_size = packed_size;
    entry.checksum = file.has_crc.then_some(Checksum::Crc32(file.crc as u32));
    entry.modified =
        file.has_last_modified_date.then(|| crate::time::from_filetime(u64::from(file.last_modified_date))).flatten();
    entry
}

fn kind_of(file: &ArchiveEntry) -> EntryKind {
    if file.is_directory {
        EntryKind::Directory
    } else if file.has_windows_attributes && is_link(file.windows_attributes) {
        EntryKind::Symlink
    } else {
        EntryKind::File
    }
}

/// Whether 7z attributes describe a link: a Unix symlink (7-Zip keeps the
/// mode in the high 16 bits and flags it with 0x8000) or a Windows reparse
/// point (a symlink or junction).
fn is_link(attributes: u32) -> bool {
    let unix_link = attributes & UNIX_EXTENSION != 0 && (attributes >> 16) & UNIX_TYPE_MASK == UNIX_SYMLINK;
    unix_link || attributes & WINDOWS_REPARSE_POINT != 0
}

/// The compressed size of each entry, where it is its own: an entry alone in
/// its block (a non-solid archive) owns the block's packed streams. Entries
/// sharing a block get `None`, as a share of a solid stream means nothing.
fn packed_sizes(archive: &Archive) -> Vec<Option<u64>> {
    let map = &archive.stream_map;
    let mut files_in_block = vec![0usize; archive.blocks.len()];
    for (file, block) in archive.files.iter().zip(&map.file_block_index) {
        if let (true, Some(count)) = (file.has_stream, block.and_then(|b| files_in_block.get_mut(b))) {
            *count = count.saturating_add(1); // at most the number of entries
        }
    }
    let block_packed = |block: usize| -> Option<u64> {
        let first = *map.block_first_pack_stream_index().get(block)?;
        let next = block.checked_add(1)?;
        let end = map.block_first_pack_stream_index().get(next).copied().unwrap_or(archive.pack_sizes().len());
        let sizes = archive.pack_sizes().get(first..end)?;
        sizes.iter().try_fold(0u64, |total, size| total.checked_add(*size))
    };
    archive
        .files
        .iter()
        .enumerate()
        .map(|(index, file)| {
            let block = (*map.file_block_index.get(index)?)?;
            (file.has_stream && files_in_block.get(block) == Some(&1)).then(|| block_packed(block)).flatten()
        })
        .collect()
}

/// What `extract` has to do.
struct Plan {
    /// Blocks holding selected data, largest first.
    blocks: Vec<BlockJob>,
    /// Selected files without data (empty files), which need no decoding.
    streamless: Vec<usize>,
}

/// One block to decode.
struct BlockJob {
    block: usize,
    /// The first selected entry in the block, named by errors that come
    /// before any entry is reached (an unsupported method, a password).
    first_wanted: usize,
    /// The last selected entry in the block: decoding stops after it.
    last_wanted: usize,
    /// Decoded size, the measure of how long the block takes.
    size: u64,
    /// Decoder memory the block needs, for [`Budget`].
    memory: u64,
}

fn plan(archive: &Archive, wanted: &[bool], label: &str) -> Result<Plan> {
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
fn lzma2_dictionary(bits: u8) -> u64 {
    match bits {
        // bits <= 39: 2 or 3 shifted by at most 30, so checked_shl never fails.
        0..=39 => u64::from(2 | (bits & 1)).checked_shl(u32::from(bits >> 1).saturating_add(11)).unwrap_or(u64::MAX),
        _ => u64::from(u32::MAX),
    }
}

fn is_encrypted(block: &Block) -> bool {
    block.coders.iter().any(|coder| coder.encoder_method_id() == EncoderMethod::ID_AES256_SHA256)
}

/// Everything a block worker needs, shared by all of them.
struct Extraction<'a> {
    archive: &'a Archive,
    password: &'a Password,
    reader: &'a SetReader,
    label: &'a str,
    wanted: &'a [bool],
    sink: &'a dyn EntrySink,
    stop: &'a Stop<'a>,
    budget: Budget,
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
    SinkPanicked(Box<dyn Any + Send>),
}

impl Extraction<'_> {
    /// Decodes one block, handing its selected entries to the sink, and stops
    /// after the last of them.
    fn decode_block(&self, job: &BlockJob) -> Result<()> {
        let _memory = self.budget.take(job.memory);
        // Waiting for memory can take a while; the extraction may be over.
        self.stop.check()?;
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
            let decoder =
                BlockDecoder::new_with_memory_limit(1, MEMORY_LIMIT_KB, job.block, self.archive, password, &mut source);
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
                delivered = self.deliver(index, data, encrypted);
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
            Delivered::Broken { index, message } => self.fail_rest(job, index, &message),
            Delivered::SinkPanicked(panic) => panic::resume_unwind(panic),
        }
    }

    /// Hands one entry to the sink.
    fn deliver(&self, index: usize, data: &mut dyn Read, encrypted: bool) -> Delivered {
        if let Err(stop) = self.stop.check() {
            return Delivered::Stopped(stop);
        }
        let mut reader = EntryReader {
            inner: data,
            extraction: self,
            index,
            encrypted,
            what: self.what(index),
            unchecked: 0,
            failure: None,
        };
        let result = match panic::catch_unwind(AssertUnwindSafe(|| self.sink.file(index, &mut reader))) {
            Ok(result) => result,
            Err(panic) => return Delivered::SinkPanicked(panic),
        };
        match (outcome(reader.failure.as_ref(), result), reader.failure) {
            (Err(error), _) => Delivered::Stopped(error),
            (Ok(()), Some(failure)) => Delivered::Broken { index, message: failure.message },
            (Ok(()), None) => Delivered::Fine,
        }
    }

    /// After entry `broken` of a solid block failed and the sink chose to go
    /// on, hands it the block's remaining selected entries, each with a reader
    /// that fails at once: they cannot be decoded past the damage.
    fn fail_rest(&self, job: &BlockJob, broken: usize, message: &str) -> Result<()> {
        let reason = format!("not decoded: {} before it in the same solid block failed ({message})", self.name(broken));
        for index in broken.saturating_add(1)..=job.last_wanted {
            let streamed = self.archive.files.get(index).is_some_and(|file| file.has_stream);
            if !self.wanted[index] || !streamed {
                continue;
            }
            self.stop.check()?;
            let mut reader = FailingReader(&reason);
            self.sink.file(index, &mut reader)?;
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
        classify(&self.what(index), &self.name(index), encrypted, error)
    }

    fn entry_io_error(&self, index: usize, encrypted: bool, error: io::Error) -> Error {
        classify_io(&self.what(index), &self.name(index), encrypted, error)
    }
}

/// Gives a payload error raised by [`contain`] a more precise subject.
fn renamed(error: Error, what: String) -> Error {
    match error {
        Error::Payload { reason, source, .. } => Error::Payload { what, reason, source },
        other => other,
    }
}

const WRONG_PASSWORD_OR_DAMAGED: &str =
    "wrong password, or the entry is damaged: its data does not decrypt to what the archive recorded";

/// Sorts a decoder error about entry `name` into integrity and payload errors.
fn classify(what: &str, name: &str, encrypted: bool, error: SevenZError) -> Error {
    if let SevenZError::Io(io, _) | SevenZError::FileOpen(io, _) = &error
        && let Some(fault) = crate::read_fault::find(io)
    {
        return crate::read_fault::to_error(fault);
    }
    match error {
        SevenZError::ChecksumVerificationFailed if encrypted => {
            Error::payload_from(what, WRONG_PASSWORD_OR_DAMAGED, Cause::of(&error))
        }
        SevenZError::ChecksumVerificationFailed => Error::Integrity {
            what: name.to_owned(),
            reason: "CRC-32 mismatch (the data does not match the CRC the archive records)".to_owned(),
        },
        SevenZError::MaybeBadPassword(_) => Error::payload_from(what, WRONG_PASSWORD_OR_DAMAGED, Cause::of(&error)),
        SevenZError::PasswordRequired => {
            Error::payload(what, "the entry is encrypted; pass the password with --password or AIRLOCK_PASSWORD")
        }
        SevenZError::UnsupportedCompressionMethod(ref method) => {
            Error::payload(what, format!("compressed with the {method} method, which airlock cannot decode"))
        }
        SevenZError::Unsupported(ref feature) => {
            Error::payload(what, format!("uses a 7z feature airlock cannot decode: {feature}"))
        }
        SevenZError::MaxMemLimited { actaul_kb, .. } => too_much_memory(what, actaul_kb),
        SevenZError::Io(io, _) => classify_io(what, name, encrypted, io),
        other if encrypted => Error::payload_from(what, WRONG_PASSWORD_OR_DAMAGED, Cause::of(&other)),
        other => Error::payload_from(what, "the compressed data is corrupt", Cause::of(&other)),
    }
}

/// Like [`classify`] for the I/O errors the decoder's readers return, which
/// carry a `sevenz_rust2::Error` when the CRC or the size did not match.
fn classify_io(what: &str, name: &str, encrypted: bool, error: io::Error) -> Error {
    // A part the device could not read: an I/O error naming it, not damage.
    if let Some(fault) = crate::read_fault::find(&error) {
        return crate::read_fault::to_error(fault);
    }
    if error.get_ref().is_some_and(|inner| inner.is::<SevenZError>()) {
        if let Some(Ok(inner)) = error.into_inner().map(|inner| inner.downcast::<SevenZError>()) {
            return classify(what, name, encrypted, *inner);
        }
        return Error::payload(what, "the decoder failed");
    }
    let reason = if encrypted {
        WRONG_PASSWORD_OR_DAMAGED
    } else if error.kind() == io::ErrorKind::UnexpectedEof {
        "the data ends early: the archive is truncated or damaged"
    } else {
        "the compressed data is corrupt"
    };
    Error::payload_from(what, reason, Cause::io(&error))
}

/// The reader the sink gets for one entry.
///
/// Each read runs inside [`contain`]; a failure is classified, remembered,
/// and given to the sink as an `io::Error`, and every later read fails the
/// same way without touching the decoder again. Cancellation is checked
/// every [`CHECK_INTERVAL`] bytes.
struct EntryReader<'a> {
    inner: &'a mut dyn Read,
    extraction: &'a Extraction<'a>,
    index: usize,
    encrypted: bool,
    what: String,
    /// Bytes passed on since the last cancellation check.
    unchecked: u64,
    failure: Option<Failure>,
}

impl EntryReader<'_> {
    fn fail(&mut self, error: Error) -> io::Error {
        let (failure, io) = Failure::record(error);
        self.failure = Some(failure);
        io
    }
}

impl Read for EntryReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(failure) = &self.failure {
            return Err(failure.to_io());
        }
        if self.unchecked >= CHECK_INTERVAL {
            self.unchecked = 0;
            if let Err(stop) = self.extraction.stop.cancel.check() {
                return Err(self.fail(stop));
            }
        }
        let inner = &mut self.inner;
        match contain(&self.what, DECODER, || Ok(inner.read(buf))) {
            Ok(Ok(n)) => {
                self.unchecked = self.unchecked.saturating_add(n as u64); // reset every CHECK_INTERVAL
                Ok(n)
            }
            Ok(Err(error)) => {
                let error = self.extraction.entry_io_error(self.index, self.encrypted, error);
                Err(self.fail(error))
            }
            Err(panic) => Err(self.fail(panic)),
        }
    }
}

/// The reader for an entry that cannot be decoded: fails at once.
struct FailingReader<'a>(&'a str);

impl Read for FailingReader<'_> {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        Err(io::Error::new(io::ErrorKind::InvalidData, self.0.to_owned()))
    }
}

/// Decoder memory shared by the blocks decoded at the same time.
struct Budget {
    limit: u64,
    in_use: Mutex<u64>,
    freed: Condvar,
}

impl Budget {
    fn new(limit: u64) -> Self {
        Budget { limit, in_use: Mutex::new(0), freed: Condvar::new() }
    }

    /// Waits until `amount` fits beside what other blocks hold (or nothing
    /// else is held: a block larger than the budget runs alone), then holds
    /// it until the guard is dropped.
    fn take(&self, amount: u64) -> BudgetGuard<'_> {
        let mut in_use = lock(&self.in_use);
        while *in_use > 0 && in_use.saturating_add(amount) > self.limit {
            in_use = self.freed.wait(in_use).unwrap_or_else(PoisonError::into_inner);
        }
        *in_use = in_use.saturating_add(amount);
        BudgetGuard { budget: self, amount }
    }
}

struct BudgetGuard<'a> {
    budget: &'a Budget,
    amount: u64,
}

impl Drop for BudgetGuard<'_> {
    fn drop(&mut self) {
        let mut in_use = lock(&self.budget.in_use);
        *in_use = in_use.saturating_sub(self.amount);
        self.budget.freed.notify_all();
    }
}

#[cfg(test)]
pub(crate) mod tests {
    //! Fixtures under `testdata/` were made by the real 7-Zip (see
    //! `testdata/make-archives.sh`); the encrypted archives below are tiny
    //! 7-Zip outputs kept inline. The support code here is shared with the
    //! zip tests.

    #![allow(clippy::arithmetic_side_effects)] // fixed fixture numbers

    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    use sha2::{Digest, Sha256};

    use super::*;
    use crate::payload::is_checksum_mismatch;

    pub(crate) const LABEL: &str = "MicrosoftAzureBackupInstaller.exe";
    const SIGNATURE: &[u8] = b"7z\xBC\xAF\x27\x1C";

    pub(crate) fn testdata() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
    }

    /// The parts of a fixture folder, in the order its SHA256SUMS lists them.
    pub(crate) fn parts(dir: &Path) -> Vec<PathBuf> {
        let sums = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
        sums.lines().filter_map(|line| line.split_once("  ")).map(|(_, name)| dir.join(name)).collect()
    }

    /// EXPECTED.tsv: path → (size, sha256) of every regular file.
    pub(crate) fn expected(dir: &Path) -> BTreeMap<String, (u64, String)> {
        let text = std::fs::read_to_string(dir.join("EXPECTED.tsv")).unwrap();
        text.lines()
            .map(|line| {
                let fields: Vec<&str> = line.split('\t').collect();
                (fields[0].to_owned(), (fields[1].parse().unwrap(), fields[2].to_owned()))
            })
            .collect()
    }

    /// A reader over the given bytes, kept in a temporary file.
    pub(crate) fn reader_over(bytes: &[u8]) -> (tempfile::TempDir, SetReader) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("set.bin");
        std::fs::write(&path, bytes).unwrap();
        let reader = SetReader::open(&[path]).unwrap();
        (dir, reader)
    }

    pub(crate) fn read_all(reader: &SetReader) -> Vec<u8> {
        let mut bytes = Vec::new();
        reader.clone().read_to_end(&mut bytes).unwrap();
        bytes
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// What a [`HashingSink`] saw for one entry.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub(crate) enum Seen {
        /// Read to the end: size and SHA-256.
        Complete(u64, String),
        /// The reader failed; `checksum` when it said CRC mismatch.
        Failed { checksum: bool, message: String },
    }

    /// A sink that hashes what it reads. Like the extraction sink it returns
    /// an error when the reader fails (an integrity error for a checksum
    /// mismatch); with `keep_going`, like deep verification, it records the
    /// failure and returns `Ok`.
    #[derive(Default)]
    pub(crate) struct HashingSink {
        pub(crate) keep_going: bool,
        pub(crate) seen: Mutex<BTreeMap<usize, Seen>>,
    }

    impl HashingSink {
        pub(crate) fn keep_going() -> Self {
            HashingSink { keep_going: true, ..Self::default() }
        }

        pub(crate) fn seen(&self) -> BTreeMap<usize, Seen> {
            lock(&self.seen).clone()
        }
    }

    impl EntrySink for HashingSink {
        fn file(&self, index: usize, reader: &mut dyn Read) -> Result<()> {
            let mut hasher = Sha256::new();
            let mut buffer = vec![0u8; 100_000];
            let mut size = 0u64;
            loop {
                match reader.read(&mut buffer) {
                    Ok(0) => break,
                    Ok(n) => {
                        hasher.update(&buffer[..n]);
                        size += n as u64;
                    }
                    Err(error) => {
                        let checksum = is_checksum_mismatch(&error);
                        let seen = Seen::Failed { checksum, message: error.to_string() };
                        assert!(lock(&self.seen).insert(index, seen).is_none(), "entry {index} given twice");
                        if self.keep_going {
                            return Ok(());
                        }
                        return Err(if checksum {
                            Error::Integrity { what: format!("entry {index}"), reason: error.to_string() }
                        } else {
                            Error::payload_from(format!("entry {index}"), "cannot be decoded", error)
                        });
                    }
                }
            }
            let seen = Seen::Complete(size, hex(&hasher.finalize()));
            assert!(lock(&self.seen).insert(index, seen).is_none(), "entry {index} given twice");
            Ok(())
        }
    }

    pub(crate) type Lister = fn(&SetReader, Option<&str>, &str) -> Result<Vec<Entry>>;
    pub(crate) type Extractor =
        fn(&SetReader, Option<&str>, &str, &[bool], &dyn EntrySink, usize, &Cancel) -> Result<()>;

    /// Lists and extracts everything in `reader` and compares it with the
    /// fixture's EXPECTED.tsv, with 1 and with 4 threads.
    pub(crate) fn check_fixture(dir: &Path, reader: &SetReader, list: Lister, extract: Extractor) {
        let expected = expected(dir);
        let entries = list(reader, None, LABEL).unwrap();
        let files: BTreeMap<&str, usize> = entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == EntryKind::File)
            .map(|(i, e)| (e.name.as_str(), i))
            .collect();
        assert_eq!(
            files.keys().copied().collect::<Vec<_>>(),
            expected.keys().map(String::as_str).collect::<Vec<_>>(),
            "{}",
            dir.display()
        );
        assert!(
            entries
                .iter()
                .any(|e| e.kind == EntryKind::Directory && e.name.trim_end_matches('/') == "docs/empty-folder"),
            "no empty folder in {}",
            dir.display()
        );
        for entry in entries.iter().filter(|e| e.kind == EntryKind::File) {
            assert_eq!(entry.size, expected[&entry.name].0, "{}", entry.name);
            // 7z records no CRC for an empty file (it has no data stream).
            assert!(entry.size == 0 || matches!(entry.checksum, Some(Checksum::Crc32(_))), "{}", entry.name);
            assert!(entry.modified.is_some(), "{}", entry.name);
            assert!(entry.path.is_some(), "{}", entry.name);
        }
        for threads in [0, 1, 4] {
            let sink = HashingSink::default();
            let all = vec![true; entries.len()];
            extract(reader, None, LABEL, &all, &sink, threads, &Cancel::new()).unwrap();
            let seen = sink.seen();
            assert_eq!(seen.len(), files.len(), "only files are given to the sink");
            for (name, index) in &files {
                let (size, sha) = &expected[*name];
                assert_eq!(seen[index], Seen::Complete(*size, sha.clone()), "{name} with {threads} threads");
            }
        }
    }

    fn fixture(name: &str) -> (PathBuf, SetReader) {
        let dir = testdata().join("sevenz").join(name);
        let reader = SetReader::open(&parts(&dir)).unwrap();
        (dir, reader)
    }

    /// The view starting at the 7z signature, past any stub.
    pub(crate) fn past_stub(reader: &SetReader) -> SetReader {
        let bytes = read_all(reader);
        let offset = bytes.windows(SIGNATURE.len()).position(|w| w == SIGNATURE).unwrap();
        reader.starting_at(offset as u64)
    }

    #[test]
    fn every_fixture_lists_and_extracts_as_expected() {
        for name in ["solid", "nonsolid", "bcj2", "volumes"] {
            let (dir, reader) = fixture(name);
            check_fixture(&dir, &reader, list, extract);
        }
        let (dir, reader) = fixture("sfx-spanned");
        check_fixture(&dir, &past_stub(&reader), list, extract);
    }

    #[test]
    fn only_an_entry_alone_in_its_block_has_a_packed_size() {
        // 7-Zip puts executables in a block of their own (with the BCJ filter).
        let (_, solid) = fixture("solid");
        for entry in list(&solid, None, LABEL).unwrap() {
            assert_eq!(entry.packed_size.is_some(), entry.name == "setup.exe", "{}", entry.name);
        }
        let (_, nonsolid) = fixture("nonsolid");
        let entries = list(&nonsolid, None, LABEL).unwrap();
        let setup = entries.iter().find(|e| e.name == "setup.exe").unwrap();
        assert!(setup.packed_size.is_some_and(|packed| packed > 0 && packed < setup.size * 2));
    }

    #[test]
    fn a_selection_gets_only_the_selected_files() {
        let (dir, reader) = fixture("solid");
        let entries = list(&reader, None, LABEL).unwrap();
        let wanted = "SQLSERVER2017/x64/Setup/sqlsetup.msi";
        let selected: Vec<bool> = entries.iter().map(|e| e.name == wanted || e.kind == EntryKind::Directory).collect();
        let sink = HashingSink::default();
        extract(&reader, None, LABEL, &selected, &sink, 2, &Cancel::new()).unwrap();
        let index = entries.iter().position(|e| e.name == wanted).unwrap();
        let (size, sha) = expected(&dir)[wanted].clone();
        assert_eq!(sink.seen(), BTreeMap::from([(index, Seen::Complete(size, sha))]));
    }

    /// A copy of `bytes` with the byte at `offset` inverted.
    pub(crate) fn flipped(bytes: &[u8], offset: usize) -> Vec<u8> {
        let mut bytes = bytes.to_vec();
        bytes[offset] ^= 0xFF;
        bytes
    }

    #[test]
    fn a_damaged_solid_archive_fails_on_the_damaged_entry() {
        let (_, reader) = fixture("solid");
        let bytes = read_all(&reader);
        let entries = list(&reader, None, LABEL).unwrap();
        // Well inside the packed streams, which come right after the 32-byte start header.
        let (_dir, damaged) = reader_over(&flipped(&bytes, 600_000));
        let all = vec![true; entries.len()];

        let sink = HashingSink::default();
        let error = extract(&damaged, None, LABEL, &all, &sink, 4, &Cancel::new()).unwrap_err();
        assert!(matches!(error.kind(), crate::ErrorKind::Integrity | crate::ErrorKind::Payload), "{error}");
        let seen = sink.seen();
        let (failed, _) =
            seen.iter().find(|(_, s)| matches!(s, Seen::Failed { .. })).expect("the sink saw the failure");
        assert!(
            error.to_string().contains(&format!("entry {failed}")),
            "the sink's error comes back unchanged: {error}"
        );
        assert_eq!(seen.values().filter(|s| matches!(s, Seen::Failed { .. })).count(), 1, "stops at the first failure");

        // A sink that goes on (deep verification) hears about every entry
        // that could not be produced: nothing after the damage in the same
        // block passes, and the other block is still decoded.
        let sink = HashingSink::keep_going();
        extract(&damaged, None, LABEL, &all, &sink, 4, &Cancel::new()).unwrap();
        let seen = sink.seen();
        let blocks = Archive::read(&mut reader.clone(), &Password::empty()).unwrap().stream_map.file_block_index;
        let first_failed = *seen.iter().find(|(_, s)| matches!(s, Seen::Failed { .. })).unwrap().0;
        for (index, entry) in entries.iter().enumerate().filter(|(_, e)| e.kind == EntryKind::File && e.size > 0) {
            let failed = matches!(seen[&index], Seen::Failed { .. });
            let after_damage = blocks[index] == blocks[first_failed] && index >= first_failed;
            assert_eq!(failed, after_damage, "{}", entry.name);
        }
    }

    #[test]
    fn a_crc_mismatch_is_an_integrity_failure_naming_the_entry() {
        let (dir, reader) = fixture("nonsolid");
        let expected = expected(&dir);
        let entries = list(&reader, None, LABEL).unwrap();
        let bytes = read_all(&reader);
        let all = vec![true; entries.len()];
        // Flip bytes until one decodes to wrong data (CRC mismatch) rather
        // than making the LZMA decoder fail, which is a payload error.
        let mut integrity_seen = false;
        for offset in (40..bytes.len() / 2).step_by(9973) {
            let (_dir, damaged) = reader_over(&flipped(&bytes, offset));
            let sink = HashingSink::keep_going();
            let outcome = extract(&damaged, None, LABEL, &all, &sink, 3, &Cancel::new());
            let seen = sink.seen();
            let failed: Vec<usize> =
                seen.iter().filter(|(_, s)| matches!(s, Seen::Failed { .. })).map(|(i, _)| *i).collect();
            if outcome.is_ok() {
                // Non-solid: one block per file, so only one entry is hit and
                // every other entry still arrives intact.
                assert!(failed.len() <= 1, "offset {offset}: {failed:?}");
                for (index, seen) in &seen {
                    if let Seen::Complete(size, sha) = seen {
                        assert_eq!(
                            (size, sha),
                            (&expected[&entries[*index].name].0, &expected[&entries[*index].name].1)
                        );
                    }
                }
            }
            if let Some(Seen::Failed { checksum: true, .. }) = failed.first().map(|i| &seen[i]) {
                integrity_seen = true;
                let sink = HashingSink::default();
                let error = extract(&damaged, None, LABEL, &all, &sink, 1, &Cancel::new()).unwrap_err();
                assert_eq!(error.kind(), crate::ErrorKind::Integrity, "{error}");
                assert!(!matches!(sink.seen()[&failed[0]], Seen::Complete(..)));
            }
        }
        assert!(integrity_seen, "no flipped byte produced a CRC mismatch");
    }

    #[test]
    fn a_truncated_archive_is_an_error_not_a_panic() {
        let (_, reader) = fixture("solid");
        let bytes = read_all(&reader);
        for cut in [bytes.len() - 1, bytes.len() - 100, bytes.len() / 2, 40, 31, 6, 0] {
            let (_dir, truncated) = reader_over(&bytes[..cut]);
            let error = list(&truncated, None, LABEL).unwrap_err();
            assert_eq!(error.kind(), crate::ErrorKind::Payload, "cut at {cut}: {error}");
            assert!(error.to_string().contains(LABEL), "{error}");
        }
        // The headers intact but a volume missing in the middle.
        let (_, volumes) = fixture("volumes");
        let all = parts(&testdata().join("sevenz/volumes"));
        let gappy = SetReader::open(&[all[0].clone(), all[2].clone(), all[3].clone()]).unwrap();
        assert!(list(&gappy, None, LABEL).is_err());
        drop(volumes);
    }

    #[test]
    fn a_damaged_header_is_an_integrity_failure() {
        let (_, reader) = fixture("solid");
        let bytes = read_all(&reader);
        // The last bytes are the (LZMA-encoded) header, covered by the start header's CRC.
        let (_dir, damaged) = reader_over(&flipped(&bytes, bytes.len() - 10));
        let error = list(&damaged, None, LABEL).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Integrity, "{error}");
    }

    #[test]
    fn links_are_listed_as_symlinks_and_never_extracted() {
        let dir = testdata().join("hostile");
        let reader = SetReader::open(&[dir.join("symlink.7z")]).unwrap();
        let entries = list(&reader, None, LABEL).unwrap();
        let kinds: BTreeMap<&str, EntryKind> = entries.iter().map(|e| (e.name.as_str(), e.kind)).collect();
        assert_eq!(kinds, BTreeMap::from([("link", EntryKind::Symlink), ("normal.txt", EntryKind::File)]));
        let sink = HashingSink::default();
        extract(&reader, None, LABEL, &vec![true; entries.len()], &sink, 1, &Cancel::new()).unwrap();
        let normal = entries.iter().position(|e| e.name == "normal.txt").unwrap();
        assert_eq!(sink.seen().keys().copied().collect::<Vec<_>>(), vec![normal]);
    }

    #[test]
    fn unsafe_names_are_listed_as_stored() {
        let reader = SetReader::open(&[testdata().join("hostile/zip-slip.7z")]).unwrap();
        let entries = list(&reader, None, LABEL).unwrap();
        let evil = entries.iter().find(|e| e.name == "../evil.txt").expect("name kept as stored");
        assert!(evil.path.is_none() && evil.unsafe_reason.is_some());
    }

    #[test]
    fn the_sinks_error_comes_back_unchanged() {
        struct Refusing;
        impl EntrySink for Refusing {
            fn file(&self, _: usize, _: &mut dyn Read) -> Result<()> {
                Err(Error::payload("the sink", "disk full"))
            }
        }
        for name in ["solid", "nonsolid"] {
            let (_, reader) = fixture(name);
            let count = list(&reader, None, LABEL).unwrap().len();
            let error = extract(&reader, None, LABEL, &vec![true; count], &Refusing, 4, &Cancel::new()).unwrap_err();
            assert!(
                matches!(&error, Error::Payload { what, reason, .. } if what == "the sink" && reason == "disk full"),
                "{error}"
            );
        }
    }

    #[test]
    fn a_panicking_sink_is_not_taken_for_corrupt_data() {
        struct Panicking;
        impl EntrySink for Panicking {
            fn file(&self, _: usize, _: &mut dyn Read) -> Result<()> {
                panic!("bug in the sink")
            }
        }
        let (_, reader) = fixture("solid");
        // Files with data only: the sink is then called from inside the decoder.
        let selected: Vec<bool> = list(&reader, None, LABEL).unwrap().iter().map(|e| e.size > 0).collect();
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
            extract(&reader, None, LABEL, &selected, &Panicking, 1, &Cancel::new())
        }));
        let panic = outcome.expect_err("the sink's panic reaches the caller");
        assert_eq!(panic.downcast_ref::<&str>(), Some(&"bug in the sink"));
    }

    #[test]
    fn cancelling_stops_with_interrupted() {
        let (_, reader) = fixture("nonsolid");
        let count = list(&reader, None, LABEL).unwrap().len();
        let cancel = Cancel::new();
        cancel.cancel();
        let sink = HashingSink::default();
        let error = extract(&reader, None, LABEL, &vec![true; count], &sink, 4, &cancel).unwrap_err();
        assert!(matches!(error, Error::Interrupted));
        assert!(sink.seen().is_empty());
    }

    #[test]
    fn a_selection_of_the_wrong_length_is_refused() {
        let (_, reader) = fixture("solid");
        let error = extract(&reader, None, LABEL, &[true], &HashingSink::default(), 1, &Cancel::new()).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Payload);
    }

    const SECRET_SHA256: &str = "273f4f35ee01e47b83f2a40758a0de2cb31860b3efb3f958faf13c3a464ef9f6";

    #[test]
    fn encrypted_headers_need_the_right_password() {
        let (_dir, reader) = reader_over(HEADER_ENCRYPTED_7Z);
        let error = list(&reader, None, LABEL).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Payload);
        assert!(error.to_string().contains("--password") && error.to_string().contains("AIRLOCK_PASSWORD"), "{error}");
        let error = list(&reader, Some("wrong horse"), LABEL).unwrap_err();
        assert!(error.to_string().contains("wrong password"), "{error}");
        let entries = list(&reader, Some("right horse"), LABEL).unwrap();
        assert_eq!(entries.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["secret.txt"]);
        let sink = HashingSink::default();
        extract(&reader, Some("right horse"), LABEL, &[true], &sink, 1, &Cancel::new()).unwrap();
        assert_eq!(sink.seen()[&0], Seen::Complete(33, SECRET_SHA256.into()));
    }

    #[test]
    fn encrypted_data_needs_the_right_password() {
        let (_dir, reader) = reader_over(DATA_ENCRYPTED_7Z);
        let entries = list(&reader, None, LABEL).unwrap();
        assert_eq!(entries.len(), 1);

        let error = extract(&reader, None, LABEL, &[true], &HashingSink::default(), 1, &Cancel::new()).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Payload);
        assert!(error.to_string().contains("encrypted") && error.to_string().contains("--password"), "{error}");

        let sink = HashingSink::keep_going();
        let outcome = extract(&reader, Some("wrong horse"), LABEL, &[true], &sink, 1, &Cancel::new());
        let told = match (&outcome, sink.seen().get(&0)) {
            (Err(error), _) => error.to_string(),
            (Ok(()), Some(Seen::Failed { checksum: false, message })) => message.clone(),
            other => panic!("wrong password accepted: {other:?}"),
        };
        assert!(told.contains("wrong password"), "{told}");

        let sink = HashingSink::default();
        extract(&reader, Some("right horse"), LABEL, &[true], &sink, 1, &Cancel::new()).unwrap();
        assert_eq!(sink.seen()[&0], Seen::Complete(33, SECRET_SHA256.into()));
    }

    #[test]
    fn a_deflate_7z_is_decoded_with_the_deflate_feature() {
        let (_dir, reader) = reader_over(DEFLATE_7Z);
        let entries = list(&reader, None, LABEL).unwrap();
        assert_eq!(entries.len(), 1);
        let sink = HashingSink::default();
        extract(&reader, None, LABEL, &[true], &sink, 1, &Cancel::new()).unwrap();
        assert!(matches!(sink.seen()[&0], Seen::Complete(..)), "{:?}", sink.seen());
    }

    #[test]
    fn dictionary_sizes_follow_the_lzma2_property() {
        assert_eq!(lzma2_dictionary(0), 4 << 10);
        assert_eq!(lzma2_dictionary(1), 6 << 10);
        assert_eq!(lzma2_dictionary(24), 16 << 20);
        assert_eq!(lzma2_dictionary(40), u64::from(u32::MAX));
    }

    #[test]
    fn the_memory_budget_lets_one_oversized_block_run_alone() {
        let budget = Budget::new(100);
        let big = budget.take(500);
        drop(big);
        let a = budget.take(60);
        let b = std::thread::scope(|scope| {
            let waiter = scope.spawn(|| {
                let _b = budget.take(60);
                *lock(&budget.in_use)
            });
            // Had the waiter not waited for `a`, it would see 120 in use.
            drop(a);
            waiter.join().unwrap()
        });
        assert_eq!(b, 60);
        assert_eq!(*lock(&budget.in_use), 0);
    }

    /// `7zz a -p'right horse' -mhe=on` of one file `secret.txt`: even the names are encrypted.
    const HEADER_ENCRYPTED_7Z: &[u8] = &[
        0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00, 0x04, 0xb0, 0x1e, 0xb0, 0x4b, 0xb0, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x2f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1d, 0x39, 0x3e, 0x01, 0x5b, 0x0f, 0x43, 0x1a,
        0xd7, 0x44, 0x23, 0xa2, 0xa8, 0x4b, 0xac, 0x45, 0x0b, 0xa3, 0x3e, 0xf6, 0x8e, 0x06, 0xd3, 0x80, 0x8f, 0xf2,
        0x9b, 0xfd, 0x03, 0x34, 0x49, 0x7f, 0x35, 0x70, 0x20, 0x1a, 0x9e, 0x14, 0x73, 0xb3, 0xfd, 0x40, 0xce, 0xcb,
        0x66, 0xd4, 0xca, 0xe9, 0x0e, 0x93, 0xce, 0xd2, 0x08, 0xbc, 0x66, 0xfa, 0xce, 0x7c, 0x1a, 0x10, 0x85, 0xf7,
        0x59, 0x84, 0xdf, 0x62, 0xeb, 0x15, 0xf8, 0x2d, 0xb2, 0x58, 0xf5, 0xd5, 0x93, 0x27, 0xb2, 0xde, 0x32, 0xd1,
        0xe5, 0xf5, 0xcb, 0xbe, 0x2b, 0xf3, 0xf9, 0x36, 0xd9, 0x30, 0xd6, 0x65, 0x26, 0x56, 0x57, 0xab, 0x29, 0x2c,
        0xea, 0xb8, 0x75, 0xca, 0x9f, 0xf1, 0x82, 0x18, 0x20, 0xd5, 0x6d, 0xe6, 0x88, 0xf9, 0x27, 0x8f, 0x45, 0xb4,
        0x33, 0xfb, 0x12, 0x72, 0xa1, 0x56, 0x6e, 0xf3, 0x0e, 0xb7, 0xa8, 0x74, 0x48, 0x50, 0x1b, 0xb6, 0xbd, 0xd6,
        0xd7, 0x6d, 0x2f, 0x00, 0x4e, 0x91, 0xa1, 0xfd, 0xf4, 0x1a, 0xcc, 0x79, 0xa8, 0xb9, 0x25, 0x2c, 0xf6, 0x96,
        0xc3, 0x1d, 0xb1, 0xdf, 0xb5, 0xa7, 0x31, 0x6c, 0xc5, 0x4a, 0x2c, 0x41, 0x01, 0x8f, 0x85, 0x4b, 0xac, 0xd4,
        0x69, 0xf2, 0xcc, 0x90, 0x32, 0x98, 0xcf, 0x5d, 0x9a, 0xa3, 0x17, 0x06, 0x30, 0x01, 0x09, 0x80, 0x80, 0x00,
        0x07, 0x0b, 0x01, 0x00, 0x01, 0x24, 0x06, 0xf1, 0x07, 0x01, 0x12, 0x53, 0x0f, 0x28, 0xf8, 0xd4, 0x1c, 0x1a,
        0x86, 0x18, 0xb5, 0xc4, 0x05, 0xd1, 0x94, 0xa1, 0xfe, 0xf5, 0x8e, 0x0c, 0x72, 0x0a, 0x01, 0x4a, 0xed, 0x27,
        0x75, 0x00, 0x00,
    ];
    /// `7zz a -p'right horse' -mhe=off` of `secret.txt`: names readable, data encrypted.
    const DATA_ENCRYPTED_7Z: &[u8] = &[
        0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00, 0x04, 0xa9, 0xcd, 0x76, 0xe5, 0x30, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x72, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x54, 0xcc, 0x06, 0xb3, 0x2f, 0xf6, 0x09, 0x5f,
        0xa1, 0xcf, 0x2b, 0x4a, 0xd4, 0x90, 0xba, 0xe9, 0x7a, 0x2f, 0xd6, 0x4c, 0xef, 0x7c, 0xa2, 0xb6, 0xc8, 0x27,
        0x81, 0xe4, 0xfe, 0xc4, 0x31, 0x8c, 0x8c, 0x63, 0xc7, 0x54, 0x34, 0x50, 0x6c, 0x97, 0xa7, 0x29, 0x1c, 0x3c,
        0xa4, 0x6b, 0xf4, 0xef, 0xd4, 0xe3, 0xb7, 0x75, 0x01, 0x04, 0x06, 0x00, 0x01, 0x09, 0x30, 0x00, 0x07, 0x0b,
        0x01, 0x00, 0x02, 0x24, 0x06, 0xf1, 0x07, 0x01, 0x12, 0x53, 0x0f, 0xb6, 0x36, 0x13, 0x7b, 0xbc, 0xf8, 0x22,
        0x9c, 0xe1, 0x0a, 0x3a, 0x6b, 0xf6, 0x7a, 0x63, 0x61, 0x21, 0x21, 0x01, 0x00, 0x01, 0x00, 0x0c, 0x25, 0x21,
        0x00, 0x08, 0x0a, 0x01, 0xea, 0x67, 0xae, 0x1d, 0x00, 0x00, 0x05, 0x01, 0x19, 0x01, 0x00, 0x11, 0x17, 0x00,
        0x73, 0x00, 0x65, 0x00, 0x63, 0x00, 0x72, 0x00, 0x65, 0x00, 0x74, 0x00, 0x2e, 0x00, 0x74, 0x00, 0x78, 0x00,
        0x74, 0x00, 0x00, 0x00, 0x19, 0x04, 0x00, 0x00, 0x00, 0x00, 0x14, 0x0a, 0x01, 0x00, 0x00, 0x2a, 0xb0, 0x57,
        0x28, 0x3d, 0xda, 0x01, 0x15, 0x06, 0x01, 0x00, 0x20, 0x80, 0xa4, 0x81, 0x00, 0x00,
    ];
    /// `7zz a -m0=Deflate` of `secret.txt`: a method this build of sevenz-rust2 lacks.
    const DEFLATE_7Z: &[u8] = &[
        0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00, 0x04, 0x48, 0x79, 0x34, 0x03, 0x26, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x62, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xe1, 0x70, 0x1d, 0x8d, 0x01, 0x21, 0x00, 0xde,
        0xff, 0x73, 0x65, 0x63, 0x72, 0x65, 0x74, 0x20, 0x70, 0x61, 0x79, 0x6c, 0x6f, 0x61, 0x64, 0x20, 0x66, 0x6f,
        0x72, 0x20, 0x61, 0x69, 0x72, 0x6c, 0x6f, 0x63, 0x6b, 0x20, 0x74, 0x65, 0x73, 0x74, 0x73, 0x0a, 0x01, 0x04,
        0x06, 0x00, 0x01, 0x09, 0x26, 0x00, 0x07, 0x0b, 0x01, 0x00, 0x01, 0x03, 0x04, 0x01, 0x08, 0x0c, 0x21, 0x00,
        0x08, 0x0a, 0x01, 0xea, 0x67, 0xae, 0x1d, 0x00, 0x00, 0x05, 0x01, 0x19, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x11, 0x17, 0x00, 0x73, 0x00, 0x65, 0x00, 0x63, 0x00, 0x72, 0x00,
        0x65, 0x00, 0x74, 0x00, 0x2e, 0x00, 0x74, 0x00, 0x78, 0x00, 0x74, 0x00, 0x00, 0x00, 0x19, 0x04, 0x00, 0x00,
        0x00, 0x00, 0x14, 0x0a, 0x01, 0x00, 0x00, 0x2a, 0xb0, 0x57, 0x28, 0x3d, 0xda, 0x01, 0x15, 0x06, 0x01, 0x00,
        0x20, 0x80, 0xa4, 0x81, 0x00, 0x00,
    ];
}
