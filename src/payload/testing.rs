//! Test support shared by the format tests and the conformance suite: the
//! fixtures' manifests, readers over bytes, and a sink that hashes.
#![allow(clippy::arithmetic_side_effects)] // fixed fixture numbers

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use crate::payload::errors::fault_of;
use crate::payload::jobs::lock;
use crate::payload::{Checksum, Entry, EntryKind, EntrySink, Fault};
use crate::read::set_reader::SetReader;
use crate::vocab::error::{Error, Result};
use crate::vocab::progress::Cancel;

pub(crate) const LABEL: &str = "MicrosoftAzureBackupInstaller.exe";

pub(crate) fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

/// The bytes of a small fixture under `testdata/` (see the README beside it).
pub(crate) fn odd(path: &str) -> Vec<u8> {
    std::fs::read(testdata().join(path)).unwrap()
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
                    let checksum = fault_of(&error) == Fault::Integrity;
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

/// Defines `list` and `extract` over the enclosing format's opened payload
/// (`super::$format::open`) with the request's fields given one by one,
/// which is the shape [`check_fixture`] and the format tests call. Each
/// opens the archive: a test that lists then extracts opens it twice.
macro_rules! positional {
    ($format:ident) => {
        fn list(
            reader: &crate::read::set_reader::SetReader,
            password: Option<&str>,
            label: &str,
        ) -> crate::vocab::error::Result<Vec<crate::payload::Entry>> {
            Ok(super::$format::open(reader.clone(), password, label)?.entries().to_vec())
        }

        fn extract(
            reader: &crate::read::set_reader::SetReader,
            password: Option<&str>,
            label: &str,
            selected: &[bool],
            sink: &dyn crate::payload::EntrySink,
            threads: usize,
            cancel: &crate::vocab::progress::Cancel,
        ) -> crate::vocab::error::Result<()> {
            let payload = super::$format::open(reader.clone(), password, label)?;
            payload.extract(&crate::payload::Request::new(selected, threads, cancel), sink)
        }
    };
}
pub(crate) use positional;

pub(crate) type Lister = fn(&SetReader, Option<&str>, &str) -> Result<Vec<Entry>>;
pub(crate) type Extractor = fn(&SetReader, Option<&str>, &str, &[bool], &dyn EntrySink, usize, &Cancel) -> Result<()>;

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
        entries.iter().any(|e| e.kind == EntryKind::Directory && e.name.trim_end_matches('/') == "docs/empty-folder"),
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

/// A copy of `bytes` with the byte at `offset` inverted.
pub(crate) fn flipped(bytes: &[u8], offset: usize) -> Vec<u8> {
    let mut bytes = bytes.to_vec();
    bytes[offset] ^= 0xFF;
    bytes
}

/// What the "headers once" tests count, on the thread that opens a payload
/// (opening runs on the caller's thread; only decoding goes elsewhere).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Counted {
    /// An Inno Setup installer's setup headers parsed by the `inno` crate
    /// (the check's probe included).
    InnoHeaders,
    /// An Inno Setup password checked against the installer and its key derived.
    InnoKey,
    /// A 7z archive's headers read (with the password when they are encrypted).
    SevenZHeaders,
}

thread_local! {
    static COUNTS: std::cell::Cell<[usize; 3]> = const { std::cell::Cell::new([0; 3]) };
}

/// Counts one `what` on this thread.
pub(crate) fn count(what: Counted) {
    COUNTS.with(|counts| {
        let mut now = counts.get();
        now[what as usize] += 1;
        counts.set(now);
    });
}

/// How many of `what` this thread counted.
pub(crate) fn counted(what: Counted) -> usize {
    COUNTS.with(|counts| counts.get()[what as usize])
}
