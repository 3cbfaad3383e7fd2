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

use super::probe::InnoInfo;
use crate::vocab::error::{Error, Result};

/// How to pass a password, for messages.
const HOW: crate::vocab::hint::Hint = crate::vocab::hint::Hint::PasswordOrFile;

/// Whether a decoding run of the installer `info` describes can start with
/// `password`: an encrypted one needs one. Cheap (no key derivation), so
/// extraction asks it ([`Format::ready`](crate::payload::Format::ready))
/// before it creates anything.
pub(crate) fn require(info: &InnoInfo, password: Option<&str>, label: &str) -> Result<()> {
    if info.encrypted && password.is_none() { Err(missing(label)) } else { Ok(()) }
}

fn missing(label: &str) -> Error {
    Error::Password {
        what: label.to_owned(),
        reason: format!("the installer's files are encrypted and no password was given; {HOW}"),
    }
}

/// Checks `password` against `inno`'s test value and, when it passes, lets
/// the crate decrypt (the key is derived here, once for the opened
/// installer). Nothing to do for an installer that is not encrypted, or
/// without a password: listing needs none, and [`require`] refuses the
/// decoding run.
pub(crate) fn unlock<R: Read + Seek>(
    inno: &mut Inno<R>,
    info: &InnoInfo,
    password: Option<&str>,
    label: &str,
) -> Result<()> {
    let (true, Some(password)) = (info.encrypted, password) else {
        return Ok(());
    };
    #[cfg(test)]
    crate::payload::testing::count(crate::payload::testing::Counted::InnoKey);
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

#[cfg(test)]
mod tests {
    //! ARC4 (Inno Setup before 6.4) is proven by the published algorithm
    //! only: no real installer of that kind could be built here. XChaCha20
    //! (6.4) is proven on the real encrypted fixtures (tests/inno_formats.rs).

    use inno::decrypt::{ChunkKey, arc4_for_chunk, password_bytes};
    use inno::entry::Checksum;
    use md5::{Digest, Md5};
    use rc4::{KeyInit, Rc4, StreamCipher};
    use sha1::Sha1;

    /// RFC 6229's first test vector (40-bit key 01 02 03 04 05): the ARC4
    /// keystream starts b2 39 63 05.
    #[test]
    fn rc4_is_the_published_arc4() {
        let mut cipher = Rc4::new_from_slice(&[1, 2, 3, 4, 5]).unwrap();
        let mut stream = [0_u8; 4];
        cipher.apply_keystream(&mut stream);
        assert_eq!(stream, [0xb2, 0x39, 0x63, 0x05]);
    }

    /// A chunk's key is SHA-1 (MD5 before 5.3.9) of its 8-byte salt then the
    /// password (UTF-16LE in Unicode builds), with 1000 keystream bytes dropped.
    #[test]
    fn an_arc4_chunk_key_is_the_hash_of_salt_and_password_after_1000_bytes() {
        let password = password_bytes("fixture-pass", true);
        assert_eq!(password[..4], *b"f\0i\0");
        assert_eq!(password_bytes("fixture-pass", false), b"fixture-pass");
        let salt = *b"saltsalt";
        for sha1 in [true, false] {
            let key = if sha1 {
                Sha1::digest([&salt[..], &password].concat()).to_vec()
            } else {
                Md5::digest([&salt[..], &password].concat()).to_vec()
            };
            let mut expected = Rc4::new_from_slice(&key).unwrap();
            let mut skipped = [0_u8; 1000];
            expected.apply_keystream(&mut skipped);
            let mut want = [0_u8; 64];
            expected.apply_keystream(&mut want);
            let mut got = [0_u8; 64];
            arc4_for_chunk(&password, &salt, sha1).apply_keystream(&mut got);
            assert_eq!(got, want, "sha1: {sha1}");
        }
    }

    /// The password test of 4.2.2 to 6.3: the hash of `PasswordCheckHash`,
    /// the header's salt and the password.
    #[test]
    fn the_legacy_password_test_is_the_hash_of_the_check_string_salt_and_password() {
        let salt = [7_u8; 8];
        let password = password_bytes("pw", true);
        let digest: [u8; 20] = Sha1::digest([&b"PasswordCheckHash"[..], &salt, &password].concat()).into();
        let stored = Checksum::Sha1(digest.into());
        assert!(ChunkKey::arc4("pw", true, &stored, &salt).is_ok());
        assert!(matches!(ChunkKey::arc4("Pw", true, &stored, &salt), Err(inno::error::InnoError::WrongPassword)));
        let digest: [u8; 16] = Md5::digest([&b"PasswordCheckHash"[..], &salt, &password].concat()).into();
        assert!(ChunkKey::arc4("pw", true, &Checksum::MD5(digest.into()), &salt).is_ok());
    }
}
