//! The `stage` command: copy onto media, read back, write the manifests.

use std::path::Path;

use airlock::{Cancel, Overwrite};

use crate::args::{HashArgs, OutputArgs, StageRequest};
use crate::authenticode;
use crate::bars::Bars;
use crate::escape::quote;
use crate::exit;
use crate::output::{fail, print_json, say};
use crate::password::key_password;

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
        let options = airlock::StageOptions::new(media)
            .signer(authenticode::policy(signer)?)
            .manifest(request.manifest)
            .manifest_key(request.trust)
            .overwrite(request.overwrite != Overwrite::Never)
            .hash(hashing.options())
            .sign_key(request.sign)
            .key_password(key_password())
            .cancel(cancel);
        airlock::stage(&found, &options, &bars)
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
