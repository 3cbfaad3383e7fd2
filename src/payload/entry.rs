//! What a payload lists: its entries, their kind and the checksum each records.
//!
//! Every format produces the same [`Entry`]; the Inno Setup conditions are the
//! one format-specific field, and they are only filled in by `inno`.

use std::fmt;
use std::time::SystemTime;

use serde::Serialize;

use crate::vocab::error::Result;

/// What an entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// A regular file.
    File,
    /// A folder (possibly empty).
    Directory,
    /// A symbolic link; airlock lists these but never creates them.
    Symlink,
}

/// A checksum the payload records for one entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Checksum {
    /// CRC-32 (7z, zip, old Inno Setup).
    Crc32(u32),
    /// Adler-32 (very old Inno Setup).
    Adler32(u32),
    /// MD5 (Inno Setup 4.2 to 5.3).
    Md5([u8; 16]),
    /// SHA-1 (Inno Setup 5.3.9 to 6.3).
    Sha1([u8; 20]),
    /// SHA-256 (Inno Setup 6.4 and later).
    Sha256([u8; 32]),
}

impl fmt::Display for Checksum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Checksum::Crc32(v) => write!(f, "crc32:{v:08x}"),
            Checksum::Adler32(v) => write!(f, "adler32:{v:08x}"),
            Checksum::Md5(v) => write!(f, "md5:{}", crate::read::hash::hex(v)),
            Checksum::Sha1(v) => write!(f, "sha1:{}", crate::read::hash::hex(v)),
            Checksum::Sha256(v) => write!(f, "sha256:{}", crate::read::hash::hex(v)),
        }
    }
}

/// In JSON, `ALGORITHM:HEX` (`crc32:1a2b3c4d`, `sha256:…`).
#[cfg(feature = "schema")]
impl schemars::JsonSchema for Checksum {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Checksum".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^(crc32|adler32|md5|sha1|sha256):[0-9a-f]+$",
            "description": "The checksum the payload records: ALGORITHM:HEX",
        })
    }
}

impl Serialize for Checksum {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// One entry of a payload, as listed.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Entry {
    /// The path as the payload names it, with `/` separators. For Inno Setup
    /// this is the installed path with its constant, e.g. `{app}/setup.exe`.
    pub name: String,
    /// Where the entry lands under the destination, `/`-separated, or `None`
    /// when the name is unsafe (absolute, `..`, a drive letter, a name
    /// Windows cannot hold); the reason is in `unsafe_reason`.
    pub path: Option<String>,
    /// Why `path` is `None`.
    pub unsafe_reason: Option<String>,
    /// File, folder or link.
    pub kind: EntryKind,
    /// Uncompressed size in bytes.
    pub size: u64,
    /// Compressed size, when the format records one per entry.
    pub packed_size: Option<u64>,
    /// The checksum the payload records for the entry.
    pub checksum: Option<Checksum>,
    /// Last modification time, when recorded.
    #[serde(serialize_with = "serialize_time")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub modified: Option<SystemTime>,
    /// For an Inno Setup file entry: its components, tasks, languages,
    /// check, Windows versions, bitness and data location.
    pub inno: Option<super::inno::info::InnoFileConditions>,
}

fn serialize_time<S: serde::Serializer>(time: &Option<SystemTime>, serializer: S) -> Result<S::Ok, S::Error> {
    match time {
        Some(time) => match crate::vocab::time::rfc3339(*time) {
            Some(text) => serializer.serialize_str(&text),
            None => serializer.serialize_none(),
        },
        None => serializer.serialize_none(),
    }
}

impl Entry {
    /// Builds an entry from a raw name, deciding where it may land by the
    /// shared rule ([`crate::payload::entry_path`]), which knows no format's names.
    pub(crate) fn new(name: String, kind: EntryKind, size: u64) -> Self {
        let landing = crate::payload::entry_path::landing_path(&name);
        Self::landing_at(name, kind, size, landing)
    }

    /// Builds an entry whose landing path its format decided (Inno Setup
    /// maps its constants first), or why it may land nowhere.
    pub(crate) fn landing_at(name: String, kind: EntryKind, size: u64, landing: Result<String, String>) -> Self {
        let (path, unsafe_reason) = match landing {
            Ok(path) => (Some(path), None),
            Err(reason) => (None, Some(reason)),
        };
        Entry { name, path, unsafe_reason, kind, size, packed_size: None, checksum: None, modified: None, inno: None }
    }

    /// How progress shows the entry (`item_started`'s name; the entry's
    /// [`Item`](crate::vocab::progress::Item) is its position): where it
    /// lands, or its name when it lands nowhere.
    pub(crate) fn shown(&self) -> &str {
        self.path.as_deref().unwrap_or(&self.name)
    }
}
