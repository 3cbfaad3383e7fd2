//! check → verify → extract of one download set through airlock's library,
//! then every extracted file compared with the set's `EXPECTED.tsv`
//! (`PATH<TAB>SIZE<TAB>SHA-256`, `{app}/` for the destination).
//!
//! `cargo run -- SET_DIR DEST` (DEST must not exist yet); exits non-zero
//! with one line on any difference.

use std::path::{Path, PathBuf};

use airlock::{CheckOptions, ExtractOptions, NoProgress, PartAccess, VerifyOptions};

fn main() {
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let (Some(set_dir), Some(dest)) = (args.next(), args.next()) else {
        eprintln!("usage: airlock-embed-example SET_DIR DEST");
        std::process::exit(2);
    };
    if let Err(e) = run(&set_dir, &dest) {
        eprintln!("airlock-embed-example: {e}");
        std::process::exit(1);
    }
}

fn run(set_dir: &Path, dest: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let set = airlock::discover(set_dir)?;

    let checked = airlock::check(&set, &CheckOptions::default(), &NoProgress)?;
    if !checked.is_ok() {
        let problems: Vec<_> = checked.problems.iter().map(|p| p.message.as_str()).collect();
        return Err(format!("check found problems: {}", problems.join("; ")).into());
    }
    println!("check: {} parts complete", checked.parts.len());

    let verified = airlock::verify(&set, &VerifyOptions::default(), &NoProgress)?;
    if let Some(kind) = verified.failure() {
        return Err(format!("verify failed: {kind:?}").into());
    }
    println!("verify: {} parts match the manifest", verified.parts.len());

    let options = ExtractOptions::new(dest).min_free(0);
    let extracted = airlock::extract(&set, &options, &NoProgress)?;
    if extracted.verified_with.is_none() {
        return Err("extract did not verify the parts against the manifest beside the set".into());
    }
    println!("extract: {} files, {} bytes", extracted.files.len(), extracted.bytes_written);

    let expected = std::fs::read_to_string(set_dir.join("EXPECTED.tsv"))?;
    let mut rows = 0;
    for line in expected.lines().filter(|l| !l.is_empty()) {
        let mut fields = line.split('\t');
        let (Some(path), Some(size), Some(sha256)) = (fields.next(), fields.next(), fields.next()) else {
            return Err(format!("EXPECTED.tsv: not PATH<TAB>SIZE<TAB>SHA-256: {line}").into());
        };
        let relative = path.strip_prefix("{app}/").unwrap_or(path);
        let file = dest.join(relative);
        let got_size = std::fs::metadata(&file).map_err(|e| format!("{}: {e}", file.display()))?.len();
        let digest = airlock::hash_file(&file, PartAccess::Auto, &NoProgress, &airlock::Cancel::new())?;
        let got_sha256 = airlock::hex(&digest);
        if got_size.to_string() != size || got_sha256 != sha256 {
            return Err(format!("{relative}: {got_size} bytes, SHA-256 {got_sha256}; expected {size}, {sha256}").into());
        }
        rows += 1;
    }
    if rows != extracted.files.len() {
        return Err(format!("extracted {} files, EXPECTED.tsv lists {rows}", extracted.files.len()).into());
    }
    println!("all {rows} files match EXPECTED.tsv");
    Ok(())
}
