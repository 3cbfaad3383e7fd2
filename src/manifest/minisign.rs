//! Signed manifests, in minisign's format (through the `minisign` crate).
//!
//! A manifest on removable media proves nothing if whoever can replace a part
//! can also rewrite the manifest. A detached minisign signature
//! (`MANIFEST.minisig`) made with a key that never travels with the media
//! closes that gap: the far side checks the signature with the public key,
//! then the parts against the signed manifest. The format is minisign's own,
//! so `minisign -Vm MANIFEST -p KEY.pub` checks an airlock signature and
//! airlock checks one made by the `minisign` tool.
//!
//! Nothing here prompts: a password-protected secret key is opened with the
//! password the caller passes (the binary reads `AIRLOCK_KEY_PASSWORD`).

use std::io::Cursor;
use std::path::{Path, PathBuf};

use minisign::{KeyPair, PublicKey, PublicKeyBox, SecretKeyBox, SignatureBox};

use crate::vocab::error::{Error, Result};

/// The suffix of a detached signature.
pub const SIGNATURE_SUFFIX: &str = ".minisig";

/// The signature file for `manifest`.
pub fn signature_path(manifest: &Path) -> PathBuf {
    let mut name = manifest.as_os_str().to_owned();
    name.push(SIGNATURE_SUFFIX);
    PathBuf::from(name)
}

fn key_error(path: &Path, what: &str, error: minisign::PError) -> Error {
    Error::Manifest { path: path.to_path_buf(), line: 0, reason: format!("{what}: {error}") }
}

/// Creates a key pair: the public key at `public`, the secret key at
/// `secret`, protected by `password` when given. Refuses to replace files.
///
/// A key pair, a signed manifest, and the far side's check of it:
///
/// ```
/// # let tmp = tempfile::tempdir().unwrap();
/// # let dir = tmp.path();
/// let (public, secret) = (dir.join("airlock.pub"), dir.join("airlock.key"));
/// airlock::keygen(&public, &secret, None)?; // Some(password) protects the secret key
/// let manifest = dir.join("SHA256SUMS");
/// std::fs::write(&manifest, "3e5fc7060972e1d1a146e98d94f07fedadb780d6bab594209dd164ad6c9c8c5e  MicrosoftAzureBackupInstaller.exe\n").unwrap();
/// let signature = airlock::sign_manifest(&manifest, &secret, None)?;
/// assert_eq!(signature, dir.join("SHA256SUMS.minisig"));
///
/// let key = airlock::read_public_key(&public)?;
/// assert_eq!(airlock::verify_manifest_signature(&manifest, &key), Ok(()));
/// std::fs::write(&manifest, "0000000000000000000000000000000000000000000000000000000000000000  MicrosoftAzureBackupInstaller.exe\n").unwrap();
/// assert!(airlock::verify_manifest_signature(&manifest, &key).is_err()); // altered after signing
/// # Ok::<(), airlock::Error>(())
/// ```
pub fn keygen(public: &Path, secret: &Path, password: Option<String>) -> Result<()> {
    for path in [public, secret] {
        if path.exists() {
            return Err(Error::WouldOverwrite {
                dest: path.parent().map(Path::to_path_buf).unwrap_or_default(),
                existing: vec![path.display().to_string()],
            });
        }
    }
    let pair = match password {
        Some(password) => KeyPair::generate_encrypted_keypair(Some(password)),
        None => KeyPair::generate_unencrypted_keypair(),
    }
    .map_err(|e| key_error(secret, "cannot generate a key pair", e))?;
    let public_text = pair.pk.to_box().map_err(|e| key_error(public, "cannot encode the public key", e))?.to_string();
    let secret_text =
        pair.sk.to_box(None).map_err(|e| key_error(secret, "cannot encode the secret key", e))?.to_string();
    write_new(secret, secret_text.as_bytes(), true)?;
    write_new(public, public_text.as_bytes(), false)?;
    Ok(())
}

/// Writes a file that must not exist yet; a secret is readable by its owner only.
fn write_new(path: &Path, bytes: &[u8], secret: bool) -> Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    if secret {
        crate::platform::owner_only(&mut options);
    }
    let mut file = options.open(path).map_err(|e| Error::io(path, e))?;
    file.write_all(bytes).map_err(|e| Error::io(path, e))?;
    file.sync_all().map_err(|e| Error::io(path, e))
}

/// A secret key opened (and its password checked) before any long work, so
/// that a wrong password or a damaged key is found in a second, not after
/// hashing gigabytes, and nothing is written when it is wrong.
pub struct SigningKey {
    key: minisign::SecretKey,
    path: PathBuf,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey").field("path", &self.path).finish_non_exhaustive()
    }
}

impl SigningKey {
    /// Opens the secret key at `path`; a protected key needs `password`
    /// (never prompted).
    pub fn open(path: &Path, password: Option<String>) -> Result<SigningKey> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let secret_box =
            SecretKeyBox::from_string(&text).map_err(|e| key_error(path, "not a minisign secret key", e))?;
        // An unprotected key opens without a password; a protected one fails
        // its checksum that way, and then needs the password.
        let key = match (secret_box.clone().into_unencrypted_secret_key(), password) {
            (Ok(key), _) => key,
            (Err(_), Some(password)) => secret_box
                .into_secret_key(Some(password))
                .map_err(|e| key_error(path, "cannot open the secret key (wrong password?)", e))?,
            (Err(_), None) => {
                return Err(Error::Manifest {
                    path: path.to_path_buf(),
                    line: 0,
                    reason: format!(
                        "the secret key is password-protected (or damaged); {}",
                        crate::vocab::hint::Hint::KeyPassword
                    ),
                });
            }
        };
        Ok(SigningKey { key, path: path.to_path_buf() })
    }

    /// The detached signature (minisign's text format) of `data`, a manifest
    /// to be written under the file name `name`.
    pub fn sign(&self, data: &[u8], name: &str) -> Result<String> {
        let trusted = format!("airlock manifest {name}");
        minisign::sign(None, &self.key, Cursor::new(data), Some(&trusted), Some("signature from airlock"))
            .map(|signature| signature.to_string())
            .map_err(|e| key_error(&self.path, "cannot sign", e))
    }
}

/// Signs `manifest` with the secret key at `secret_key`, writing
/// `manifest.minisig`. A protected key needs `password`.
///
/// See [`keygen`](crate::keygen()) for an example that signs and checks a manifest.
pub fn sign_manifest(manifest: &Path, secret_key: &Path, password: Option<String>) -> Result<PathBuf> {
    let key = SigningKey::open(secret_key, password)?;
    let data = std::fs::read(manifest).map_err(|e| Error::io(manifest, e))?;
    let name = manifest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let signature = key.sign(&data, &name)?;
    let path = signature_path(manifest);
    crate::dest::write_file::replace(&path, signature.as_bytes())?;
    Ok(path)
}

/// Reads a minisign public key file (the `minisign -G` layout, two lines) or
/// a bare base64 key.
pub fn read_public_key(path: &Path) -> Result<PublicKey> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::input(path, &format!("the public key{}", crate::vocab::hint::Hint::TrustOption), e))?;
    let from_box = PublicKeyBox::from_string(&text).and_then(PublicKeyBox::into_public_key);
    from_box
        .or_else(|_| PublicKey::from_base64(text.trim()))
        .map_err(|e| key_error(path, "not a minisign public key", e))
}

/// Checks `manifest.minisig` against `manifest` with `key`. The error says
/// why it does not verify (missing, another key, altered manifest).
///
/// The minisign tool's own signature (`minisign -Sm SHA256SUMS`) verifies:
///
/// ```
/// let key = airlock::read_public_key("testdata/minisign/tool.pub".as_ref())?;
/// assert_eq!(airlock::verify_manifest_signature("testdata/minisign/SHA256SUMS".as_ref(), &key), Ok(()));
/// # Ok::<(), airlock::Error>(())
/// ```
pub fn verify_manifest_signature(manifest: &Path, key: &PublicKey) -> std::result::Result<(), String> {
    let path = signature_path(manifest);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "no signature {} ({}); the manifest cannot be trusted: sign it with {}",
            path.display(),
            crate::vocab::error::describe_io(&e),
            crate::vocab::hint::Hint::SignManifest
        )
    })?;
    let signature =
        SignatureBox::from_string(&text).map_err(|e| format!("{} is not a minisign signature: {e}", path.display()))?;
    let data = std::fs::read(manifest)
        .map_err(|e| format!("{}: {}", manifest.display(), crate::vocab::error::describe_io(&e)))?;
    // Legacy (not prehashed) signatures, which minisign before 0.8 made and
    // `minisign -S -l` still makes, are accepted, as the minisign tool does.
    minisign::verify(key, &signature, Cursor::new(&data), true, false, true)
        .map_err(|e| format!("the signature {} does not verify with the trusted key: {e}; the manifest was altered or signed by another key", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_manifest_verifies_and_an_altered_one_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let (public, secret) = (dir.path().join("k.pub"), dir.path().join("k.key"));
        keygen(&public, &secret, None).unwrap();
        assert!(keygen(&public, &secret, None).is_err(), "keygen replaced a key");
        let manifest = dir.path().join("SHA256SUMS");
        std::fs::write(&manifest, "x  y\n").unwrap();
        sign_manifest(&manifest, &secret, None).unwrap();
        let key = read_public_key(&public).unwrap();
        verify_manifest_signature(&manifest, &key).unwrap();
        std::fs::write(&manifest, "x  z\n").unwrap();
        assert!(verify_manifest_signature(&manifest, &key).unwrap_err().contains("does not verify"));
    }

    #[test]
    fn a_protected_key_needs_its_password() {
        let dir = tempfile::tempdir().unwrap();
        let (public, secret) = (dir.path().join("k.pub"), dir.path().join("k.key"));
        keygen(&public, &secret, Some("pw".into())).unwrap();
        let manifest = dir.path().join("m");
        std::fs::write(&manifest, "data").unwrap();
        assert!(sign_manifest(&manifest, &secret, None).unwrap_err().to_string().contains("give the key's password"));
        sign_manifest(&manifest, &secret, Some("pw".into())).unwrap();
        verify_manifest_signature(&manifest, &read_public_key(&public).unwrap()).unwrap();
    }
}
