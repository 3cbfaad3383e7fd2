//! Where an Inno Setup entry lands: its destination starts with a constant
//! (`{app}`, `{tmp}`, `{commonpf}` …) that the installer resolves on the
//! target machine. `{app}\x` lands at the root of the destination, any other
//! constant in a folder of its name (`{tmp}\x` → `tmp/x`); what follows is
//! then judged by the shared rule ([`crate::payload::entry_path`]). Only Inno Setup
//! names mean this: a 7z or zip entry `{notes.txt` is a plain name.

use crate::payload::{Entry, EntryKind};

/// A file entry the installer installs at `destination` (`/`-separated,
/// starting with its constant), of `size` bytes.
pub(crate) fn file_entry(destination: String, size: u64) -> Entry {
    let landing = landing_path(&destination);
    Entry::landing_at(destination, EntryKind::File, size, landing)
}

/// Where an installer's `destination` lands under DEST, or why it may not.
fn landing_path(destination: &str) -> Result<String, String> {
    let relative = map_constant(&destination.replace('\\', "/"))?;
    crate::payload::entry_path::landing_path(&relative)
}

/// `{app}/x` → `x`; `{tmp}/x` → `tmp/x`; names without a constant unchanged.
fn map_constant(name: &str) -> Result<String, String> {
    let Some(rest) = name.strip_prefix('{') else {
        return Ok(name.to_owned());
    };
    let Some(close) = rest.find('}') else {
        return Err("unterminated Inno Setup constant".to_owned());
    };
    let constant = &rest[..close];
    let tail = rest[close + 1..].trim_start_matches('/');
    if constant.eq_ignore_ascii_case("app") {
        return Ok(tail.to_owned());
    }
    // `{code:GetDir|x}`, `{reg:…}` and the like are evaluated at install time;
    // keep only the characters a folder name can hold.
    let folder: String =
        constant.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' }).collect();
    if folder.is_empty() {
        return Err("empty Inno Setup constant".to_owned());
    }
    Ok(format!("{folder}/{tail}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inno_constants_map_to_folders() {
        assert_eq!(landing_path("{app}\\setup.exe").unwrap(), "setup.exe");
        assert_eq!(landing_path("{app}/SQL/x.box").unwrap(), "SQL/x.box");
        assert_eq!(landing_path("{tmp}\\x").unwrap(), "tmp/x");
        assert_eq!(landing_path("{commonpf}\\y\\z").unwrap(), "commonpf/y/z");
    }

    #[test]
    fn escapes_and_bad_constants_are_refused() {
        for bad in ["{app}\\..\\evil", "{app}", "{}\\x", "{app\\x", "{tmp}\\C:\\x", "{app}\\con.txt"] {
            assert!(landing_path(bad).is_err(), "{bad:?} was accepted");
        }
        assert_eq!(landing_path("{app\\x").unwrap_err(), "unterminated Inno Setup constant");
    }
}
