//! Each command: call the library, print text or JSON, return the exit code.
//!
//! Text goes to stdout (results) and stderr (problems: one line each, saying
//! what is wrong, which file, and what to do). `--json` prints exactly one
//! JSON object on stdout with at least `ok`, `parts` and, on failure,
//! `error: {kind, message}`.

use std::io::Write;
use std::path::{Path, PathBuf};

use airlock::{
    Cancel, CheckReport, DownloadSet, Error, ErrorKind, ExtractOptions, Manifest, Overwrite, Selection, Severity,
    VerifyOptions,
};
use serde_json::{Value, json};

use crate::args::{HashArgs, ManifestFormatArg, OutputArgs, SetArgs};
use crate::bars::Bars;
use crate::{exit, exit_code};

/// Writes a line to stdout; a closed pipe (`airlock … | head`) ends quietly.
pub fn say(line: impl std::fmt::Display) {
    let mut out = std::io::stdout().lock();
    if let Err(error) = writeln!(out, "{line}")
        && error.kind() == std::io::ErrorKind::BrokenPipe
    {
        std::process::exit(0);
    }
}

/// One error line on stderr.
fn complain(error: &Error) {
    eprintln!("airlock: error: {}", error.full_message());
}

/// The JSON `error` member for a failure.
pub fn error_json(kind: ErrorKind, message: &str) -> Value {
    json!({ "kind": kind, "message": message })
}

/// Prints a failure (as text or as the JSON object) and returns its exit code.
pub fn fail(command: &str, error: &Error, output: &OutputArgs) -> u8 {
    if output.json {
        let mut object = json!({ "ok": false, "command": command, "parts": [] , "error": error_json(error.kind(), &error.full_message()) });
        if let Error::Incomplete { report } = error {
            merge(&mut object, check_json(report));
            object["ok"] = json!(false);
        }
        say(object);
    } else if let Error::Incomplete { report } = error {
        print_problems(report, output.quiet);
    } else {
        complain(error);
    }
    exit_code(error.kind())
}

pub fn merge(into: &mut Value, from: Value) {
    if let (Value::Object(into), Value::Object(from)) = (into, from) {
        for (k, v) in from {
            into.insert(k, v);
        }
    }
}

fn discover(set: &SetArgs) -> Result<(DownloadSet, Option<Manifest>), Error> {
    let found = airlock::discover(&set.set)?;
    let manifest = found.manifest(set.manifest.as_deref())?;
    Ok((found, manifest))
}

pub fn check_json(report: &CheckReport) -> Value {
    json!({
        "set": report.set,
        "dir": report.dir,
        "scheme": report.scheme,
        "payload": report.payload,
        "payload_detail": report.payload_detail,
        "pairing": report.pairing,
        "manifest": report.manifest,
        "parts": report.parts,
        "problems": report.problems,
    })
}

fn print_problems(report: &CheckReport, quiet: bool) {
    for problem in &report.problems {
        match problem.severity {
            Severity::Error => eprintln!("airlock: error: {}", problem.message),
            Severity::Warning if !quiet => eprintln!("airlock: warning: {}", problem.message),
            Severity::Warning => {}
        }
    }
}

fn print_header(report: &CheckReport) {
    let payload = report.payload_detail.clone().unwrap_or_else(|| "payload not recognised or unreadable".to_owned());
    say(format_args!("{} ({}): {}", report.set, report.scheme, payload));
    if let Some(pairing) = &report.pairing {
        say(format_args!("  slices paired with the installer {pairing}"));
    }
    if let Some(manifest) = &report.manifest {
        say(format_args!("  manifest: {}", manifest.display()));
    }
}

pub fn check(set: &SetArgs, output: &OutputArgs) -> u8 {
    let outcome = discover(set).and_then(|(found, manifest)| airlock::check(&found, manifest.as_ref()));
    let report = match outcome {
        Ok(report) => report,
        Err(error) => return fail("check", &error, output),
    };
    let code = if report.is_ok() { exit::OK } else { exit_code(report.error_kind()) };
    if output.json {
        let mut object = json!({ "ok": report.is_ok(), "command": "check" });
        merge(&mut object, check_json(&report));
        if !report.is_ok() {
            object["error"] = error_json(report.error_kind(), &report.summary());
        }
        say(object);
        return code;
    }
    print_header(&report);
    for part in &report.parts {
        let size = part.size.map(|s| s.to_string()).unwrap_or_else(|| "-".to_owned());
        say(format_args!("  {:<10} {:>14}  {}", part.status.to_uppercase(), size, part.name));
    }
    print_problems(&report, output.quiet);
    if report.is_ok() {
        let total: u64 = report.parts.iter().filter(|p| p.status == "ok").filter_map(|p| p.size).sum();
        say(format_args!(
            "complete: {} part(s), {}",
            report.parts.iter().filter(|p| p.status == "ok").count(),
            airlock::human_size(total)
        ));
    }
    code
}

pub fn verify(
    set: &SetArgs,
    deep: bool,
    password: Option<String>,
    trust: Option<PathBuf>,
    hashing: &HashArgs,
    output: &OutputArgs,
    cancel: Cancel,
) -> u8 {
    let bars = Bars::new(output.quiet);
    let outcome = airlock::discover(&set.set).and_then(|found| {
        let options =
            VerifyOptions { manifest: set.manifest.clone(), hash: hashing.options(), deep, password, cancel, trust };
        airlock::verify(&found, &options, &bars)
    });
    let report = match outcome {
        Ok(report) => report,
        Err(error) => return fail("verify", &error, output),
    };
    let failure = report.failure();
    if output.json {
        let mut object = json!({ "ok": failure.is_none(), "command": "verify" });
        merge(&mut object, check_json(&report.check));
        object["parts"] = json!(report.parts);
        object["manifest"] = json!(report.manifest);
        object["sha256_backend"] = json!(report.sha256_backend);
        object["deep"] = json!(report.deep);
        object["signature"] = json!(report.signature);
        if let Some(kind) = failure {
            object["error"] = error_json(kind, &verify_summary(&report));
        }
        say(object);
        return failure.map_or(exit::OK, exit_code);
    }
    if report.manifest.is_none() {
        // No manifest: print the hashes as `sha256sum` would, ready to save.
        for part in &report.parts {
            if let Some(sha256) = &part.sha256 {
                say(format_args!("{sha256}  {}", part.name));
            }
        }
        if !output.quiet {
            eprintln!(
                "airlock: no manifest beside the set; printed the hashes (save them with `airlock manifest SET -o SHA256SUMS`)"
            );
        }
    } else {
        for part in &report.parts {
            let verdict = match part.status.as_str() {
                "ok" => "OK",
                "unlisted" => "NOT IN MANIFEST",
                "missing" => "MISSING",
                _ => "FAILED",
            };
            say(format_args!("{}: {verdict}", part.name));
        }
    }
    print_problems(&report.check, output.quiet);
    if let Some(signature) = &report.signature {
        match (&signature.message, signature.valid) {
            (Some(message), false) => eprintln!("airlock: error: {message}"),
            _ if !output.quiet => eprintln!(
                "airlock: signature of {} verified with the trusted key",
                signature.manifest.as_deref().map(|p| p.display().to_string()).unwrap_or_default()
            ),
            _ => {}
        }
        for part in report.parts.iter().filter(|p| p.status == "unlisted") {
            eprintln!("airlock: error: {} is not listed in the signed manifest; it cannot be trusted", part.name);
        }
    }
    for part in &report.parts {
        if let Some(message) = &part.message {
            eprintln!("airlock: error: {message}");
        }
    }
    if let Some(deep) = &report.deep {
        for failure in &deep.failures {
            eprintln!("airlock: error: {}", failure.message);
        }
        if !output.quiet {
            eprintln!(
                "airlock: deep: {} file(s), {} decoded; {} failed",
                deep.entries_checked,
                airlock::human_size(deep.bytes),
                deep.failures.len()
            );
        }
    }
    match failure {
        None => {
            if report.manifest.is_some() && !output.quiet {
                eprintln!(
                    "airlock: all {} part(s) match {}",
                    report.parts.len(),
                    report.manifest.as_deref().map(|p| p.display().to_string()).unwrap_or_default()
                );
            }
            exit::OK
        }
        Some(kind) => {
            let bad = report.parts.iter().filter(|p| p.status != "ok" && p.status != "hashed").count();
            if bad > 0 {
                eprintln!("airlock: {bad} of {} part(s) failed", report.parts.len());
            }
            exit_code(kind)
        }
    }
}

fn verify_summary(report: &airlock::VerifyReport) -> String {
    let bad: Vec<&str> = report
        .parts
        .iter()
        .filter(|p| !matches!(p.status.as_str(), "ok" | "hashed"))
        .map(|p| p.name.as_str())
        .collect();
    if !bad.is_empty() {
        return format!("{} failed: {}", bad.len(), bad.join(", "));
    }
    if !report.check.is_ok() {
        return report.check.summary();
    }
    report.deep.as_ref().and_then(|d| d.failures.first()).map(|f| f.message.clone()).unwrap_or_default()
}

#[allow(clippy::too_many_arguments)]
pub fn manifest(
    set: &SetArgs,
    output_file: Option<&Path>,
    force: bool,
    format: ManifestFormatArg,
    sign: Option<PathBuf>,
    hashing: &HashArgs,
    quiet: bool,
    cancel: Cancel,
) -> u8 {
    let text_output = OutputArgs { json: false, quiet };
    if let Some(path) = output_file
        && path.exists()
        && !force
    {
        let error = Error::WouldOverwrite {
            dest: path.parent().map(Path::to_path_buf).unwrap_or_default(),
            existing: vec![path.display().to_string()],
        };
        eprintln!("airlock: error: {} already exists; pass --force to replace it", path.display());
        return exit_code(error.kind());
    }
    let bars = Bars::new(quiet);
    let outcome = (|| -> Result<String, Error> {
        let found = airlock::discover(&set.set)?;
        let manifest = airlock::make_manifest(&found, set.manifest.as_deref(), hashing.options(), &bars, &cancel)?;
        Ok(match format {
            ManifestFormatArg::Sha256sum => manifest.to_sha256sum(),
            ManifestFormatArg::Json => manifest.to_json(),
        })
    })();
    let text = match outcome {
        Ok(text) => text,
        Err(error) => return fail("manifest", &error, &text_output),
    };
    match output_file {
        None => {
            say(text.trim_end());
            exit::OK
        }
        Some(path) => match write_atomically(path, text.as_bytes())
            .and_then(|()| sign.map(|key| airlock::sign_manifest(path, &key, key_password())).transpose())
        {
            Ok(signature) => {
                if !quiet {
                    eprintln!("airlock: wrote {}", path.display());
                    if let Some(signature) = signature {
                        eprintln!("airlock: wrote {}", signature.display());
                    }
                }
                exit::OK
            }
            Err(error) => fail("manifest", &error, &text_output),
        },
    }
}

/// Writes `bytes` to a temporary file beside `path`, then renames it into place.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let io = |e: std::io::Error| Error::Io { path: path.to_path_buf(), source: e };
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    temp.write_all(bytes).map_err(io)?;
    temp.as_file().sync_all().map_err(io)?;
    temp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

pub fn list(set: &SetArgs, password: Option<&str>, output: &OutputArgs) -> u8 {
    let outcome = discover(set).and_then(|(found, manifest)| airlock::list(&found, manifest.as_ref(), password));
    let (report, entries) = match outcome {
        Ok(listing) => listing,
        Err(error) => return fail("list", &error, output),
    };
    if output.json {
        let mut object = json!({ "ok": true, "command": "list" });
        merge(&mut object, check_json(&report));
        object["entries"] = json!(entries);
        say(object);
        return exit::OK;
    }
    say(format_args!("{:>14} {:>14}  {:<20} {:<24} path", "size", "packed", "modified", "checksum"));
    for entry in &entries {
        let packed = entry.packed_size.map(|s| s.to_string()).unwrap_or_else(|| "-".to_owned());
        let modified =
            entry.modified.map(|t| humantime::format_rfc3339_seconds(t).to_string()).unwrap_or_else(|| "-".to_owned());
        let checksum = entry.checksum.map(|c| c.to_string()).unwrap_or_else(|| "-".to_owned());
        let checksum = if checksum.len() > 24 { format!("{}…", &checksum[..23]) } else { checksum };
        let mut path = entry
            .path
            .clone()
            .unwrap_or_else(|| format!("{} (UNSAFE: {})", entry.name, entry.unsafe_reason.as_deref().unwrap_or("")));
        if entry.kind == airlock::EntryKind::Directory {
            path.push('/');
        } else if entry.kind == airlock::EntryKind::Symlink {
            path.push_str(" (symbolic link)");
        }
        say(format_args!("{:>14} {:>14}  {:<20} {:<24} {path}", entry.size, packed, modified, checksum));
    }
    let total: u64 = entries.iter().map(|e| e.size).sum();
    say(format_args!("{} entries, {}", entries.len(), airlock::human_size(total)));
    exit::OK
}

/// What `extract` was asked to do, beyond the common arguments.
pub struct ExtractArgs {
    pub dest: PathBuf,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub overwrite: Overwrite,
    pub min_free: u64,
    pub verify: bool,
    pub password: Option<String>,
    pub trust: Option<PathBuf>,
}

pub fn extract(set: &SetArgs, args: ExtractArgs, hashing: &HashArgs, output: &OutputArgs, cancel: Cancel) -> u8 {
    let bars = Bars::new(output.quiet);
    let outcome = (|| {
        let found = airlock::discover(&set.set)?;
        let mut options = ExtractOptions::new(args.dest.clone());
        options.selection = Selection::new(&args.include, &args.exclude)?;
        options.overwrite = args.overwrite;
        options.min_free = args.min_free;
        options.manifest = set.manifest.clone();
        options.verify_parts = args.verify;
        options.password = args.password.clone();
        options.trust = args.trust.clone();
        options.hash = hashing.options();
        options.cancel = cancel;
        // For tests on machines where a small filesystem cannot be mounted.
        options.assume_available = std::env::var("AIRLOCK_TEST_AVAILABLE_BYTES").ok().and_then(|v| v.parse().ok());
        airlock::extract(&found, &options, &bars)
    })();
    let report = match outcome {
        Ok(report) => report,
        Err(error) => return fail("extract", &error, output),
    };
    if output.json {
        let mut object = json!({ "ok": true, "command": "extract" });
        merge(&mut object, check_json(&report.check));
        object["dest"] = json!(report.dest);
        object["files"] = json!(report.files);
        object["bytes_written"] = json!(report.bytes_written);
        object["verified_with"] = json!(report.verified_with);
        object["setup_exe"] = json!(report.setup_exe);
        object["collisions"] = json!(report.collisions);
        say(object);
        return exit::OK;
    }
    print_problems(&report.check, output.quiet);
    for collision in &report.collisions {
        if !output.quiet {
            eprintln!(
                "airlock: warning: several entries install to {collision}; kept the last, as the installer would"
            );
        }
    }
    if let Some(manifest) = &report.verified_with {
        say(format_args!("parts verified against {}", manifest.display()));
    }
    let unchanged = report.files.iter().filter(|f| f.action == "unchanged").count();
    say(format_args!(
        "extracted {} file(s), {} into {}{}",
        report.files.len() - unchanged,
        airlock::human_size(report.bytes_written),
        report.dest.display(),
        if unchanged > 0 { format!(" ({unchanged} identical file(s) left as they were)") } else { String::new() }
    ));
    if let Some(setup) = &report.setup_exe {
        say(format_args!("setup.exe is at {}", setup.display()));
    }
    exit::OK
}

/// The secret key's password, from the environment (never prompted).
fn key_password() -> Option<String> {
    std::env::var("AIRLOCK_KEY_PASSWORD").ok().filter(|p| !p.is_empty())
}

pub fn stage(
    set: &Path,
    media: &Path,
    sign: Option<PathBuf>,
    overwrite: bool,
    hashing: &HashArgs,
    output: &OutputArgs,
    cancel: Cancel,
) -> u8 {
    let bars = Bars::new(output.quiet);
    let outcome = airlock::discover(set).and_then(|found| {
        let options = airlock::StageOptions {
            overwrite,
            hash: hashing.options(),
            sign_key: sign,
            key_password: key_password(),
            cancel,
            assume_available: std::env::var("AIRLOCK_TEST_AVAILABLE_BYTES").ok().and_then(|v| v.parse().ok()),
        };
        airlock::stage(&found, media, &options, &bars)
    });
    let report = match outcome {
        Ok(report) => report,
        Err(error) => return fail("stage", &error, output),
    };
    if output.json {
        say(
            json!({ "ok": true, "command": "stage", "media": report.media, "parts": report.parts, "written": report.written, "bytes_copied": report.bytes_copied }),
        );
        return exit::OK;
    }
    for part in &report.parts {
        let action = if part.action == "copied" { "copied, read back OK" } else { "already on the media, OK" };
        say(format_args!("{}: {action}", part.name));
    }
    for path in &report.written {
        say(format_args!("wrote {}", path.display()));
    }
    say(format_args!(
        "staged {} part(s) into {} ({} copied)",
        report.parts.len(),
        report.media.display(),
        airlock::human_size(report.bytes_copied)
    ));
    exit::OK
}

pub fn keygen(public: &Path, secret: &Path, no_password: bool) -> u8 {
    let password = key_password();
    if password.is_none() && !no_password {
        eprintln!(
            "airlock: error: set AIRLOCK_KEY_PASSWORD to protect the secret key, or pass --no-password to leave it unprotected"
        );
        return exit::USAGE;
    }
    match airlock::keygen(public, secret, password) {
        Ok(()) => {
            say(format_args!("public key: {} (copy it to the far side)", public.display()));
            say(format_args!("secret key: {} (keep it off the media)", secret.display()));
            exit::OK
        }
        Err(error) => fail("keygen", &error, &OutputArgs { json: false, quiet: false }),
    }
}
