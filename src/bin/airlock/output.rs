//! Each command: call the library, print text or JSON, return the exit code.
//!
//! Text goes to stdout (results) and stderr (problems: one line each, saying
//! what is wrong, which file, and what to do). `--json` prints exactly one
//! JSON object on stdout (see `json.rs`): `ok`, `command`, the report and, on
//! failure, `error: {kind, message}`. `--quiet` leaves only errors and the
//! data a command exists to print (`list`'s entries, `verify`'s hashes when
//! there is no manifest, `manifest`'s text on stdout).
//!
//! Names and messages pass through `escape.rs` before they reach a terminal;
//! JSON carries them exactly.

use std::io::Write;
use std::path::{Path, PathBuf};

use airlock::{
    Cancel, CheckReport, DownloadSet, Error, ErrorKind, ExtractOptions, FileAction, Manifest, Overwrite, PartState,
    Selection, Severity, Verdict, VerifyOptions,
};
use serde::Serialize;

use crate::args::{HashArgs, ManifestFormatArg, OutputArgs, SetArgs};
use crate::bars::Bars;
use crate::escape::{escape_controls, quote};
use crate::json::{Envelope, ErrorBody, to_line};
use crate::signing;
use crate::{exit, exit_code};

/// Writes a line to stdout; a closed pipe (`airlock … | head`) ends quietly.
///
/// Any other failed or short write (`> SHA256SUMS` on a full disk) ends the
/// run with one line and the I/O exit code, as `sha256sum` does: a result
/// that did not reach its file must not pass for one that did.
pub fn say(line: impl std::fmt::Display) {
    let mut out = std::io::stdout().lock();
    let written = writeln!(out, "{line}").and_then(|()| out.flush());
    match written {
        Ok(()) => {}
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(error) => {
            eprintln!("airlock: error: write error on standard output: {error}; the output is incomplete");
            std::process::exit(i32::from(exit::IO));
        }
    }
}

/// One error line on stderr.
fn complain(error: &Error) {
    error_line(&error.full_message());
}

/// `airlock: error: MESSAGE` on stderr, its control characters escaped.
pub fn error_line(message: &str) {
    eprintln!("airlock: error: {}", escape_controls(message));
}

/// `airlock: warning: …` / `airlock: …` notes on stderr, unless `--quiet`.
pub fn note(quiet: bool, line: impl std::fmt::Display) {
    if !quiet {
        eprintln!("airlock: {}", escape_controls(&line.to_string()));
    }
}

/// Prints a command's JSON object: `ok`, `command`, `report`'s fields and,
/// when `error` is given, the error.
pub fn print_json<T: Serialize>(command: &str, report: T, error: Option<(ErrorKind, String)>) {
    let envelope = Envelope {
        ok: error.is_none(),
        command,
        report,
        error: error.map(|(kind, message)| ErrorBody { kind, message }),
    };
    say(to_line(&envelope));
}

/// Prints a failure (as text or as the JSON object) and returns its exit code.
pub fn fail(command: &str, error: &Error, output: &OutputArgs) -> u8 {
    if output.json {
        say(to_line(&Envelope::failure(command, error, error.full_message())));
    } else if let Error::Incomplete { report } = error {
        print_problems(report, output.quiet);
    } else {
        complain(error);
    }
    exit_code(error.kind())
}

/// When `--signer` is not satisfied: prints the refusal (with the signature
/// state in JSON) and returns its exit code (1).
fn refuse_signer(command: &str, signed: &signing::Signing, output: &OutputArgs) -> Option<u8> {
    let problem = signed.problem.as_ref()?;
    if output.json {
        let report =
            signing::Signed { report: signing::Nothing {}, authenticode: signed.report.as_ref(), vendor: None };
        print_json(command, report, Some((problem.kind(), problem.full_message())));
    } else {
        if let Some(signature) = &signed.report {
            note(output.quiet, signing::line(signature));
        }
        complain(problem);
    }
    Some(exit_code(problem.kind()))
}

fn discover(set: &SetArgs) -> Result<(DownloadSet, Option<Manifest>), Error> {
    let found = airlock::discover(&set.set)?;
    let manifest = found.manifest(set.manifest.as_deref())?;
    Ok((found, manifest))
}

fn print_problems(report: &CheckReport, quiet: bool) {
    for problem in &report.problems {
        match problem.severity {
            Severity::Error => error_line(&problem.message),
            Severity::Warning => note(quiet, format_args!("warning: {}", problem.message)),
        }
    }
}

fn print_header(report: &CheckReport) {
    let payload = report.payload_detail.clone().unwrap_or_else(|| "payload not recognised or unreadable".to_owned());
    say(format_args!("{} ({}): {}", quote(&report.set), report.scheme, payload));
    if let Some(pairing) = &report.pairing {
        say(format_args!("  slices paired with the installer {}", escape_controls(pairing)));
    }
    if let Some(manifest) = &report.manifest {
        say(format_args!("  manifest: {}", quote(&manifest.display().to_string())));
    }
}

pub fn check(set: &SetArgs, output: &OutputArgs) -> u8 {
    let outcome = discover(set).and_then(|(found, manifest)| {
        let report = airlock::check(&found, manifest.as_ref())?;
        Ok((report, signing::inspect(&found, &set.signing)?))
    });
    let (report, signed) = match outcome {
        Ok(checked) => checked,
        Err(error) => return fail("check", &error, output),
    };
    let code = if report.is_ok() { exit::OK } else { exit_code(report.error_kind()) };
    let code = if signed.problem.is_some() { exit_code(ErrorKind::Integrity) } else { code };
    if output.json {
        let error = match &signed.problem {
            Some(problem) => Some((problem.kind(), problem.full_message())),
            None => (!report.is_ok()).then(|| (report.error_kind(), report.summary())),
        };
        let report = signing::Signed { report: &report, authenticode: signed.report.as_ref(), vendor: None };
        print_json("check", report, error);
        return code;
    }
    if !output.quiet {
        print_header(&report);
        if let Some(signature) = &signed.report {
            say(format_args!("  {}", escape_controls(&signing::line(signature))));
        }
        for part in &report.parts {
            let size = part.size.map(|s| s.to_string()).unwrap_or_else(|| "-".to_owned());
            say(format_args!("  {:<10} {:>14}  {}", part.status.to_string(), size, quote(&part.name)));
        }
    }
    print_problems(&report, output.quiet);
    if let Some(problem) = &signed.problem {
        complain(problem);
    }
    if report.is_ok() && !output.quiet {
        let ok = report.parts.iter().filter(|p| p.status == PartState::Ok);
        let total: u64 = ok.clone().filter_map(|p| p.size).sum();
        say(format_args!("complete: {} part(s), {}", ok.count(), airlock::human_size(total)));
    }
    code
}

#[allow(clippy::too_many_arguments)]
pub fn verify(
    set: &SetArgs,
    deep: bool,
    password: Option<String>,
    trust: Option<PathBuf>,
    inno: airlock::InnoChoice,
    hashing: &HashArgs,
    output: &OutputArgs,
    cancel: Cancel,
) -> u8 {
    if !deep && !inno.is_default() {
        let (flag, name) = inno
            .language
            .iter()
            .map(|l| ("--language", l.clone()))
            .chain(inno.components.iter().map(|c| ("--component", c.clone())))
            .chain(inno.tasks.iter().map(|t| ("--task", t.clone())))
            .next()
            .unwrap_or_default();
        let error = Error::UnknownChoice {
            flag: flag.to_owned(),
            name,
            reason: "chooses which files verify --deep decodes; add --deep, or leave it out".to_owned(),
        };
        return fail("verify", &error, output);
    }
    let bars = Bars::new(output.quiet);
    let found = match airlock::discover(&set.set) {
        Ok(found) => found,
        Err(error) => return fail("verify", &error, output),
    };
    let signed = match signing::inspect(&found, &set.signing) {
        Ok(signed) => signed,
        Err(error) => return fail("verify", &error, output),
    };
    if let Some(code) = refuse_signer("verify", &signed, output) {
        return code;
    }
    let outcome = {
        let options = VerifyOptions::default()
            .manifest(set.manifest.clone())
            .hash(hashing.options())
            .deep(deep)
            .password(password)
            .cancel(cancel)
            .trust(trust)
            .inno(inno);
        airlock::verify(&found, &options, &bars)
    };
    let report = match outcome {
        Ok(report) => report,
        Err(error) => return fail("verify", &error, output),
    };
    let failure = report.failure();
    let coverage = match (&signed.report, &report.deep) {
        (Some(signature), Some(deep)) => {
            let deep_ok = deep.failures.is_empty() && failure.is_none();
            airlock::vendor_coverage(&found, &report.check, signature, deep_ok).unwrap_or(None)
        }
        _ => None,
    };
    if output.json {
        let error = failure.map(|kind| (kind, verify_summary(&report)));
        let report =
            signing::Signed { report: &report, authenticode: signed.report.as_ref(), vendor: coverage.as_ref() };
        print_json("verify", report, error);
        return failure.map_or(exit::OK, exit_code);
    }
    if report.manifest.is_none() {
        // No manifest: print the hashes as `sha256sum` would, ready to save.
        for part in &report.parts {
            if let Some(sha256) = &part.sha256 {
                say(format_args!("{sha256}  {}", quote(&part.name)));
            }
        }
        note(
            output.quiet,
            "no manifest beside the set; printed the hashes (save them with `airlock manifest SET -o SHA256SUMS`)",
        );
    } else {
        for part in report.parts.iter().filter(|p| !output.quiet || !p.status.passed()) {
            say(format_args!("{}: {}", quote(&part.name), part.status));
        }
    }
    print_problems(&report.check, output.quiet);
    if let Some(signature) = &signed.report {
        note(output.quiet, signing::line(signature));
    }
    if let Some(signature) = &report.signature {
        match (&signature.message, signature.valid) {
            (Some(message), false) => error_line(message),
            _ => note(
                output.quiet,
                format_args!(
                    "signature of {} verified with the trusted key",
                    signature.manifest.as_deref().map(|p| p.display().to_string()).unwrap_or_default()
                ),
            ),
        }
        for part in report.parts.iter().filter(|p| p.status == Verdict::Unlisted) {
            error_line(&format!("{} is not listed in the signed manifest; it cannot be trusted", part.name));
        }
    }
    for part in &report.parts {
        let said = report
            .check
            .problems
            .iter()
            .any(|p| p.kind == airlock::ProblemKind::Unreadable && p.part.as_deref() == Some(part.name.as_str()));
        if let Some(message) = part.message.as_ref().filter(|_| !said) {
            error_line(message);
        }
    }
    if let Some(deep) = &report.deep {
        for failure in &deep.failures {
            error_line(&failure.message);
        }
        note(
            output.quiet,
            format_args!(
                "deep: {} file(s), {} decoded; {} failed",
                deep.entries_checked,
                airlock::human_size(deep.bytes),
                deep.failures.len()
            ),
        );
    }
    match failure {
        None => {
            if report.manifest.is_some() {
                let unlisted = report.parts.iter().filter(|p| p.status == Verdict::Unlisted).count();
                note(
                    output.quiet,
                    format_args!(
                        "{} {} part(s) match {}{}",
                        if unlisted == 0 { "all" } else { "only" },
                        report.parts.iter().filter(|p| p.status == Verdict::Ok).count(),
                        report.manifest.as_deref().map(|p| p.display().to_string()).unwrap_or_default(),
                        if unlisted == 0 {
                            String::new()
                        } else {
                            format!("; {unlisted} file(s) beside them are not in it")
                        }
                    ),
                );
            }
            if let Some(coverage) = &coverage {
                note(output.quiet, &coverage.statement);
            }
            exit::OK
        }
        Some(kind) => {
            let bad = report.parts.iter().filter(|p| !p.status.passed()).count();
            if bad > 0 {
                eprintln!("airlock: {bad} of {} part(s) failed", report.parts.len());
            }
            exit_code(kind)
        }
    }
}

fn verify_summary(report: &airlock::VerifyReport) -> String {
    let bad: Vec<&str> = report.parts.iter().filter(|p| !p.status.passed()).map(|p| p.name.as_str()).collect();
    if !bad.is_empty() {
        return format!("{} failed: {}", bad.len(), bad.join(", "));
    }
    if !report.check.is_ok() {
        return report.check.summary();
    }
    report.deep.as_ref().and_then(|d| d.failures.first()).map(|f| f.message.clone()).unwrap_or_default()
}

/// What `manifest --json` reports: the parts listed and where it was written.
#[derive(Serialize)]
struct ManifestJson<'a> {
    set: &'a str,
    format: &'static str,
    parts: Vec<ManifestPartJson<'a>>,
    /// The manifest's text, when it went to stdout (no `-o`).
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    written: Vec<PathBuf>,
}

#[derive(Serialize)]
struct ManifestPartJson<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    size: Option<u64>,
    sha256: String,
}

#[allow(clippy::too_many_arguments)]
pub fn manifest(
    set: &SetArgs,
    output_file: Option<&Path>,
    overwrite: Overwrite,
    format: ManifestFormatArg,
    rerecord: bool,
    sign: Option<PathBuf>,
    hashing: &HashArgs,
    output: &OutputArgs,
    cancel: Cancel,
) -> u8 {
    if let Some(path) = output_file
        && path.exists()
        && overwrite == Overwrite::Never
    {
        let error = Error::WouldOverwrite {
            dest: path.parent().map(Path::to_path_buf).unwrap_or_default(),
            existing: vec![path.display().to_string()],
        };
        return fail("manifest", &error, output);
    }
    let bars = Bars::new(output.quiet);
    /// The manifest, its text, and its signature (file, text) when signing.
    type Made = (Manifest, String, Option<(PathBuf, String)>);
    let outcome = (|| -> Result<Made, Error> {
        // The key first: a wrong password is found before the hashing.
        let key = sign.as_deref().map(|key| airlock::SigningKey::open(key, key_password())).transpose()?;
        let found = airlock::discover(&set.set)?;
        let manifest =
            airlock::make_manifest(&found, set.manifest.as_deref(), hashing.options(), rerecord, &bars, &cancel)?;
        let text = match format {
            ManifestFormatArg::Sha256sum => manifest.to_sha256sum(),
            ManifestFormatArg::Json => manifest.to_json(),
        };
        let signature = match (key, output_file) {
            (Some(key), Some(path)) => {
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                Some((airlock::signature_path(path), key.sign(text.as_bytes(), &name)?))
            }
            _ => None,
        };
        Ok((manifest, text, signature))
    })();
    let (manifest, text, signature) = match outcome {
        Ok(made) => made,
        Err(error) => return fail("manifest", &error, output),
    };
    let mut written = Vec::new();
    if let Some(path) = output_file {
        let unchanged =
            overwrite == Overwrite::IfDifferent && std::fs::read(path).is_ok_and(|old| old == text.as_bytes());
        // The manifest and its signature are written together or not at all.
        let mut files = Vec::new();
        if !unchanged {
            files.push((path, text.as_bytes()));
        }
        if let Some((signature_path, signature)) = &signature {
            files.push((signature_path.as_path(), signature.as_bytes()));
        }
        match airlock::write_files(&files) {
            Ok(()) => written.extend(files.iter().map(|(path, _)| path.to_path_buf())),
            Err(error) => return fail("manifest", &error, output),
        }
    }
    if output.json {
        let report = ManifestJson {
            set: manifest.set_name.as_deref().unwrap_or_default(),
            format: match format {
                ManifestFormatArg::Sha256sum => "sha256sum",
                ManifestFormatArg::Json => "json",
            },
            parts: manifest
                .entries
                .iter()
                .map(|e| ManifestPartJson { name: &e.name, size: e.size, sha256: airlock::hex(&e.sha256) })
                .collect(),
            text: output_file.is_none().then_some(text.as_str()),
            written,
        };
        print_json("manifest", report, None);
        return exit::OK;
    }
    if output_file.is_none() {
        say(text.trim_end());
    }
    for path in &written {
        note(output.quiet, format_args!("wrote {}", path.display()));
    }
    exit::OK
}

pub fn list(set: &SetArgs, password: Option<&str>, choice: &airlock::InnoChoice, output: &OutputArgs) -> u8 {
    let outcome = discover(set).and_then(|(found, manifest)| {
        let signed = signing::inspect(&found, &set.signing)?;
        if signed.problem.is_some() {
            return Ok((signed, None));
        }
        Ok((signed, Some(airlock::list_chosen(&found, manifest.as_ref(), password, choice)?)))
    });
    let (signed, listing) = match outcome {
        Ok(result) => result,
        Err(error) => return fail("list", &error, output),
    };
    if let Some(code) = refuse_signer("list", &signed, output) {
        return code;
    }
    let Some(listing) = listing else { return exit::OK };
    let entries = &listing.entries;
    if output.json {
        let mut object = serde_json::to_value(&listing).unwrap_or(serde_json::Value::Null);
        object["authenticode"] = serde_json::to_value(&signed.report).unwrap_or(serde_json::Value::Null);
        print_json("list", object, None);
        return exit::OK;
    }
    if let Some(signature) = &signed.report {
        note(output.quiet, signing::line(signature));
    }
    if !output.quiet {
        if let Some(installer) = &listing.installer {
            for line in crate::installer::describe(installer, listing.language.as_deref()) {
                say(escape_controls(&line));
            }
        }
        say(format_args!("{:>14} {:>14}  {:<20} {:<24} path", "size", "packed", "modified", "checksum"));
    }
    for entry in entries {
        let packed = entry.packed_size.map(|s| s.to_string()).unwrap_or_else(|| "-".to_owned());
        let modified = entry.modified.and_then(airlock::rfc3339).unwrap_or_else(|| "-".to_owned());
        let checksum = entry.checksum.map(|c| c.to_string()).unwrap_or_else(|| "-".to_owned());
        let checksum = if checksum.len() > 24 { format!("{}…", &checksum[..23]) } else { checksum };
        let mut path = match &entry.path {
            Some(path) => quote(path),
            None => format!(
                "{} (UNSAFE: {})",
                quote(&entry.name),
                escape_controls(entry.unsafe_reason.as_deref().unwrap_or(""))
            ),
        };
        if entry.kind == airlock::EntryKind::Directory {
            path.push('/');
        } else if entry.kind == airlock::EntryKind::Symlink {
            path.push_str(" (symbolic link)");
        }
        if let Some(conditions) = &entry.inno {
            path.push_str(&escape_controls(&crate::installer::conditions_suffix(conditions)));
        }
        say(format_args!("{:>14} {:>14}  {:<20} {:<24} {path}", entry.size, packed, modified, checksum));
    }
    if !output.quiet {
        let total: u64 = entries.iter().map(|e| e.size).sum();
        say(format_args!("{} entries, {}", entries.len(), airlock::human_size(total)));
        for line in crate::installer::left_out_lines(&listing.left_out) {
            say(escape_controls(&line));
        }
    }
    crate::installer::warn_duplicates(&listing.duplicates, output.quiet);
    exit::OK
}

/// What `extract` was asked to do, beyond the common arguments.
pub struct ExtractArgs {
    pub dest: PathBuf,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub overwrite: Overwrite,
    pub collisions: airlock::Collisions,
    pub min_free: u64,
    pub verify: bool,
    pub password: Option<String>,
    pub trust: Option<PathBuf>,
    pub choice: airlock::InnoChoice,
}

pub fn extract(set: &SetArgs, args: ExtractArgs, hashing: &HashArgs, output: &OutputArgs, cancel: Cancel) -> u8 {
    let bars = Bars::new(output.quiet);
    let found = match airlock::discover(&set.set) {
        Ok(found) => found,
        Err(error) => return fail("extract", &error, output),
    };
    // --signer refuses before anything is written.
    match signing::inspect(&found, &set.signing) {
        Ok(signed) => {
            if let Some(code) = refuse_signer("extract", &signed, output) {
                return code;
            }
        }
        Err(error) => return fail("extract", &error, output),
    }
    let outcome = (|| {
        let mut options = ExtractOptions::new(args.dest.clone());
        options.selection = Selection::new(&args.include, &args.exclude)?;
        options.overwrite = args.overwrite;
        options.collisions = args.collisions;
        options.min_free = args.min_free;
        options.manifest = set.manifest.clone();
        options.verify_parts = args.verify;
        options.password = args.password.clone();
        options.trust = args.trust.clone();
        options.inno = args.choice.clone();
        options.hash = hashing.options();
        options.cancel = cancel;
        airlock::extract(&found, &options, &bars)
    })();
    let report = match outcome {
        Ok(report) => report,
        Err(error) => return fail("extract", &error, output),
    };
    if output.json {
        print_json("extract", &report, None);
        return exit::OK;
    }
    print_problems(&report.check, output.quiet);
    for collision in &report.collisions {
        let rule =
            if report.check.payload == Some(airlock::PayloadFormat::Inno) { ", as the installer would" } else { "" };
        note(
            output.quiet,
            format_args!("warning: several entries install to {}; kept the last{rule}", quote(collision)),
        );
    }
    for renamed in &report.renamed {
        note(
            output.quiet,
            format_args!(
                "warning: {} is also the name of another entry; wrote it as {}",
                quote(&renamed.from),
                quote(&renamed.to)
            ),
        );
    }
    crate::installer::warn_duplicates(&report.duplicates, output.quiet);
    if output.quiet {
        return exit::OK;
    }
    if let Some(manifest) = &report.verified_with {
        say(format_args!("parts verified against {}", manifest.display()));
    }
    let unchanged = report.files.iter().filter(|f| f.action == FileAction::Unchanged).count();
    say(format_args!(
        "extracted {} file(s), {} into {}{}",
        report.files.len() - unchanged,
        airlock::human_size(report.bytes_written),
        report.dest.display(),
        if unchanged > 0 { format!(" ({unchanged} identical file(s) left as they were)") } else { String::new() }
    ));
    if let Some(line) = crate::installer::left_out_summary(&report.left_out) {
        say(escape_controls(&line));
    }
    if let Some(setup) = &report.setup_exe {
        say(format_args!("setup.exe is at {}", setup.display()));
    }
    exit::OK
}

/// The secret key's password, from the environment (never prompted).
fn key_password() -> Option<String> {
    std::env::var("AIRLOCK_KEY_PASSWORD").ok().filter(|p| !p.is_empty())
}

/// What `stage` was asked beyond the set and the media: the key to sign
/// with, which manifest vouches for the source (`--manifest`, `--trust`;
/// both unset: the one found beside the set, if any), and the overwrite mode.
pub struct StageRequest {
    pub sign: Option<PathBuf>,
    pub manifest: Option<PathBuf>,
    pub trust: Option<PathBuf>,
    pub overwrite: Overwrite,
}

pub fn stage(
    set: &Path,
    media: &Path,
    request: StageRequest,
    signer: &crate::args::SignerArgs,
    hashing: &HashArgs,
    output: &OutputArgs,
    cancel: Cancel,
) -> u8 {
    let bars = Bars::new(output.quiet);
    let outcome = airlock::discover(set).and_then(|found| {
        let options = airlock::StageOptions::default()
            .trust(signing::trust(signer)?)
            .manifest(request.manifest)
            .manifest_trust(request.trust)
            .overwrite(request.overwrite != Overwrite::Never)
            .hash(hashing.options())
            .sign_key(request.sign)
            .key_password(key_password())
            .cancel(cancel);
        airlock::stage(&found, media, &options, &bars)
    });
    let report = match outcome {
        Ok(report) => report,
        Err(error) => return fail("stage", &error, output),
    };
    if output.json {
        print_json("stage", &report, None);
        return exit::OK;
    }
    if output.quiet {
        return exit::OK;
    }
    for part in &report.parts {
        say(format_args!("{}: {}", quote(&part.name), part.action));
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

/// What `keygen --json` reports.
#[derive(Serialize)]
struct KeygenJson<'a> {
    public: &'a Path,
    secret: &'a Path,
}

pub fn keygen(public: &Path, secret: &Path, no_password: bool, overwrite: Overwrite, output: &OutputArgs) -> u8 {
    let password = key_password();
    if password.is_none() && !no_password {
        let error = Error::BadInput {
            path: secret.to_path_buf(),
            reason: "set AIRLOCK_KEY_PASSWORD to protect the secret key, or pass --no-password to leave it unprotected"
                .to_owned(),
        };
        return fail("keygen", &error, output);
    }
    if overwrite != Overwrite::Never {
        // A new key pair always differs from the old one: both modes replace.
        for path in [public, secret] {
            if let Err(error) = std::fs::remove_file(path)
                && error.kind() != std::io::ErrorKind::NotFound
            {
                return fail("keygen", &Error::Io { path: path.to_path_buf(), source: error }, output);
            }
        }
    }
    match airlock::keygen(public, secret, password) {
        Ok(()) => {
            if output.json {
                print_json("keygen", KeygenJson { public, secret }, None);
            } else if !output.quiet {
                say(format_args!("public key: {} (copy it to the far side)", public.display()));
                say(format_args!("secret key: {} (keep it off the media)", secret.display()));
            }
            exit::OK
        }
        Err(error) => fail("keygen", &error, output),
    }
}
