//! Where a payload password comes from: `--password`, `AIRLOCK_PASSWORD`, or
//! `--password-file FILE` (which wins, so a CI job can keep the secret in a
//! file that never reaches the process list or the environment).

use std::path::Path;

use crate::exit;

/// The password to use, or the exit code after saying why the file cannot
/// give one. The file's first line is the password; a trailing `\n` or
/// `\r\n` is not part of it.
pub fn resolve(password: Option<String>, file: Option<&Path>) -> Result<Option<String>, u8> {
    let Some(file) = file else { return Ok(password) };
    match std::fs::read(file) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(Some(text.lines().next().unwrap_or_default().to_owned())),
            Err(_) => {
                crate::argument_error(format!("--password-file {}: the file is not UTF-8 text", file.display()));
                Err(exit::USAGE)
            }
        },
        Err(error) => {
            crate::argument_error(format!(
                "--password-file {}: cannot read it: {error}; give a readable file or pass --password",
                file.display()
            ));
            Err(exit::USAGE)
        }
    }
}

/// The secret key's password, from the environment (never prompted).
pub fn key_password() -> Option<String> {
    std::env::var("AIRLOCK_KEY_PASSWORD").ok().filter(|p| !p.is_empty())
}
