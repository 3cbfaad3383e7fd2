//! The `manifest` command: hashes the set and writes (or prints) its manifest, signed on request.

use std::path::PathBuf;

use airlock::{ManifestFormat, ManifestOptions};
use serde::Serialize;

use crate::args::{OutputArgs, SetArgs};
use crate::bars::Bars;
use crate::exit;
use crate::output::{fail, note, print_json, say};

/// What `manifest --json` reports: the parts listed and where it was written.
#[derive(Serialize, schemars::JsonSchema)]
pub struct ManifestJson<'a> {
    set: &'a str,
    format: &'static str,
    parts: Vec<ManifestPartJson<'a>>,
    /// The manifest's text, when it went to stdout (no `-o`).
    text: Option<&'a str>,
    written: Vec<PathBuf>,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct ManifestPartJson<'a> {
    name: &'a str,
    size: Option<u64>,
    sha256: String,
}

/// `options` are the flags as the library takes them (`main` builds them):
/// the library opens the key, hashes, formats, signs and writes.
pub fn manifest(set: &SetArgs, options: &ManifestOptions, output: &OutputArgs) -> u8 {
    let bars = Bars::new(output.quiet);
    let outcome = airlock::discover(&set.set).and_then(|found| airlock::write_manifest(&found, options, &bars));
    let made = match outcome {
        Ok(made) => made,
        Err(error) => return fail("manifest", &error, output),
    };
    if output.json {
        let report = ManifestJson {
            set: made.manifest.set_name.as_deref().unwrap_or_default(),
            format: match options.format {
                ManifestFormat::Json => "json",
                _ => "sha256sum",
            },
            parts: made
                .manifest
                .entries
                .iter()
                .map(|e| ManifestPartJson { name: &e.name, size: e.size, sha256: airlock::hex(&e.sha256) })
                .collect(),
            text: options.output.is_none().then_some(made.text.as_str()),
            written: made.written.clone(),
        };
        print_json("manifest", report, None);
        return exit::OK;
    }
    if options.output.is_none() {
        say(made.text.trim_end());
    }
    for path in &made.written {
        note(output.quiet, format_args!("wrote {}", path.display()));
    }
    exit::OK
}
