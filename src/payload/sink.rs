//! The capped, checksum-checking end of an entry's stream, shared by
//! extraction and deep verification.
//!
//! Every entry's bytes are read to their end (which is where the format's own
//! checksum is compared), and never past the size its header promised: a
//! decompression bomb stops there, and a stream that ends short is corrupt.
//! [`write_capped`] keeps the bytes in a file (extraction's staging);
//! [`CheckingSink`] throws them away and records each failure (deep verify).
//! [`read_error`] says what a reader's I/O error was: the device, the
//! checksum, or the decoder.
#![warn(clippy::arithmetic_side_effects)]

use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::Mutex;

use crate::error::{Error, ErrorKind, Result};
use crate::progress::{Cancel, Progress};

use super::{Entry, EntrySink, entry_error};

/// How much is read (and written) at a time. 64 KiB, as innoextract's 80 KiB:
/// on the vendor-sized Inno set (1.3 GB, 604 files) 1 MiB blocks cost 4.6–5.3 s
/// of system time against 1.8–3.3 s, the difference being a fresh 1 MiB buffer
/// per entry and larger page-cache folios that this machine's memory gives
/// out cold (`/usr/bin/time`, three alternating runs each).
const BLOCK: usize = 1 << 16;

/// How many written bytes of a file are handed to the disk at a time
/// ([`crate::platform::start_writeback`]).
const WRITEBACK: u64 = 8 << 20;

/// What the size errors add after "decodes to more than the N bytes its
/// header promises" and "decoded to N bytes but its header promises M":
/// extraction says that nothing was kept, deep verification nothing more.
struct Wording {
    longer: &'static str,
    shorter: &'static str,
}

/// Reads `reader` to its end, handing each block to `write`; fails past
/// `entry.size` bytes (without handing the block on) and when the stream
/// ends short of it.
fn read_capped(
    entry: &Entry,
    reader: &mut dyn Read,
    progress: &dyn Progress,
    cancel: &Cancel,
    wording: &Wording,
    write: &mut dyn FnMut(&[u8]) -> Result<()>,
) -> Result<()> {
    let mut buffer = vec![0u8; BLOCK];
    let mut total = 0u64;
    loop {
        cancel.check()?;
        let n = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(read_error(entry, e)),
        };
        total = total.saturating_add(n as u64); // past entry.size it stops below
        if total > entry.size {
            return Err(Error::payload(
                &entry.name,
                format!("decodes to more than the {} bytes its header promises{}", entry.size, wording.longer),
            ));
        }
        write(&buffer[..n])?;
        progress.advance(entry.progress_key(), n as u64);
    }
    if total != entry.size {
        return Err(Error::payload(
            &entry.name,
            format!("decoded to {total} bytes but its header promises {}{}", entry.size, wording.shorter),
        ));
    }
    Ok(())
}

/// Streams `reader` into `file`, a new file the caller created (extraction
/// creates it through its handle of the staging folder, never through a
/// path), refusing more bytes than `entry.size` (a decompression bomb stops
/// at the promised size) and fewer. `staged` names the file in messages.
pub(crate) fn write_capped(
    entry: &Entry,
    reader: &mut dyn Read,
    file: File,
    staged: &Path,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<()> {
    let wording = Wording {
        longer: "; the payload is corrupt or hostile, and nothing was kept",
        shorter: "; the payload is corrupt",
    };
    let mut out = std::io::BufWriter::with_capacity(BLOCK, file);
    // The disk starts on what was written every WRITEBACK bytes, so the
    // flush before the commit has little left to wait for; the window before
    // is waited for and its pages let go (`platform::settle_written`), so a
    // big file's writeback keeps pace with the decoder instead of piling up.
    let (mut written, mut submitted, mut settled) = (0u64, 0u64, 0u64);
    read_capped(entry, reader, progress, cancel, &wording, &mut |block| {
        out.write_all(block).map_err(|e| Error::io(staged, e))?;
        written = written.saturating_add(block.len() as u64);
        let flushed = written.saturating_sub(out.buffer().len() as u64);
        if flushed.saturating_sub(submitted) >= WRITEBACK {
            crate::platform::start_writeback(out.get_ref(), submitted, flushed.saturating_sub(submitted));
            if submitted > settled {
                crate::platform::settle_written(out.get_ref(), settled, submitted.saturating_sub(settled));
                settled = submitted;
            }
            submitted = flushed;
        }
        Ok(())
    })?;
    let file = out.into_inner().map_err(|e| Error::io(staged, e.into_error()))?;
    if written > submitted {
        crate::platform::start_writeback(&file, submitted, written.saturating_sub(submitted));
    }
    if let Some(modified) = entry.modified {
        let _ = filetime::set_file_handle_times(&file, None, Some(filetime::FileTime::from_system_time(modified)));
    }
    // Not flushed here, one by one: the commit puts every staged file on the
    // disk in one go before it renames any (`platform::sync_written`).
    drop(file);
    Ok(())
}

/// An entry that failed to decode, as deep verification records it.
#[derive(Clone, Debug)]
pub(crate) struct Failure {
    /// The entry's name.
    pub(crate) entry: String,
    /// The error's full message.
    pub(crate) message: String,
    /// The error's kind.
    pub(crate) kind: ErrorKind,
}

/// Reads each entry to its end and keeps nothing, recording failures instead
/// of stopping, so every bad entry is reported.
pub(crate) struct CheckingSink<'a> {
    entries: &'a [Entry],
    progress: &'a dyn Progress,
    cancel: &'a Cancel,
    failures: Mutex<Vec<Failure>>,
    checked: Mutex<(usize, u64)>,
}

impl<'a> CheckingSink<'a> {
    /// A sink for `entries`, reporting bytes to `progress`.
    pub(crate) fn new(entries: &'a [Entry], progress: &'a dyn Progress, cancel: &'a Cancel) -> Self {
        CheckingSink { entries, progress, cancel, failures: Mutex::new(Vec::new()), checked: Mutex::new((0, 0)) }
    }

    /// The failures recorded, and how many entries and bytes passed.
    pub(crate) fn finish(self) -> (Vec<Failure>, usize, u64) {
        let failures = self.failures.into_inner().unwrap_or_else(|e| e.into_inner());
        let (entries, bytes) = self.checked.into_inner().unwrap_or_else(|e| e.into_inner());
        (failures, entries, bytes)
    }
}

impl EntrySink for CheckingSink<'_> {
    /// The bytes were checked once, under `same_as`: this entry passes or
    /// fails with it, and adds no decoded bytes (its size still counts
    /// toward the progress total, as when extracting).
    fn duplicate(&self, index: usize, same_as: usize) -> Result<()> {
        self.progress.advance(self.entries[index].progress_key(), self.entries[index].size);
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let earlier = &self.entries[same_as].name;
        if let Some(failure) = failures.iter().find(|f| &f.entry == earlier).cloned() {
            failures.push(Failure { entry: self.entries[index].name.clone(), ..failure });
        } else {
            let mut checked = self.checked.lock().unwrap_or_else(|e| e.into_inner());
            checked.0 = checked.0.saturating_add(1);
        }
        Ok(())
    }

    fn file(&self, index: usize, reader: &mut dyn Read) -> Result<()> {
        let entry = &self.entries[index];
        let wording = Wording { longer: "", shorter: "" };
        match read_capped(entry, reader, self.progress, self.cancel, &wording, &mut |_| Ok(())) {
            Ok(()) => {
                let mut checked = self.checked.lock().unwrap_or_else(|e| e.into_inner());
                checked.0 = checked.0.saturating_add(1);
                checked.1 = checked.1.saturating_add(entry.size);
            }
            // Cancellation stops the run; it is not a failure of the entry.
            Err(Error::Interrupted) => return Err(Error::Interrupted),
            Err(error) => self.failures.lock().unwrap_or_else(|e| e.into_inner()).push(Failure {
                entry: entry.name.clone(),
                message: error.full_message(),
                kind: error.kind(),
            }),
        }
        Ok(())
    }
}

/// Classifies an error from a payload reader, by the [`Fault`](super::Fault)
/// its type carries ([`entry_error`]).
pub(crate) fn read_error(entry: &Entry, error: std::io::Error) -> Error {
    entry_error(entry, error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payload::EntryKind;

    #[test]
    fn a_stream_longer_than_promised_is_cut_off() {
        let dir = tempfile::tempdir().unwrap();
        let entry = Entry::new("x".into(), EntryKind::File, 4);
        let staged = dir.path().join("s");
        let error = write_capped(
            &entry,
            &mut &b"12345"[..],
            File::create(&staged).unwrap(),
            &staged,
            &crate::NoProgress,
            &Cancel::new(),
        )
        .unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Payload);
        let error = write_capped(
            &entry,
            &mut &b"123"[..],
            File::create(&staged).unwrap(),
            &staged,
            &crate::NoProgress,
            &Cancel::new(),
        )
        .unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Payload);
        write_capped(
            &entry,
            &mut &b"1234"[..],
            File::create(&staged).unwrap(),
            &staged,
            &crate::NoProgress,
            &Cancel::new(),
        )
        .unwrap();
        assert_eq!(std::fs::read(&staged).unwrap(), b"1234");
    }
}
