//! Shared harness for the end-to-end tests: run the real `airlock` binary,
//! assert its exit code and show everything it printed when that fails, and
//! copy fixtures into scratch folders the tests may damage.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use sha2::{Digest, Sha256};

/// The vendor's base name, used by every fixture.
pub const NAME: &str = "MicrosoftAzureBackupInstaller";

/// Every real Inno Setup fixture under `testdata/inno/`.
pub const INNO_FIXTURES: [&str; 10] = [
    "inno-5.5.9-lzma-solid-spanned",
    "inno-6.0.5-bzip-single",
    "inno-6.2.0-lzma2-solid-spanned",
    "inno-6.4.1-lzma2-solid-spanned",
    "inno-6.4.1-zip-single",
    "inno-6.4.1-encrypted-single",
    "inno-6.4.1-components-languages",
    "inno-5.5.9-bzip-spanned",
    "inno-6.2.0-slices-per-disk",
    "inno-6.4.1-encrypted-spanned",
];

/// The password of the encrypted fixtures.
pub const FIXTURE_PASSWORD: &str = "fixture-pass";

/// `testdata/<rel>`.
pub fn testdata(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata").join(rel)
}

/// A scratch copy of fixture folder `testdata/<rel>` (files only, writable).
pub fn scratch(rel: &str) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("set");
    copy_dir(&testdata(rel), &dir);
    (temp, dir)
}

/// Copies the regular files of `from` into a new folder `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            let target = to.join(entry.file_name());
            std::fs::copy(entry.path(), &target).unwrap();
            let mut perms = std::fs::metadata(&target).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            std::fs::set_permissions(&target, perms).unwrap();
        }
    }
}

/// The outcome of one run of the binary.
pub struct Run {
    pub args: Vec<String>,
    pub output: Output,
}

impl Run {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }

    /// Everything, for failure messages.
    pub fn dump(&self) -> String {
        format!(
            "airlock {}\n-- exit: {:?}\n-- stdout:\n{}\n-- stderr:\n{}",
            self.args.join(" "),
            self.output.status.code(),
            self.stdout(),
            self.stderr()
        )
    }

    /// Asserts the exit code, showing the whole run otherwise.
    #[track_caller]
    pub fn expect(&self, code: i32) -> &Self {
        assert_eq!(self.code(), code, "unexpected exit code\n{}", self.dump());
        self
    }

    /// Asserts that stdout + stderr mention every one of `needles`.
    #[track_caller]
    pub fn mentions(&self, needles: &[&str]) -> &Self {
        let all = format!("{}{}", self.stdout(), self.stderr());
        for needle in needles {
            assert!(all.contains(needle), "output does not mention {needle:?}\n{}", self.dump());
        }
        self
    }

    /// Parses stdout as the one JSON object `--json` prints, and validates it
    /// against its command's committed schema (`docs/schema/COMMAND.json`).
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        let value = serde_json::from_str(self.stdout().trim())
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e})\n{}", self.dump()));
        if let Err(errors) = validate_json(&value) {
            panic!("the JSON output does not match its schema:\n{errors}\n{}", self.dump());
        }
        value
    }
}

/// Checks `value` (one `--json` object) against `docs/schema/COMMAND.json`
/// (`usage.json` when it names no command); the errors, one a line.
pub fn validate_json(value: &serde_json::Value) -> Result<(), String> {
    use std::sync::{Mutex, OnceLock};
    static VALIDATORS: OnceLock<Mutex<BTreeMap<String, std::sync::Arc<jsonschema::Validator>>>> = OnceLock::new();
    let command = value["command"].as_str().filter(|c| !c.is_empty()).unwrap_or("usage").to_owned();
    let validator = {
        let mut cache = VALIDATORS.get_or_init(Default::default).lock().unwrap();
        cache
            .entry(command.clone())
            .or_insert_with(|| {
                let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("docs/schema/{command}.json"));
                let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
                std::sync::Arc::new(jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{command}: {e}")))
            })
            .clone()
    };
    let errors: Vec<String> =
        validator.iter_errors(value).map(|e| format!("  at {}: {e}", e.instance_path())).collect();
    if errors.is_empty() { Ok(()) } else { Err(errors.join("\n")) }
}

/// Runs `airlock` with `args` (no terminal, no stdin).
pub fn airlock<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    airlock_env(args, &[])
}

/// Runs `airlock` with extra environment variables.
pub fn airlock_env<I, S>(args: I, env: &[(&str, &str)]) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
    let mut command = assert_cmd::Command::cargo_bin("airlock").unwrap();
    command.args(&args).env_remove("AIRLOCK_PASSWORD");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().unwrap();
    Run { args: args.iter().map(|a| a.to_string_lossy().into_owned()).collect(), output }
}

/// Runs `airlock` with `args` from inside `dir`, as a user who `cd`s into
/// the set's folder types it (`airlock check NAME.exe`).
pub fn airlock_in<I, S>(dir: &Path, args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
    let mut command = assert_cmd::Command::cargo_bin("airlock").unwrap();
    command.current_dir(dir).args(&args).env_remove("AIRLOCK_PASSWORD").env_remove("AIRLOCK_KEY_PASSWORD");
    let output = command.output().unwrap();
    let mut shown = vec![format!("(in {})", dir.display())];
    shown.extend(args.iter().map(|a| a.to_string_lossy().into_owned()));
    Run { args: shown, output }
}

/// `path → (size, sha256)` of every regular file under `dir`.
pub fn tree(dir: &Path) -> BTreeMap<String, (u64, String)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let bytes = std::fs::read(e.path()).unwrap();
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            (rel, (bytes.len() as u64, hex::encode(Sha256::digest(&bytes))))
        })
        .collect()
}

/// Every path under `dir`, files and folders, relative.
pub fn all_paths(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| e.unwrap().path().strip_prefix(dir).unwrap().to_string_lossy().into_owned())
        .collect()
}

/// An `EXPECTED.tsv` (`path<TAB>size<TAB>sha256`) as a map, with `{app}/`
/// removed (it lands at the destination's root) and any other constant
/// `{c}/x` as `c/x` (where it lands).
pub fn expected(tsv: &Path) -> BTreeMap<String, (u64, String)> {
    std::fs::read_to_string(tsv)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let mut fields = line.split('\t');
            let path = fields.next().unwrap();
            let path = match path.strip_prefix("{app}/") {
                Some(rest) => rest.to_owned(),
                None => path.strip_prefix('{').map_or(path.to_owned(), |rest| rest.replacen('}', "", 1)),
            };
            let size = fields.next().unwrap().parse().unwrap();
            let sha = fields.next().unwrap().to_owned();
            (path, (size, sha))
        })
        .collect()
}

/// Flips one byte of `path` at `offset` (negative: from the end).
pub fn flip_byte(path: &Path, offset: i64) {
    let mut bytes = std::fs::read(path).unwrap();
    let at = if offset < 0 { (bytes.len() as i64 + offset) as usize } else { offset as usize };
    bytes[at] ^= 0xff;
    std::fs::write(path, bytes).unwrap();
}

/// Whether this process runs as root (tmpfs mounts are possible).
pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// Waits (up to a minute) until `ready` holds or the child exits; true if ready.
pub fn wait_until(child: &mut std::process::Child, mut ready: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::time::Instant::now() < deadline {
        if ready() {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::yield_now();
    }
    false
}

/// Whether an extraction into `dest` has staged at least one file.
pub fn staging_has_a_file(dest: &Path) -> bool {
    std::fs::read_dir(dest).into_iter().flatten().flatten().any(|e| {
        e.file_name().to_string_lossy().starts_with(".airlock-partial-")
            && walkdir::WalkDir::new(e.path()).into_iter().flatten().any(|f| f.file_type().is_file())
    })
}

/// How far process `pid` has read or written sequentially into `path`: the
/// largest file position among its descriptors open on it (Linux
/// `/proc/PID/fdinfo`; 0 when none is open). Makes "it is reading that file
/// now" something a test can wait for.
pub fn position_in(pid: u32, path: &Path) -> u64 {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else { return 0 };
    fds.flatten()
        .filter(|fd| std::fs::read_link(fd.path()).is_ok_and(|target| target == path))
        .filter_map(|fd| {
            std::fs::read_to_string(format!("/proc/{pid}/fdinfo/{}", fd.file_name().to_string_lossy())).ok()
        })
        .filter_map(|info| info.lines().find_map(|l| l.strip_prefix("pos:")).and_then(|p| p.trim().parse::<u64>().ok()))
        .max()
        .unwrap_or(0)
}

/// `len` bytes of incompressible noise (xorshift64), the same on every run:
/// a stored archive entry big enough that a held read keeps a run mid-work.
pub fn noise(len: usize) -> Vec<u8> {
    let mut x = 0x2545_f491_4f6c_dd1du64;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}
