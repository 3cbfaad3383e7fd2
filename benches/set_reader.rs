//! The multi-part reader: sequential and random reads across part boundaries.
//!
//! 7z and zip decoding read through it, so its overhead per read (finding
//! the part, copying from the map) must stay far below decompression cost.

use std::hint::black_box;
use std::io::{Read, Seek, SeekFrom};

use airlock::SetReader;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const PART: usize = 8 << 20;
const PARTS: usize = 8;

fn readers(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<_> = (0..PARTS)
        .map(|n| {
            let path = dir.path().join(format!("Set.7z.{:03}", n + 1));
            std::fs::write(&path, vec![n as u8; PART]).unwrap();
            path
        })
        .collect();
    let total = (PART * PARTS) as u64;
    let mut group = c.benchmark_group("set_reader");
    group.throughput(Throughput::Bytes(total));
    for (label, mapped) in [("sequential_mmap", true), ("sequential_pread", false)] {
        let reader = if mapped { SetReader::open(&paths) } else { SetReader::open_buffered(&paths) }.unwrap();
        group.bench_function(label, |b| {
            let mut buffer = vec![0u8; 64 << 10];
            b.iter(|| {
                let mut r = reader.clone();
                let mut sum = 0u64;
                loop {
                    let n = r.read(&mut buffer).unwrap();
                    if n == 0 {
                        break;
                    }
                    sum += u64::from(buffer[n - 1]);
                }
                black_box(sum)
            })
        });
    }
    // 4 KiB reads at offsets that straddle part boundaries, like a zip
    // decoder jumping between local headers.
    const READS: u64 = 4096;
    group.throughput(Throughput::Bytes(READS * 4096));
    let reader = SetReader::open(&paths).unwrap();
    group.bench_function("random_4k_across_boundaries", |b| {
        let mut buffer = vec![0u8; 4096];
        b.iter(|| {
            let mut r = reader.clone();
            let mut state = 0x2545_f491_4f6c_dd1d_u64;
            for _ in 0..READS {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let offset = state % (total - 4096);
                r.seek(SeekFrom::Start(offset)).unwrap();
                r.read_exact(&mut buffer).unwrap();
            }
            black_box(buffer[0])
        })
    });
    group.finish();
}

criterion_group!(benches, readers);
criterion_main!(benches);
