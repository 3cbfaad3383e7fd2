//! Embedding airlock: stage a set onto media, then verify the copy as the
//! far side would, with a progress observer of our own.
//!
//! `cargo run --example stage_and_verify -- SET MEDIA_DIR`

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use airlock::{Item, Progress, StageOptions, Task, VerifyOptions};

/// Counts bytes and prints a line per finished item: the library itself
/// never prints. An item's name is given once, when it starts; the other
/// calls name it by its `Item`.
#[derive(Default)]
struct Log {
    bytes: AtomicU64,
    names: Mutex<HashMap<Item, String>>,
}

impl Progress for Log {
    fn begin(&self, task: Task, total: u64) {
        self.bytes.store(0, Ordering::Relaxed);
        println!("{task:?}: {total} bytes");
    }
    fn item_started(&self, item: Item, name: &str, _size: u64) {
        self.names.lock().unwrap().insert(item, name.to_owned());
    }
    fn advance(&self, _item: Item, bytes: u64) {
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
    }
    fn item_finished(&self, item: Item) {
        let name = self.names.lock().unwrap().remove(&item).unwrap_or_default();
        println!("  done {name} ({} bytes so far)", self.bytes.load(Ordering::Relaxed));
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
