//! The header at the start of every Inno Setup disk slice (`NAME-1.bin` …).
//!
//! Two layouts, from Inno Setup's `Shared.Struct.pas` (`DiskSliceID`,
//! `TDiskSliceHeader`): `idska32\x1a` (or the 16-bit `idska16\x1a`) and a
//! little-endian u32 total size, 12 bytes; from Inno Setup 6.5.2
//! `idskb32\x1a` and an i64 total size, 16 bytes. The total size is the
//! file's own size, which is how a short or overlong slice is found without a
//! manifest. The 64-bit layout is known from the published format only: no
//! 6.5.2 compiler was available to build a real one.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// The 32-bit layouts' magics.
const MAGIC_32: [&[u8; 8]; 2] = [b"idska32\x1a", b"idska16\x1a"];
/// The 64-bit layout's magic (Inno Setup 6.5.2 and later).
const MAGIC_64: &[u8; 8] = b"idskb32\x1a";

/// A slice header that was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SliceHeader {
    /// The file size the header declares.
    pub declared_size: u64,
    /// The header's own length: where data continues in this slice.
    pub len: u64,
}

/// Parses the first bytes of a slice; `None` if they are not a slice header.
pub(crate) fn parse(bytes: &[u8]) -> Option<SliceHeader> {
    let (magic, rest) = bytes.split_first_chunk::<8>()?;
    if magic == MAGIC_64 {
        let size = rest.first_chunk::<8>()?;
        // An i64 on disk: a negative size is no real slice.
        let declared_size = u64::try_from(i64::from_le_bytes(*size)).ok()?;
        return Some(SliceHeader { declared_size, len: 16 });
    }
    if MAGIC_32.contains(&magic) {
        let size = rest.first_chunk::<4>()?;
        return Some(SliceHeader { declared_size: u64::from(u32::from_le_bytes(*size)), len: 12 });
    }
    None
}

/// Reads the header of the slice at `path`: `Ok(None)` when it does not start
/// like a slice; an error when the file cannot be read or is shorter than a
/// header.
pub(crate) fn read(path: &Path) -> std::io::Result<Option<SliceHeader>> {
    let mut bytes = Vec::with_capacity(16);
    File::open(path)?.take(16).read_to_end(&mut bytes)?;
    if bytes.len() < 12 {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    Ok(parse(&bytes))
}

/// Reads `len` bytes at `offset` of `path` (a chunk's magic in a slice, a
/// loader table in the `.exe`).
pub(crate) fn read_at(path: &Path, offset: u64, len: usize) -> std::io::Result<Vec<u8>> {
    let file = File::open(path)?;
    let mut buf = vec![0u8; len];
    crate::platform::read_exact_at(&file, &mut buf, offset)?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_32_bit_header_of_a_real_slice() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/inno/inno-6.4.1-lzma2-solid-spanned/MicrosoftAzureBackupInstaller-3.bin");
        let header = read(&path).unwrap().unwrap();
        assert_eq!(header, SliceHeader { declared_size: std::fs::metadata(&path).unwrap().len(), len: 12 });
    }

    /// Built from the published 6.5.2 layout, not from a real installer.
    #[test]
    fn the_64_bit_header_of_inno_setup_6_5_2() {
        let mut bytes = b"idskb32\x1a".to_vec();
        bytes.extend_from_slice(&(5_000_000_000_i64).to_le_bytes());
        assert_eq!(parse(&bytes), Some(SliceHeader { declared_size: 5_000_000_000, len: 16 }));
        // Cut short, negative, or another magic: not a header.
        assert_eq!(parse(&bytes[..12]), None);
        bytes[8..].copy_from_slice(&(-1_i64).to_le_bytes());
        assert_eq!(parse(&bytes), None);
        assert_eq!(parse(b"idskc32\x1a\0\0\0\0\0\0\0\0"), None);
    }
}
