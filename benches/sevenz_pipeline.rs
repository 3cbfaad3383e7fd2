//! The 7z intra-block pipeline (issue 14): one solid BCJ + LZMA2 block of
//! many files, decoded into files on disk
//!
//! - `plain`: decoding, the BCJ filter, CRC-32 checks and writes on one thread;
//! - `piped`: the writes on a second thread ([`airlock`]'s `payload::pipe`);
//! - `policy`: as `airlock extract` decodes it, which on a multi-core machine
//!   also gives the block LZMA2 threads when its stream has independent
//!   chunks (7-Zip's multi-threaded `-mx1` writes them; `-mx5` on few cores
//!   does not).
//!
//! Each row is uncompressed bytes per second. The archive is made before
//! timing by `7zz a -mx1 -ms=on` when 7-Zip is installed, else by
//! sevenz-rust2's writer (BCJ + LZMA2, 1 MiB independent chunks): 24 MiB of
//! compressible files shaped like binaries plus 8 MiB incompressible.

use std::path::Path;
use std::process::Command;

use airlock::benching::{SevenZWay, sevenz_extract_into};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

mod support;

/// Writes the payload's files into `dir`; returns their total size.
fn payload(dir: &Path) -> u64 {
    let mut next = support::xorshift();
    let mut total = 0;
    for n in 0..96 {
        let size = 64 << 10 | (next() % (384 << 10)) as usize;
        let bytes: Vec<u8> = (0..size).map(|i| if i % 7 == 0 { next() as u8 } else { (i / 64) as u8 }).collect();
        total += bytes.len() as u64;
        std::fs::write(dir.join(format!("lib{n}.so")), bytes).unwrap();
    }
    let cab: Vec<u8> = (0..2 << 20).flat_map(|_| (next() as u32).to_le_bytes()).collect();
    total += cab.len() as u64;
    std::fs::write(dir.join("data.cab"), cab).unwrap();
    total
}

fn make_archive(tree: &Path, archive: &Path) {
    let made = Command::new("7zz")
        .args(["a", "-bd", "-t7z", "-mx1", "-ms=on", "-mf=BCJ"])
        .arg(archive)
        .arg(".")
        .current_dir(tree)
        .stdout(std::process::Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if made {
        return;
    }
    eprintln!("7zz not installed: the archive is sevenz-rust2's (apt-get install 7zip for 7-Zip's)");
    use sevenz_rust2::encoder_options::Lzma2Options;
    use sevenz_rust2::{ArchiveEntry, ArchiveWriter, EncoderMethod, SourceReader};
    let mut writer = ArchiveWriter::create(archive).unwrap();
    // Listed from the packed side: LZMA2 over the BCJ-filtered bytes.
    writer.set_content_methods(vec![
        Lzma2Options::from_level_mt(1, 2, 1 << 20).into(),
        EncoderMethod::BCJ_X86_FILTER.into(),
    ]);
    let mut names: Vec<_> = std::fs::read_dir(tree).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    let entries = names.iter().map(|p| ArchiveEntry::new_file(&p.file_name().unwrap().to_string_lossy())).collect();
    let readers = names.iter().map(|p| SourceReader::from(std::fs::File::open(p).unwrap())).collect();
    writer.push_archive_entries(entries, readers).unwrap();
    writer.finish().unwrap();
}

fn pipeline(c: &mut Criterion) {
    let work = tempfile::tempdir().unwrap();
    let tree = work.path().join("payload");
    std::fs::create_dir(&tree).unwrap();
    let bytes = payload(&tree);
    let archive = work.path().join("Solid.7z");
    make_archive(&tree, &archive);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut group = c.benchmark_group("sevenz_pipeline");
    group.throughput(Throughput::Bytes(bytes));
    group.sample_size(10);
    let ways = [
        ("plain", SevenZWay::Fixed { threads: 1, piped: false }),
        ("piped", SevenZWay::Fixed { threads: 1, piped: true }),
        ("policy", SevenZWay::Policy),
    ];
    for (name, way) in ways {
        group.bench_function(name, |b| {
            b.iter_batched(
                || tempfile::tempdir().unwrap(),
                |out| {
                    sevenz_extract_into(&archive, out.path(), threads, way).unwrap();
                    out
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
