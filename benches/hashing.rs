//! SHA-256 of a multi-part set: one thread against all, mmap against reads.
//!
//! The fixture (six 48 MiB parts and a 2 MiB head, like the vendor set at
//! 1/11 scale) is written before timing starts and stays in the page cache,
//! so this measures hashing and memory traffic, not the disk.

use std::hint::black_box;
use std::path::PathBuf;

use airlock::{Cancel, HashOptions, NoProgress, PartAccess, hash_files};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

const PART: usize = 48 << 20;
const PARTS: usize = 6;

fn fixture() -> (tempfile::TempDir, Vec<PathBuf>, u64) {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = vec![dir.path().join("Set.exe")];
    std::fs::write(&paths[0], vec![0x4d; 2 << 20]).unwrap();
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    for n in 1..=PARTS {
        let bytes: Vec<u8> = (0..PART)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        let path = dir.path().join(format!("Set-{n}.bin"));
        std::fs::write(&path, bytes).unwrap();
        paths.push(path);
    }
    let total = paths.iter().map(|p| std::fs::metadata(p).unwrap().len()).sum();
    (dir, paths, total)
}

fn hashing(c: &mut Criterion) {
    let (_dir, paths, total) = fixture();
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut group = c.benchmark_group("sha256_parts");
    group.throughput(Throughput::Bytes(total));
    group.sample_size(10);
    for (label, threads, access) in [
        ("1_thread_mmap", 1, PartAccess::Map),
        ("all_threads_mmap", all, PartAccess::Map),
        ("1_thread_read", 1, PartAccess::Read),
        ("all_threads_read", all, PartAccess::Read),
        ("all_threads_auto", all, PartAccess::Auto),
    ] {
        group.bench_function(label, |b| {
            b.iter(|| {
                let digests = hash_files(
                    black_box(&paths),
                    HashOptions::default().threads(threads).access(access),
                    &NoProgress,
                    &Cancel::new(),
                );
                assert!(digests.iter().all(Result::is_ok));
                digests
            })
        });
    }
    group.finish();

    // The same parts read from the disk, not the cache (each part's pages
    // dropped before every run): side by side, as on a fixed disk, against
    // one after the other with the reads ahead of the hash, as on removable
    // media, and against one thread reading and hashing in turns.
    let mut group = c.benchmark_group("sha256_parts_uncached");
    group.throughput(Throughput::Bytes(total));
    group.sample_size(10);
    let forget = || paths.iter().for_each(|path| airlock::benching::forget_cached(path));
    group.bench_function("all_threads_auto", |b| {
        b.iter_batched(
            forget,
            |()| hash_files(&paths, HashOptions::default().threads(all), &NoProgress, &Cancel::new()),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("1_thread_read", |b| {
        b.iter_batched(
            forget,
            |()| {
                hash_files(
                    &paths,
                    HashOptions::default().threads(1).access(PartAccess::Read),
                    &NoProgress,
                    &Cancel::new(),
                )
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("in_turn_read_ahead", |b| {
        b.iter_batched(forget, |()| airlock::benching::hash_in_turn(&paths), BatchSize::PerIteration)
    });
    group.finish();
}

criterion_group!(benches, hashing);
criterion_main!(benches);
