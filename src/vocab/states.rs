//! The states a report can give a part or a file, as types.
//!
//! Reports used to carry these as strings (`"ok"`, `"wrong_size"` …), which
//! let a typo compile and left library users matching on text. Each enum has
//! the serde name the JSON output uses (snake_case, unchanged from the
//! strings) and a [`Display`](std::fmt::Display) that is the word the text
//! output prints.

use serde::Serialize;

/// What the completeness check found for one part ([`crate::PartStatus`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PartState {
    /// Present, with the size its header or the manifest requires.
    Ok,
    /// Not there.
    Missing,
    /// Zero bytes long.
    Empty,
    /// Present, but not the size its header or the manifest says.
    WrongSize,
    /// A slice without the Inno Setup slice magic.
    BadMagic,
    /// Needed by the payload's structure, but the manifest does not list it.
    Unlisted,
    /// Cannot be opened or read.
    Unreadable,
    /// Named like a part of the set, but not one the set uses.
    Extra,
}

impl PartState {
    /// The word the JSON output uses (`ok`, `wrong_size` …).
    pub fn key(self) -> &'static str {
        match self {
            PartState::Ok => "ok",
            PartState::Missing => "missing",
            PartState::Empty => "empty",
            PartState::WrongSize => "wrong_size",
            PartState::BadMagic => "bad_magic",
            PartState::Unlisted => "unlisted",
            PartState::Unreadable => "unreadable",
            PartState::Extra => "extra",
        }
    }
}

impl std::fmt::Display for PartState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PartState::Ok => "OK",
            PartState::Missing => "MISSING",
            PartState::Empty => "EMPTY",
            PartState::WrongSize => "WRONG SIZE",
            PartState::BadMagic => "BAD MAGIC",
            PartState::Unlisted => "NOT IN MANIFEST",
            PartState::Unreadable => "UNREADABLE",
            PartState::Extra => "EXTRA",
        })
    }
}

/// The verdict of verification on one part ([`crate::PartVerdict`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Verdict {
    /// Its SHA-256 matches the manifest.
    Ok,
    /// Hashed; there was no manifest to compare with.
    Hashed,
    /// Its SHA-256 does not match the manifest.
    Mismatch,
    /// Not there.
    Missing,
    /// It could not be read.
    Unreadable,
    /// On disk beside the set but not in the manifest.
    Unlisted,
    /// Zero bytes long (from the completeness check).
    Empty,
    /// Not the size its header or the manifest says (from the completeness check).
    WrongSize,
    /// A slice without the slice magic (from the completeness check).
    BadMagic,
    /// Named like a part, not used by the set (from the completeness check).
    Extra,
}

impl Verdict {
    /// Whether this verdict lets the part pass (`ok` or `hashed`).
    pub fn passed(self) -> bool {
        matches!(self, Verdict::Ok | Verdict::Hashed)
    }
}

impl From<PartState> for Verdict {
    fn from(state: PartState) -> Self {
        match state {
            PartState::Ok => Verdict::Ok,
            PartState::Missing => Verdict::Missing,
            PartState::Empty => Verdict::Empty,
            PartState::WrongSize => Verdict::WrongSize,
            PartState::BadMagic => Verdict::BadMagic,
            PartState::Unlisted => Verdict::Unlisted,
            PartState::Unreadable => Verdict::Unreadable,
            PartState::Extra => Verdict::Extra,
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Verdict::Ok => "OK",
            Verdict::Hashed => "HASHED",
            Verdict::Mismatch => "FAILED",
            Verdict::Missing => "MISSING",
            Verdict::Unreadable => "UNREADABLE",
            Verdict::Unlisted => "NOT IN MANIFEST",
            Verdict::Empty => "FAILED (empty)",
            Verdict::WrongSize => "FAILED (wrong size)",
            Verdict::BadMagic => "FAILED (not a slice)",
            Verdict::Extra => "NOT PART OF THE SET",
        })
    }
}

/// What extraction did with one file ([`crate::ExtractedFile`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FileAction {
    /// Written (new, or replacing a file under `--overwrite always`/`if-different`).
    Written,
    /// Already in the destination with the same content (`--overwrite if-different`).
    Unchanged,
}

impl std::fmt::Display for FileAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FileAction::Written => "written",
            FileAction::Unchanged => "unchanged",
        })
    }
}

/// What staging did with one part ([`crate::StagedPart`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum StageAction {
    /// Copied onto the media and read back.
    Copied,
    /// An identical copy was already on the media.
    AlreadyThere,
}

impl std::fmt::Display for StageAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            StageAction::Copied => "copied, read back OK",
            StageAction::AlreadyThere => "already on the media, OK",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json<T: Serialize>(value: &T) -> String {
        serde_json::to_string(value).unwrap()
    }

    #[test]
    fn json_names_are_the_documented_words() {
        assert_eq!(json(&PartState::WrongSize), "\"wrong_size\"");
        assert_eq!(json(&Verdict::Unlisted), "\"unlisted\"");
        assert_eq!(json(&FileAction::Unchanged), "\"unchanged\"");
        assert_eq!(json(&StageAction::AlreadyThere), "\"already_there\"");
        for state in [
            PartState::Ok,
            PartState::Missing,
            PartState::Empty,
            PartState::WrongSize,
            PartState::BadMagic,
            PartState::Unlisted,
            PartState::Unreadable,
            PartState::Extra,
        ] {
            assert_eq!(json(&state), format!("\"{}\"", state.key()));
        }
    }
}

/// What to do with files that already exist where a run writes (extract's
/// destination, a manifest's file).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Overwrite {
    /// Refuse, listing them, before writing anything.
    #[default]
    Never,
    /// Replace them.
    Always,
    /// Replace those whose content differs; leave identical ones alone.
    IfDifferent,
}
