//! What airlock says about an Inno Setup installer whose headers it cannot
//! read, naming the version that built it.
//!
//! Real installers prove Inno Setup 5.5 to 6.4 (`testdata/inno/`). The `inno`
//! crate also reads the 6.5 to 7.0 layouts from the published sources
//! (a CRC-checked encryption header before the compressed headers, a
//! revision-2 loader table with 64-bit offsets, 64-bit chunk offsets and
//! `idskb32` slices from 6.5.2, data versions 6.4.2 … 7.0.0.3), but no
//! compiler for them was available to build one. So when the headers cannot
//! be read, the version is read on its own (the loader table and the 64-byte
//! setup data ID) and the message says which version it is and why airlock
//! stops: "Inno Setup 6.5.2 data: …", a payload error (exit 5), not a bare
//! parse error.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use inno::Inno;
use inno::error::InnoError;

use crate::vocab::error::Error;

/// The newest Inno Setup release real installers prove airlock against.
const PROVEN: &str = "6.4.1";

/// The error for an installer whose headers the crate could not read.
pub(crate) fn header_error(exe: &Path, label: &str, error: InnoError) -> Error {
    let version = File::open(exe).ok().and_then(|file| Inno::read_version(BufReader::new(file)).ok());
    let Some(version) = version else {
        return Error::payload_from(
            label,
            "the Inno Setup headers cannot be read (the installer is damaged, or its setup data version is not one airlock knows)",
            error,
        );
    };
    let newer = version > (6, 4, 0, 1);
    // `6.5.2`, as Inno Setup names its releases (no `(u)` variant mark).
    let version = match version.as_tuple() {
        (major, minor, patch, 0) => format!("{major}.{minor}.{patch}"),
        (major, minor, patch, revision) => format!("{major}.{minor}.{patch}.{revision}"),
    };
    let reason = match &error {
        InnoError::UnsupportedVersion(_) => format!(
            "Inno Setup {version} data: newer than any layout airlock reads (up to 7.0); run the installer on Windows"
        ),
        InnoError::EncryptedHeaders => format!(
            "Inno Setup {version} data: the setup headers themselves are encrypted (Encryption=full), which airlock cannot decrypt; run the installer on Windows with its password"
        ),
        _ if newer => format!(
            "Inno Setup {version} data: the setup headers cannot be read; airlock knows this layout from the published Inno Setup sources only (real installers prove up to {PROVEN}), so run the installer on Windows, and report the installer to airlock"
        ),
        _ => format!(
            "Inno Setup {version} data: the setup headers cannot be read; the installer is damaged; download it again"
        ),
    };
    // The crate's words, on one line (some of its errors span several).
    let cause = error.to_string().split_whitespace().collect::<Vec<_>>().join(" ");
    Error::payload(label, format!("{reason} ({cause})"))
}
