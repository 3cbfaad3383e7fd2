//! Extraction throughput (uncompressed bytes written per second) for each
//! payload format, through the public API exactly as the CLI calls it.
//!
//! Fixtures are built before timing starts: the real Inno Setup 6.2 bench set
//! committed in `testdata/inno-bench` (80 MB payload, LZMA2 solid), and a
//! 7z and a zip archive of a generated payload (large random files like cab
//! archives, many small compressible files like binaries) made with `7zz` and
//! Info-ZIP `zip` when they are installed. Each iteration extracts into a
//! fresh folder.

use std::path::{Path, PathBuf};
use std::process::Command;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

mod support;

/// A payload of `random_mib` MiB of incompressible files plus 200 small
/// compressible ones.
fn payload(dir: &Path, random_mib: usize) -> u64 {
    let mut next = support::xorshift();
    let sql = dir.join("SQLSERVER2017");
    std::fs::create_dir_all(&sql).unwrap();
    let mut total = 0u64;
    for n in 0..4 {
        let bytes: Vec<u8> = (0..random_mib << 18).flat_map(|_| (next() as u32).to_le_bytes()).collect();
        total += bytes.len() as u64;
        std::fs::write(sql.join(format!("part{n}.box")), bytes).unwrap();
    }
    let bin = dir.join("SCDPM/bin");
    std::fs::create_dir_all(&bin).unwrap();
    for n in 0..200 {
        let size = 16_384 + (next() % 131_072) as usize;
        let bytes: Vec<u8> = (0..size).map(|i| if i % 7 == 0 { next() as u8 } else { (i / 64) as u8 }).collect();
        total += bytes.len() as u64;
        std::fs::write(bin.join(format!("module{n}.dll")), bytes).unwrap();
    }
    std::fs::write(dir.join("setup.exe"), vec![0x90u8; 1 << 20]).unwrap();
    total + (1 << 20)
}

fn have(tool: &str) -> bool {
    Command::new(tool).arg("--help").output().is_ok()
}

fn bench_extract(c: &mut Criterion, name: &str, set: &Path, bytes: u64) {
    let found = airlock::discover(set).unwrap();
    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Bytes(bytes));
    group.sample_size(10);
    group.bench_function(name, |b| {
        b.iter_batched(
            || tempfile::tempdir().unwrap(),
            |out| {
                let _report = support::extract(&found, out.path(), false);
                out
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn extraction(c: &mut Criterion) {
    let inno: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/inno-bench");
    let inno_bytes = support::expected_bytes(&inno);
    bench_extract(c, "inno_lzma2_solid", &inno, inno_bytes);

    let work = tempfile::tempdir().unwrap();
    let tree = work.path().join("payload");
    std::fs::create_dir(&tree).unwrap();
    let bytes = payload(&tree, 16);
    let inputs = ["setup.exe", "SQLSERVER2017", "SCDPM"];
    if have("7zz") {
        for (name, solid) in [("7z_lzma2_multiblock", "-ms=4m"), ("7z_lzma2_solid", "-ms=on")] {
            let dir = work.path().join(name);
            std::fs::create_dir(&dir).unwrap();
            let archive = dir.join("Bench.7z");
            let status = Command::new("7zz")
                .args(["a", "-bd", "-mx1", solid])
                .arg(&archive)
                .args(inputs)
                .current_dir(&tree)
                .stdout(std::process::Stdio::null())
                .status()
                .unwrap();
            assert!(status.success());
            bench_extract(c, name, &archive, bytes);
        }
    } else {
        eprintln!("7zz not installed: skipping the 7z extraction benches (apt-get install 7zip)");
    }
    if have("zip") {
        let dir = work.path().join("zip");
        std::fs::create_dir(&dir).unwrap();
        let archive = dir.join("Bench.zip");
        let status = Command::new("zip")
            .args(["-q", "-r", "-6"])
            .arg(&archive)
            .args(inputs)
            .current_dir(&tree)
            .status()
            .unwrap();
        assert!(status.success());
        bench_extract(c, "zip_deflate", &archive, bytes);
    } else {
        eprintln!("Info-ZIP zip not installed: skipping the zip extraction bench (apt-get install zip)");
    }
}

criterion_group!(benches, extraction);
criterion_main!(benches);
