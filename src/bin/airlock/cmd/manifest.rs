//! The `manifest` command: hashes the set and writes (or prints) its manifest, signed on request.

use std::path::{Path, PathBuf};

use airlock::{Cancel, Error, Manifest, Overwrite};
use serde::Serialize;

use crate::args::{HashArgs, ManifestFormatArg, OutputArgs, SetArgs};
use crate::bars::Bars;
use crate::exit;
use crate::output::{fail, key_password, note, print_json, say};

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
    // `-o -` is standard output, as with no `-o` (`curl -o -`).
    let to_stdout = output_file.is_some_and(airlock::manifest_is_stdin);
    if to_stdout && sign.is_some() {
        crate::argument_error(
            "--sign needs -o FILE, not standard output: the signature is written beside it as FILE.minisig".to_owned(),
        );
        return exit::USAGE;
    }
    let output_file = output_file.filter(|_| !to_stdout);
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
