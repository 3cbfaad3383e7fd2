//! Embedding airlock: stage a set onto media, then verify the copy as the
//! far side would, with a progress observer of our own.
//!
//! `cargo run --example stage_and_verify -- SET MEDIA_DIR`

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use airlock::{Progress, StageOptions, Task, VerifyOptions};

/// Counts bytes and prints a line per finished item: the library itself
/// never prints.
#[derive(Default)]
struct Log(AtomicU64);

impl Progress for Log {
    fn begin(&self, task: Task, total: u64) {
        self.0.store(0, Ordering::Relaxed);
        println!("{task:?}: {total} bytes");
    }
    fn advance(&self, _name: &str, bytes: u64) {
        self.0.fetch_add(bytes, Ordering::Relaxed);
    }
    fn item_finished(&self, name: &str) {
        println!("  done {name} ({} bytes so far)", self.0.load(Ordering::Relaxed));
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let (Some(set), Some(media)) = (args.next(), args.next()) else {
        eprintln!("usage: stage_and_verify SET MEDIA_DIR");
        std::process::exit(2);
    };
    let found = airlock::discover(&set)?;
    let staged = airlock::stage(&found, &StageOptions::new(&media), &Log::default())?;
    println!("staged {} parts, {} bytes copied", staged.parts.len(), staged.bytes_copied);

    let on_media = airlock::discover(&media)?;
    let report = airlock::verify(&on_media, &VerifyOptions::default(), &Log::default())?;
    for part in &report.parts {
        println!("{}: {}", part.name, part.status);
    }
    match report.failure() {
        None => Ok(()),
        Some(kind) => Err(format!("verification failed: {kind:?}").into()),
    }
}
