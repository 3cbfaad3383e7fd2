//! Authenticode verification of signed fixtures: the time `check`, `verify`
//! and `list` add for the installer's signature.
//!
//! - `msvc-dll`: a 31 KB Microsoft DLL, two signatures, RFC 3161 timestamps,
//!   4096-bit roots (the work is almost all RSA);
//! - `inno-6.4.1`: a 1.8 MB test-signed Inno Setup installer (the work is
//!   the SHA-256 of the file plus one chain).

use std::hint::black_box;
use std::path::Path;

use airlock::{Cancel, SignerPolicy, verify_authenticode};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/authenticode");
    let mut test_trust = SignerPolicy::builtin();
    test_trust.add_root_file(&data.join("pki/root.pem")).unwrap();
    let cases = [
        ("msvc-dll", data.join("real/msvcp140_codecvt_ids.dll"), SignerPolicy::builtin()),
        ("inno-6.4.1", data.join("inno/inno-6.4.1-signed.exe"), test_trust),
    ];
    let mut group = c.benchmark_group("authenticode");
    for (name, path, trust) in &cases {
        let report = verify_authenticode(path, trust, &Cancel::new()).unwrap().unwrap();
        assert!(report.is_valid(), "{name}: {:?}", report.status);
        group.throughput(Throughput::Bytes(std::fs::metadata(path).unwrap().len()));
        group
            .bench_function(*name, |b| b.iter(|| black_box(verify_authenticode(path, trust, &Cancel::new()).unwrap())));
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(5));
    targets = bench
}
criterion_main!(benches);
