//! Builds a big, realistic multi-part download set for benchmarks (`benches/compare.sh`).
//!
//! ```text
//! cargo run --release --example make-set -- --size 3.2GiB --parts 7 --format 7z  --out DIR [--solid | --blocks N]
//! cargo run --release --example make-set -- --size 3.2GiB --parts 7 --format zip --out DIR
//! ```
//!
//! What it does, in order (everything is streamed with 1–4 MiB buffers; the process stays at a
//! few MiB of memory whatever `--size` is):
//!
//! 1. Writes a payload tree into a temporary folder `DIR/.make-set-XXXXXX/payload`:
//!    * `setup.exe` (~2 MiB): an MZ/PE32 header, then x86-like code (prologues, `E8 rel32` calls to
//!      a fixed set of targets, int3 padding, string tables): compressible, and BCJ helps on it;
//!    * `SQLSERVER2017/`: 3–12 large, mostly incompressible files (`.box`/`.cab`; random bytes from a
//!      deterministic wyrand PRNG, with a 64 KiB structured record table at the end of every MiB, so
//!      about 6 % compresses), sized so that the whole tree is exactly `--size` bytes, plus
//!      `ConfigurationFile.ini` and a compressible `x64/setup.log.txt`;
//!    * `SCDPM/bin/`: up to 200 small "executables" (`.dll`/`.exe`, 10–200 KiB: PE header, x86-like
//!      code, import/string tables, zero padding; they compress to roughly half).
//!
//!    The tree depends only on `--size` and `--seed` (not on the format), so a 7z set and a zip set
//!    made with the same size hold byte-identical files and the same `EXPECTED.tsv`. Every mtime is
//!    2024-01-02 03:04:04 UTC.
//! 2. Packs it:
//!    * `--format 7z` with `7zz` (7-Zip) when it is on PATH:
//!      - default (many blocks): `7zz a -t7z -m0=lzma2 -mx1 -ms=<S>m`, S = ceil(size / --blocks)
//!        MiB (`--blocks` defaults to 16). 7-Zip never splits a file across blocks and keeps
//!        x86-filtered executables (BCJ) in blocks of their own, so the real number of blocks
//!        differs from `--blocks`; it is read back with `7zz l -slt` and printed;
//!      - `--solid`: `7zz a -t7z -m0=lzma2 -mx5 -mf=off -ms=1t`: one solid block (`-mf=off` stops
//!        7-Zip from putting the executables into a second, BCJ-filtered block; `-ms=1t` lifts the
//!        default solid-block size limit). 7-Zip's multithreaded LZMA2 still cuts the stream into
//!        independent LZMA2 chunks inside that one block.
//!
//!      Without `7zz` (or with `--builtin`) the sevenz-rust2 writer does the same grouping itself
//!      (LZMA2 only, no BCJ; exactly one block per group of files up to S bytes, or one block with
//!      `--solid`).
//!    * `--format zip` with Info-ZIP `zip -q -r -6` when it is on PATH, else (or with `--builtin`)
//!      the zip crate's writer (Deflate level 6, Zip64 where needed).
//!    * `--format inno`: Inno Setup installers cannot be built here (the compiler is Windows-only):
//!      prints where the real Inno set is (`testdata/inno-bench`) and exits with status 2.
//! 3. Deletes the payload tree, prepends a 64 KiB fake `MZ` stub (checked to contain no 7z, zip or
//!    Inno signature) and splits stub + archive byte-wise (no headers) into
//!    `NAME.exe` (stub + the first 2 MiB of the archive) and `NAME-1.bin` … `NAME-<parts-1>.bin`
//!    of equal size (the last one shorter), NAME = `MicrosoftAzureBackupInstaller`.
//! 4. Writes `DIR/SHA256SUMS` (coreutils `<hex>  <name>` lines for the parts) and `DIR/EXPECTED.tsv`
//!    (`path<TAB>size<TAB>sha256` of every payload file, `/` paths, sorted by bytes), then removes
//!    the temporary folder.
//!
//! Disk: about 2 × `--size` free in DIR while it runs (payload tree + archive; then archive + parts),
//! 1 × at the end. DIR must not hold a set already (`--force` deletes an old one first).

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use clap::{Parser, ValueEnum};
use sha2::{Digest, Sha256};

/// File name stem of the generated download set.
const NAME: &str = "MicrosoftAzureBackupInstaller";
/// Size of the fake `MZ` stub in front of the archive.
const STUB_LEN: usize = 64 * 1024;
/// Archive bytes that go into `NAME.exe` after the stub.
const EXE_ARCHIVE_BYTES: u64 = 2 * 1024 * 1024;
/// 2024-01-02 03:04:04 UTC, the mtime of every payload file and folder.
const MTIME: i64 = 1_704_164_644;
/// Copy / generation buffer.
const BUF: usize = 4 * 1024 * 1024;
const MIB: u64 = 1024 * 1024;

/// Signatures the stub must not contain, or a reader scanning for the payload would stop in it.
const FORBIDDEN_IN_STUB: &[&[u8]] = &[
    b"7z\xBC\xAF\x27\x1C",
    b"PK\x03\x04",
    b"PK\x01\x02",
    b"PK\x05\x06",
    b"PK\x06\x06",
    b"PK\x06\x07",
    b"PK\x07\x08",
    b"idska32\x1A",
    b"zlb\x1A",
    b"Inno Setup",
    b"rDlPtS",
];

/// Build a big multi-part download set (NAME.exe + NAME-1.bin … NAME-N.bin) for benchmarks.
///
/// The payload is a realistic installer tree (setup.exe, large incompressible SQL Server cabinets,
/// ~200 small compressible executables) packed with 7-Zip or Info-ZIP, behind a 64 KiB MZ stub,
/// split byte-wise into parts. Writes DIR/SHA256SUMS (the parts) and DIR/EXPECTED.tsv (the payload).
#[derive(Debug, Parser)]
#[command(name = "make-set", version, about, long_about = None)]
struct Args {
    /// Total size of the payload files (uncompressed), e.g. 3.2GiB, 300MiB, 500MB. At least 4MiB.
    #[arg(long, value_name = "SIZE", default_value = "3.2GiB", value_parser = airlock::parse_size)]
    size: u64,

    /// Number of parts: NAME.exe plus PARTS-1 `.bin` files (at least 2).
    #[arg(long, value_name = "N", default_value_t = 7, value_parser = clap::value_parser!(u32).range(2..=9999))]
    parts: u32,

    /// Archive format of the payload.
    #[arg(long, value_enum)]
    format: Format,

    /// Folder that receives the parts, SHA256SUMS and EXPECTED.tsv (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,

    /// 7z only: one solid block (`7zz … -mx5 -mf=off -ms=1t`) instead of many.
    #[arg(long, conflicts_with = "blocks")]
    solid: bool,

    /// 7z only: aim for about N solid blocks (solid-block size limit = SIZE / N; default 16).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    blocks: Option<u32>,

    /// 7z only: compression level passed as `-mxN` (default: 1, or 5 with --solid).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=9))]
    mx: Option<u32>,

    /// Use the Rust writers (sevenz-rust2, zip crate) even when `7zz` / `zip` are on PATH.
    #[arg(long)]
    builtin: bool,

    /// Seed of the payload generator (a different seed gives different bytes, same layout).
    #[arg(long, default_value_t = 1)]
    seed: u64,

    /// Delete an existing set (NAME.exe, NAME-*.bin, SHA256SUMS, EXPECTED.tsv) in DIR first.
    #[arg(long)]
    force: bool,

    /// Print the payload plan and the pack command, write nothing.
    #[arg(long)]
    dry_run: bool,

    /// Payload generator threads (default: all cores).
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Inno Setup (cannot be built here: use testdata/inno-bench).
    Inno,
    /// 7z (7-Zip `7zz`, else sevenz-rust2).
    #[value(name = "7z")]
    SevenZ,
    /// zip (Info-ZIP `zip`, else the zip crate).
    Zip,
}

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> ExitCode {
    let args = Args::parse();
    if args.format == Format::Inno {
        eprintln!(
            "make-set: Inno Setup installers cannot be built here (the Inno Setup compiler runs on Windows only).\n\
             Use the real Inno Setup 6.2 set committed in the repository instead:\n\
             \x20   testdata/inno-bench/MicrosoftAzureBackupInstaller.exe + -1.bin … -5.bin (34 MB, SHA256SUMS and EXPECTED.tsv beside it)\n\
             e.g.  airlock extract testdata/inno-bench -d OUT --min-free 0"
        );
        return ExitCode::from(2);
    }
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("make-set: error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<()> {
    let started = Instant::now();
    if args.format != Format::SevenZ && (args.solid || args.blocks.is_some() || args.mx.is_some()) {
        return Err("--solid, --blocks and --mx apply to --format 7z only".into());
    }
    if args.size < 4 * MIB {
        return Err(format!("--size {} is too small (at least 4MiB)", args.size).into());
    }
    if args.dry_run {
        let plan = plan_payload(args.size, args.seed);
        let code: Vec<&FileSpec> = plan.iter().filter(|f| f.kind == Kind::Code).collect();
        println!("payload plan: {} files, {}", plan.len(), human(args.size));
        println!(
            "  {} program-like files (setup.exe + SCDPM/bin), {}",
            code.len(),
            human(code.iter().map(|f| f.size).sum())
        );
        for f in plan.iter().filter(|f| f.kind != Kind::Code) {
            println!("  {:>14}  {}", f.size, f.path);
        }
        match args.format {
            Format::SevenZ if on_path("7zz") && !args.builtin => {
                println!("pack: 7zz a -t7z {} ...", sevenz_switches(args).join(" "))
            }
            Format::SevenZ => println!("pack: sevenz-rust2 writer (LZMA2)"),
            Format::Zip if on_path("zip") && !args.builtin => println!("pack: zip -q -r -6 ..."),
            Format::Zip => println!("pack: zip crate writer (Deflate 6)"),
            Format::Inno => unreachable!(),
        }
        return Ok(());
    }
    fs::create_dir_all(&args.out)?;
    let out = fs::canonicalize(&args.out)?;
    prepare_out_dir(&out, args.force)?;

    let free = fs4::available_space(&out)?;
    let need = args.size.saturating_mul(21) / 10;
    if free < need {
        return Err(format!(
            "{} has {} free; making a {} set needs about {} (payload tree + archive)",
            out.display(),
            human(free),
            human(args.size),
            human(need)
        )
        .into());
    }

    let threads =
        args.threads.unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)).max(1);
    let tmp = tempfile::Builder::new().prefix(".make-set-").tempdir_in(&out)?;
    let payload = tmp.path().join("payload");

    // 1. payload tree
    let t = Instant::now();
    let plan = plan_payload(args.size, args.seed);
    let expected = write_payload(&payload, &plan, args.seed, threads)?;
    let t_payload = t.elapsed();
    let total: u64 = expected.iter().map(|e| e.size).sum();
    assert_eq!(total, args.size, "payload plan must add up to --size");
    println!(
        "payload: {} files, {} in {} (generated in {})",
        expected.len(),
        human(total),
        payload.display(),
        secs(t_payload)
    );

    // 2. archive
    let t = Instant::now();
    let (archive, how) = match args.format {
        Format::SevenZ => pack_7z(args, tmp.path(), &payload, &plan)?,
        Format::Zip => pack_zip(args, tmp.path(), &payload)?,
        Format::Inno => unreachable!(),
    };
    let t_pack = t.elapsed();
    let archive_len = fs::metadata(&archive)?.len();
    println!("archive: {} ({}) in {}", archive.display(), human(archive_len), secs(t_pack));
    println!("  made with: {how}");
    let blocks = if args.format == Format::SevenZ { count_7z_blocks(&archive) } else { None };
    if let Some(b) = &blocks {
        println!("  {b}");
    }
    fs::remove_dir_all(&payload)?;

    // 3. stub + split
    let t = Instant::now();
    let staged = tmp.path().join("parts");
    fs::create_dir(&staged)?;
    let stub = make_stub(args.seed);
    let parts = split(&stub, &archive, archive_len, args.parts, &staged)?;
    fs::remove_file(&archive)?;
    let t_split = t.elapsed();

    // 4. manifests, then move everything into DIR
    let mut sums = String::new();
    for p in &parts {
        sums.push_str(&format!("{}  {}\n", p.sha256, p.name));
    }
    fs::write(staged.join("SHA256SUMS"), sums)?;
    let mut tsv = String::new();
    for e in &expected {
        tsv.push_str(&format!("{}\t{}\t{}\n", e.path, e.size, e.sha256));
    }
    fs::write(staged.join("EXPECTED.tsv"), tsv)?;
    for p in &parts {
        fs::rename(staged.join(&p.name), out.join(&p.name))?;
    }
    fs::rename(staged.join("EXPECTED.tsv"), out.join("EXPECTED.tsv"))?;
    // SHA256SUMS last: its presence marks a finished set (benches/compare.sh relies on this).
    fs::rename(staged.join("SHA256SUMS"), out.join("SHA256SUMS"))?;
    tmp.close()?;

    println!("set in {} (stub {} B + archive, split in {}):", out.display(), STUB_LEN, secs(t_split));
    let mut set_bytes = 0;
    for p in &parts {
        println!("  {:>14}  {}  {}", p.size, p.sha256, p.name);
        set_bytes += p.size;
    }
    println!("  {:>14}  total ({})", set_bytes, human(set_bytes));
    println!("  SHA256SUMS   ({} parts)", parts.len());
    println!("  EXPECTED.tsv ({} payload files, {})", expected.len(), human(total));
    println!(
        "elapsed: {} (payload {}, pack {}, split+hash {})",
        secs(started.elapsed()),
        secs(t_payload),
        secs(t_pack),
        secs(t_split)
    );
    Ok(())
}

/// Refuses to mix a new set with an old one; with `force`, deletes the old one.
fn prepare_out_dir(out: &Path, force: bool) -> Result<()> {
    let mut old = Vec::new();
    for entry in fs::read_dir(out)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(NAME) || name == "SHA256SUMS" || name == "EXPECTED.tsv" || name.starts_with(".make-set-") {
            old.push(entry.path());
        }
    }
    if old.is_empty() {
        return Ok(());
    }
    if !force {
        return Err(format!(
            "{} already holds a set ({} and {} more); use another --out or --force to replace it",
            out.display(),
            old[0].display(),
            old.len() - 1
        )
        .into());
    }
    for p in old {
        if p.is_dir() {
            fs::remove_dir_all(&p)?;
        } else {
            fs::remove_file(&p)?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------- payload --

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// x86-like program (setup.exe, SCDPM/bin executables).
    Code,
    /// Mostly random: large cabinets.
    Random,
    /// Log text.
    Log,
    /// INI text.
    Ini,
}

#[derive(Clone, Debug)]
struct FileSpec {
    path: String,
    size: u64,
    kind: Kind,
}

struct Expected {
    path: String,
    size: u64,
    sha256: String,
}

/// The files of the tree; sizes add up to exactly `size`. Depends only on `size` and `seed`.
fn plan_payload(size: u64, seed: u64) -> Vec<FileSpec> {
    let mut r = Rng::new(seed ^ 0x6d61_6b65_2d73_6574);
    let mut files = Vec::new();
    let setup = if size >= 64 * MIB { 2 * MIB + 3 * 4096 } else { size / 32 };
    files.push(FileSpec { path: "setup.exe".into(), size: setup, kind: Kind::Code });
    files.push(FileSpec { path: "SQLSERVER2017/ConfigurationFile.ini".into(), size: 1187, kind: Kind::Ini });
    let log = (size / 64).min(512 * 1024);
    files.push(FileSpec { path: "SQLSERVER2017/x64/setup.log.txt".into(), size: log, kind: Kind::Log });

    // SCDPM/bin: up to 200 executables of 10–200 KiB, at most 1/8 of the payload.
    let budget = size / 8;
    let prefixes = [
        "Microsoft.Internal.EnterpriseStorage.Dls",
        "Microsoft.EnterpriseStorage",
        "Microsoft.Azure.Backup",
        "DpmBackup",
        "AMService",
        "DPMRA",
        "MSDPM",
        "obengine",
        "CBEngine",
        "DpmWriter",
    ];
    let middles = [
        "Common",
        "Utils",
        "Engine",
        "Prm",
        "Catalog",
        "Replica",
        "Trace",
        "Provider",
        "Agent",
        "UI",
        "Setup",
        "Core",
        "Sql",
        "Vss",
        "Cloud",
        "Protection",
        "Recovery",
        "Config",
        "Interop",
        "Resources",
    ];
    let mut used = std::collections::HashSet::new();
    let mut spent = 0;
    for i in 0..200u32 {
        let s = 10 * 1024 + r.below(190 * 1024);
        if spent + s > budget {
            break;
        }
        let ext = if r.below(5) == 0 { "exe" } else { "dll" };
        let mut name = format!(
            "{}.{}.{}",
            prefixes[r.below(prefixes.len() as u64) as usize],
            middles[r.below(middles.len() as u64) as usize],
            ext
        );
        if !used.insert(name.clone()) {
            name = format!("{}{}.{}", name.trim_end_matches(&format!(".{ext}")), i, ext);
            used.insert(name.clone());
        }
        files.push(FileSpec { path: format!("SCDPM/bin/{name}"), size: s, kind: Kind::Code });
        spent += s;
    }

    // SQLSERVER2017: a few large, mostly incompressible files take the rest.
    let fixed: u64 = files.iter().map(|f| f.size).sum();
    let rest = size - fixed;
    let count = ((rest + 192 * MIB) / (384 * MIB)).clamp(3, 12) as usize;
    let names = [
        "SQLEXPR_x64_ENU.box",
        "x64/Setup/sql_engine_core_inst.cab",
        "x64/Setup/sql_shared_mr.cab",
        "x64/Setup/SqlSupport.cab",
        "x64/Setup/sql_tools_extensibility.cab",
        "x64/Setup/sql_conn.cab",
        "x64/Setup/SqlLocalDB.cab",
        "x64/Setup/sql_fulltext.cab",
        "x64/Setup/sql_polybase_core_inst.cab",
        "x64/Setup/sql_dreplay_ctlr.cab",
        "x64/Setup/sql_as_core.cab",
        "x64/Setup/sql_batchparser.cab",
    ];
    // Weights: the .box is the biggest, the cabinets vary between 1 and 2.
    let weights: Vec<u64> = (0..count).map(|i| if i == 0 { 3000 } else { 1000 + r.below(1001) }).collect();
    let wsum: u64 = weights.iter().sum();
    let mut given = 0;
    for (i, w) in weights.iter().enumerate() {
        let s = if i + 1 == count { rest - given } else { rest / wsum * w + (rest % wsum) * w / wsum };
        given += s;
        files.push(FileSpec { path: format!("SQLSERVER2017/{}", names[i]), size: s, kind: Kind::Random });
    }
    files
}

/// Writes every file of `plan` under `root` (in parallel), returns the EXPECTED.tsv rows sorted by path.
fn write_payload(root: &Path, plan: &[FileSpec], seed: u64, threads: usize) -> Result<Vec<Expected>> {
    fs::create_dir_all(root)?;
    let mut dirs = std::collections::BTreeSet::new();
    for f in plan {
        let mut p = Path::new(&f.path).parent();
        while let Some(d) = p {
            if d.as_os_str().is_empty() {
                break;
            }
            dirs.insert(d.to_path_buf());
            p = d.parent();
        }
    }
    for d in &dirs {
        fs::create_dir_all(root.join(d))?;
    }
    // Biggest first so the threads finish together.
    let mut order: Vec<&FileSpec> = plan.iter().collect();
    order.sort_by_key(|f| std::cmp::Reverse(f.size));
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::with_capacity(plan.len()));
    let first_error: Mutex<Option<String>> = Mutex::new(None);
    std::thread::scope(|s| {
        for _ in 0..threads.min(order.len()) {
            s.spawn(|| {
                let mut buf = vec![0u8; BUF];
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= order.len() || first_error.lock().unwrap().is_some() {
                        break;
                    }
                    let f = order[i];
                    match write_file(&root.join(&f.path), f, seed, &mut buf) {
                        Ok(hash) => {
                            results.lock().unwrap().push(Expected { path: f.path.clone(), size: f.size, sha256: hash })
                        }
                        Err(e) => {
                            *first_error.lock().unwrap() = Some(format!("writing {}: {e}", f.path));
                        }
                    }
                }
            });
        }
    });
    if let Some(e) = first_error.into_inner().unwrap() {
        return Err(e.into());
    }
    let mtime = filetime::FileTime::from_unix_time(MTIME, 0);
    for d in dirs.iter().rev() {
        filetime::set_file_mtime(root.join(d), mtime)?;
    }
    let mut rows = results.into_inner().unwrap();
    rows.sort_by(|a, b| a.path.as_bytes().cmp(b.path.as_bytes()));
    Ok(rows)
}

/// Writes one payload file, returns its SHA-256 (hex).
fn write_file(path: &Path, f: &FileSpec, seed: u64, buf: &mut [u8]) -> io::Result<String> {
    let mut r = Rng::for_path(seed, &f.path);
    let mut out = File::create(path)?;
    let mut hasher = Sha256::new();
    match f.kind {
        Kind::Random => {
            // Per MiB: 960 KiB random, then a 64 KiB table of fixed-layout records.
            let mut left = f.size;
            let mut mib_index: u64 = 0;
            while left > 0 {
                let n = left.min(buf.len() as u64) as usize;
                let chunk = &mut buf[..n];
                for mib in chunk.chunks_mut(MIB as usize) {
                    let rand_len = mib.len().min(960 * 1024);
                    r.fill(&mut mib[..rand_len]);
                    record_table(&mut mib[rand_len..], mib_index);
                    mib_index += 1;
                }
                hasher.update(&*chunk);
                out.write_all(chunk)?;
                left -= n as u64;
            }
        }
        Kind::Code => {
            let bytes = code_file(&mut r, f.size as usize, f.path.ends_with(".exe"));
            hasher.update(&bytes);
            out.write_all(&bytes)?;
        }
        Kind::Log => {
            let bytes = log_text(&mut r, f.size as usize);
            hasher.update(&bytes);
            out.write_all(&bytes)?;
        }
        Kind::Ini => {
            let bytes = ini_text(f.size as usize);
            hasher.update(&bytes);
            out.write_all(&bytes)?;
        }
    }
    drop(out);
    filetime::set_file_mtime(path, filetime::FileTime::from_unix_time(MTIME, 0))?;
    Ok(hex(&hasher.finalize()))
}

/// Structured, compressible filler: 32-byte records (counter, offsets, a name).
fn record_table(out: &mut [u8], mib_index: u64) {
    const NAMES: [&[u8; 12]; 4] = [b"sqlservr.exe", b"sqlceip.dll ", b"msvcr120.dll", b"Resource.mdf"];
    for (i, rec) in out.chunks_mut(32).enumerate() {
        let mut r = [0u8; 32];
        let k = mib_index * 2048 + i as u64;
        r[0..8].copy_from_slice(&k.to_le_bytes());
        r[8..12].copy_from_slice(&((k * 4096) as u32).to_le_bytes());
        r[12..16].copy_from_slice(&0x0000_8000u32.to_le_bytes());
        r[16..28].copy_from_slice(NAMES[(k % 4) as usize]);
        r[28..32].copy_from_slice(&[0x20, 0x00, 0x00, 0x00]);
        let n = rec.len();
        rec.copy_from_slice(&r[..n]);
    }
}

/// A plausible (not runnable) MZ/PE header, 0x400 bytes.
fn pe_header(machine: u16, exe: bool) -> Vec<u8> {
    let mut h = vec![0u8; 0x400];
    h[0..2].copy_from_slice(b"MZ");
    let dos: [u16; 13] = [0x90, 3, 0, 4, 0, 0xFFFF, 0, 0xB8, 0, 0, 0, 0x40, 0];
    for (i, v) in dos.iter().enumerate() {
        h[2 + 2 * i..4 + 2 * i].copy_from_slice(&v.to_le_bytes());
    }
    h[0x3C..0x40].copy_from_slice(&0x80u32.to_le_bytes());
    let stub_code = [0x0e, 0x1f, 0xba, 0x0e, 0x00, 0xb4, 0x09, 0xcd, 0x21, 0xb8, 0x01, 0x4c, 0xcd, 0x21];
    h[0x40..0x40 + stub_code.len()].copy_from_slice(&stub_code);
    let msg = b"This program cannot be run in DOS mode.\r\r\n$";
    h[0x4E..0x4E + msg.len()].copy_from_slice(msg);
    let mut pe = Vec::new();
    pe.extend_from_slice(b"PE\0\0");
    pe.extend_from_slice(&machine.to_le_bytes());
    pe.extend_from_slice(&3u16.to_le_bytes());
    pe.extend_from_slice(&0x5E0B_1E00u32.to_le_bytes());
    pe.extend_from_slice(&[0; 8]);
    pe.extend_from_slice(&0xE0u16.to_le_bytes());
    pe.extend_from_slice(&(if exe { 0x0102u16 } else { 0x2102 }).to_le_bytes());
    let mut opt = [0u8; 0xE0];
    opt[0..2].copy_from_slice(&0x10Bu16.to_le_bytes());
    opt[2] = 14;
    opt[16..20].copy_from_slice(&0x1000u32.to_le_bytes());
    opt[28..32].copy_from_slice(&0x40_0000u32.to_le_bytes());
    opt[32..36].copy_from_slice(&0x1000u32.to_le_bytes());
    opt[36..40].copy_from_slice(&0x200u32.to_le_bytes());
    opt[68..70].copy_from_slice(&2u16.to_le_bytes());
    opt[92..96].copy_from_slice(&16u32.to_le_bytes());
    pe.extend_from_slice(&opt);
    let names: [&[u8; 8]; 3] = [b".text\0\0\0", b".rdata\0\0", b".data\0\0\0"];
    let chars = [0x6000_0020u32, 0x4000_0040, 0xC000_0040];
    for i in 0..3 {
        pe.extend_from_slice(names[i]);
        for v in [0x10000u32, 0x1000 + 0x10000 * i as u32, 0x10000, 0x400 + 0x10000 * i as u32, 0, 0] {
            pe.extend_from_slice(&v.to_le_bytes());
        }
        pe.extend_from_slice(&[0; 4]);
        pe.extend_from_slice(&chars[i].to_le_bytes());
    }
    h[0x80..0x80 + pe.len()].copy_from_slice(&pe);
    h
}

/// A program-like file of exactly `size` bytes: header, code (~65 %), strings/imports, padding.
fn code_file(r: &mut Rng, size: usize, exe: bool) -> Vec<u8> {
    let mut v = pe_header(if r.below(2) == 0 { 0x014C } else { 0x8664 }, exe);
    v.truncate(size);
    let code_end = size * 13 / 20;
    x86_code(r, &mut v, code_end);
    string_table(r, &mut v, size * 19 / 20);
    // zero padding to a 512-byte boundary, then a little random "resource" data
    while v.len() < size && !v.len().is_multiple_of(512) {
        v.push(0);
    }
    let mut tail = vec![0u8; size.saturating_sub(v.len())];
    r.fill(&mut tail);
    v.extend_from_slice(&tail);
    v.truncate(size);
    v
}

/// Appends x86-like instructions until `v.len() == end`.
fn x86_code(r: &mut Rng, v: &mut Vec<u8>, end: usize) {
    let start = v.len();
    if end <= start {
        return;
    }
    let targets: Vec<usize> = (0..48).map(|_| start + r.below((end - start) as u64) as usize).collect();
    while v.len() + 16 < end {
        let k = r.below(100);
        match k {
            0..=7 => v.extend_from_slice(&[0x55, 0x8B, 0xEC, 0x83, 0xEC, (r.below(16) * 4) as u8, 0x53, 0x56, 0x57]),
            8..=29 => {
                let t = targets[r.below(48) as usize] as i64;
                let rel = (t - (v.len() as i64 + 5)) as i32;
                v.push(0xE8);
                v.extend_from_slice(&rel.to_le_bytes());
            }
            30..=54 => {
                let op = [0x8B, 0x89][r.below(2) as usize];
                let modrm = [0x45, 0x4D, 0x55, 0x5D, 0x75, 0x7D][r.below(6) as usize];
                let disp = [0x08, 0x0C, 0x10, 0xF8, 0xFC, 0xF4][r.below(6) as usize];
                v.extend_from_slice(&[op, modrm, disp]);
            }
            55..=64 => {
                if r.below(2) == 0 {
                    v.push(0x50 + r.below(8) as u8);
                } else {
                    v.push(0x68);
                    v.extend_from_slice(&(0x0040_1000u32 + (r.below(4096) as u32) * 16).to_le_bytes());
                }
            }
            65..=71 => v.extend_from_slice(&[[0x74, 0x75, 0xEB, 0x7C][r.below(4) as usize], r.below(64) as u8]),
            72..=77 => {
                v.extend_from_slice(&[0x5F, 0x5E, 0x5B, 0x8B, 0xE5, 0x5D, 0xC3]);
                while !v.len().is_multiple_of(16) && v.len() < end {
                    v.push(0xCC);
                }
            }
            78..=84 => v.extend_from_slice(&[[0x85, 0x3B, 0x33][r.below(3) as usize], 0xC0 + r.below(64) as u8]),
            85..=91 => {
                v.extend_from_slice(&[0x8D, 0x85]);
                v.extend_from_slice(&(-(r.below(1024) as i32 * 4)).to_le_bytes());
            }
            92..=96 => {
                v.push(0xB8 + r.below(8) as u8);
                v.extend_from_slice(&[0x00, 0x10, 0x40, 0x00, 0x01, 0x00, 0x00, 0x00][r.below(4) as usize..][..4]);
            }
            _ => {
                let n = 1 + r.below(8) as usize;
                for _ in 0..n {
                    v.push(r.next() as u8);
                }
            }
        }
    }
    while v.len() < end {
        v.push(0xCC);
    }
}

/// Appends import names and strings until `v.len() == end`.
fn string_table(r: &mut Rng, v: &mut Vec<u8>, end: usize) {
    const WORDS: [&str; 24] = [
        "CreateFileW",
        "ReadFile",
        "WriteFile",
        "CloseHandle",
        "GetLastError",
        "RegOpenKeyExW",
        "RegQueryValueExW",
        "kernel32.dll",
        "advapi32.dll",
        "ole32.dll",
        "Microsoft.Internal.EnterpriseStorage",
        "DPM",
        "Replica",
        "VolumeShadowCopy",
        "BackupEngine",
        "System.Runtime",
        "mscorlib",
        "GetProcAddress",
        "LoadLibraryExW",
        "HeapAlloc",
        "HeapFree",
        "SQLSERVER2017",
        "Failed to open %s (0x%08x)",
        "Protection group",
    ];
    while v.len() < end {
        let w = WORDS[r.below(WORDS.len() as u64) as usize].as_bytes();
        let take = w.len().min(end - v.len());
        v.extend_from_slice(&w[..take]);
        if v.len() < end {
            v.push(0);
        }
    }
}

fn log_text(r: &mut Rng, size: usize) -> Vec<u8> {
    const MSGS: [&str; 8] = [
        "Slp: Sco: Attempting to get registry value DataPath",
        "Slp: Sco: Attempting to open registry subkey SOFTWARE\\Microsoft\\Microsoft SQL Server",
        "Slp: Running Action: ValidateFeatureSettings",
        "Slp: Completed Action: ValidateFeatureSettings, returned True",
        "Slp: Sco: File 'C:\\Program Files\\Microsoft SQL Server\\140\\Setup Bootstrap' does not exist",
        "Slp: Checking rule 'RebootRequiredCheck'",
        "Slp: Rule evaluation done : Succeeded",
        "Slp: Setting status of feature SQL_Engine_Core_Inst to Passed",
    ];
    let mut v = Vec::with_capacity(size + 200);
    let mut t = 0u64;
    while v.len() < size {
        t += r.below(900);
        let line = format!(
            "({:02}) 2024-01-02 03:{:02}:{:02}.{:03} {}\r\n",
            1 + r.below(12),
            (4 + t / 60_000) % 60,
            (t / 1000) % 60,
            t % 1000,
            MSGS[r.below(MSGS.len() as u64) as usize]
        );
        v.extend_from_slice(line.as_bytes());
    }
    v.truncate(size);
    v
}

fn ini_text(size: usize) -> Vec<u8> {
    let mut s = String::from(
        ";SQL Server 2017 Configuration File\r\n[OPTIONS]\r\nACTION=\"Install\"\r\nFEATURES=SQLENGINE\r\n\
         INSTANCENAME=\"MSDPM2017\"\r\nINSTANCEID=\"MSDPM2017\"\r\nSQLSVCACCOUNT=\"NT AUTHORITY\\SYSTEM\"\r\n\
         SQLSYSADMINACCOUNTS=\"BUILTIN\\Administrators\"\r\nTCPENABLED=\"1\"\r\nNPENABLED=\"0\"\r\n",
    );
    let mut i = 0;
    while s.len() < size {
        s.push_str(&format!("; reserved option {i:04}\r\n"));
        i += 1;
    }
    let mut v = s.into_bytes();
    v.truncate(size);
    v
}

// ---------------------------------------------------------------------------------------- packing --

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH").map(|paths| std::env::split_paths(&paths).any(|d| d.join(tool).is_file())).unwrap_or(false)
}

/// Top-level entries of the payload, sorted.
fn top_level(payload: &Path) -> Result<Vec<String>> {
    let mut v: Vec<String> = fs::read_dir(payload)?
        .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<io::Result<_>>()?;
    v.sort();
    Ok(v)
}

fn run_tool(cmd: &mut Command, shown: &str) -> Result<()> {
    let status = cmd.stdin(Stdio::null()).status().map_err(|e| format!("{shown}: {e}"))?;
    if !status.success() {
        return Err(format!("{shown} failed: {status}").into());
    }
    Ok(())
}

/// `-mxN` level and the solid-block size limit in MiB for the multi-block layout.
fn sevenz_level_and_block(args: &Args) -> (u32, u64) {
    let mx = args.mx.unwrap_or(if args.solid { 5 } else { 1 });
    let blocks = args.blocks.unwrap_or(16) as u64;
    (mx, args.size.div_ceil(blocks).div_ceil(MIB).max(1))
}

/// The method switches given to `7zz a -t7z`.
fn sevenz_switches(args: &Args) -> Vec<String> {
    let (mx, block_mib) = sevenz_level_and_block(args);
    let mut method: Vec<String> = vec!["-m0=lzma2".into(), format!("-mx{mx}")];
    if args.solid {
        method.extend(["-mf=off".into(), "-ms=1t".into()]);
    } else {
        method.push(format!("-ms={block_mib}m"));
    }
    method
}

/// Packs the payload as 7z; returns the archive path and how it was made.
fn pack_7z(args: &Args, tmp: &Path, payload: &Path, plan: &[FileSpec]) -> Result<(PathBuf, String)> {
    let archive = tmp.join(format!("{NAME}.7z"));
    let (mx, block_mib) = sevenz_level_and_block(args);
    if on_path("7zz") && !args.builtin {
        let inputs = top_level(payload)?;
        let method = sevenz_switches(args);
        let shown =
            format!("(cd payload && 7zz a -t7z -bd -bso0 -bsp0 {} {NAME}.7z {})", method.join(" "), inputs.join(" "));
        let mut cmd = Command::new("7zz");
        cmd.current_dir(payload).args(["a", "-t7z", "-bd", "-bso0", "-bsp0"]).args(&method).arg(&archive).args(&inputs);
        run_tool(&mut cmd, &shown)?;
        return Ok((archive, shown));
    }

    // sevenz-rust2: same grouping, LZMA2 only.
    use sevenz_rust2::encoder_options::Lzma2Options;
    use sevenz_rust2::{ArchiveEntry, ArchiveWriter, SourceReader};
    let threads = std::thread::available_parallelism().map(|n| n.get() as u32).unwrap_or(1);
    let mut w = ArchiveWriter::create(&archive)?;
    w.set_content_methods(vec![Lzma2Options::from_level_mt(mx, threads, 16 * MIB).into()]);
    // folders first (no data), then files in path order, grouped into blocks
    let mut dirs = std::collections::BTreeSet::new();
    for f in plan {
        let mut p = Path::new(&f.path).parent();
        while let Some(d) = p.filter(|d| !d.as_os_str().is_empty()) {
            dirs.insert(d.to_string_lossy().into_owned());
            p = d.parent();
        }
    }
    for d in &dirs {
        w.push_archive_entry::<File>(ArchiveEntry::from_path(payload.join(d), d.clone()), None)?;
    }
    let mut files: Vec<&FileSpec> = plan.iter().collect();
    files.sort_by(|a, b| a.path.as_bytes().cmp(b.path.as_bytes()));
    let limit = if args.solid { u64::MAX } else { block_mib * MIB };
    let mut groups: Vec<Vec<&FileSpec>> = vec![Vec::new()];
    let mut in_group = 0u64;
    for f in files {
        if !groups.last().unwrap().is_empty() && in_group >= limit {
            groups.push(Vec::new());
            in_group = 0;
        }
        in_group += f.size;
        groups.last_mut().unwrap().push(f);
    }
    let n_groups = groups.len();
    for g in groups {
        let entries = g.iter().map(|f| ArchiveEntry::from_path(payload.join(&f.path), f.path.clone())).collect();
        let readers = g.iter().map(|f| SourceReader::new(LazyFile::new(payload.join(&f.path)))).collect();
        w.push_archive_entries(entries, readers)?;
    }
    w.finish()?;
    let shown = format!(
        "sevenz-rust2 ArchiveWriter: LZMA2 level {mx} ({threads} threads, 16 MiB chunks), {} -> {n_groups} block(s){}",
        if args.solid { "solid".to_string() } else { format!("blocks of up to {block_mib} MiB") },
        if on_path("7zz") { " [--builtin]" } else { " [7zz not on PATH]" }
    );
    Ok((archive, shown))
}

/// Opens its file on the first read and closes it at end of file (a solid block reads ~200 files).
struct LazyFile {
    path: PathBuf,
    file: Option<File>,
    done: bool,
}

impl LazyFile {
    fn new(path: PathBuf) -> Self {
        LazyFile { path, file: None, done: false }
    }
}

impl Read for LazyFile {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.done {
            return Ok(0);
        }
        if self.file.is_none() {
            self.file = Some(File::open(&self.path)?);
        }
        let n = self.file.as_mut().unwrap().read(buf)?;
        if n == 0 && !buf.is_empty() {
            self.file = None;
            self.done = true;
        }
        Ok(n)
    }
}

/// Packs the payload as zip; returns the archive path and how it was made.
fn pack_zip(args: &Args, tmp: &Path, payload: &Path) -> Result<(PathBuf, String)> {
    let archive = tmp.join(format!("{NAME}.zip"));
    if on_path("zip") && !args.builtin {
        let inputs = top_level(payload)?;
        let shown = format!("(cd payload && zip -q -r -6 {NAME}.zip {})", inputs.join(" "));
        let mut cmd = Command::new("zip");
        cmd.current_dir(payload).args(["-q", "-r", "-6"]).arg(&archive).args(&inputs);
        run_tool(&mut cmd, &shown)?;
        return Ok((archive, shown));
    }

    use zip::write::SimpleFileOptions;
    use zip::{CompressionMethod, DateTime, ZipWriter};
    let mtime = DateTime::from_date_and_time(2024, 1, 2, 3, 4, 4).map_err(|e| format!("{e:?}"))?;
    let base = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(mtime);
    let mut z = ZipWriter::new(io::BufWriter::with_capacity(BUF, File::create(&archive)?));
    // Walk the tree in sorted order: a folder entry before its contents, like Info-ZIP.
    for entry in walkdir::WalkDir::new(payload).min_depth(1).sort_by_file_name() {
        let entry = entry?;
        let rel = entry.path().strip_prefix(payload)?.to_string_lossy().replace('\\', "/");
        if entry.file_type().is_dir() {
            z.add_directory(format!("{rel}/"), base.unix_permissions(0o755))?;
        } else {
            let size = entry.metadata()?.len();
            z.start_file(rel, base.unix_permissions(0o644).large_file(size >= 0xFFFF_FFFF))?;
            io::copy(&mut File::open(entry.path())?, &mut z)?;
        }
    }
    z.finish()?.flush()?;
    let shown = format!(
        "zip crate ZipWriter: Deflate level 6{}",
        if on_path("zip") { " [--builtin]" } else { " [zip not on PATH]" }
    );
    Ok((archive, shown))
}

/// "Blocks = N" of a 7z archive as `7zz l -slt` reports it (when 7zz is available).
fn count_7z_blocks(archive: &Path) -> Option<String> {
    if !on_path("7zz") {
        return None;
    }
    let out = Command::new("7zz").args(["l", "-slt", "-t7z"]).arg(archive).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut found = Vec::new();
    for line in text.lines() {
        if line.starts_with("Blocks = ")
            || line.starts_with("Solid = ")
            || (line.starts_with("Method = ") && found.len() < 3)
        {
            found.push(line.to_string());
        }
        if line.starts_with("Blocks = ") {
            break;
        }
    }
    if found.iter().all(|l| !l.starts_with("Blocks")) {
        found.push("Blocks = 1 (7zz printed no Blocks line)".into());
    }
    Some(format!("7zz l -slt: {}", found.join(", ")))
}

// ------------------------------------------------------------------------------------ stub, split --

/// The 64 KiB fake installer stub: MZ/PE header, code, strings. Contains none of FORBIDDEN_IN_STUB.
fn make_stub(seed: u64) -> Vec<u8> {
    let mut r = Rng::for_path(seed, "<stub>");
    let mut v = pe_header(0x014C, true);
    x86_code(&mut r, &mut v, STUB_LEN * 3 / 4);
    string_table(&mut r, &mut v, STUB_LEN - 64);
    let msg = b"make-set stub: the payload follows in NAME-N.bin";
    v.extend_from_slice(msg);
    v.resize(STUB_LEN, 0);
    // Break any accidental signature (the random bytes in the code could form one).
    loop {
        let mut clean = true;
        for sig in FORBIDDEN_IN_STUB {
            if let Some(pos) = v.windows(sig.len()).position(|w| w == *sig) {
                v[pos] ^= 0x20;
                clean = false;
            }
        }
        if clean {
            break;
        }
    }
    assert_eq!(&v[..2], b"MZ");
    assert_eq!(v.len(), STUB_LEN);
    v
}

struct PartOut {
    name: String,
    size: u64,
    sha256: String,
}

/// Splits stub + archive into NAME.exe (stub + first 2 MiB) and NAME-1.bin … NAME-<parts-1>.bin.
fn split(stub: &[u8], archive: &Path, len: u64, parts: u32, dir: &Path) -> Result<Vec<PartOut>> {
    let bins = (parts - 1) as u64;
    if len < parts as u64 {
        return Err(format!("the archive ({len} bytes) is too small for {parts} parts").into());
    }
    let head = EXE_ARCHIVE_BYTES.min(len / parts as u64);
    let rest = len - head;
    let mut bin = rest.div_ceil(bins);
    // Round the slice size up to 64 KiB when that still gives exactly `bins` non-empty slices.
    let rounded = bin.div_ceil(64 * 1024) * 64 * 1024;
    if rounded * (bins - 1) < rest {
        bin = rounded;
    }
    let mut sizes = vec![head];
    let mut left = rest;
    for _ in 0..bins {
        let s = bin.min(left);
        sizes.push(s);
        left -= s;
    }
    assert_eq!(left, 0);
    assert!(sizes.iter().all(|&s| s > 0));

    let mut input = File::open(archive)?;
    let mut buf = vec![0u8; BUF];
    let mut out = Vec::new();
    for (i, &archive_bytes) in sizes.iter().enumerate() {
        let name = if i == 0 { format!("{NAME}.exe") } else { format!("{NAME}-{i}.bin") };
        let path = dir.join(&name);
        let mut f = File::create(&path)?;
        let mut hasher = Sha256::new();
        let mut size = 0;
        if i == 0 {
            f.write_all(stub)?;
            hasher.update(stub);
            size += stub.len() as u64;
        }
        let mut left = archive_bytes;
        while left > 0 {
            let n = left.min(buf.len() as u64) as usize;
            input.read_exact(&mut buf[..n])?;
            hasher.update(&buf[..n]);
            f.write_all(&buf[..n])?;
            left -= n as u64;
        }
        size += archive_bytes;
        f.sync_all()?;
        drop(f);
        if i == 0 {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o755))?;
        }
        out.push(PartOut { name, size, sha256: hex(&hasher.finalize()) });
    }
    let mut probe = [0u8; 1];
    if input.read(&mut probe)? != 0 {
        return Err("archive is longer than measured".into());
    }
    Ok(out)
}

// ------------------------------------------------------------------------------------------ utils --

/// wyrand: fast, deterministic, good enough for incompressible filler.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed ^ 0x2545_F491_4F6C_DD1D)
    }

    /// A generator of its own for every path (FNV-1a of the path mixed with the seed).
    fn for_path(seed: u64, path: &str) -> Self {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in path.bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        Rng::new(h ^ seed.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    #[inline]
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0xa076_1d64_78bd_642f);
        let t = (self.0 as u128).wrapping_mul((self.0 ^ 0xe703_7ed1_a0b4_28db) as u128);
        ((t >> 64) ^ t) as u64
    }

    /// Uniform-ish in 0..n (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        ((self.next() as u128 * n as u128) >> 64) as u64
    }

    fn fill(&mut self, buf: &mut [u8]) {
        let mut chunks = buf.chunks_exact_mut(8);
        for c in &mut chunks {
            c.copy_from_slice(&self.next().to_le_bytes());
        }
        let rem = chunks.into_remainder();
        if !rem.is_empty() {
            let x = self.next().to_le_bytes();
            let n = rem.len();
            rem.copy_from_slice(&x[..n]);
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn human(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = bytes as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 { format!("{bytes} B") } else { format!("{v:.2} {} ({bytes} bytes)", UNITS[u]) }
}

fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}
