//! The `keygen` command: a minisign key pair for signing manifests.

use std::path::Path;

use airlock::{Error, Overwrite};
use serde::Serialize;

use crate::args::OutputArgs;
use crate::exit;
use crate::output::{fail, print_json, say};
use crate::password::key_password;

/// What `keygen --json` reports.
#[derive(Serialize, schemars::JsonSchema)]
pub struct KeygenJson<'a> {
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
