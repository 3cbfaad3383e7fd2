//! The conformance suite every payload format must pass: one table of cases,
//! run over Inno Setup, 7z and zip through the payload contract (`detect`,
//! [`open`](super::open), [`Payload::extract`](super::Payload::extract) with
//! a [`Request`], a real capped sink).
//!
//! | case | what must hold | inno | 7z | zip |
//! |---|---|---|---|---|
//! | selection | only the selected file reaches the sink, with its bytes | ✓ | ✓ | ✓ |
//! | empty file | a 0-byte file entry reaches the sink and is kept, empty | ✓ | ✓ | ✓ |
//! | empty folder | listed as a folder, never given to the sink | not expressible¹ | ✓ | ✓ |
//! | damaged entry | a flipped data byte is [`Fault::Integrity`] → `ErrorKind::Integrity`, nothing of it kept | ✓ | ✓ | ✓ |
//! | cancellation | cancelled mid-entry → `Error::Interrupted`, nothing of it kept | ✓ | ✓ | ✓ |
//! | declared-size cap | an entry whose bytes exceed its declared size is refused, nothing kept² | ✓ | ✓ | ✓ |
//! | sink's panic | a panic in the sink reaches the caller as the sink's, not as corrupt data | ✓ | ✓ | ✓ |
//!
//! ¹ airlock lists an installer's `[Files]` only; an Inno Setup folder (`[Dirs]`)
//! is no entry, and the committed installers have none.
//! ² The declared size is lowered by one in the opened payload's listing, which
//! the contract's reader caps against (`capped`): the headers that declare it
//! are CRC-protected (7z, Inno Setup) or checked against the data at the end
//! (zip), so a real archive cannot be made to lie without failing earlier. The
//! case proves the path every format shares: the format's reader passes the
//! bytes, the capped reader refuses them, the sink fails, the format returns
//! the sink's error unchanged.
//!
//! Fixtures: `testdata/conformance/` (7z and zip, stored so that a flipped
//! byte is a checksum mismatch; `make.sh` there) and the real Inno Setup 6.4.1
//! LZMA2 installer `testdata/inno/inno-6.4.1-lzma2-solid-spanned`.
#![allow(clippy::arithmetic_side_effects)] // fixed fixture numbers

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use super::detect::{self, Head, Located};
#[cfg(doc)]
use super::errors::Fault;
use super::testing::{flipped, testdata};
use super::{Entry, EntryKind, EntrySink, Payload, PayloadFormat, Request, Source};
use crate::payload::jobs::lock;
use crate::read::set_reader::SetReader;
use crate::vocab::error::{Error, ErrorKind, Result};
use crate::vocab::progress::{Cancel, Item, NoProgress};

/// One format's fixture: its parts copied into a scratch folder (so a case
/// may damage them), and what it must yield.
struct Fixture {
    format: PayloadFormat,
    _dir: tempfile::TempDir,
    parts: Vec<PathBuf>,
    /// A small file to select, and its SHA-256.
    small: (&'static str, &'static str),
    /// An empty file's name.
    empty: &'static str,
    /// An empty folder's name, where the format can hold one.
    empty_folder: Option<&'static str>,
    /// A file whose data a flipped byte at `damage` (part, offset) hits.
    damaged: &'static str,
    damage: (usize, usize),
}

const INNO: &str = "inno/inno-6.4.1-lzma2-solid-spanned";
const INNO_NAME: &str = "MicrosoftAzureBackupInstaller";

fn fixtures() -> Vec<Fixture> {
    let copy = |files: &[PathBuf]| {
        let dir = tempfile::tempdir().unwrap();
        let parts: Vec<PathBuf> = files
            .iter()
            .map(|file| {
                let to = dir.path().join(file.file_name().unwrap());
                std::fs::copy(file, &to).unwrap();
                to
            })
            .collect();
        (dir, parts)
    };
    let inno_dir = testdata().join(INNO);
    let mut inno_files = vec![inno_dir.join(format!("{INNO_NAME}.exe"))];
    inno_files.extend((1..=3).map(|n| inno_dir.join(format!("{INNO_NAME}-{n}.bin"))));
    let (inno_scratch, inno_parts) = copy(&inno_files);
    let conformance = testdata().join("conformance");
    let (sevenz_scratch, sevenz_parts) = copy(&[conformance.join("conformance.7z")]);
    let (zip_scratch, zip_parts) = copy(&[conformance.join("conformance.zip")]);
    let stored = |parts: &[PathBuf]| {
        // The archives are stored: data.bin's bytes stand in them as they are.
        let bytes = std::fs::read(&parts[0]).unwrap();
        let head = data_bin_head();
        let at = bytes.windows(head.len()).position(|w| w == head).expect("data.bin stored as it is");
        (0, at + 100)
    };
    let hello = ("hello.txt", "f2229384fa6628b342d50ced2ad77b52d1e90c05e3f175e51854fbec63fca056");
    vec![
        Fixture {
            format: PayloadFormat::Inno,
            _dir: inno_scratch,
            parts: inno_parts,
            small: (
                "{app}/SQLSERVER2017/ConfigurationFile.ini",
                "4a150d3a7aae57f0839a169ce9a7e26ef880129ece8a7af1389640b2fc32bb4b",
            ),
            empty: "{app}/docs/empty.dat",
            empty_folder: None,
            damaged: "{app}/SQLSERVER2017/SQLEXPR_x64_ENU.box",
            damage: (2, 1_000_000),
        },
        Fixture {
            format: PayloadFormat::SevenZ,
            damage: stored(&sevenz_parts),
            _dir: sevenz_scratch,
            parts: sevenz_parts,
            small: hello,
            empty: "empty.dat",
            empty_folder: Some("empty-folder"),
            damaged: "data.bin",
        },
        Fixture {
            format: PayloadFormat::Zip,
            damage: stored(&zip_parts),
            _dir: zip_scratch,
            parts: zip_parts,
            small: hello,
            empty: "empty.dat",
            empty_folder: Some("empty-folder/"),
            damaged: "data.bin",
        },
    ]
}

/// The first bytes of data.bin, as `make.sh` made them (the tree itself is
/// not committed): read after its name in the stored zip's local header.
fn data_bin_head() -> Vec<u8> {
    let zip = std::fs::read(testdata().join("conformance/conformance.zip")).unwrap();
    // The local header of data.bin: 30 bytes, then its name, then its data.
    let name = b"data.bin";
    let at = zip.windows(name.len()).position(|w| w == name).unwrap();
    zip[at + name.len()..at + name.len() + 64].to_vec()
}

impl Fixture {
    fn located(&self) -> Located {
        let reader = SetReader::open(&self.parts).unwrap();
        let head = Head { path: &self.parts[0], may_be_installer: self.format == PayloadFormat::Inno };
        let located = detect::locate(head, &reader).unwrap().unwrap();
        assert_eq!(located.format(), self.format);
        located
    }

    fn entries(&self) -> Vec<Entry> {
        let located = self.located();
        super::open(&self.source(&located), None).unwrap().into_entries()
    }

    fn source<'a>(&'a self, located: &'a Located) -> Source<'a> {
        Source { parts: &self.parts, located, label: "the set" }
    }

    fn index(&self, entries: &[Entry], name: &str) -> usize {
        entries.iter().position(|e| e.name == name).unwrap_or_else(|| panic!("{:?}: no {name}", self.format))
    }

    /// Extracts `selected` into a [`KeepingSink`] over `entries`.
    fn extract(&self, entries: &[Entry], selected: &[bool], sink_cancels: bool) -> (Result<()>, KeepingSink) {
        self.extract_opened(entries, selected, sink_cancels, |_| {})
    }

    /// [`Fixture::extract`], with `adjust` applied to the opened payload first.
    fn extract_opened(
        &self,
        entries: &[Entry],
        selected: &[bool],
        sink_cancels: bool,
        adjust: impl FnOnce(&mut Payload<'_>),
    ) -> (Result<()>, KeepingSink) {
        let located = self.located();
        let cancel = Cancel::new();
        let sink = KeepingSink::new(entries.to_vec(), sink_cancels.then(|| cancel.clone()));
        let request = Request::new(selected, 2, &cancel);
        let outcome = super::open(&self.source(&located), None).and_then(|mut payload| {
            adjust(&mut payload);
            payload.extract(&request, &sink)
        });
        (outcome, sink)
    }
}

/// The extraction sink in small: each entry read through the contract's
/// capped reader ([`super::read_entry`]) into a file of its own, kept only
/// when it was read to the end.
struct KeepingSink {
    dir: tempfile::TempDir,
    entries: Vec<Entry>,
    /// Cancelled by the sink itself once the first entry's bytes flow.
    cancel: Option<Cancel>,
    /// Entry index → SHA-256 of what was kept.
    kept: Mutex<BTreeMap<usize, String>>,
}

impl KeepingSink {
    fn new(entries: Vec<Entry>, cancel: Option<Cancel>) -> Self {
        KeepingSink { dir: tempfile::tempdir().unwrap(), entries, cancel, kept: Mutex::new(BTreeMap::new()) }
    }

    fn kept(&self) -> BTreeMap<usize, String> {
        lock(&self.kept).clone()
    }

    /// Whatever is left in the sink's folder.
    fn files_left(&self) -> Vec<String> {
        std::fs::read_dir(self.dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect()
    }
}

/// Cancels `cancel` on the first read it passes on.
struct CancelOnRead<'a> {
    inner: &'a mut dyn Read,
    cancel: &'a Cancel,
}

impl Read for CancelOnRead<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.cancel.cancel();
        Ok(n)
    }
}

impl EntrySink for KeepingSink {
    fn file(&self, index: usize, reader: &mut dyn Read) -> Result<()> {
        let entry = &self.entries[index];
        let path = self.dir.path().join(index.to_string());
        let never = Cancel::new();
        let mut file = std::fs::File::create(&path).map_err(|e| crate::Error::io(&path, e))?;
        let mut write = |block: &[u8]| file.write_all(block).map_err(|e| crate::Error::io(&path, e));
        let result = match &self.cancel {
            Some(cancel) => {
                let mut reader = CancelOnRead { inner: reader, cancel };
                super::read_entry(entry, Item::Entry(index), &mut reader, &NoProgress, cancel, &mut write)
            }
            None => super::read_entry(entry, Item::Entry(index), reader, &NoProgress, &never, &mut write),
        };
        drop(file);
        if result.is_err() {
            let _ = std::fs::remove_file(&path);
            return result;
        }
        let sha = crate::read::hash::hex(&Sha256::digest(std::fs::read(&path).unwrap()));
        assert!(lock(&self.kept).insert(index, sha).is_none(), "entry {index} given twice");
        Ok(())
    }

    fn duplicate(&self, index: usize, same_as: usize) -> Result<()> {
        let from = self.dir.path().join(same_as.to_string());
        std::fs::copy(from, self.dir.path().join(index.to_string())).unwrap();
        let sha = self.kept()[&same_as].clone();
        lock(&self.kept).insert(index, sha);
        Ok(())
    }
}

fn only(entries: &[Entry], index: usize) -> Vec<bool> {
    (0..entries.len()).map(|i| i == index).collect()
}

#[test]
fn selection_gives_the_sink_only_the_selected_file() {
    for fixture in fixtures() {
        let entries = fixture.entries();
        let (name, sha) = fixture.small;
        let index = fixture.index(&entries, name);
        let (outcome, sink) = fixture.extract(&entries, &only(&entries, index), false);
        outcome.unwrap();
        assert_eq!(sink.kept(), BTreeMap::from([(index, sha.to_owned())]), "{:?}", fixture.format);
    }
}

#[test]
fn an_empty_file_is_kept_empty() {
    const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    for fixture in fixtures() {
        let entries = fixture.entries();
        let index = fixture.index(&entries, fixture.empty);
        assert_eq!((entries[index].kind, entries[index].size), (EntryKind::File, 0), "{:?}", fixture.format);
        let (outcome, sink) = fixture.extract(&entries, &only(&entries, index), false);
        outcome.unwrap();
        assert_eq!(sink.kept(), BTreeMap::from([(index, EMPTY_SHA256.to_owned())]), "{:?}", fixture.format);
    }
}

#[test]
fn an_empty_folder_is_listed_and_never_given_to_the_sink() {
    let mut covered = Vec::new();
    for fixture in fixtures() {
        let entries = fixture.entries();
        let Some(folder) = fixture.empty_folder else {
            // Not expressible (see the table): nothing an installer lists is a folder.
            assert!(entries.iter().all(|e| e.kind == EntryKind::File), "{:?}", fixture.format);
            continue;
        };
        let index = fixture.index(&entries, folder);
        assert_eq!(entries[index].kind, EntryKind::Directory, "{:?}", fixture.format);
        let (outcome, sink) = fixture.extract(&entries, &vec![true; entries.len()], false);
        outcome.unwrap();
        let kept = sink.kept();
        assert!(!kept.contains_key(&index), "{:?}", fixture.format);
        let files = entries.iter().filter(|e| e.kind == EntryKind::File).count();
        assert_eq!(kept.len(), files, "{:?}: every file, nothing else", fixture.format);
        covered.push(fixture.format);
    }
    assert_eq!(covered, [PayloadFormat::SevenZ, PayloadFormat::Zip]);
}

#[test]
fn a_damaged_entry_is_an_integrity_failure_and_nothing_of_it_is_kept() {
    for fixture in fixtures() {
        let entries = fixture.entries();
        let (part, offset) = fixture.damage;
        let bytes = std::fs::read(&fixture.parts[part]).unwrap();
        std::fs::write(&fixture.parts[part], flipped(&bytes, offset)).unwrap();
        let index = fixture.index(&entries, fixture.damaged);
        let (outcome, sink) = fixture.extract(&entries, &only(&entries, index), false);
        let error = outcome.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Integrity, "{:?}: {error}", fixture.format);
        assert!(error.to_string().contains(fixture.damaged), "{:?}: {error}", fixture.format);
        assert!(sink.kept().is_empty() && sink.files_left().is_empty(), "{:?}", fixture.format);
    }
}

#[test]
fn cancelling_mid_entry_stops_with_interrupted_and_keeps_nothing_of_it() {
    for fixture in fixtures() {
        let entries = fixture.entries();
        let index = fixture.index(&entries, fixture.damaged); // the largest file of each fixture
        let (outcome, sink) = fixture.extract(&entries, &only(&entries, index), true);
        let error = outcome.unwrap_err();
        assert!(matches!(error, Error::Interrupted), "{:?}: {error}", fixture.format);
        assert!(sink.kept().is_empty() && sink.files_left().is_empty(), "{:?}", fixture.format);
    }
}

#[test]
fn an_entry_longer_than_it_declares_is_refused_and_not_kept() {
    for fixture in fixtures() {
        let entries = fixture.entries();
        let (name, _) = fixture.small;
        let index = fixture.index(&entries, name);
        let lower = |payload: &mut Payload<'_>| payload.entries[index].size -= 1;
        let (outcome, sink) = fixture.extract_opened(&entries, &only(&entries, index), false, lower);
        let error = outcome.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Payload, "{:?}: {error}", fixture.format);
        assert!(error.to_string().contains("more than the"), "{:?}: {error}", fixture.format);
        assert!(sink.kept().is_empty() && sink.files_left().is_empty(), "{:?}", fixture.format);
    }
}

#[test]
fn a_panic_in_the_sink_is_the_sinks_not_corrupt_data() {
    struct Panicking;
    impl EntrySink for Panicking {
        fn file(&self, _: usize, reader: &mut dyn Read) -> Result<()> {
            let _ = reader.read(&mut [0u8; 16]);
            panic!("bug in the sink")
        }
    }
    for fixture in fixtures() {
        let entries = fixture.entries();
        let index = fixture.index(&entries, fixture.small.0);
        let located = fixture.located();
        let selected = only(&entries, index);
        let cancel = Cancel::new();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let payload = super::open(&fixture.source(&located), None).unwrap();
            payload.extract(&Request::new(&selected, 1, &cancel), &Panicking)
        }));
        let panic = outcome.expect_err("the sink's panic reaches the caller");
        assert_eq!(panic.downcast_ref::<&str>(), Some(&"bug in the sink"), "{:?}", fixture.format);
    }
}

#[test]
fn every_format_is_in_the_table() {
    let formats: Vec<PayloadFormat> = fixtures().iter().map(|f| f.format).collect();
    // A new PayloadFormat must add its fixture above: this match stops compiling otherwise.
    for format in [PayloadFormat::Inno, PayloadFormat::SevenZ, PayloadFormat::Zip] {
        match format {
            PayloadFormat::Inno | PayloadFormat::SevenZ | PayloadFormat::Zip => assert!(formats.contains(&format)),
        }
    }
}
