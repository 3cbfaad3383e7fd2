//! The folder a run writes into (extraction's DEST, staging's media folder):
//! refused up front when it is a file or lies under one, before anything is
//! read or written.

use std::path::Path;

use crate::error::{Error, Result};

/// Refuses a destination that is a file, or lies under one, before anything
/// is read or written: a usage error naming the path the user gave.
pub(crate) fn is_a_folder(dest: &Path, role: &str) -> Result<()> {
    let existing = dest.ancestors().find(|p| !p.as_os_str().is_empty() && p.exists());
    match existing {
        Some(path) if !path.is_dir() => Err(Error::BadInput {
            path: dest.to_path_buf(),
            reason: if path == dest {
                format!("{role} is a file, not a folder; give a folder (it is created if missing)")
            } else {
                format!("{role} lies under {}, which is a file, not a folder; give a folder", path.display())
            },
        }),
        _ => Ok(()),
    }
}
