//! Header numbers near `u64::MAX`: a hostile archive that declares sizes
//! whose sums cannot be held must end in exit 5 with one line naming the
//! part, never a panic (debug builds) or a wrapped sum (release builds).

mod common;

use std::path::Path;

/// A 7z signature header whose archive would end past 2^64 bytes: the start
/// header's CRC is valid, so it is found as a 7z archive after `stub` bytes.
fn sevenz_past_u64_max(stub: usize) -> Vec<u8> {
    let mut start = Vec::new();
    start.extend_from_slice(&(u64::MAX - 100).to_le_bytes()); // next header offset
    start.extend_from_slice(&10u64.to_le_bytes()); // next header size
    start.extend_from_slice(&0u32.to_le_bytes()); // next header CRC
    let mut bytes = vec![b'x'; stub];
    bytes.extend_from_slice(b"7z\xBC\xAF\x27\x1C\x00\x04");
    bytes.extend_from_slice(&crc32fast::hash(&start).to_le_bytes());
    bytes.extend_from_slice(&start);
    bytes.extend_from_slice(&[0u8; 64]);
    bytes
}

fn run_in(dir: &Path, args: &[&str]) -> common::Run {
    let mut command = assert_cmd::Command::cargo_bin("airlock").unwrap();
    let output = command.current_dir(dir).args(args).output().unwrap();
    common::Run { args: args.iter().map(|a| a.to_string()).collect(), output }
}

#[test]
fn a_7z_header_declaring_an_archive_past_u64_max_is_a_payload_error_naming_the_part() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(temp.path().join("hostile.7z"), sevenz_past_u64_max(64)).unwrap();
    // As users type it: the bare name, from inside the folder.
    let run = run_in(temp.path(), &["check", "hostile.7z"]);
    run.expect(5).mentions(&["hostile.7z", "2^64"]);
    assert!(!run.stderr().contains("panicked"), "{}", run.dump());

    let dest = temp.path().join("out");
    let run = run_in(temp.path(), &["extract", "./hostile.7z", "-d", "out", "--min-free", "0"]);
    run.expect(5).mentions(&["hostile.7z", "2^64"]);
    assert!(!run.stderr().contains("panicked"), "{}", run.dump());
    assert!(!dest.exists() || std::fs::read_dir(&dest).unwrap().next().is_none(), "{}", run.dump());
}
