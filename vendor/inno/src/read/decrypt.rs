//! airlock patch: decrypting the data chunks of a password-protected
//! installer (`[Setup] Password=…` with `Encryption=yes`).
//!
//! Only file data is encrypted (up to Inno Setup 6.4; 6.5's `Encryption=full`
//! also encrypts the header blocks, which this does not read). Each chunk's
//! magic `zlb\x1a` is in the clear; what follows it is:
//!
//! - Inno Setup 6.4 and later (`Shared.EncryptionFunc.pas`): XChaCha20 with a
//!   32-byte key from PBKDF2-HMAC-SHA256 of the password (UTF-16LE) and the
//!   header's 16-byte salt and iteration count, computed once. The 24-byte
//!   nonce is the header's base nonce with the chunk's start offset XORed into
//!   its first 8 bytes and the chunk's first slice into the next 4. The
//!   password test is the keystream's first 4 bytes under the base nonce with
//!   `-1` XORed into the slice field.
//! - Earlier versions (`Setup.FileExtractor.pas`, with ISCrypt.dll): an 8-byte
//!   salt follows the magic, outside the chunk's recorded size; the key is the
//!   SHA-1 (MD5 before 5.3.9) of that salt and the password (UTF-16LE in
//!   Unicode builds), and the first 1000 bytes of the ARC4 keystream are
//!   discarded. The password test is the same hash of `PasswordCheckHash`,
//!   the header's salt and the password.

use std::{fmt, io};

use chacha20::{
    XChaCha20,
    cipher::{KeyIvInit, StreamCipher},
};
use md5::{Digest as _, Md5};
use rc4::{KeyInit, Rc4};
use sha1::Sha1;

use crate::{
    encryption::EncryptionHeader,
    entry::checksum::Checksum,
    error::{InnoError, InnoResult},
    read::chunk::{Chunk, Encryption},
};

/// What the ARC4 scheme discards from the start of each chunk's keystream.
const ARC4_DISCARD: usize = 1000;

/// What unlocks an installer's encrypted chunks, derived from its password.
#[derive(Clone)]
pub enum ChunkKey {
    /// Inno Setup 6.4 and later.
    XChaCha20 {
        key: [u8; 32],
        base_nonce: [u8; 24],
    },
    /// Before 6.4: the password's bytes, hashed with each chunk's salt.
    Arc4 { password: Vec<u8> },
}

impl fmt::Debug for ChunkKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Key material stays out of logs.
        f.write_str(match self {
            Self::XChaCha20 { .. } => "ChunkKey::XChaCha20(..)",
            Self::Arc4 { .. } => "ChunkKey::Arc4(..)",
        })
    }
}

/// The bytes of `password` as Inno Setup hashes them: UTF-16LE in a Unicode
/// build, one byte a character (Windows-1252) in an ANSI one.
#[must_use]
pub fn password_bytes(password: &str, unicode: bool) -> Vec<u8> {
    if unicode {
        password.encode_utf16().flat_map(u16::to_le_bytes).collect()
    } else {
        encoding_rs::WINDOWS_1252.encode(password).0.into_owned()
    }
}

impl ChunkKey {
    /// Derives the XChaCha20 key of Inno Setup 6.4+ and checks it against the
    /// header's password test.
    ///
    /// # Errors
    ///
    /// [`InnoError::WrongPassword`] when the test value does not match.
    pub fn xchacha20(password: &str, header: &EncryptionHeader) -> InnoResult<Self> {
        let mut key = [0_u8; 32];
        pbkdf2::pbkdf2_hmac::<sha2::Sha256>(
            &password_bytes(password, true),
            header.kdf_salt().inner(),
            header.kdf_iterations(),
            &mut key,
        );
        let nonce = header.base_nonce();
        let mut base_nonce = [0_u8; 24];
        base_nonce[..8].copy_from_slice(&nonce.random_xor_start_offset().to_le_bytes());
        base_nonce[8..12].copy_from_slice(&nonce.random_xor_first_slice().to_le_bytes());
        for (index, word) in nonce.remaining_random().iter().enumerate() {
            base_nonce[12 + 4 * index..16 + 4 * index].copy_from_slice(&word.to_le_bytes());
        }
        let this = Self::XChaCha20 { key, base_nonce };
        let mut test = [0_u8; 4];
        this.xchacha20_cipher(0, u32::MAX)
            .ok_or(InnoError::WrongPassword)?
            .try_apply_keystream(&mut test)
            .map_err(|_| InnoError::WrongPassword)?;
        if u32::from_le_bytes(test) == header.password_test() {
            Ok(this)
        } else {
            Err(InnoError::WrongPassword)
        }
    }

    /// Checks `password` against the hash an installer older than 6.4
    /// stores, and keeps it for the per-chunk ARC4 keys.
    ///
    /// # Errors
    ///
    /// [`InnoError::WrongPassword`] when the hash does not match.
    pub fn arc4(
        password: &str,
        unicode: bool,
        stored: &Checksum,
        salt: &[u8; 8],
    ) -> InnoResult<Self> {
        let password = password_bytes(password, unicode);
        let matches = match stored {
            Checksum::Sha1(expected) => {
                let mut hasher = Sha1::new();
                hasher.update(b"PasswordCheckHash");
                hasher.update(salt);
                hasher.update(&password);
                hasher.finalize().as_slice() == expected.inner()
            }
            Checksum::MD5(expected) => {
                let mut hasher = Md5::new();
                hasher.update(b"PasswordCheckHash");
                hasher.update(salt);
                hasher.update(&password);
                hasher.finalize().as_slice() == expected.inner()
            }
            _ => false,
        };
        if matches {
            Ok(Self::Arc4 { password })
        } else {
            Err(InnoError::WrongPassword)
        }
    }

    fn xchacha20_cipher(&self, start_offset: u64, first_slice: u32) -> Option<XChaCha20> {
        let Self::XChaCha20 { key, base_nonce } = self else {
            return None;
        };
        let mut nonce = *base_nonce;
        for (byte, xor) in nonce[..8].iter_mut().zip(start_offset.to_le_bytes()) {
            *byte ^= xor;
        }
        for (byte, xor) in nonce[8..12].iter_mut().zip(first_slice.to_le_bytes()) {
            *byte ^= xor;
        }
        Some(XChaCha20::new(key.into(), &nonce.into()))
    }

    /// The cipher for `chunk`, reading what it needs (ARC4's salt) from
    /// `reader`, which is positioned just past the chunk's magic.
    pub(crate) fn cipher_for(
        &self,
        chunk: &Chunk,
        reader: &mut impl io::Read,
    ) -> io::Result<ChunkCipher> {
        let mismatch = || {
            io::Error::new(
                io::ErrorKind::InvalidData,
                "the chunk's encryption does not match the installer's",
            )
        };
        match (self, chunk.encryption()) {
            (Self::XChaCha20 { .. }, Encryption::XChaCha20) => self
                .xchacha20_cipher(chunk.start_offset(), chunk.first_slice())
                .map(|cipher| ChunkCipher::XChaCha20(Box::new(cipher)))
                .ok_or_else(mismatch),
            (Self::Arc4 { password }, encryption @ (Encryption::Arc4Sha1 | Encryption::Arc4Md5)) => {
                let mut salt = [0_u8; 8];
                reader.read_exact(&mut salt)?;
                Ok(ChunkCipher::Arc4(Box::new(arc4_for_chunk(
                    password,
                    &salt,
                    encryption == Encryption::Arc4Sha1,
                ))))
            }
            _ => Err(mismatch()),
        }
    }
}

/// The ARC4 state for one chunk: keyed by the hash of its salt and the
/// password, with the first [`ARC4_DISCARD`] bytes of keystream dropped.
#[must_use]
pub fn arc4_for_chunk(password: &[u8], salt: &[u8; 8], sha1: bool) -> Rc4 {
    let key: Vec<u8> = if sha1 {
        let mut hasher = Sha1::new();
        hasher.update(salt);
        hasher.update(password);
        hasher.finalize().to_vec()
    } else {
        let mut hasher = Md5::new();
        hasher.update(salt);
        hasher.update(password);
        hasher.finalize().to_vec()
    };
    let mut cipher = Rc4::new_from_slice(&key).expect("16 and 20 byte keys are within 1..=256");
    let mut discard = [0_u8; ARC4_DISCARD];
    cipher.apply_keystream(&mut discard);
    cipher
}

/// A chunk's running keystream.
pub(crate) enum ChunkCipher {
    XChaCha20(Box<XChaCha20>),
    Arc4(Box<Rc4>),
}

impl ChunkCipher {
    fn apply(&mut self, buffer: &mut [u8]) -> io::Result<()> {
        match self {
            // A 32-bit block counter: 256 GiB of keystream, past any chunk
            // an installer holds; an error rather than a panic beyond it.
            Self::XChaCha20(cipher) => cipher.try_apply_keystream(buffer).map_err(|_| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    "the chunk is longer than the XChaCha20 keystream",
                )
            }),
            Self::Arc4(cipher) => {
                cipher.apply_keystream(buffer);
                Ok(())
            }
        }
    }
}

/// A chunk's compressed bytes, decrypted on the way through when the chunk
/// is encrypted.
pub struct ChunkInput<R> {
    inner: R,
    cipher: Option<ChunkCipher>,
}

impl<R> ChunkInput<R> {
    pub(crate) const fn new(inner: R, cipher: Option<ChunkCipher>) -> Self {
        Self { inner, cipher }
    }

    pub(crate) const fn get_ref(&self) -> &R {
        &self.inner
    }

    pub(crate) const fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    pub(crate) fn into_inner(self) -> R {
        self.inner
    }
}

impl<R: io::Read> io::Read for ChunkInput<R> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let count = self.inner.read(buffer)?;
        if let Some(cipher) = &mut self.cipher {
            cipher.apply(&mut buffer[..count])?;
        }
        Ok(count)
    }
}
