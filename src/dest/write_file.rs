//! Small files (manifests, signatures) written whole or not at all.
//!
//! Each file is written to a temporary name beside its target, flushed to the
//! device, then renamed over it, so a reader never sees half a manifest. The
//! temporary file is created with mode 0666 before the umask, like any file a
//! shell redirection creates (0644 under the usual umask), not the 0600 of a
//! private temporary file: a manifest is meant to be read by others.
//!
//! Several files (a manifest and its signature) are all written to temporary
//! names first and renamed only when every one of them was written, so a
//! failure leaves none of them behind.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::vocab::error::{Error, Result};

/// Writes `bytes` to `path` through a temporary file and a rename.
pub(crate) fn replace(path: &Path, bytes: &[u8]) -> Result<()> {
    replace_all(&[(path, bytes)])
}

/// Writes each `(path, bytes)`; either all of them are in place afterwards
/// or none of the new ones is (a failure part-way through the renames removes
/// the files already renamed).
pub fn write_files(files: &[(&Path, &[u8])]) -> Result<()> {
    replace_all(files)
}

fn replace_all(files: &[(&Path, &[u8])]) -> Result<()> {
    let mut temps = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        temps.push((write_temp(path, bytes)?, *path));
    }
    let mut placed: Vec<PathBuf> = Vec::new();
    for (temp, path) in temps {
        if let Err(error) = temp.persist(path) {
            for done in &placed {
                let _ = std::fs::remove_file(done);
            }
            return Err(Error::io(path, error.error));
        }
        placed.push(path.to_path_buf());
    }
    if let Some(dir) = files.first().map(|(path, _)| dir_of(path)) {
        // The renames reach the device too; best effort.
        crate::platform::sync_dir(dir);
    }
    Ok(())
}

fn dir_of(path: &Path) -> &Path {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

fn write_temp(path: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile> {
    let dir = dir_of(path);
    let mut builder = tempfile::Builder::new();
    builder.prefix(".airlock-").suffix(".tmp");
    crate::platform::usual_mode(&mut builder);
    let mut temp = builder.tempfile_in(dir).map_err(|e| Error::io(dir, e))?;
    temp.write_all(bytes).map_err(|e| Error::io(path, e))?;
    temp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    Ok(temp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_get_the_usual_mode_under_the_umask_not_a_private_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("SHA256SUMS");
        replace(&path, b"x").unwrap();
        // Windows has no mode bits (None): the file inherits its folder's ACL.
        if let Some((mode, mask)) = crate::platform::mode_and_umask(&path) {
            assert_eq!(mode, 0o666 & !mask, "mode {mode:o} under umask {mask:o}");
        }
    }
}
