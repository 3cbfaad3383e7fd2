//! The reader a sink gets for one entry of a 7z or zip archive.
//!
//! [`EntryReader`] wraps the decoder's reader for the entry: each read runs
//! inside [`contain`], cancellation is checked every [`CHECK_INTERVAL`]
//! bytes, a failure is classified by the format ([`Decoding::error`]) and
//! given to the sink as an `io::Error` carrying its [`Fault`], and it is
//! remembered, so every later read fails the same way without touching the
//! decoder again. At the decoder's end the format may check what passed
//! ([`Decoding::end`]: zip compares size and CRC-32 there); only then is the
//! end returned.

use std::io::{self, Read};

use crate::payload::errors::Fault;
use crate::payload::jobs::Failure;
use crate::read::contain::contain;
use crate::vocab::error::Error;
use crate::vocab::progress::Cancel;

/// How many bytes an entry reader passes on between two cancellation checks.
pub(crate) const CHECK_INTERVAL: u64 = 4 << 20;

/// What a format adds to the shared entry reader.
pub(crate) trait Decoding {
    /// Classifies an error of the decoder's reader.
    fn error(&mut self, error: io::Error) -> (Fault, Error);

    /// Sees the bytes passed on, in order.
    fn bytes(&mut self, bytes: &[u8]) {
        let _ = bytes;
    }

    /// At the decoder's end: whether the entry is whole and matches what the
    /// archive records.
    fn end(&mut self) -> Result<(), (Fault, Error)> {
        Ok(())
    }
}

/// See the module docs.
pub(crate) struct EntryReader<'a, R, D> {
    inner: R,
    decoding: D,
    /// `label: entry name`, the subject of a decoder panic.
    what: String,
    decoder: &'static str,
    cancel: &'a Cancel,
    /// Bytes passed on since the last cancellation check.
    unchecked: u64,
    /// The end was reached and [`Decoding::end`] agreed.
    ended: bool,
    failure: Option<Failure>,
}

impl<'a, R: Read, D: Decoding> EntryReader<'a, R, D> {
    /// A reader over `inner`, the decoder named `decoder`'s reader for the
    /// entry `what`.
    pub(crate) fn new(inner: R, decoding: D, what: String, decoder: &'static str, cancel: &'a Cancel) -> Self {
        EntryReader { inner, decoding, what, decoder, cancel, unchecked: 0, ended: false, failure: None }
    }

    /// How the reader failed, if it did.
    pub(crate) fn failure(&self) -> Option<&Failure> {
        self.failure.as_ref()
    }

    /// How the reader failed, if it did, giving it up.
    pub(crate) fn into_failure(self) -> Option<Failure> {
        self.failure
    }

    fn fail(&mut self, (fault, error): (Fault, Error)) -> io::Error {
        let (failure, io) = Failure::record(fault, error);
        self.failure = Some(failure);
        io
    }
}

impl<R: Read, D: Decoding> Read for EntryReader<'_, R, D> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(failure) = &self.failure {
            return Err(failure.to_io());
        }
        if buf.is_empty() || self.ended {
            return Ok(0);
        }
        if self.unchecked >= CHECK_INTERVAL {
            self.unchecked = 0;
            if let Err(stop) = self.cancel.check() {
                return Err(self.fail((Fault::Cancelled, stop)));
            }
        }
        let inner = &mut self.inner;
        let n = match contain(&self.what, self.decoder, || Ok(inner.read(buf))) {
            Ok(Ok(n)) => n,
            Ok(Err(error)) => {
                let classified = match crate::read::read_fault::find(&error) {
                    // A part the device could not read: an I/O error naming it, not damage.
                    Some(fault) => (Fault::Unreadable, crate::read::read_fault::to_error(fault)),
                    None => self.decoding.error(error),
                };
                return Err(self.fail(classified));
            }
            Err(panic) => return Err(self.fail((Fault::Corrupt, panic))),
        };
        if n == 0 {
            return match self.decoding.end() {
                Ok(()) => {
                    self.ended = true;
                    Ok(0)
                }
                Err(failure) => Err(self.fail(failure)),
            };
        }
        let passed = buf.get(..n).unwrap_or(buf);
        self.decoding.bytes(passed);
        self.unchecked = self.unchecked.saturating_add(n as u64); // reset every CHECK_INTERVAL
        Ok(n)
    }
}

/// The reader for an entry that cannot be decoded: fails at once, saying why.
pub(crate) struct FailingReader<'a>(pub &'a str);

impl Read for FailingReader<'_> {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        Err(io::Error::new(io::ErrorKind::InvalidData, self.0.to_owned()))
    }
}
