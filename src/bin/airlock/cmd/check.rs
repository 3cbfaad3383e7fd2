//! The `check` command: completeness, one line a part, every problem.

use airlock::{Cancel, ErrorKind, PartState};

use super::discover;
use crate::args::{OutputArgs, SetArgs};
use crate::authenticode;
use crate::escape::{escape_controls, quote};
use crate::output::{complain, fail, print_header, print_json, print_problems, say};
use crate::{exit, exit_code};

pub fn check(set: &SetArgs, output: &OutputArgs, cancel: &Cancel) -> u8 {
    let outcome = discover(set).and_then(|(found, manifest)| {
        let report = airlock::check_cancellable(&found, manifest.as_ref(), cancel)?;
        Ok((report, authenticode::inspect(&found, &set.signing, cancel)?))
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
        let report = authenticode::Signed { report: &report, authenticode: signed.report.as_ref(), vendor: None };
        print_json("check", report, error);
        return code;
    }
    if !output.quiet {
        print_header(&report);
        if let Some(signature) = &signed.report {
            say(format_args!("  {}", escape_controls(&authenticode::line(signature))));
        }
        for part in &report.parts {
            let size = part.size.map(|s| s.to_string()).unwrap_or_else(|| "-".to_owned());
            let external = match &part.external {
                Some(source) => format!("  (external: {})", escape_controls(source)),
                None => String::new(),
            };
            say(format_args!("  {:<10} {:>14}  {}{external}", part.status.to_string(), size, quote(&part.name)));
        }
    }
    print_problems(&report, output.quiet);
    if let Some(problem) = &signed.problem {
        complain(problem);
    }
    if report.is_ok() && !output.quiet {
        let ok = report.parts.iter().filter(|p| p.status == PartState::Ok);
        let total: u64 = ok.clone().filter_map(|p| p.size).sum();
        let external = ok.clone().filter(|p| p.external.is_some()).count();
        let external = if external > 0 {
            format!(" and {external} file(s) the installer reads from beside itself")
        } else {
            String::new()
        };
        say(format_args!(
            "complete: {} part(s){external}, {}",
            ok.filter(|p| p.external.is_none()).count(),
            airlock::human_size(total)
        ));
    }
    code
}
