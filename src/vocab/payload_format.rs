//! The payload formats by name: what reports, manifests and JSON say a set
//! carries. A leaf (serde only), so that the reports below the payload can
//! name a format without depending on the payload code.

use std::fmt;

use serde::Serialize;

/// The archive or installer format that carries a set's files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PayloadFormat {
    /// An Inno Setup installer (headers in the `.exe`, data in it or in slices).
    Inno,
    /// A 7z archive, plain or after a self-extractor stub.
    SevenZ,
    /// A zip archive, plain or after a stub.
    Zip,
}

impl PayloadFormat {
    /// The format's name in JSON output and manifests (`inno`, `seven_z`, `zip`).
    pub fn key(self) -> &'static str {
        match self {
            PayloadFormat::Inno => "inno",
            PayloadFormat::SevenZ => "seven_z",
            PayloadFormat::Zip => "zip",
        }
    }
}

impl fmt::Display for PayloadFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PayloadFormat::Inno => "Inno Setup",
            PayloadFormat::SevenZ => "7z",
            PayloadFormat::Zip => "zip",
        })
    }
}
