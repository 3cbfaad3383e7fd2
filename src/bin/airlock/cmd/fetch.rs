//! `airlock fetch`: its arguments, and printing the plan and the outcome.

use std::path::PathBuf;
use std::time::Duration;

use airlock::{Cancel, FetchOptions, FetchPlan, FetchReport, FetchedPart, PartAction, PayloadFormat, PlanSource};
use clap::Args;
use serde::Serialize;

use crate::args::OutputArgs;
use crate::bars::Bars;
use crate::escape::quote;
use crate::exit;
use crate::output::{fail, note, print_json, say};

#[derive(Debug, Args)]
pub struct FetchArgs {
    /// The installer's URL (its header names the slices), NAME.7z.001's (its start header gives the volume count), any first part's (the next numbers are probed until 404), or every part's URL.
    #[arg(value_name = "URL", required = true)]
    pub urls: Vec<String>,
    /// The folder to download into (created if missing).
    #[arg(short = 'd', long = "dest", value_name = "DIR", default_value = ".")]
    pub dest: PathBuf,
    /// Parts downloaded at once.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub jobs: usize,
    /// Retries per request after a connection reset, a timeout or a 5xx answer (each resumes at the byte reached).
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub retries: u32,
    /// Give up on a transfer after this long without progress (then retry): `30s`, `2m`.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = humantime::parse_duration)]
    pub timeout: Duration,
    /// The wait before the first retry; it doubles with each one.
    #[arg(long, value_name = "DURATION", default_value = "1s", value_parser = humantime::parse_duration)]
    pub retry_delay: Duration,
    /// Proxy URL for every request (otherwise by the URL's scheme http_proxy/HTTP_PROXY or https_proxy/HTTPS_PROXY, else ALL_PROXY; NO_PROXY hosts go direct).
    #[arg(long, value_name = "URL")]
    pub proxy: Option<String>,
    /// Also trust the CA certificates in this PEM file (added to the system's trust store).
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<PathBuf>,
    /// Published hashes to compare every part with (a file or an http(s) URL; sha256sum, BSD tag, Get-FileHash CSV or airlock JSON).
    #[arg(long, value_name = "FILE|URL")]
    pub manifest: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub signing: crate::args::SignerArgs,
}

pub fn run(args: FetchArgs, cancel: Cancel) -> u8 {
    let mut options = FetchOptions::new(args.dest.clone());
    options.jobs = args.jobs;
    options.retries = args.retries;
    options.timeout = args.timeout;
    options.retry_delay = args.retry_delay;
    options.proxy = args.proxy.clone();
    options.ca_file = args.ca_file.clone();
    options.manifest = args.manifest.clone();
    options.cancel = cancel;
    options.signer = match crate::authenticode::policy(&args.signing) {
        Ok(trust) => Some(trust),
        Err(error) => return fail("fetch", &error, &args.output),
    };
    let bars = Bars::new(args.output.quiet);
    let plan = match airlock::plan_fetch(&args.urls, &options, &bars) {
        Ok(plan) => plan,
        Err(error) => return fail("fetch", &error, &args.output),
    };
    if !args.output.json && !args.output.quiet {
        print_plan(&plan);
    }
    match airlock::download(plan, &options, &bars) {
        Ok(report) => {
            print_report(&report, &args.output);
            exit::OK
        }
        Err(error) => fail("fetch", &error, &args.output),
    }
}

fn print_plan(plan: &FetchPlan) {
    let source = match plan.source {
        airlock::PlanSource::InnoHeader => "named by the installer's Inno Setup header",
        airlock::PlanSource::SevenZHeader => "counted from the 7z start header",
        airlock::PlanSource::Listed => "as listed",
        airlock::PlanSource::Probed => "found by asking for the next part numbers",
        _ => "one file",
    };
    say(format_args!(
        "{} part(s) into {} ({source}), {} to download:",
        plan.parts.len(),
        quote(&plan.dir.display().to_string()),
        airlock::human_size(plan.remaining())
    ));
    for part in &plan.parts {
        let size = part.size.map_or_else(|| "?".to_owned(), |s| s.to_string());
        let state = if part.complete {
            "  (already there)".to_owned()
        } else if part.present > 0 {
            format!("  (resuming from byte {})", part.present)
        } else {
            String::new()
        };
        say(format_args!("  {size:>14}  {}{state}", quote(&part.name)));
        if let Some(final_url) = &part.final_url {
            say(format_args!("                  redirected to {}", host_of(final_url)));
        }
    }
}

/// The `--json` object's fields besides `ok` and `command`.
#[derive(Serialize, schemars::JsonSchema)]
pub struct FetchJson<'a> {
    dir: &'a std::path::Path,
    source: PlanSource,
    parts: &'a [FetchedPart],
    written: &'a [PathBuf],
    published: Option<&'a str>,
    payload: Option<PayloadFormat>,
    payload_detail: Option<&'a str>,
    bytes_received: u64,
    bytes_resumed: u64,
}

fn print_report(report: &FetchReport, output: &OutputArgs) {
    if output.json {
        let fields = FetchJson {
            dir: &report.dir,
            source: report.source,
            parts: &report.parts,
            written: &report.written,
            published: report.published.as_deref(),
            payload: report.check.payload,
            payload_detail: report.check.payload_detail.as_deref(),
            bytes_received: report.parts.iter().map(|p| p.received_bytes).fold(0, u64::saturating_add),
            bytes_resumed: report.parts.iter().map(|p| p.resumed_bytes).fold(0, u64::saturating_add),
        };
        print_json("fetch", fields, None);
        return;
    }
    for part in &report.parts {
        let action = match part.action {
            PartAction::Downloaded => "downloaded".to_owned(),
            PartAction::Resumed => format!("resumed ({} byte(s) kept from before)", part.resumed_bytes),
            PartAction::AlreadyThere => "already there".to_owned(),
        };
        let retries = if part.retries > 0 { format!(", {} retr(ies)", part.retries) } else { String::new() };
        let via = part.final_url.as_deref().map(|u| format!(", from {}", host_of(u))).unwrap_or_default();
        say(format_args!("{}: {action}{retries}{via}", quote(&part.name)));
        for reason in &part.restarts {
            note(output.quiet, format_args!("warning: {} started again from zero: {reason}", quote(&part.name)));
        }
    }
    if let Some(published) = &report.published {
        say(format_args!("every part matches {published}"));
    }
    for path in &report.written {
        say(format_args!("wrote {}", quote(&path.display().to_string())));
    }
    let total: u64 = report.parts.iter().map(|p| p.size).fold(0, u64::saturating_add);
    say(format_args!(
        "complete: {} part(s), {} in {}{}",
        report.parts.len(),
        airlock::human_size(total),
        quote(&report.dir.display().to_string()),
        report.check.payload_detail.as_deref().map(|d| format!(" ({d})")).unwrap_or_default()
    ));
}

/// `host[:port]` of a URL, for "redirected to …".
fn host_of(url: &str) -> String {
    match url.parse::<ureq::http::Uri>() {
        // Never the user name or password a redirect may carry.
        Ok(uri) => uri.authority().map_or_else(
            || url.to_owned(),
            |a| a.port().map_or_else(|| a.host().to_owned(), |port| format!("{}:{port}", a.host())),
        ),
        Err(_) => url.to_owned(),
    }
}
