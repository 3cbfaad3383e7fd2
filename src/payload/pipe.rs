//! Decoding on one thread, consuming on another.
//!
//! A single compressed stream (an Inno Setup chunk, one 7z block) is decoded
//! one byte after the other, so one core decodes it however many there are.
//! [`piped`] moves everything else done with the bytes — the format's own
//! checksum where the format lets it be deferred ([`EndCheck`]), the sink's
//! writes and progress — to a second thread, with a few fixed chunks between
//! the two so memory stays flat (at most [`CHUNKS`] × [`CHUNK`] bytes in
//! flight, whatever the entry sizes).
//!
//! The sink sees what it would see called directly: one `file` per entry, in
//! order, with a reader that yields the entry's bytes and fails instead of
//! ending when the checksum does not match, and each `duplicate` after the
//! entry it copies. What changes is when the decoding side hears the sink's
//! verdict on an entry: at once when the entry's reader failed (the format
//! decides from that verdict whether to go on), otherwise at the next entry
//! or at the end. A sink's error therefore stops decoding an entry or so
//! late, which costs nothing: nothing is kept before the whole run succeeded.
//!
//! A panic of the sink is resumed on the caller's thread once decoding has
//! stopped, outside any [`contain`](crate::read::contain::contain), so it reaches
//! the caller as itself and not as corrupt data.
#![warn(clippy::arithmetic_side_effects)]

use std::io::{self, Read};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};

use crate::payload::EntrySink;
use crate::vocab::error::{Error, Result};

/// How many bytes travel together. Large enough that the hand-over costs
/// nothing next to the bytes (1 310 chunks for a 1.3 GB installer), small
/// enough that four of them are nothing next to the memory rule.
pub(crate) const CHUNK: usize = 1 << 20;

/// How many chunks may be in flight: the decoder runs this far ahead of the
/// sink before it waits.
pub(crate) const CHUNKS: usize = 4;

/// A check of an entry's bytes that the format leaves to the consuming side:
/// it sees every byte in order, and at the end says whether they were right.
pub(crate) trait EndCheck: Send {
    /// Sees the next bytes.
    fn update(&mut self, bytes: &[u8]);

    /// At the end of the entry: the error the sink's reader returns instead
    /// of its end when the bytes were wrong.
    fn finish(self: Box<Self>) -> io::Result<()>;
}

/// From the decoding side to the consuming side.
enum Message {
    /// An entry starts; its bytes follow, then its [`Message::End`].
    File { index: usize, check: Option<Box<dyn EndCheck>> },
    /// The next bytes of the entry: the first `.1` bytes of the chunk.
    Bytes(Vec<u8>, usize),
    /// The entry's reader ended (`None`) or failed with this error; the
    /// decoding side then waits for the sink's verdict.
    End(Option<io::Error>),
    /// `Entry index` has the bytes of `same_as`, consumed before.
    Duplicate { index: usize, same_as: usize },
}

/// Runs `decode` on this thread with a sink that hands every entry to
/// `sink` on a second thread, and returns when both are done.
///
/// The result is the sink's error when the sink failed (the decoding side
/// then only saw that it had to stop), else `decode`'s.
pub(crate) fn piped<T>(label: &str, sink: &dyn EntrySink, decode: impl FnOnce(&Pipe<'_>) -> Result<T>) -> Result<T> {
    let (to_sink, messages) = sync_channel::<Message>(CHUNKS.saturating_add(2));
    let (give_back, spare) = channel::<Vec<u8>>();
    let (to_decoder, verdicts) = sync_channel::<Result<()>>(1);
    let stopped = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let consumer = std::thread::Builder::new().name("airlock-sink".into()).spawn_scoped(scope, || {
            let consumer = Consumer { sink, messages, give_back, to_decoder, stopped: &stopped };
            consumer.run()
        });
        let consumer = consumer.map_err(|error| {
            Error::payload(label, format!("cannot start the thread that writes its files: {error}"))
        })?;
        let pipe = Pipe {
            to_sink,
            spare: Mutex::new(spare),
            verdicts: Mutex::new(verdicts),
            allocated: AtomicUsize::new(0),
            stopped: &stopped,
        };
        let decoded = decode(&pipe);
        drop(pipe); // the consumer finishes what is queued, then sees the end
        match consumer.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(Some(error)) => Err(error),
            Ok(None) => decoded,
        }
    })
}

/// The decoding side's sink: sends each entry's bytes to the consumer.
pub(crate) struct Pipe<'a> {
    to_sink: SyncSender<Message>,
    /// Chunks the consumer is done with.
    spare: Mutex<Receiver<Vec<u8>>>,
    verdicts: Mutex<Receiver<Result<()>>>,
    /// Chunks made so far (at most [`CHUNKS`]).
    allocated: AtomicUsize,
    /// Set by the consumer when it stopped on an error.
    stopped: &'a AtomicBool,
}

impl Pipe<'_> {
    /// Hands entry `index` to the sink, reading `reader` to its end; `check`
    /// is run over the bytes on the consuming side.
    pub(crate) fn file_checked(
        &self,
        index: usize,
        reader: &mut dyn Read,
        check: Option<Box<dyn EndCheck>>,
    ) -> Result<()> {
        if self.stopped.load(Ordering::Acquire) {
            return Err(Error::Interrupted);
        }
        self.send(Message::File { index, check })?;
        loop {
            let mut chunk = self.spare_chunk()?;
            let mut filled = 0usize;
            let end = loop {
                let Some(room) = chunk.get_mut(filled..).filter(|room| !room.is_empty()) else {
                    break None;
                };
                match reader.read(room) {
                    Ok(0) => break Some(None),
                    Ok(n) => filled = filled.saturating_add(n), // n <= room.len(): stays <= CHUNK
                    Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                    Err(error) => break Some(Some(error)),
                }
            };
            if filled > 0 {
                self.send(Message::Bytes(chunk, filled))?;
            } else {
                self.allocated.fetch_sub(1, Ordering::Relaxed);
            }
            match end {
                None => {}
                Some(None) => return self.send(Message::End(None)),
                Some(Some(error)) => {
                    self.send(Message::End(Some(error)))?;
                    let verdicts = self.verdicts.lock().unwrap_or_else(|e| e.into_inner());
                    return verdicts.recv().unwrap_or(Err(Error::Interrupted));
                }
            }
        }
    }

    fn send(&self, message: Message) -> Result<()> {
        self.to_sink.send(message).map_err(|_| Error::Interrupted)
    }

    /// A chunk to fill: one the consumer gave back, a new one while fewer
    /// than [`CHUNKS`] exist, else the next one given back.
    fn spare_chunk(&self) -> Result<Vec<u8>> {
        let spare = self.spare.lock().unwrap_or_else(|e| e.into_inner());
        if let Ok(chunk) = spare.try_recv() {
            return Ok(chunk);
        }
        if self.allocated.load(Ordering::Relaxed) < CHUNKS {
            self.allocated.fetch_add(1, Ordering::Relaxed);
            return Ok(vec![0; CHUNK]);
        }
        spare.recv().map_err(|_| Error::Interrupted)
    }
}

impl EntrySink for Pipe<'_> {
    fn file(&self, index: usize, reader: &mut dyn Read) -> Result<()> {
        self.file_checked(index, reader, None)
    }

    fn duplicate(&self, index: usize, same_as: usize) -> Result<()> {
        if self.stopped.load(Ordering::Acquire) {
            return Err(Error::Interrupted);
        }
        self.send(Message::Duplicate { index, same_as })
    }
}

/// The consuming side: calls the real sink.
struct Consumer<'a> {
    sink: &'a dyn EntrySink,
    messages: Receiver<Message>,
    give_back: Sender<Vec<u8>>,
    to_decoder: SyncSender<Result<()>>,
    stopped: &'a AtomicBool,
}

/// What the consumer does after a message.
enum Flow {
    Go,
    /// Stop; with the sink's error to report, or quietly when the decoding
    /// side already has the error (or stopped first and has its own).
    Stop(Option<Error>),
}

impl Consumer<'_> {
    /// Serves entries until the decoding side is done; returns the sink's
    /// error if it stopped on one. Returning drops the receivers, which is
    /// how a decoding side blocked on a full queue learns to stop.
    fn run(self) -> Option<Error> {
        while let Ok(message) = self.messages.recv() {
            let flow = match message {
                Message::File { index, check } => self.file(index, check),
                Message::Duplicate { index, same_as } => match self.sink.duplicate(index, same_as) {
                    Ok(()) => Flow::Go,
                    Err(error) => Flow::Stop(Some(error)),
                },
                // Outside an entry nothing sends these.
                Message::Bytes(..) | Message::End(_) => Flow::Go,
            };
            if let Flow::Stop(error) = flow {
                self.stopped.store(true, Ordering::Release);
                return error;
            }
        }
        None
    }

    /// One entry: the sink reads it; a failed entry's verdict goes back to
    /// the decoding side, which waits for it.
    fn file(&self, index: usize, check: Option<Box<dyn EndCheck>>) -> Flow {
        let mut incoming = Incoming {
            messages: &self.messages,
            give_back: &self.give_back,
            chunk: Vec::new(),
            at: 0,
            len: 0,
            check,
            state: State::Reading,
        };
        let result = self.sink.file(index, &mut incoming);
        // A sink that failed in the middle stops now, not after the
        // decoder produced the rest of the entry for nothing.
        if result.is_ok() {
            incoming.drain();
        }
        incoming.give_back_chunk();
        match (incoming.state, result) {
            (State::Failed, result) => {
                let go = result.is_ok();
                let _ = self.to_decoder.send(result);
                if go { Flow::Go } else { Flow::Stop(None) }
            }
            // Decoding stopped in the middle of the entry: its error is the
            // one to report, not what the sink made of the cut.
            (State::Cut, _) => Flow::Stop(None),
            (_, Ok(())) => Flow::Go,
            (_, Err(error)) => Flow::Stop(Some(error)),
        }
    }
}

/// Where the reader of one entry is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Reading,
    /// The entry ended (and its check passed, or its error was returned).
    Ended,
    /// The entry's reader failed on the decoding side.
    Failed,
    /// The decoding side went away in the middle of the entry.
    Cut,
}

/// The sink's reader for one entry, over the chunks that arrive.
struct Incoming<'a> {
    messages: &'a Receiver<Message>,
    give_back: &'a Sender<Vec<u8>>,
    chunk: Vec<u8>,
    at: usize,
    len: usize,
    check: Option<Box<dyn EndCheck>>,
    state: State,
}

impl Incoming<'_> {
    /// Reads past whatever the sink left of the entry.
    fn drain(&mut self) {
        while self.state == State::Reading {
            self.at = self.len;
            let _ = self.next_chunk();
        }
    }

    fn give_back_chunk(&mut self) {
        let chunk = std::mem::take(&mut self.chunk);
        if chunk.capacity() > 0 {
            let _ = self.give_back.send(chunk);
        }
        (self.at, self.len) = (0, 0);
    }

    /// Waits for the next bytes; `Ok(0)` at the end of the entry.
    fn next_chunk(&mut self) -> io::Result<usize> {
        self.give_back_chunk();
        match self.messages.recv() {
            Ok(Message::Bytes(chunk, len)) => {
                let bytes = chunk.get(..len).unwrap_or(&chunk);
                if let Some(check) = self.check.as_mut() {
                    check.update(bytes);
                }
                self.len = bytes.len();
                self.chunk = chunk;
                Ok(self.len)
            }
            Ok(Message::End(None)) => {
                self.state = State::Ended;
                match self.check.take() {
                    Some(check) => check.finish().map(|()| 0),
                    None => Ok(0),
                }
            }
            Ok(Message::End(Some(error))) => {
                self.state = State::Failed;
                Err(error)
            }
            Ok(Message::File { .. } | Message::Duplicate { .. }) | Err(_) => {
                self.state = State::Cut;
                Err(io::Error::other("decoding stopped in the middle of this entry"))
            }
        }
    }
}

impl Read for Incoming<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        while self.at >= self.len {
            match self.state {
                State::Reading => {}
                State::Ended => return Ok(0),
                State::Failed | State::Cut => return Err(io::Error::other("this entry's reader failed before")),
            }
            if self.next_chunk()? == 0 {
                return Ok(0);
            }
        }
        let available = self.chunk.get(self.at..self.len).unwrap_or_default();
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.at = self.at.saturating_add(n); // <= len
        Ok(n)
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // small, known test values
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// What the sink saw, in order.
    #[derive(Debug, PartialEq, Eq)]
    enum Seen {
        File(usize, Vec<u8>),
        Failed(usize, String),
        Duplicate(usize, usize),
    }

    /// Records every entry; fails (or panics) on the entry it is told to.
    #[derive(Default)]
    struct Recorder {
        seen: Mutex<Vec<Seen>>,
        fail_on: Option<usize>,
        panic_on: Option<usize>,
        /// Whether an entry whose reader failed stops the run.
        stop_on_read_error: bool,
    }

    impl EntrySink for Recorder {
        fn file(&self, index: usize, reader: &mut dyn Read) -> Result<()> {
            if self.panic_on == Some(index) {
                panic!("the sink's own bug");
            }
            let mut bytes = Vec::new();
            let mut block = [0u8; 4096];
            loop {
                if self.fail_on == Some(index) && !bytes.is_empty() {
                    return Err(Error::payload("entry", "the disk is full"));
                }
                match reader.read(&mut block) {
                    Ok(0) => break,
                    Ok(n) => bytes.extend_from_slice(&block[..n]),
                    Err(error) => {
                        self.seen.lock().unwrap().push(Seen::Failed(index, error.to_string()));
                        return if self.stop_on_read_error {
                            Err(Error::payload("entry", error.to_string()))
                        } else {
                            Ok(())
                        };
                    }
                }
            }
            self.seen.lock().unwrap().push(Seen::File(index, bytes));
            Ok(())
        }

        fn duplicate(&self, index: usize, same_as: usize) -> Result<()> {
            self.seen.lock().unwrap().push(Seen::Duplicate(index, same_as));
            Ok(())
        }
    }

    fn pattern(len: usize, seed: u8) -> Vec<u8> {
        (0..len).map(|i| (i % 251) as u8 ^ seed).collect()
    }

    /// A reader that hands out its bytes in odd-sized pieces, then fails if told to.
    struct Pieces {
        bytes: Vec<u8>,
        at: usize,
        fail_at_end: bool,
    }

    impl Read for Pieces {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(7919).min(self.bytes.len() - self.at);
            if n == 0 && self.fail_at_end {
                return Err(io::Error::new(io::ErrorKind::InvalidData, "damaged data"));
            }
            buf[..n].copy_from_slice(&self.bytes[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    /// Sums the bytes it sees; at the end, fails unless they sum to `expected`.
    struct ByteSum {
        sum: u64,
        expected: u64,
    }

    impl EndCheck for ByteSum {
        fn update(&mut self, bytes: &[u8]) {
            self.sum += bytes.iter().map(|&b| u64::from(b)).sum::<u64>();
        }

        fn finish(self: Box<Self>) -> io::Result<()> {
            if self.sum == self.expected { Ok(()) } else { Err(io::Error::other("the checksum does not match")) }
        }
    }

    #[test]
    fn every_entry_arrives_whole_in_order_with_its_duplicates_after_it() {
        let sizes = [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 5, 17];
        let sink = Recorder::default();
        let peak = piped("set", &sink, |pipe| {
            for (index, &size) in sizes.iter().enumerate() {
                let mut reader = Pieces { bytes: pattern(size, index as u8), at: 0, fail_at_end: false };
                pipe.file_checked(index, &mut reader, None)?;
                if index == 2 {
                    pipe.duplicate(100, 2)?;
                }
            }
            Ok(pipe.allocated.load(Ordering::Relaxed))
        })
        .unwrap();
        assert!(peak <= CHUNKS, "{peak} chunks were made, more than the {CHUNKS} allowed");
        let mut want: Vec<Seen> =
            sizes.iter().enumerate().map(|(index, &size)| Seen::File(index, pattern(size, index as u8))).collect();
        want.insert(3, Seen::Duplicate(100, 2));
        assert_eq!(*sink.seen.lock().unwrap(), want);
    }

    #[test]
    fn a_deferred_check_that_fails_is_the_readers_error_instead_of_its_end() {
        let sink = Recorder::default();
        piped("set", &sink, |pipe| {
            let bytes = pattern(CHUNK + 3, 1);
            let right: u64 = bytes.iter().map(|&b| u64::from(b)).sum();
            let mut reader = Pieces { bytes: bytes.clone(), at: 0, fail_at_end: false };
            pipe.file_checked(0, &mut reader, Some(Box::new(ByteSum { sum: 0, expected: right + 1 })))?;
            let mut reader = Pieces { bytes, at: 0, fail_at_end: false };
            pipe.file_checked(1, &mut reader, Some(Box::new(ByteSum { sum: 0, expected: right })))
        })
        .unwrap();
        let seen = sink.seen.lock().unwrap();
        assert_eq!(seen[0], Seen::Failed(0, "the checksum does not match".into()));
        assert!(matches!(&seen[1], Seen::File(1, bytes) if bytes.len() == CHUNK + 3));
    }

    #[test]
    fn a_failed_reader_waits_for_the_sinks_verdict() {
        // The sink goes on: so does decoding.
        let sink = Recorder::default();
        let verdicts = piped("set", &sink, |pipe| {
            let mut bad = Pieces { bytes: pattern(10, 0), at: 0, fail_at_end: true };
            let first = pipe.file_checked(0, &mut bad, None).is_ok();
            let mut good = Pieces { bytes: pattern(10, 0), at: 0, fail_at_end: false };
            Ok((first, pipe.file_checked(1, &mut good, None).is_ok()))
        })
        .unwrap();
        assert_eq!(verdicts, (true, true));
        assert_eq!(sink.seen.lock().unwrap().len(), 2);
        // The sink stops: the decoding side gets the sink's error at once.
        let sink = Recorder { stop_on_read_error: true, ..Recorder::default() };
        let error = piped("set", &sink, |pipe| {
            let mut bad = Pieces { bytes: pattern(10, 0), at: 0, fail_at_end: true };
            pipe.file_checked(0, &mut bad, None)
        })
        .unwrap_err();
        assert!(error.to_string().contains("damaged data"), "{error}");
    }

    /// Endless bytes, counting how many were asked for.
    struct Endless<'a>(&'a AtomicUsize);

    impl Read for Endless<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            buf.fill(7);
            self.0.fetch_add(buf.len(), Ordering::Relaxed);
            Ok(buf.len())
        }
    }

    #[test]
    fn a_sink_error_stops_decoding_and_is_the_error_reported() {
        let sink = Recorder { fail_on: Some(1), ..Recorder::default() };
        let decoded = AtomicUsize::new(0);
        let error = piped("set", &sink, |pipe| {
            pipe.file_checked(0, &mut Pieces { bytes: pattern(5, 0), at: 0, fail_at_end: false }, None)?;
            // Never ends: only the sink's failure can stop it.
            pipe.file_checked(1, &mut Endless(&decoded), None)?;
            pipe.file_checked(2, &mut Pieces { bytes: pattern(5, 0), at: 0, fail_at_end: false }, None)
        })
        .unwrap_err();
        assert!(error.to_string().contains("the disk is full"), "{error}");
        // The decoder ran at most the queue's length ahead of the sink.
        assert!(decoded.load(Ordering::Relaxed) <= (CHUNKS + 4) * CHUNK);
        assert_eq!(*sink.seen.lock().unwrap(), [Seen::File(0, pattern(5, 0))]);
    }

    #[test]
    fn a_sink_panic_reaches_the_caller_as_itself() {
        let sink = Recorder { panic_on: Some(1), ..Recorder::default() };
        let decoded = AtomicUsize::new(0);
        let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            piped("set", &sink, |pipe| {
                pipe.file_checked(0, &mut Pieces { bytes: pattern(5, 0), at: 0, fail_at_end: false }, None)?;
                pipe.file_checked(1, &mut Endless(&decoded), None)
            })
        }))
        .unwrap_err();
        assert_eq!(panic.downcast_ref::<&str>(), Some(&"the sink's own bug"));
    }

    #[test]
    fn a_decoder_that_stops_mid_entry_keeps_its_own_error() {
        let sink = Recorder::default();
        let error = piped("set", &sink, |pipe| {
            let mut reader = Pieces { bytes: pattern(3 * CHUNK, 0), at: 0, fail_at_end: false };
            // The decoder gives up part way, as a panic contained inside it would.
            let mut part = (&mut reader).take(CHUNK as u64 + 10);
            let mut first = vec![0; CHUNK];
            part.read_exact(&mut first).unwrap();
            let _ = pipe.send(Message::File { index: 0, check: None });
            let _ = pipe.send(Message::Bytes(first, CHUNK));
            Err::<(), _>(Error::payload("set", "the decoder's own failure"))
        })
        .unwrap_err();
        assert!(error.to_string().contains("the decoder's own failure"), "{error}");
        assert!(sink.seen.lock().unwrap().iter().all(|seen| !matches!(seen, Seen::File(..))));
    }
}
