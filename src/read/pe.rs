//! The one PE reader: what a Windows program's headers say about where its
//! parts are, for the installer's own size (`exe_size`) and its Authenticode
//! signature (`authenticode`).
//!
//! Built on the `object` crate's header types, read from any of its
//! `ReadRef`s: bytes in memory, or a file through `object::ReadCache`, so
//! only the headers are read, never the program. Every number from a header
//! is added in `u64` with checked arithmetic; nothing here panics on input.
//!
//! The rules that live here, once:
//! - where the headers end (the section table's end) and where the program's
//!   bytes end (its last section's raw data: [`PeHeaders::image_end`]), and
//!   a file that ends before its own headers do ([`Headers::Cut`]);
//! - the certificate table's location and bounds ([`PeHeaders::certificate_table`]);
//! - where the sections end when they follow each other without a gap from
//!   the end of the headers: the overlay's start ([`PeHeaders::gapless_end`]);
//! - which bytes the Authenticode digest covers, in order ([`PeHeaders::digest_ranges`]).
#![warn(clippy::arithmetic_side_effects)]

use std::ops::Range;

use object::LittleEndian as LE;
use object::ReadRef;
use object::pe::{
    IMAGE_DIRECTORY_ENTRY_SECURITY, IMAGE_NT_OPTIONAL_HDR32_MAGIC, IMAGE_NT_OPTIONAL_HDR64_MAGIC, IMAGE_NT_SIGNATURE,
    ImageDataDirectory, ImageDosHeader, ImageFileHeader, ImageNtHeaders32, ImageNtHeaders64, ImageSectionHeader,
};
use object::read::pe::{ImageNtHeaders, ImageOptionalHeader};

/// The PE signature and the COFF file header: 24 bytes.
const COFF_END: u64 = 4 + std::mem::size_of::<ImageFileHeader>() as u64;
/// One section header.
const SECTION_HEADER: u64 = std::mem::size_of::<ImageSectionHeader>() as u64;
/// One data-directory entry.
const DIRECTORY_ENTRY: u64 = std::mem::size_of::<ImageDataDirectory>() as u64;
/// The optional header's `CheckSum` field: at the same offset in both widths.
const CHECKSUM_AT: u64 = 64;

/// What a file's first bytes say it is.
#[derive(Debug)]
pub(crate) enum Headers {
    /// Not a PE file: no `MZ` DOS header, or no `PE` signature where it
    /// points.
    NotPe,
    /// A file that ends before the headers it announces do (the COFF header
    /// or the section table): only a cut file looks like this. `needs` is
    /// the least size those headers need; `signature` whether the `PE`
    /// signature is there (without it, an MZ file whose DOS header points
    /// past its end may as well be a DOS program).
    Cut { needs: u64, signature: bool },
    /// The COFF header and section table, read.
    Pe(PeHeaders),
}

/// A PE file's headers, as far as they say where its parts are.
#[derive(Debug, Clone)]
pub(crate) struct PeHeaders {
    /// Where the section table ends: the end of the headers as written.
    pub section_table_end: u64,
    /// Each section's raw data (`PointerToRawData`, `SizeOfRawData`), in the
    /// table's order, empty ones included.
    pub sections: Vec<Range<u64>>,
    /// The optional header, or what is wrong with it.
    pub optional: Optional,
}

/// The optional header, read or not.
#[derive(Debug, Clone)]
pub(crate) enum Optional {
    /// Read, PE32 or PE32+.
    Read(OptionalHeader),
    /// Its magic is neither PE32 nor PE32+ (or it is not in the file): not
    /// a program image the loader would run.
    UnknownMagic,
    /// A PE32 or PE32+ header whose size or data directories do not fit, and why.
    Unreadable(String),
}

/// What the optional header says (either width).
#[derive(Debug, Clone, Copy)]
pub(crate) struct OptionalHeader {
    /// `SizeOfHeaders`: where the headers end, as the loader counts them.
    pub size_of_headers: u64,
    /// Offset of the 4-byte `CheckSum` field.
    pub checksum_at: u64,
    /// Offset of the 8-byte certificate-table entry of the data directory.
    pub certificate_entry_at: u64,
    /// The certificate-table entry (file offset, size); `None` when the
    /// directory holds fewer than five entries.
    pub certificate_entry: Option<(u64, u64)>,
}

/// Reads the headers of the PE file `data`.
pub(crate) fn read<'d, R: ReadRef<'d>>(data: R) -> Headers {
    let Ok(len) = data.len() else { return Headers::NotPe };
    let Ok(dos) = ImageDosHeader::parse(data) else { return Headers::NotPe };
    let nt = u64::from(dos.nt_headers_offset());
    // u32 + 24 fits a u64: no overflow.
    let coff_end = nt.saturating_add(COFF_END);
    let signature = data.read_at::<object::U32<LE>>(nt).is_ok_and(|s| s.get(LE) == IMAGE_NT_SIGNATURE);
    if len < coff_end {
        // An MZ file whose DOS header points past its end.
        return Headers::Cut { needs: coff_end, signature };
    }
    let Ok(file_header) = data.read_at::<ImageFileHeader>(nt.saturating_add(4)) else { return Headers::NotPe };
    if !signature {
        return Headers::NotPe;
    }
    let count = file_header.number_of_sections.get(LE);
    let table = coff_end.saturating_add(u64::from(file_header.size_of_optional_header.get(LE)));
    // At most 0xffff headers of 40 bytes after a u32-sized offset: no overflow.
    let section_table_end = table.saturating_add(u64::from(count).saturating_mul(SECTION_HEADER));
    let cut = Headers::Cut { needs: section_table_end, signature };
    if len < section_table_end {
        return cut;
    }
    let Ok(table) = data.read_slice_at::<ImageSectionHeader>(table, usize::from(count)) else { return cut };
    let sections = table
        .iter()
        .map(|s| {
            let at = u64::from(s.pointer_to_raw_data.get(LE));
            at..at.saturating_add(u64::from(s.size_of_raw_data.get(LE)))
        })
        .collect();
    Headers::Pe(PeHeaders { section_table_end, sections, optional: optional_header(data, nt, coff_end) })
}

/// The optional header at `coff_end` of the NT headers at `nt`.
fn optional_header<'d, R: ReadRef<'d>>(data: R, nt: u64, coff_end: u64) -> Optional {
    let read = match data.read_at::<object::U16<LE>>(coff_end).map(|m| m.get(LE)) {
        Ok(IMAGE_NT_OPTIONAL_HDR32_MAGIC) => optional_of::<ImageNtHeaders32, R>(data, nt, coff_end),
        Ok(IMAGE_NT_OPTIONAL_HDR64_MAGIC) => optional_of::<ImageNtHeaders64, R>(data, nt, coff_end),
        _ => return Optional::UnknownMagic,
    };
    match read {
        Ok(header) => Optional::Read(header),
        Err(why) => Optional::Unreadable(why),
    }
}

fn optional_of<'d, Nt: ImageNtHeaders, R: ReadRef<'d>>(
    data: R,
    nt: u64,
    coff_end: u64,
) -> Result<OptionalHeader, String> {
    let mut offset = nt;
    let (headers, directories) =
        Nt::parse(data, &mut offset).map_err(|e| format!("the PE headers cannot be read ({e})"))?;
    // The data directory follows the optional header's fixed part; the
    // certificate table's entry is its fifth (sizes of types: no overflow).
    let before_entry = (std::mem::size_of::<Nt::ImageOptionalHeader>() as u64)
        .saturating_add((IMAGE_DIRECTORY_ENTRY_SECURITY as u64).saturating_mul(DIRECTORY_ENTRY));
    let entry = directories
        .get(IMAGE_DIRECTORY_ENTRY_SECURITY)
        .map(|d| (u64::from(d.virtual_address.get(LE)), u64::from(d.size.get(LE))));
    Ok(OptionalHeader {
        size_of_headers: u64::from(headers.optional_header().size_of_headers()),
        checksum_at: coff_end.saturating_add(CHECKSUM_AT),
        certificate_entry_at: coff_end.saturating_add(before_entry),
        certificate_entry: entry,
    })
}

impl PeHeaders {
    /// The optional header, or why there is none to read.
    pub(crate) fn optional(&self) -> Result<&OptionalHeader, String> {
        match &self.optional {
            Optional::Read(header) => Ok(header),
            Optional::UnknownMagic => Err("the optional header's magic is neither PE32 nor PE32+".to_owned()),
            Optional::Unreadable(why) => Err(why.clone()),
        }
    }

    /// The least size the file must have to hold its own program: the end
    /// of its last section's raw data, and at least the end of its headers.
    pub(crate) fn image_end(&self) -> u64 {
        self.sections.iter().filter(|s| !s.is_empty()).map(|s| s.end).fold(self.section_table_end, u64::max)
    }

    /// The certificate table (where the Authenticode signature is kept) of a
    /// file of `file_len` bytes: `Ok(None)` when the file has none (no
    /// entry, or an entry of zeros); an error when the entry points at no
    /// table (offset 0, size 0) or past the file's end.
    pub(crate) fn certificate_table(&self, file_len: u64) -> Result<Option<Range<u64>>, String> {
        let Optional::Read(optional) = &self.optional else { return Ok(None) };
        let Some((start, size)) = optional.certificate_entry else { return Ok(None) };
        if start == 0 && size == 0 {
            return Ok(None);
        }
        let end = start.checked_add(size).filter(|&end| start != 0 && size != 0 && end <= file_len);
        match end {
            Some(end) => Ok(Some(start..end)),
            None => Err(format!(
                "the certificate table ({size} bytes at offset {start}) does not fit in the file ({file_len} bytes)"
            )),
        }
    }

    /// Where the sections end when, taken in file order, they follow each
    /// other without a gap or an overlap from the end of the headers
    /// (`SizeOfHeaders`): the start of whatever the file carries after its
    /// program (the overlay). An error names the first gap or overlap.
    pub(crate) fn gapless_end(&self) -> Result<u64, String> {
        let optional = self.optional()?;
        let mut sections: Vec<&Range<u64>> = self.sections.iter().filter(|s| !s.is_empty()).collect();
        sections.sort_unstable_by_key(|r| r.start);
        let mut end = optional.size_of_headers;
        for range in sections {
            if range.start != end {
                return Err(format!(
                    "the PE sections leave bytes {}..{} outside the signed data or overlap there; airlock accepts only layouts the signature fully covers",
                    end.min(range.start),
                    end.max(range.start)
                ));
            }
            end = range.end;
        }
        Ok(end)
    }

    /// The bytes of a file of `file_len` bytes that its Authenticode digest
    /// covers, in the order they are hashed: the headers up to
    /// `SizeOfHeaders` without the checksum field and the certificate-table
    /// entry, every section's raw data in file order, then the bytes after
    /// the sections up to the file's length less the certificate table's
    /// size (the Authenticode specification, as the `authenticode` crate
    /// computes it). An error when a range lies outside the file.
    pub(crate) fn digest_ranges(&self, file_len: u64) -> Result<Vec<Range<u64>>, String> {
        let outside = || "the PE headers hold an offset outside the file".to_owned();
        let optional = self.optional()?;
        let checksum_end = optional.checksum_at.checked_add(4).ok_or_else(outside)?;
        let entry_end = optional.certificate_entry_at.checked_add(8).ok_or_else(outside)?;
        let mut ranges = vec![
            0..optional.checksum_at,
            checksum_end..optional.certificate_entry_at,
            entry_end..optional.size_of_headers,
        ];
        let mut sections: Vec<Range<u64>> = self.sections.clone();
        sections.sort_unstable_by_key(|r| r.start);
        let mut hashed = optional.size_of_headers;
        for section in sections {
            hashed =
                hashed.checked_add(section.end.checked_sub(section.start).ok_or_else(outside)?).ok_or_else(outside)?;
            ranges.push(section);
        }
        let mut extra = file_len.checked_sub(hashed).ok_or_else(outside)?;
        if let Some((_, size)) = optional.certificate_entry {
            extra = extra.checked_sub(size).ok_or_else(outside)?;
        }
        ranges.push(hashed..hashed.checked_add(extra).ok_or_else(outside)?);
        if ranges.iter().any(|r| r.start > r.end || r.end > file_len) {
            return Err(outside());
        }
        Ok(ranges)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/authenticode").join(name))
            .unwrap()
    }

    fn headers(data: &[u8]) -> PeHeaders {
        match read(data) {
            Headers::Pe(headers) => headers,
            other => panic!("not read as PE: {other:?}"),
        }
    }

    const SIGNED: [&str; 4] =
        ["pe/valid.dll", "inno/inno-6.4.1-signed.exe", "inno/inno-5.5.9-signed.exe", "sfx/sfx-7z-signed.exe"];

    /// The digest ranges are the bytes the `authenticode` crate hashes, in its
    /// order, for PE32 and PE32+ files, signed or not.
    #[test]
    fn the_digest_ranges_hash_what_the_authenticode_crate_hashes() {
        use sha2_010::Digest;
        for name in SIGNED.iter().chain(&["pe/unsigned.dll", "real/msvcp140_codecvt_ids.dll"]) {
            let data = fixture(name);
            let mut ours = sha2_010::Sha256::new();
            for range in headers(&data).digest_ranges(data.len() as u64).unwrap() {
                ours.update(&data[range.start as usize..range.end as usize]);
            }
            let mut theirs = sha2_010::Sha256::new();
            let pe: Box<dyn authenticode::PeTrait> = match object::FileKind::parse(&data[..]).unwrap() {
                object::FileKind::Pe32 => Box::new(object::read::pe::PeFile32::parse(&data[..]).unwrap()),
                object::FileKind::Pe64 => Box::new(object::read::pe::PeFile64::parse(&data[..]).unwrap()),
                other => panic!("{name}: {other:?}"),
            };
            authenticode::authenticode_digest(pe.as_ref(), &mut theirs).unwrap();
            assert_eq!(ours.finalize(), theirs.finalize(), "{name}");
        }
    }

    /// The certificate table of a signed file ends it (up to alignment), its
    /// sections tile the file up to it, and an unsigned file has none.
    #[test]
    fn the_certificate_table_and_the_overlay_start_of_signed_files() {
        for name in SIGNED {
            let data = fixture(name);
            let len = data.len() as u64;
            let pe = headers(&data);
            let table = pe.certificate_table(len).unwrap().expect(name);
            assert!(table.end <= len && len - table.end < 8, "{name}: {table:?} in {len} bytes");
            let end = pe.gapless_end().unwrap();
            assert!(end <= table.start && end == pe.image_end(), "{name}: sections end at {end}, table {table:?}");
        }
        let unsigned = fixture("pe/unsigned.dll");
        assert_eq!(headers(&unsigned).certificate_table(unsigned.len() as u64), Ok(None));
    }

    /// A certificate entry that points at no table or past the end is refused
    /// in words; one of zeros is no table.
    #[test]
    fn a_certificate_entry_out_of_bounds_is_refused() {
        let data = fixture("pe/valid.dll");
        let mut pe = headers(&data);
        let len = data.len() as u64;
        let mut with = |entry: (u64, u64)| {
            if let Optional::Read(optional) = &mut pe.optional {
                optional.certificate_entry = Some(entry);
            }
            pe.certificate_table(len)
        };
        assert_eq!(with((0, 0)), Ok(None));
        assert_eq!(with((100, 8)), Ok(Some(100..108)));
        for bad in [(0, 8), (100, 0), (len - 4, 8), (u64::from(u32::MAX), u64::from(u32::MAX))] {
            let refused = with(bad).unwrap_err();
            assert!(refused.contains("does not fit in the file"), "{bad:?}: {refused}");
        }
    }

    /// Cut anywhere inside its headers, a PE file says how much it needs; cut
    /// inside its sections, its headers still say where the program ends.
    #[test]
    fn a_cut_file_says_how_much_its_headers_need() {
        let data = fixture("pe/valid.dll");
        let full = headers(&data);
        let nt = u64::from(u32::from_le_bytes(data[60..64].try_into().unwrap()));
        assert!(full.image_end() > full.section_table_end);
        for cut in [64, nt as usize + 3, nt as usize + 30, full.section_table_end as usize - 1] {
            match read(&data[..cut]) {
                Headers::Cut { needs, .. } => {
                    assert!(needs > cut as u64 && needs <= full.section_table_end, "cut {cut}")
                }
                other => panic!("cut at {cut}: {other:?}"),
            }
        }
        let cut = full.image_end() as usize - 1;
        assert_eq!(headers(&data[..cut]).image_end(), full.image_end());
        assert!(matches!(read(&data[..40]), Headers::NotPe), "shorter than a DOS header");
        let mut no_pe = data.clone();
        no_pe[nt as usize] = b'X';
        assert!(matches!(read(&no_pe[..]), Headers::NotPe));
    }
}
