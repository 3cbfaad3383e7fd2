//! The writeback path: bytes made durable as they are written, through the
//! public API exactly as the CLI calls it.
//!
//! - `writeback/extract`: extraction of a multi-file payload (four 12 MiB
//!   cab-like files and 64 small ones) stored without compression, so that
//!   decoding costs next to nothing and what is timed is the writing: each
//!   file's writeback started as it is written and the window before waited
//!   for (`platform::settle_written`), the one flush before the commit, the
//!   renames. Bytes/s of payload.
//! - `writeback/stage`: staging of the same set to a folder: each part read
//!   once from the source and hashed as it is copied, flushed, and read back
//!   from the device while the next part is copied. Bytes/s of the set.
//!
//! The set is generated before timing starts: a stored zip after a 64 KiB
//! stub, split into `NAME.exe` and `NAME-1.bin` … `NAME-4.bin`, the shape of
//! a vendor's download. Both write into fresh folders under Cargo's target
//! folder (on the disk, not a tmpfs `/tmp`, where a flush costs nothing).

use std::path::Path;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

mod support;

const NAME: &str = "MicrosoftAzureBackupInstaller";

/// Writes the set into `dir`; returns its payload's bytes and the set's.
fn make_set(dir: &Path) -> (u64, u64) {
    use std::io::Write;
    let mut next = support::xorshift();
    let mut archive = std::io::Cursor::new(Vec::new());
    let mut writer = zip::ZipWriter::new(&mut archive);
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut payload = 0u64;
    let mut add = |writer: &mut zip::ZipWriter<_>, name: String, bytes: Vec<u8>| {
        payload += bytes.len() as u64;
        writer.start_file(name, stored).unwrap();
        writer.write_all(&bytes).unwrap();
    };
    for n in 0..4 {
        let bytes: Vec<u8> = (0..12 << 18).flat_map(|_| (next() as u32).to_le_bytes()).collect();
        add(&mut writer, format!("SQLSERVER2017/part{n}.cab"), bytes);
    }
    for n in 0..64 {
        let size = 16_384 + (next() % 131_072) as usize;
        let bytes: Vec<u8> = (0..size).map(|i| if i % 7 == 0 { next() as u8 } else { (i / 64) as u8 }).collect();
        add(&mut writer, format!("SCDPM/bin/module{n}.dll"), bytes);
    }
    writer.finish().unwrap();
    let mut set = vec![0u8; 64 << 10];
    set[..2].copy_from_slice(b"MZ");
    set.extend_from_slice(archive.get_ref());
    for (n, piece) in set.chunks(set.len().div_ceil(5)).enumerate() {
        let name = if n == 0 { format!("{NAME}.exe") } else { format!("{NAME}-{n}.bin") };
        std::fs::write(dir.join(name), piece).unwrap();
    }
    (payload, set.len() as u64)
}

/// A fresh folder on the disk, beside the build.
fn on_disk() -> tempfile::TempDir {
    tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap()
}

fn writeback(c: &mut Criterion) {
    let work = on_disk();
    let (payload, set_bytes) = make_set(work.path());
    let set = airlock::discover(&work.path().join(format!("{NAME}.exe"))).unwrap();
    assert_eq!(set.parts.len(), 5, "the generated set is five parts");

    let mut group = c.benchmark_group("writeback");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(payload));
    group.bench_function("extract", |b| {
        b.iter_batched(
            on_disk,
            |out| {
                let report = support::extract(&set, out.path(), false);
                assert_eq!(report.bytes_written, payload);
                out
            },
            BatchSize::PerIteration,
        )
    });
    group.throughput(Throughput::Bytes(set_bytes));
    group.bench_function("stage", |b| {
        b.iter_batched(
            on_disk,
            |media| {
                let options = airlock::StageOptions::new(media.path().join("usb"));
                let report = airlock::stage(&set, &options, &airlock::NoProgress).unwrap();
                assert_eq!(report.bytes_copied, set_bytes);
                media
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, writeback);
criterion_main!(benches);
