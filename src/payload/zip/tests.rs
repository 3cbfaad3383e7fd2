//! Fixtures under `testdata/` were made by Info-ZIP, Python's zipfile and
//! 7-Zip (see `testdata/make-archives.sh`); the small encrypted and
//! duplicate-name archives in `testdata/zip-odd/` are those tools' output.
#![allow(clippy::arithmetic_side_effects)] // fixed fixture numbers

use std::collections::BTreeMap;
use std::path::PathBuf;

use std::io::Read;
use std::time::{Duration, SystemTime};

use zip::{DateTime, System, ZipArchive};

use super::open::{dos_local_time, kind_of};
use crate::payload::attributes::{DOS_DIRECTORY, UNIX_EXTENSION, WINDOWS_REPARSE_POINT};
use crate::payload::testing::{
    HashingSink, LABEL, Seen, check_fixture, expected, flipped, odd, parts, read_all, reader_over, testdata,
};
use crate::payload::{EntryKind, EntrySink};
use crate::read::set_reader::SetReader;
use crate::vocab::error::{Error, Result};
use crate::vocab::progress::Cancel;

// `list` and `extract` with the request's fields given one by one, as the tests call them.
crate::payload::testing::positional!(Zip);

fn fixture(name: &str) -> (PathBuf, SetReader) {
    let dir = testdata().join("zip").join(name);
    let reader = SetReader::open(&parts(&dir)).unwrap();
    (dir, reader)
}

#[test]
fn every_fixture_lists_and_extracts_as_expected() {
    for name in ["infozip", "stored", "python-deflate", "zip64", "zip64-python-local", "sfx-spanned", "volumes"] {
        let (dir, reader) = fixture(name);
        check_fixture(&dir, &reader, list, extract);
    }
}

#[test]
fn sizes_and_checksums_come_from_the_central_directory() {
    let (_, stored) = fixture("stored");
    for entry in list(&stored, None, LABEL).unwrap().iter().filter(|e| e.kind == EntryKind::File) {
        assert_eq!(entry.packed_size, Some(entry.size), "stored: {}", entry.name);
    }
    let (_, deflated) = fixture("infozip");
    let entries = list(&deflated, None, LABEL).unwrap();
    let log = entries.iter().find(|e| e.name == "SQLSERVER2017/x64/setup.log.txt").unwrap();
    assert!(log.packed_size.is_some_and(|packed| packed < log.size));
}

/// Where the data of entry `index` starts in the archive.
fn data_start(reader: &SetReader, index: usize) -> usize {
    let mut archive = ZipArchive::new(reader.clone()).unwrap();
    let file = archive.by_index_raw(index).unwrap();
    file.data_start().unwrap() as usize
}

#[test]
fn a_flipped_byte_in_stored_data_is_an_integrity_failure_naming_the_entry() {
    let (_, reader) = fixture("stored");
    let entries = list(&reader, None, LABEL).unwrap();
    let index = entries.iter().position(|e| e.name == "SQLSERVER2017/SQLEXPR_x64_ENU.box").unwrap();
    let (_dir, damaged) = reader_over(&flipped(&read_all(&reader), data_start(&reader, index) + 1000));
    let all = vec![true; entries.len()];
    for threads in [1, 4] {
        let sink = HashingSink::default();
        let error = extract(&damaged, None, LABEL, &all, &sink, threads, &Cancel::new()).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Integrity, "{error}");
        assert!(
            error.to_string().contains(&format!("entry {index}")),
            "the sink's error comes back unchanged: {error}"
        );
        assert!(
            matches!(&sink.seen()[&index], Seen::Failed { checksum: true, message } if message.contains("CRC-32 mismatch"))
        );
    }
    // A sink that goes on gets every other entry intact.
    let sink = HashingSink::keep_going();
    extract(&damaged, None, LABEL, &all, &sink, 4, &Cancel::new()).unwrap();
    let seen = sink.seen();
    let failed: Vec<usize> = seen.iter().filter(|(_, s)| !matches!(s, Seen::Complete(..))).map(|(i, _)| *i).collect();
    assert_eq!(failed, [index]);
}

#[test]
fn a_flipped_byte_in_deflated_data_fails_the_entry() {
    let (dir, reader) = fixture("infozip");
    let expected = expected(&dir);
    let entries = list(&reader, None, LABEL).unwrap();
    let index = entries.iter().position(|e| e.name == "setup.exe").unwrap();
    let start = data_start(&reader, index);
    let packed = entries[index].packed_size.unwrap() as usize;
    let bytes = read_all(&reader);
    let mut kinds = Vec::new();
    for offset in (start + 10..start + packed).step_by(packed / 7) {
        let (_dir, damaged) = reader_over(&flipped(&bytes, offset));
        let sink = HashingSink::default();
        let all = vec![true; entries.len()];
        let error = extract(&damaged, None, LABEL, &all, &sink, 2, &Cancel::new()).unwrap_err();
        assert!(error.to_string().contains(&format!("entry {index}")), "{error}");
        assert!(!matches!(sink.seen()[&index], Seen::Complete(..)));
        kinds.push(error.kind());
        // Deflate decodes garbage or fails; either way, no other entry is touched.
        let sink = HashingSink::keep_going();
        extract(&damaged, None, LABEL, &all, &sink, 2, &Cancel::new()).unwrap();
        for (i, seen) in sink.seen() {
            if i != index {
                let (size, sha) = &expected[&entries[i].name];
                assert_eq!(seen, Seen::Complete(*size, sha.clone()));
            }
        }
    }
    assert!(kinds.iter().all(|k| matches!(k, crate::ErrorKind::Integrity | crate::ErrorKind::Payload)));
}

#[test]
fn an_unsupported_method_names_the_entry_and_the_method() {
    let (_, reader) = fixture("stored");
    let entries = list(&reader, None, LABEL).unwrap();
    let index = entries.iter().position(|e| e.name == "setup.exe").unwrap();
    let (local, central) = {
        let archive = ZipArchive::new(reader.clone()).unwrap();
        let entry = archive.by_index_data(index).unwrap();
        (entry.header_start() as usize, entry.central_header_start() as usize)
    };
    // Method 20 is unassigned; patch it into the local and central headers.
    let mut bytes = read_all(&reader);
    bytes[local + 8..local + 10].copy_from_slice(&20u16.to_le_bytes());
    bytes[central + 10..central + 12].copy_from_slice(&20u16.to_le_bytes());
    let (_dir, patched) = reader_over(&bytes);
    assert_eq!(list(&patched, None, LABEL).unwrap().len(), entries.len());
    let sink = HashingSink::default();
    let error = extract(&patched, None, LABEL, &vec![true; entries.len()], &sink, 2, &Cancel::new()).unwrap_err();
    assert_eq!(error.kind(), crate::ErrorKind::Payload);
    let text = error.to_string();
    assert!(text.contains("setup.exe") && text.contains("method") && text.contains("20"), "{text}");
    assert!(sink.seen().is_empty(), "said before anything is decoded");
}

#[test]
fn a_truncated_archive_is_an_error_not_a_panic() {
    let (_, reader) = fixture("infozip");
    let bytes = read_all(&reader);
    for cut in [bytes.len() - 1, bytes.len() - 30, bytes.len() / 2, 100, 4, 0] {
        let (_dir, truncated) = reader_over(&bytes[..cut]);
        let error = list(&truncated, None, LABEL).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Payload, "cut at {cut}: {error}");
        assert!(error.to_string().contains(LABEL), "{error}");
    }
    // The central directory intact but the first part of the set missing.
    let (dir, _) = fixture("sfx-spanned");
    let without_head = SetReader::open(&parts(&dir)[1..]).unwrap();
    let outcome = list(&without_head, None, LABEL).and_then(|entries| {
        let all = vec![true; entries.len()];
        extract(&without_head, None, LABEL, &all, &HashingSink::default(), 4, &Cancel::new())
    });
    assert!(outcome.is_err());
}

#[test]
fn links_are_listed_as_symlinks_and_never_extracted() {
    let reader = SetReader::open(&[testdata().join("hostile/symlink.zip")]).unwrap();
    let entries = list(&reader, None, LABEL).unwrap();
    let kinds: BTreeMap<&str, EntryKind> = entries.iter().map(|e| (e.name.as_str(), e.kind)).collect();
    assert_eq!(kinds, BTreeMap::from([("link", EntryKind::Symlink), ("normal.txt", EntryKind::File)]));
    let sink = HashingSink::default();
    extract(&reader, None, LABEL, &vec![true; entries.len()], &sink, 1, &Cancel::new()).unwrap();
    let normal = entries.iter().position(|e| e.name == "normal.txt").unwrap();
    assert_eq!(sink.seen().keys().copied().collect::<Vec<_>>(), vec![normal]);
}

#[test]
fn hostile_names_are_listed_as_stored_and_the_rest_extracts() {
    for (archive, evil) in [
        ("zip-slip.zip", "../evil.txt"),
        ("absolute.zip", "/etc/evil.txt"),
        ("drive-letter.zip", "C:/Windows/evil.txt"),
        ("windows-reserved.zip", "docs/CON"),
    ] {
        let reader = SetReader::open(&[testdata().join("hostile").join(archive)]).unwrap();
        let entries = list(&reader, None, LABEL).unwrap();
        let bad = entries.iter().find(|e| e.name == evil).unwrap_or_else(|| panic!("{archive}: {evil} not listed"));
        assert!(bad.path.is_none(), "{archive}: {evil} would land at {:?}", bad.path);
        let ok = entries.iter().position(|e| e.name == "ok.txt").unwrap();
        let selected: Vec<bool> = (0..entries.len()).map(|i| i == ok).collect();
        let sink = HashingSink::default();
        extract(&reader, None, LABEL, &selected, &sink, 1, &Cancel::new()).unwrap();
        assert!(matches!(sink.seen()[&ok], Seen::Complete(3, _)));
    }
}

#[test]
fn the_sinks_error_comes_back_unchanged() {
    struct Refusing;
    impl EntrySink for Refusing {
        fn file(&self, _: usize, _: &mut dyn Read) -> Result<()> {
            Err(Error::payload("the sink", "disk full"))
        }
    }
    let (_, reader) = fixture("infozip");
    let count = list(&reader, None, LABEL).unwrap().len();
    let error = extract(&reader, None, LABEL, &vec![true; count], &Refusing, 4, &Cancel::new()).unwrap_err();
    assert!(
        matches!(&error, Error::Payload { what, reason, .. } if what == "the sink" && reason == "disk full"),
        "{error}"
    );
}

#[test]
fn cancelling_stops_with_interrupted() {
    let (_, reader) = fixture("stored");
    let count = list(&reader, None, LABEL).unwrap().len();
    let cancel = Cancel::new();
    cancel.cancel();
    let sink = HashingSink::default();
    let error = extract(&reader, None, LABEL, &vec![true; count], &sink, 4, &cancel).unwrap_err();
    assert!(matches!(error, Error::Interrupted));
    assert!(sink.seen().is_empty());
}

const SECRET_SHA256: &str = "273f4f35ee01e47b83f2a40758a0de2cb31860b3efb3f958faf13c3a464ef9f6";

#[test]
fn encrypted_entries_need_the_right_password() {
    for (kind, bytes) in [("ZipCrypto", odd("zip-odd/zipcrypto.zip")), ("AES", odd("zip-odd/aes.zip"))] {
        let (_dir, reader) = reader_over(&bytes);
        let entries = list(&reader, None, LABEL).unwrap();
        assert_eq!(entries.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["secret.txt"], "{kind}");

        let error = extract(&reader, None, LABEL, &[true], &HashingSink::default(), 1, &Cancel::new()).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Payload, "{kind}");
        assert!(error.to_string().ends_with(&crate::vocab::hint::Hint::Password.to_string()), "{kind}: {error}");

        let error = extract(&reader, Some("wrong horse"), LABEL, &[true], &HashingSink::default(), 1, &Cancel::new())
            .unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Payload, "{kind}");
        assert!(error.to_string().contains("wrong password"), "{kind}: {error}");

        let sink = HashingSink::default();
        extract(&reader, Some("right horse"), LABEL, &[true], &sink, 1, &Cancel::new()).unwrap();
        assert_eq!(sink.seen()[&0], Seen::Complete(33, SECRET_SHA256.into()), "{kind}");
    }
}

#[test]
fn an_archive_naming_an_entry_twice_is_refused() {
    let (_dir, reader) = reader_over(&odd("zip-odd/duplicate-names.zip"));
    let error = list(&reader, None, LABEL).unwrap_err();
    assert_eq!(error.kind(), crate::ErrorKind::Payload);
    assert!(error.to_string().contains("more than once"), "{error}");
}

#[test]
fn kinds_follow_7zip_and_info_zip() {
    let unix = |mode: u32| mode << 16;
    assert_eq!(kind_of(true, System::Dos, 0, 0), EntryKind::Directory);
    assert_eq!(kind_of(false, System::Unix, unix(0o120777), 11), EntryKind::Symlink);
    assert_eq!(kind_of(false, System::Unix, unix(0o100644), 11), EntryKind::File);
    assert_eq!(kind_of(false, System::Unix, unix(0o040755), 0), EntryKind::Directory);
    // 7-Zip on Windows: DOS attributes, Unix mode flagged with 0x8000.
    assert_eq!(kind_of(false, System::Dos, unix(0o120777) | UNIX_EXTENSION | 0x20, 11), EntryKind::Symlink);
    // A Unix mode without the flag from a DOS host means nothing.
    assert_eq!(kind_of(false, System::Dos, unix(0o120777) | 0x20, 11), EntryKind::File);
    assert_eq!(kind_of(false, System::Dos, WINDOWS_REPARSE_POINT | 0x20, 11), EntryKind::Symlink);
    assert_eq!(kind_of(false, System::Dos, DOS_DIRECTORY, 0), EntryKind::Directory);
    // A folder attribute on an entry with data: keep the data.
    assert_eq!(kind_of(false, System::Dos, DOS_DIRECTORY, 5), EntryKind::File);
}

#[test]
fn dos_times_are_read_as_local_time() {
    let time = DateTime::from_date_and_time(2024, 1, 2, 3, 4, 4).unwrap();
    let local = dos_local_time(time).unwrap();
    let as_utc = SystemTime::UNIX_EPOCH + Duration::from_secs(1_704_164_644);
    let apart = local.duration_since(as_utc).unwrap_or_else(|e| e.duration());
    assert!(apart <= Duration::from_secs(14 * 3600), "{apart:?}");
}
