//! The Inno Setup decode/write pipeline (issue 14): one thread decodes the
//! installer's LZMA2 stream, the other checks each file's checksum, writes it
//! and hashes the parts alongside. Each row is uncompressed payload bytes per
//! second, through the public API as the CLI calls it:
//!
//! - `extract_no_verify`: decode → file checksum → staged write → commit;
//! - `extract_verified`: the same with every part hashed against the set's
//!   `SHA256SUMS` at the same time (at background priority);
//! - `verify_deep`: the parts hashed and every file decoded and checked,
//!   nothing written.
//!
//! The set is the real Inno Setup 6.2 installer committed in
//! `testdata/inno-bench` (80 MB payload, LZMA2 solid, 5 slices), or the
//! vendor-sized one `../shared/tools/make-inno-bench.sh DIR` builds (1.3 GB)
//! when `AIRLOCK_INNO_VENDOR=DIR` is set.

use std::path::{Path, PathBuf};

use airlock::{NoProgress, VerifyOptions};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

mod support;

fn pipeline(c: &mut Criterion) {
    let set: PathBuf = match std::env::var_os("AIRLOCK_INNO_VENDOR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/inno-bench"),
    };
    let found = airlock::discover(&set.join("MicrosoftAzureBackupInstaller.exe")).unwrap();
    let mut group = c.benchmark_group("inno_pipeline");
    group.throughput(Throughput::Bytes(support::expected_bytes(&set)));
    group.sample_size(10);
    for (name, verify_parts) in [("extract_no_verify", false), ("extract_verified", true)] {
        group.bench_function(name, |b| {
            b.iter_batched(
                || tempfile::tempdir().unwrap(),
                |out| {
                    let report = support::extract(&found, out.path(), verify_parts);
                    assert_eq!(report.verified_with.is_some(), verify_parts);
                    out
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.bench_function("verify_deep", |b| {
        b.iter(|| {
            let options = VerifyOptions::default().deep(true);
            let report = airlock::verify(&found, &options, &NoProgress).unwrap();
            assert!(report.deep.as_ref().is_some_and(|deep| deep.failures.is_empty()));
        })
    });
    group.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
