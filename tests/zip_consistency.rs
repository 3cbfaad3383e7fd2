//! Issue 25, item 2: a zip archive that disagrees with itself is refused
//! before anything is written (exit 5, naming the entries), and one with
//! more than 65 535 entries, whose end records are zip64, is read.
//!
//! The inconsistent archives are `testdata/zip-inconsistent/` (Python's
//! zipfile plus the byte edits its `make.py` and README describe); the large
//! one is written here with the zip crate, as it is 70 000 entries.

mod common;

use std::io::Write;
use std::path::Path;

use common::{airlock, testdata};

const PAYLOAD: i32 = 5;

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// `list` and `extract` both refuse `fixture` with exit 5 and a line saying
/// `needles`; DEST is never created.
#[track_caller]
fn refused(fixture: &str, needles: &[&str]) {
    let archive = testdata(&format!("zip-inconsistent/{fixture}"));
    let temp = tempfile::tempdir().unwrap();
    let dest = temp.path().join("out");
    let run = airlock(["extract", s(&archive), "-d", s(&dest), "--min-free", "0"]);
    run.expect(PAYLOAD).mentions(needles);
    assert_eq!(run.stderr().lines().count(), 1, "one line\n{}", run.dump());
    assert!(!dest.exists(), "DEST was created\n{}", run.dump());
    airlock(["list", s(&archive)]).expect(PAYLOAD).mentions(needles);
}

#[test]
fn entries_that_overlap_are_refused_as_a_zip_bomb_would_be() {
    refused("overlap.zip", &["outer.bin", "inner.txt", "overlap", "disagrees with itself"]);
}

#[test]
fn central_entries_sharing_one_local_header_are_refused() {
    refused("shared-header.zip", &["one.txt", "two.txt", "share one local header"]);
}

#[test]
fn a_local_header_naming_another_file_than_its_central_entry_is_refused() {
    refused("local-name.zip", &["setup.exe", "../../evil.txt", "local header"]);
}

#[test]
fn a_folder_entry_carrying_data_is_refused_not_dropped() {
    refused("folder-with-data.zip", &["docs/", "12 bytes", "folder"]);
}

#[test]
fn a_path_that_is_both_a_file_and_a_folder_is_the_payloads_fault() {
    let archive = testdata("zip-inconsistent/file-and-folder.zip");
    let temp = tempfile::tempdir().unwrap();
    let dest = temp.path().join("out");
    let run = airlock(["extract", s(&archive), "-d", s(&dest), "--min-free", "0"]);
    run.expect(PAYLOAD).mentions(&["docs", "docs/readme.txt", "both a file", "a folder"]);
    assert!(!dest.exists(), "DEST was created\n{}", run.dump());
}

#[test]
fn a_zip_of_more_than_65535_entries_is_read_through_its_zip64_end_records() {
    const COUNT: usize = 70_000;
    let temp = tempfile::tempdir().unwrap();
    let archive = temp.path().join("Many.zip");
    let mut writer = zip::ZipWriter::new(std::io::BufWriter::new(std::fs::File::create(&archive).unwrap()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for n in 0..COUNT {
        writer.start_file(format!("d{}/f{n}.txt", n / 1000), stored).unwrap();
        writer.write_all(format!("{n}\n").as_bytes()).unwrap();
    }
    writer.finish().unwrap();
    // Written as Python's zipfile and Info-ZIP write it (the form the issue
    // found refused): the end record counts 0xFFFF entries, the true count is
    // in the zip64 record before it, and the central directory's size and
    // offset, which fit in 32 bits, are in the end record as they are. The
    // zip crate marks those two 0xFFFFFFFF too; they are set from its zip64
    // record.
    let mut bytes = std::fs::read(&archive).unwrap();
    let end = bytes.len() - 22;
    assert_eq!(&bytes[end..end + 4], b"PK\x05\x06");
    assert_eq!(&bytes[end + 10..end + 12], &[0xff, 0xff], "the fixture is not a zip64-count archive");
    let record = bytes.windows(4).rposition(|w| w == b"PK\x06\x06").expect("a zip64 end record");
    let (size, offset) = (bytes[record + 40..record + 44].to_vec(), bytes[record + 48..record + 52].to_vec());
    bytes[end + 12..end + 16].copy_from_slice(&size);
    bytes[end + 16..end + 20].copy_from_slice(&offset);
    std::fs::write(&archive, &bytes).unwrap();

    let run = airlock(["list", "--json", s(&archive)]);
    run.expect(0);
    let entries = run.json()["entries"].as_array().map(Vec::len);
    assert_eq!(entries, Some(COUNT), "{}", &run.stdout()[..run.stdout().len().min(400)]);
    let dest = temp.path().join("out");
    airlock(["extract", s(&archive), "-d", s(&dest), "--min-free", "0", "--include", "d69/f69999.txt"]).expect(0);
    assert_eq!(std::fs::read_to_string(dest.join("d69/f69999.txt")).unwrap(), "69999\n");
}
