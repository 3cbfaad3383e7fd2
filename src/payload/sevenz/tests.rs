//! Fixtures under `testdata/` were made by the real 7-Zip (see
//! `testdata/make-archives.sh`; the encrypted and Deflate ones in
//! `testdata/sevenz-odd/README.md`). The support code is `payload::testing`,
//! shared with the zip tests.

#![allow(clippy::arithmetic_side_effects)] // fixed fixture numbers

use std::collections::BTreeMap;
use std::io::Read;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;

use sevenz_rust2::{Archive, Password};

use super::plan::lzma2_dictionary;
use crate::payload::testing::{
    HashingSink, LABEL, Seen, check_fixture, expected, flipped, odd, parts, read_all, reader_over, testdata,
};
use crate::payload::{EntryKind, EntrySink};
use crate::read::set_reader::SetReader;
use crate::vocab::error::{Error, Result};
use crate::vocab::progress::Cancel;

const SIGNATURE: &[u8] = b"7z\xBC\xAF\x27\x1C";

// `list` and `extract` with the request's fields given one by one, as the tests call them.
crate::payload::testing::positional!(SevenZ);

fn fixture(name: &str) -> (PathBuf, SetReader) {
    let dir = testdata().join("sevenz").join(name);
    let reader = SetReader::open(&parts(&dir)).unwrap();
    (dir, reader)
}

/// The view starting at the 7z signature, past any stub.
fn past_stub(reader: &SetReader) -> SetReader {
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
    let (failed, _) = seen.iter().find(|(_, s)| matches!(s, Seen::Failed { .. })).expect("the sink saw the failure");
    assert!(error.to_string().contains(&format!("entry {failed}")), "the sink's error comes back unchanged: {error}");
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
                    assert_eq!((size, sha), (&expected[&entries[*index].name].0, &expected[&entries[*index].name].1));
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
    let (_dir, reader) = reader_over(&odd("sevenz-odd/header-encrypted.7z"));
    let error = list(&reader, None, LABEL).unwrap_err();
    assert_eq!(error.kind(), crate::ErrorKind::Payload);
    assert!(error.to_string().ends_with(&crate::vocab::hint::Hint::Password.to_string()), "{error}");
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
    let (_dir, reader) = reader_over(&odd("sevenz-odd/data-encrypted.7z"));
    let entries = list(&reader, None, LABEL).unwrap();
    assert_eq!(entries.len(), 1);

    let error = extract(&reader, None, LABEL, &[true], &HashingSink::default(), 1, &Cancel::new()).unwrap_err();
    assert_eq!(error.kind(), crate::ErrorKind::Payload);
    assert!(
        error.to_string().contains("encrypted")
            && error.to_string().ends_with(&crate::vocab::hint::Hint::Password.to_string()),
        "{error}"
    );

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
    let (_dir, reader) = reader_over(&odd("sevenz-odd/deflate.7z"));
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

/// `extract` with every block decoded by `threads` LZMA2 threads, piped or not.
fn extract_fixed(reader: &SetReader, sink: &dyn EntrySink, threads: u32, piped: bool) -> Result<()> {
    let (format, entries) = super::SevenZ::read(reader.clone(), None, LABEL).unwrap();
    let all = vec![true; entries.len()];
    let cancel = Cancel::new();
    let request = crate::payload::Request::new(&all, 2, &cancel);
    format.extract_as(&request, sink, Some((threads, piped)))
}

/// A solid 7z whose LZMA2 stream 7-Zip's two-thread encoder cut into
/// independent 1 MiB units (`testdata/sevenz/mt-chunks`, see testdata/README.md).
fn chunked_solid() -> (PathBuf, SetReader) {
    fixture("mt-chunks")
}

#[test]
fn a_piped_block_decodes_to_the_same_bytes_as_an_unpiped_one() {
    let (_, solid) = fixture("solid");
    let (_, chunked) = chunked_solid();
    for reader in [&solid, &chunked] {
        let plain = HashingSink::default();
        extract_fixed(reader, &plain, 1, false).unwrap();
        assert!(plain.seen().values().all(|seen| matches!(seen, Seen::Complete(..))));
        for (threads, piped) in [(1, true), (2, false), (2, true)] {
            let sink = HashingSink::default();
            extract_fixed(reader, &sink, threads, piped).unwrap();
            assert_eq!(sink.seen(), plain.seen(), "{threads} threads, piped: {piped}");
        }
    }
}

#[test]
fn a_chunked_solid_block_gets_lzma2_threads_and_a_pipe() {
    let (_, reader) = chunked_solid();
    let archive = Archive::read(&mut reader.clone(), &Password::empty()).unwrap();
    let units = super::schedule::scan_lzma2(&archive, 0, &reader).expect("independent chunks");
    assert!(units.count >= 3, "{units:?}");
    assert!(units.largest <= 1 << 20, "{units:?}");
    let wanted = vec![true; archive.files.len()];
    let mut plan = super::plan::plan(&archive, &wanted, LABEL).unwrap();
    super::schedule::apply(&mut plan.blocks, &archive, &reader, 2, 160 << 20, false);
    assert_eq!((plan.blocks[0].mode.threads, plan.blocks[0].mode.piped), (2, true));
    // Deep verification, which names each damaged entry, gets no LZMA2 threads.
    super::schedule::apply(&mut plan.blocks, &archive, &reader, 2, 160 << 20, true);
    assert_eq!((plan.blocks[0].mode.threads, plan.blocks[0].mode.piped), (1, true));
    super::schedule::apply(&mut plan.blocks, &archive, &reader, 2, 160 << 20, false);
    assert_eq!((plan.blocks[0].mode.threads, plan.blocks[0].mode.piped), (2, true));
    // 7-Zip's fixtures, written by one encoder thread: one unit, no threads.
    let (_, solid) = fixture("solid");
    let archive = Archive::read(&mut solid.clone(), &Password::empty()).unwrap();
    assert!((0..archive.blocks.len()).all(|block| super::schedule::scan_lzma2(&archive, block, &solid).is_none()));
}

#[test]
fn a_damaged_entry_in_a_piped_block_fails_the_same_way() {
    let (_, reader) = fixture("solid");
    let (_dir, damaged) = reader_over(&flipped(&read_all(&reader), 600_000));
    let (_, chunked) = chunked_solid();
    let (_dir3, damaged_chunks) = reader_over(&flipped(&read_all(&chunked), 30_000));
    for (damaged, threads) in [(&damaged, 1), (&damaged_chunks, 2)] {
        let plain = HashingSink::default();
        let expected = extract_fixed(damaged, &plain, 1, false).unwrap_err();
        let sink = HashingSink::default();
        let error = extract_fixed(damaged, &sink, threads, true).unwrap_err();
        assert_eq!(error.kind(), expected.kind(), "{error} / {expected}");
        if threads == 1 {
            assert_eq!(error.to_string(), expected.to_string());
        }
        // Going on past the damage, every entry is heard of as before.
        let plain = HashingSink::keep_going();
        extract_fixed(damaged, &plain, 1, false).unwrap();
        let sink = HashingSink::keep_going();
        extract_fixed(damaged, &sink, threads, true).unwrap();
        assert_eq!(sink.seen().keys().collect::<Vec<_>>(), plain.seen().keys().collect::<Vec<_>>());
        let failed = |seen: BTreeMap<usize, Seen>| -> Vec<usize> {
            seen.into_iter().filter(|(_, s)| matches!(s, Seen::Failed { .. })).map(|(i, _)| i).collect()
        };
        assert!(!failed(plain.seen()).is_empty());
        if threads == 1 {
            assert_eq!(failed(sink.seen()), failed(plain.seen()));
        }
    }
}

#[test]
fn a_piped_sinks_error_and_panic_come_back_as_themselves() {
    struct Refusing;
    impl EntrySink for Refusing {
        fn file(&self, _: usize, _: &mut dyn Read) -> Result<()> {
            Err(Error::payload("the sink", "disk full"))
        }
    }
    struct Panicking;
    impl EntrySink for Panicking {
        fn file(&self, _: usize, _: &mut dyn Read) -> Result<()> {
            panic!("bug in the sink")
        }
    }
    let (_, reader) = fixture("solid");
    let error = extract_fixed(&reader, &Refusing, 1, true).unwrap_err();
    assert!(
        matches!(&error, Error::Payload { what, reason, .. } if what == "the sink" && reason == "disk full"),
        "{error}"
    );
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| extract_fixed(&reader, &Panicking, 1, true)));
    let panic = outcome.expect_err("the sink's panic reaches the caller");
    assert_eq!(panic.downcast_ref::<&str>(), Some(&"bug in the sink"));
}
