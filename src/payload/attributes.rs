//! The link and folder bits of the attributes 7z and zip record per entry.
//!
//! Both formats store Windows (DOS) attributes, and 7-Zip and Info-ZIP keep a
//! Unix mode in their high 16 bits (7-Zip flags it with [`UNIX_EXTENSION`]).

/// DOS attribute: a folder.
pub(crate) const DOS_DIRECTORY: u32 = 0x10;
/// Windows attribute: a reparse point (a symlink or junction).
pub(crate) const WINDOWS_REPARSE_POINT: u32 = 0x400;
/// 7-Zip's flag saying the high 16 bits of the attributes hold a Unix mode.
pub(crate) const UNIX_EXTENSION: u32 = 0x8000;
const UNIX_TYPE_MASK: u32 = 0o170000;
const UNIX_SYMLINK: u32 = 0o120000;
const UNIX_DIRECTORY: u32 = 0o040000;

/// What the Unix mode in the high 16 bits says the entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UnixType {
    Symlink,
    Directory,
    Other,
}

/// The file type of the Unix mode kept in `attributes`' high 16 bits.
pub(crate) fn unix_type(attributes: u32) -> UnixType {
    match (attributes >> 16) & UNIX_TYPE_MASK {
        UNIX_SYMLINK => UnixType::Symlink,
        UNIX_DIRECTORY => UnixType::Directory,
        _ => UnixType::Other,
    }
}

/// Whether 7-Zip-style attributes describe a link: a Unix symlink (flagged
/// with [`UNIX_EXTENSION`]) or a Windows reparse point.
pub(crate) fn is_link(attributes: u32) -> bool {
    let unix_link = attributes & UNIX_EXTENSION != 0 && unix_type(attributes) == UnixType::Symlink;
    unix_link || attributes & WINDOWS_REPARSE_POINT != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_flagged_unix_symlinks_or_reparse_points() {
        assert!(is_link((0o120777 << 16) | UNIX_EXTENSION));
        assert!(!is_link(0o120777 << 16), "a Unix mode without 7-Zip's flag means nothing");
        assert!(is_link(WINDOWS_REPARSE_POINT | 0x20));
        assert!(!is_link((0o100644 << 16) | UNIX_EXTENSION | 0x20));
        assert_eq!(unix_type(0o040755 << 16), UnixType::Directory);
    }
}
