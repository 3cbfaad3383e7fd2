//! The declared-size cap, in the reader the contract hands every sink.
//!
//! [`Payload::extract`](super::Payload::extract) gives the sink each entry's
//! bytes through a [`CappedReader`]: it never passes more bytes than the
//! size the entry's header declares (a decompression bomb stops there: the
//! decoder is never asked for more than one byte past it), and it fails
//! instead of ending when the stream ends short of it. Either failure is an
//! `io::Error` whose [`EntryFault`] says [`Fault::Size`], which
//! [`entry_error`](super::entry_error) turns into an error naming the entry.
//! Sinks read to the end and keep or check what they read; none of them
//! counts against the size.
#![warn(clippy::arithmetic_side_effects)]

use std::io::{self, Read};

use super::errors::{EntryFault, Fault};
use super::{Entry, EntrySink};
use crate::vocab::error::{Error, Result};
use crate::vocab::progress::{Cancel, Item, Progress};

/// A sink whose every entry reader is capped at the entry's declared size.
pub(super) struct CappedSink<'a> {
    /// What the payload lists: the declared sizes.
    pub(super) entries: &'a [Entry],
    pub(super) sink: &'a dyn EntrySink,
}

impl EntrySink for CappedSink<'_> {
    fn file(&self, index: usize, reader: &mut dyn Read) -> Result<()> {
        let Some(entry) = self.entries.get(index) else {
            return Err(Error::payload(format!("entry {index}"), "is not among the entries the payload lists"));
        };
        self.sink.file(index, &mut CappedReader::new(entry, reader))
    }

    fn duplicate(&self, index: usize, same_as: usize) -> Result<()> {
        self.sink.duplicate(index, same_as)
    }
}

/// An entry's bytes, never more than its declared size and not fewer.
pub(crate) struct CappedReader<'a> {
    inner: &'a mut dyn Read,
    /// The size the entry's header declares.
    declared: u64,
    /// Bytes passed on so far (at most `declared`).
    passed: u64,
    /// Why it failed, repeated on every later read.
    failed: Option<String>,
}

impl<'a> CappedReader<'a> {
    /// Caps `inner`, the decoder's reader for `entry`.
    pub(crate) fn new(entry: &Entry, inner: &'a mut dyn Read) -> Self {
        CappedReader { inner, declared: entry.size, passed: 0, failed: None }
    }

    fn fail(&mut self, reason: String) -> io::Error {
        self.failed = Some(reason.clone());
        size_error(reason)
    }
}

/// The error a capped reader fails with: the reason, without the entry's
/// name (the sink names it, through `entry_error`).
fn size_error(reason: String) -> io::Error {
    EntryFault { fault: Fault::Size, message: reason, error: None }.into_io()
}

impl Read for CappedReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(reason) = &self.failed {
            return Err(size_error(reason.clone()));
        }
        if buf.is_empty() {
            return Ok(0);
        }
        // One byte past the declared size is enough to know it lies.
        let room = self.declared.saturating_sub(self.passed).saturating_add(1);
        let limit = usize::try_from(room).unwrap_or(usize::MAX).min(buf.len());
        let (room, _) = buf.split_at_mut(limit); // limit <= buf.len()
        let n = self.inner.read(room)?;
        if n == 0 {
            if self.passed != self.declared {
                let reason = format!(
                    "decoded to {} bytes but its header promises {}; the payload is corrupt",
                    self.passed, self.declared
                );
                return Err(self.fail(reason));
            }
            return Ok(0);
        }
        let passed = self.passed.saturating_add(n as u64); // n <= room: at most declared + 1
        if passed > self.declared {
            let reason = format!(
                "decodes to more than the {} bytes its header promises; the payload is corrupt or hostile",
                self.declared
            );
            return Err(self.fail(reason));
        }
        self.passed = passed;
        Ok(n)
    }
}

/// How much is read (and written) at a time. 64 KiB, as innoextract's 80 KiB:
/// on the vendor-sized Inno set (1.3 GB, 604 files) 1 MiB blocks cost 4.6–5.3 s
/// of system time against 1.8–3.3 s, the difference being a fresh 1 MiB buffer
/// per entry and larger page-cache folios that this machine's memory gives
/// out cold (`/usr/bin/time`, three alternating runs each).
pub(crate) const BLOCK: usize = 1 << 16;

/// How a sink consumes an entry: reads `reader` (the capped reader it was
/// handed) to its end, handing each block to `write` and advancing
/// `progress` by it under `item` (the entry's); a reader's failure becomes
/// the entry's error ([`entry_error`](super::entry_error)). Extraction's
/// writer and deep verification's checker both read through it.
pub(crate) fn read_entry(
    entry: &Entry,
    item: Item,
    reader: &mut dyn Read,
    progress: &dyn Progress,
    cancel: &Cancel,
    write: &mut dyn FnMut(&[u8]) -> Result<()>,
) -> Result<()> {
    let mut buffer = vec![0u8; BLOCK];
    loop {
        cancel.check()?;
        let n = match reader.read(&mut buffer) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(super::entry_error(entry, e)),
        };
        write(&buffer[..n])?;
        progress.advance(item, n as u64);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::ErrorKind;
    use crate::payload::errors::fault_of;
    use crate::payload::{EntryKind, Format, Payload, PayloadFormat, Request, entry_error};
    use crate::vocab::progress::Cancel;

    /// A decoder that yields `bytes` for entry 0, whatever the header says.
    struct Lying {
        bytes: &'static [u8],
    }

    impl Format for Lying {
        fn extract(&self, _: &Request<'_>, sink: &dyn EntrySink) -> Result<()> {
            sink.file(0, &mut &self.bytes[..])
        }
    }

    /// Reads its entry to the end, recording what it was handed and how the
    /// reader failed, and fails with the entry's error as extraction does.
    #[derive(Default)]
    struct Reading {
        handed: Mutex<Vec<u8>>,
        fault: Mutex<Option<Fault>>,
    }

    impl EntrySink for Reading {
        fn file(&self, _: usize, reader: &mut dyn Read) -> Result<()> {
            let mut buffer = [0u8; 3];
            loop {
                match reader.read(&mut buffer) {
                    Ok(0) => return Ok(()),
                    Ok(n) => self.handed.lock().unwrap().extend_from_slice(&buffer[..n]),
                    Err(error) => {
                        *self.fault.lock().unwrap() = Some(fault_of(&error));
                        // A later read fails the same way.
                        assert!(reader.read(&mut buffer).is_err());
                        return Err(entry_error(&Entry::new("docs/a.txt".into(), EntryKind::File, 4), error));
                    }
                }
            }
        }
    }

    fn extract(bytes: &'static [u8]) -> (Result<()>, Reading) {
        let entries = vec![Entry::new("docs/a.txt".into(), EntryKind::File, 4)];
        let payload = Payload::new(PayloadFormat::Zip, Lying { bytes }, entries, None, "set.zip");
        let cancel = Cancel::new();
        let sink = Reading::default();
        let outcome = payload.extract(&Request::new(&[true], 1, &cancel), &sink);
        (outcome, sink)
    }

    #[test]
    fn a_decoder_that_yields_more_than_declared_is_stopped_at_the_size() {
        let (outcome, sink) = extract(b"1234567890");
        let error = outcome.unwrap_err();
        assert_eq!(*sink.fault.lock().unwrap(), Some(Fault::Size));
        assert_eq!(error.kind(), ErrorKind::Payload);
        assert!(error.to_string().starts_with("docs/a.txt: decodes to more than the 4 bytes"), "{error}");
        // Nothing past the declared size was handed on.
        assert!(sink.handed.lock().unwrap().len() <= 4);
    }

    #[test]
    fn a_decoder_that_yields_fewer_than_declared_fails_at_its_end() {
        let (outcome, sink) = extract(b"123");
        let error = outcome.unwrap_err();
        assert_eq!(*sink.fault.lock().unwrap(), Some(Fault::Size));
        assert_eq!(error.kind(), ErrorKind::Payload);
        assert!(error.to_string().starts_with("docs/a.txt: decoded to 3 bytes but its header promises 4"), "{error}");
    }

    #[test]
    fn a_decoder_that_yields_the_declared_size_passes_it_whole() {
        let (outcome, sink) = extract(b"1234");
        outcome.unwrap();
        assert_eq!(*sink.handed.lock().unwrap(), b"1234");
        assert_eq!(*sink.fault.lock().unwrap(), None);
    }
}
