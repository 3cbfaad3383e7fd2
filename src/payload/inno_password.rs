//! Passwords of encrypted Inno Setup installers.
//!
//! The password is checked against the installer's own test value before any
//! chunk is decoded: Inno Setup 6.4 and later store the first keystream bytes
//! of XChaCha20 under the PBKDF2-derived key, earlier versions a salted SHA-1
//! or MD5 of the password (the `inno` crate's `Inno::unlock`, an airlock
//! patch). A missing or wrong password is a usage error (exit 2) that names
//! the flags to pass it with; it never reaches the decoder, so nothing is
//! written. Only file data is encrypted (up to 6.4), so listing needs no
//! password; a password given to `list` is still checked.

use std::io::{Read, Seek};

use inno::Inno;
use inno::error::InnoError;

use crate::error::{Error, Result};
use crate::payload::detect::Located;
use crate::payload::inno::InnoInfo;

/// How to pass a password, for messages.
const HOW: &str = "pass it with --password, --password-file FILE or the AIRLOCK_PASSWORD environment variable";

/// Whether a decoding run over `located` can start with `password`: an
/// encrypted Inno Setup installer needs one. Cheap (no key derivation), so
/// extraction calls it before it creates anything.
pub(crate) fn require(located: &Located, password: Option<&str>, label: &str) -> Result<()> {
    match located {
        Located::Inno { info, .. } if info.encrypted && password.is_none() => Err(missing(label)),
        _ => Ok(()),
    }
}

fn missing(label: &str) -> Error {
    Error::Password {
        what: label.to_owned(),
        reason: format!("the installer's files are encrypted and no password was given; {HOW}"),
    }
}

/// Checks `password` against `inno`'s test value and, when it passes, lets
/// the crate decrypt. Nothing to do for an installer that is not encrypted.
/// `required`: decoding is about to start, so a missing password is an error.
pub(crate) fn unlock<R: Read + Seek>(
    inno: &mut Inno<R>,
    info: &InnoInfo,
    password: Option<&str>,
    label: &str,
    required: bool,
) -> Result<()> {
    if !info.encrypted {
        return Ok(());
    }
    let Some(password) = password else {
        return if required { Err(missing(label)) } else { Ok(()) };
    };
    match inno.unlock(password) {
        Ok(()) => Ok(()),
        Err(InnoError::WrongPassword) => Err(Error::Password {
            what: label.to_owned(),
            reason: format!(
                "wrong password: it does not pass the installer's password test (passwords are case-sensitive); {HOW}"
            ),
        }),
        Err(error) => Err(Error::payload_from(
            label,
            "the installer is encrypted but records no password test airlock can check",
            error,
        )),
    }
}
