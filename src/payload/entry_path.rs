//! Deciding where an archive entry may land, or refusing it.
//!
//! Extraction is hostile-input code: an entry named `../../etc/cron.d/x`,
//! `/etc/passwd` or `C:\Windows\x` must never be written, and a name Windows
//! cannot hold (`CON`, `a<b`) would make the extracted tree unusable on the
//! machine the installer is for. Every entry name goes through
//! [`landing_path`] once, when it is listed; extraction uses only the path it
//! returns, joined under the destination.
//!
//! The rule is the same for every format and knows none of them: a 7z or
//! zip entry `{notes.txt` is a plain name. Inno Setup's constants (`{app}\x`
//! at the root of the destination, `{tmp}\x` → `tmp/x`) are the Inno Setup
//! format's to map (`payload::inno::landing`), before this rule judges the
//! rest.

/// Windows device names that cannot be file names, with or without extension
/// (Microsoft's "Naming Files, Paths, and Namespaces": COM and LPT with 0 to
/// 9 and the superscript digits ¹ ² ³, which Windows also reads as ports).
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9", "com¹",
    "com²", "com³", "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9", "lpt¹", "lpt²",
    "lpt³",
];

/// Characters Windows forbids in file names.
const FORBIDDEN: &[char] = &['<', '>', ':', '"', '|', '?', '*'];

/// Turns an entry name into a relative, `/`-separated path that stays inside
/// the destination, or says why it cannot be one.
pub(crate) fn landing_path(name: &str) -> Result<String, String> {
    let relative = name.replace('\\', "/");

    if relative.starts_with('/') {
        return Err("absolute path".to_owned());
    }
    if has_drive_prefix(&relative) {
        return Err("path with a drive letter".to_owned());
    }

    let mut parts = Vec::new();
    for component in relative.split('/') {
        match component {
            "" | "." => continue,
            ".." => return Err("path with a '..' component".to_owned()),
            _ => {
                check_windows_name(component)?;
                parts.push(component);
            }
        }
    }
    if parts.is_empty() {
        return Err("empty path".to_owned());
    }
    Ok(parts.join("/"))
}

fn has_drive_prefix(path: &str) -> bool {
    let bytes = path.as_bytes();
    bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':'
}

fn check_windows_name(component: &str) -> Result<(), String> {
    if let Some(c) = component.chars().find(|c| c.is_control()) {
        return Err(format!("the name holds the control character U+{:04X}, which Windows cannot hold", u32::from(c)));
    }
    if let Some(c) = component.chars().find(|c| FORBIDDEN.contains(c)) {
        return Err(format!("the name '{component}' holds '{c}', which Windows cannot hold"));
    }
    if component.ends_with('.') || component.ends_with(' ') {
        return Err(format!("the name '{component}' ends with a dot or space, which Windows cannot hold"));
    }
    let stem = component.split('.').next().unwrap_or(component).trim_end();
    if RESERVED.iter().any(|r| stem.eq_ignore_ascii_case(r)) {
        return Err(format!("the name '{component}' is a reserved Windows device name"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_pass_with_separators_unified() {
        assert_eq!(landing_path("a/b.txt").unwrap(), "a/b.txt");
        assert_eq!(landing_path("a\\b\\c.exe").unwrap(), "a/b/c.exe");
        assert_eq!(landing_path("./a//b").unwrap(), "a/b");
        assert_eq!(landing_path("docs/資料說明.txt").unwrap(), "docs/資料說明.txt");
    }

    #[test]
    fn braces_are_plain_characters_of_a_name() {
        // Inno Setup's constants are the Inno Setup format's (payload::inno::landing).
        assert_eq!(landing_path("{notes.txt").unwrap(), "{notes.txt");
        assert_eq!(landing_path("docs/{draft}.txt").unwrap(), "docs/{draft}.txt");
        assert_eq!(landing_path("{app}/x").unwrap(), "{app}/x");
    }

    #[test]
    fn escapes_are_refused() {
        for bad in [
            "../evil",
            "a/../../evil",
            "/etc/passwd",
            "\\\\server\\share",
            "C:/Windows/x",
            "c:evil",
            "{app}\\..\\evil",
            "",
        ] {
            assert!(landing_path(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn names_windows_cannot_hold_are_refused() {
        for bad in [
            "docs/CON",
            "con.txt",
            "LPT1",
            "a<b.txt",
            "a:b",
            "x?",
            "trail.",
            "tab\there",
            "COM¹",
            "lpt³.txt",
            "com0",
            "LPT0.log",
        ] {
            assert!(landing_path(bad).is_err(), "{bad:?} was accepted");
        }
        assert!(landing_path("console.txt").is_ok());
    }
}
