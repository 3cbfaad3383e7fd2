//! The `verify` command: a verdict a part, `--deep` entry failures, the signature line.

use airlock::{Verdict, VerifyOptions};

use crate::args::{OutputArgs, SetArgs};
use crate::authenticode;
use crate::bars::Bars;
use crate::escape::quote;
use crate::output::{error_line, fail, note, print_json, print_problems, say};
use crate::{exit, exit_code};

/// `options` are the flags as the library takes them (`main` builds them);
/// the library refuses what they cannot mean together.
pub fn verify(set: &SetArgs, options: VerifyOptions, output: &OutputArgs) -> u8 {
    let bars = Bars::new(output.quiet);
    let found = match airlock::discover(&set.set) {
        Ok(found) => found,
        Err(error) => return fail("verify", &error, output),
    };
    // The library checks the installer's signature (and refuses it when
    // --signer is not satisfied); its report carries it.
    let options = match authenticode::policy(&set.signing) {
        Ok(policy) => options.signer(Some(policy)),
        Err(error) => return fail("verify", &error, output),
    };
    let outcome = airlock::verify(&found, &options, &bars);
    let report = match outcome {
        Ok(report) => report,
        Err(error) => return fail("verify", &error, output),
    };
    let failure = report.failure();
    let coverage = report.vendor.as_ref();
    if output.json {
        let error = failure.map(|kind| (kind, verify_summary(&report)));
        let report =
            authenticode::Signed { report: &report, authenticode: report.authenticode.as_ref(), vendor: coverage };
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
            if report.others.is_empty() {
                "no manifest beside the set; printed the hashes (save them with `airlock manifest SET -o SHA256SUMS`)"
            } else {
                "no manifest beside the set lists its parts; printed the hashes (save them with `airlock manifest SET -o SHA256SUMS`)"
            },
        );
    } else {
        for part in report.parts.iter().filter(|p| !output.quiet || !p.status.passed()) {
            say(format_args!("{}: {}", quote(&part.name), part.status));
        }
    }
    // What the manifests beside the set list besides its parts, checked.
    for other in report.others.iter().filter(|o| !output.quiet || o.status == airlock::OtherStatus::Failed) {
        say(format_args!("{}: {}", quote(&other.name), other.status));
    }
    print_problems(&report.check, output.quiet);
    if let Some(signature) = &report.authenticode {
        note(output.quiet, authenticode::line(signature));
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
            if let Some(coverage) = coverage {
                note(output.quiet, &coverage.statement);
            }
            exit::OK
        }
        Some(kind) => {
            let bad = report.parts.iter().filter(|p| !p.status.passed()).count();
            let others = report.others.iter().filter(|o| o.status == airlock::OtherStatus::Failed).count();
            if others > 0 {
                error_line(&format!(
                    "{others} file(s) the manifest lists beside the set do not match it; they are not parts of the set, but the manifest or the files are wrong"
                ));
            }
            if bad > 0 {
                crate::output::tell(format_args!("airlock: {bad} of {} part(s) failed", report.parts.len()));
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
