//! The resume state of one part: `NAME.airlock-download` and its state file.
//!
//! A part streams into `NAME.airlock-download`; beside it
//! `NAME.airlock-download.state` records where the bytes came from (the URL
//! and the server's validators, so a resume can ask `If-Range` and notice a
//! changed file), the size the server announced and how many bytes were
//! written when it was last saved. The partial file's own length is what is
//! resumed from (it is never less than what was hashed, whatever happened to
//! the process); the state only has to say whether those bytes may be kept.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::carry::fetch::http::Validators;
use crate::vocab::error::{Error, Result};

/// Suffix of a part being downloaded.
pub const DOWNLOAD_SUFFIX: &str = ".airlock-download";
/// Suffix of its state file (after [`DOWNLOAD_SUFFIX`]).
const STATE_SUFFIX: &str = ".state";
/// The layout version written.
const VERSION: u32 = 1;

/// What is recorded about a partial part.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ResumeState {
    /// Layout version.
    pub airlock_download: u32,
    /// The URL the bytes came from (as asked, before redirects).
    pub url: String,
    /// The server's validators for those bytes.
    #[serde(flatten)]
    pub validators: Validators,
    /// The file's size as the server announced it.
    pub total: Option<u64>,
    /// Bytes written when the state was saved.
    pub bytes_written: u64,
}

/// The files of one part in the download folder.
#[derive(Clone, Debug)]
pub(crate) struct PartFiles {
    /// `DIR/NAME`: only ever a complete, checked part.
    pub done: PathBuf,
    /// `DIR/NAME.airlock-download`.
    pub partial: PathBuf,
    /// `DIR/NAME.airlock-download.state`.
    pub state: PathBuf,
}

impl PartFiles {
    pub(crate) fn new(dir: &Path, name: &str) -> Self {
        Self {
            done: dir.join(name),
            partial: dir.join(format!("{name}{DOWNLOAD_SUFFIX}")),
            state: dir.join(format!("{name}{DOWNLOAD_SUFFIX}{STATE_SUFFIX}")),
        }
    }

    /// The state of a partial download of `url`, if one can be resumed: the
    /// partial file exists and its state names the same URL (the query string
    /// aside: signed CDN links change it on every visit to the download page;
    /// `If-Range` still guards the bytes) and a validator.
    pub(crate) fn resumable(&self, url: &str) -> Option<ResumeState> {
        let text = fs::read_to_string(&self.state).ok()?;
        let state: ResumeState = serde_json::from_str(&text).ok()?;
        let same_url = without_query(&state.url) == without_query(url);
        let usable = state.airlock_download == VERSION && same_url && state.validators.if_range().is_some();
        (usable && self.partial.is_file()).then_some(state)
    }

    /// Bytes in the partial file (0 when there is none).
    pub(crate) fn partial_len(&self) -> u64 {
        fs::metadata(&self.partial).map_or(0, |m| m.len())
    }

    /// Writes the state (through a temporary file, so a crash never leaves half a state).
    pub(crate) fn save(&self, state: &ResumeState) -> Result<()> {
        let state = ResumeState { airlock_download: VERSION, ..state.clone() };
        let text = serde_json::to_string_pretty(&state).unwrap_or_default();
        let temp = self.state.with_extension("state-new");
        fs::write(&temp, text).map_err(|e| Error::io(&temp, e))?;
        fs::rename(&temp, &self.state).map_err(|e| Error::io(&self.state, e))
    }

    /// Removes the partial file and its state (after a rename into place, or
    /// when the bytes cannot be kept).
    pub(crate) fn forget(&self) {
        let _ = fs::remove_file(&self.partial);
        let _ = fs::remove_file(&self.state);
    }
}

/// `url` without its query string and fragment.
fn without_query(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_part_resumes_only_for_its_own_url_with_a_validator() {
        let dir = tempfile::tempdir().unwrap();
        let files = PartFiles::new(dir.path(), "N-1.bin");
        assert_eq!(files.partial.file_name().unwrap(), "N-1.bin.airlock-download");
        let state = ResumeState {
            url: "http://h/N-1.bin".into(),
            validators: Validators { etag: Some("\"e\"".into()), last_modified: None },
            total: Some(10),
            bytes_written: 4,
            ..ResumeState::default()
        };
        files.save(&state).unwrap();
        assert_eq!(files.resumable("http://h/N-1.bin"), None, "no partial file yet");
        fs::write(&files.partial, b"abcd").unwrap();
        assert_eq!(files.resumable("http://h/N-1.bin").map(|s| s.total), Some(Some(10)));
        assert_eq!(files.resumable("http://other/N-1.bin"), None);
        assert!(files.resumable("http://h/N-1.bin?token=new").is_some(), "a fresh CDN token still resumes");
        files.save(&ResumeState { validators: Validators::default(), ..state }).unwrap();
        assert_eq!(files.resumable("http://h/N-1.bin"), None, "no validator: cannot resume safely");
        files.forget();
        assert!(!files.partial.exists() && !files.state.exists());
    }
}
