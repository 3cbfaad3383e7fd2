//! The `extract` command: all or nothing into DEST, one line a file under `--verbose`.

use airlock::{Cancel, ExtractOptions, FileAction, Selection};

use crate::args::{ExtractArgs, HashArgs, OutputArgs, SetArgs};
use crate::authenticode;
use crate::bars::Bars;
use crate::escape::{escape_controls, quote};
use crate::exit;
use crate::output::{fail, note, print_json, print_problems, say};

pub fn extract(set: &SetArgs, args: ExtractArgs, hashing: &HashArgs, output: &OutputArgs, cancel: Cancel) -> u8 {
    let bars = Bars::new(output.quiet);
    let found = match airlock::discover(&set.set) {
        Ok(found) => found,
        Err(error) => return fail("extract", &error, output),
    };
    let outcome = (|| {
        let mut options = ExtractOptions::new(args.dest.clone());
        // --signer: the library refuses before anything is written.
        options.signer = Some(authenticode::policy(&set.signing)?);
        options.selection = Selection::new(&args.include, &args.exclude)?;
        options.overwrite = args.overwrite;
        options.collisions = args.collisions;
        options.min_free = args.min_free;
        options.manifest = set.manifest.clone();
        options.verify_parts = args.verify;
        options.password = args.password.clone();
        options.manifest_key = args.trust.clone();
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
