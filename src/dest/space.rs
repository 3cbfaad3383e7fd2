//! The free-space rule: measured before the first byte is written.
//!
//! Space is measured on the filesystem that will hold the destination: the
//! destination itself, or its nearest existing ancestor when it does not exist
//! yet. "Available" is what this user may write (`statvfs`'s `f_bavail`, via
//! `fs4`), not the raw free count that includes root's reserve.

use std::path::{Path, PathBuf};

use crate::vocab::error::{Error, Result};

/// Bytes available to this user on the filesystem that holds `dest`, and the
/// existing folder that was measured.
pub fn available_space(dest: &Path) -> Result<(u64, PathBuf)> {
    let measured = nearest_existing(dest)?;
    let available = crate::platform::available_space(&measured).map_err(|e| Error::io(&measured, e))?;
    Ok((available, measured))
}

/// `path` if it exists, else its nearest existing ancestor.
fn nearest_existing(path: &Path) -> Result<PathBuf> {
    let absolute = std::path::absolute(path).map_err(|e| Error::io(path, e))?;
    let mut current = absolute.as_path();
    loop {
        if current.exists() {
            return Ok(current.to_path_buf());
        }
        match current.parent() {
            Some(parent) => current = parent,
            None => return Ok(current.to_path_buf()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_destination_that_does_not_exist_is_measured_at_its_ancestor() {
        let dir = tempfile::tempdir().unwrap();
        let (available, measured) = available_space(&dir.path().join("a/b/c")).unwrap();
        assert_eq!(measured, dir.path());
        assert!(available > 0);
    }
}
