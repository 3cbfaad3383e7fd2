//! What a file name says about its role in a download set.
//!
//! Vendors and tools name the parts of a set in a few fixed ways; browsers add
//! their own decorations while downloading (`.crdownload`) or when a file is
//! saved twice (`NAME (1).exe`). [`classify`] reads one file name and says
//! which set family it belongs to and as what. Matching ignores case
//! (`NAME-2.BIN` is slice 2 of `name.exe`), because sets are carried through
//! Windows shares and FAT-formatted media that change case freely.

/// The naming scheme of a set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Scheme {
    /// `NAME.exe` + `NAME-1.bin` … `NAME-N.bin` (Inno Setup disk slices, or
    /// a stub + archive cut into pieces under the same names).
    ExeWithBins,
    /// 7-Zip volumes `NAME.7z.001` ….
    SevenZVolumes,
    /// Volumes `NAME.zip.001` ….
    ZipVolumes,
    /// One file: `NAME.exe`, `NAME.7z` or `NAME.zip`.
    Single,
}

impl Scheme {
    /// The scheme's name in JSON output and manifests (`exe_with_bins` …).
    pub fn key(self) -> &'static str {
        match self {
            Scheme::ExeWithBins => "exe_with_bins",
            Scheme::SevenZVolumes => "seven_z_volumes",
            Scheme::ZipVolumes => "zip_volumes",
            Scheme::Single => "single",
        }
    }
}

impl std::fmt::Display for Scheme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Scheme::ExeWithBins => "NAME.exe + NAME-N.bin",
            Scheme::SevenZVolumes => "NAME.7z.NNN volumes",
            Scheme::ZipVolumes => "NAME.zip.NNN volumes",
            Scheme::Single => "single file",
        })
    }
}

/// What one file is, judged by its name alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// `NAME.exe`: the head of an exe set, or a single installer.
    Exe,
    /// `NAME-N.bin`.
    Slice(u32),
    /// `NAME-Da.bin`, `NAME-Db.bin` …: disk D's slices when the installer
    /// puts several on a disk (`SlicesPerDisk`); the number is
    /// [`lettered_number`]'s.
    LetteredSlice(u32),
    /// `NAME.7z.NNN` / `NAME.zip.NNN` (the family is `NAME.7z` / `NAME.zip`).
    Volume(u32),
    /// `NAME.7z` or `NAME.zip`.
    Archive,
}

/// A browser's mark on an unfinished or repeated download.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Decoration {
    /// Not decorated.
    None,
    /// An unfinished download: the suffix (`.crdownload`, `.part`, `.partial`, `.download`).
    Unfinished(&'static str),
    /// A second save of the same file: `NAME-3 (1).bin`, `NAME (2).exe`.
    Copy(u32),
}

/// A classified file name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Name {
    /// The family key: the base name, lower-cased (`name` for `NAME.exe` and
    /// `NAME-1.bin`; `name.7z` for `NAME.7z.001`).
    pub family: String,
    /// The base name as written (case kept), for messages and expected names.
    pub base: String,
    /// What the (undecorated) name is.
    pub role: Role,
    /// The browser's mark, if any.
    pub decoration: Decoration,
}

/// Suffixes browsers give files still being downloaded.
/// `.airlock-download` is `airlock fetch`'s own (matched before `.download`).
const UNFINISHED: [&str; 5] = [".crdownload", ".part", ".partial", ".airlock-download", ".download"];

/// Classifies `file_name`, or `None` if it plays no part in any set.
pub(crate) fn classify(file_name: &str) -> Option<Name> {
    for suffix in UNFINISHED {
        if let Some(inner) = strip_suffix_ignore_case(file_name, suffix) {
            let mut name = classify(inner)?;
            name.decoration = Decoration::Unfinished(suffix);
            return Some(name);
        }
    }
    let (stem, extension) = split_extension(file_name)?;
    let (stem, copy) = split_copy_mark(stem);
    let decoration = copy.map_or(Decoration::None, Decoration::Copy);
    let lower_ext = extension.to_ascii_lowercase();

    let (base, role) = match lower_ext.as_str() {
        "exe" => (stem.to_owned(), Role::Exe),
        "bin" => {
            let (base, number) = stem.rsplit_once('-')?;
            if base.is_empty() {
                return None;
            }
            match parse_lettered(number) {
                Some(lettered) => (base.to_owned(), Role::LetteredSlice(lettered)),
                None => {
                    let number = parse_number(number)?;
                    if number == 0 {
                        return None;
                    }
                    (base.to_owned(), Role::Slice(number))
                }
            }
        }
        "7z" | "zip" => (format!("{stem}.{extension}"), Role::Archive),
        digits if digits.len() >= 3 && digits.bytes().all(|b| b.is_ascii_digit()) => {
            // `NAME.7z.001`: the copy mark, if any, sits before `.001`
            // (`NAME.7z (1).001` is not a thing browsers do), so reparse.
            let (archive_stem, archive_ext) = split_extension(stem)?;
            if !matches!(archive_ext.to_ascii_lowercase().as_str(), "7z" | "zip") {
                return None;
            }
            let number = parse_number(digits)?;
            if number == 0 {
                return None;
            }
            (format!("{archive_stem}.{archive_ext}"), Role::Volume(number))
        }
        _ => return None,
    };
    if base.is_empty() {
        return None;
    }
    Some(Name { family: base.to_lowercase(), base, role, decoration })
}

/// The scheme a role implies, given the family's extension for volumes.
pub(crate) fn scheme_of(role: &Role, family: &str) -> Scheme {
    match role {
        Role::Exe | Role::Slice(_) | Role::LetteredSlice(_) => Scheme::ExeWithBins,
        Role::Volume(_) if family.ends_with(".zip") => Scheme::ZipVolumes,
        Role::Volume(_) => Scheme::SevenZVolumes,
        Role::Archive => Scheme::Single,
    }
}

/// The file name a part of `base` with `role` has in `scheme`.
pub(crate) fn part_name(base: &str, scheme: Scheme, number: u32) -> String {
    match scheme {
        Scheme::ExeWithBins if number == 0 => format!("{base}.exe"),
        Scheme::ExeWithBins => format!("{base}-{number}.bin"),
        Scheme::SevenZVolumes | Scheme::ZipVolumes => format!("{base}.{number:03}"),
        Scheme::Single => base.to_owned(),
    }
}

/// Slices on one disk are lettered `a` to `z` (Inno Setup's `SlicesPerDisk`
/// is 1 to 26).
const LETTERS: u32 = 26;

/// The part number of lettered slice `NAME-<disk><letter>.bin` (disk from 1,
/// letter from 0 for `a`): `(disk - 1) * 26 + letter + 1`, so that parts sort
/// by disk then letter and a number names one file whatever the installer's
/// slices per disk. `None` past [`u32`].
pub(crate) fn lettered_number(disk: u32, letter: u32) -> Option<u32> {
    if disk == 0 || letter >= LETTERS {
        return None;
    }
    (disk - 1).checked_mul(LETTERS)?.checked_add(letter)?.checked_add(1)
}

/// The part number of zero-based slice `index` of an installer with
/// `slices_per_disk` slices a disk, as its file is named (`-N.bin`, or
/// [`lettered_number`] for `-Na.bin`).
pub(crate) fn slice_number(index: u32, slices_per_disk: u32) -> Option<u32> {
    if slices_per_disk <= 1 {
        return index.checked_add(1);
    }
    lettered_number(index / slices_per_disk + 1, index % slices_per_disk)
}

/// `NAME-<disk><letter>.bin` for a [`lettered_number`].
pub(crate) fn lettered_name(base: &str, number: u32) -> String {
    let index = number.saturating_sub(1);
    let letter = char::from(b'a' + (index % LETTERS) as u8);
    format!("{base}-{}{letter}.bin", index / LETTERS + 1)
}

/// `1a` → the [`lettered_number`] of disk 1, slice `a` (letters in any case).
fn parse_lettered(text: &str) -> Option<u32> {
    let letter = text.chars().last().filter(char::is_ascii_alphabetic)?;
    let disk = parse_number(&text[..text.len() - 1])?;
    lettered_number(disk, u32::from(letter.to_ascii_lowercase()) - u32::from('a'))
}

fn strip_suffix_ignore_case<'a>(name: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = name.len().checked_sub(suffix.len())?;
    (name.is_char_boundary(cut) && name[cut..].eq_ignore_ascii_case(suffix) && cut > 0).then(|| &name[..cut])
}

fn split_extension(name: &str) -> Option<(&str, &str)> {
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then_some((stem, ext))
}

/// `NAME-3 (1)` → (`NAME-3`, Some(1)).
fn split_copy_mark(stem: &str) -> (&str, Option<u32>) {
    let Some(open) = stem.rfind(" (") else {
        return (stem, None);
    };
    let inside = &stem[open + 2..];
    match inside.strip_suffix(')').and_then(parse_number) {
        Some(k) => (&stem[..open], Some(k)),
        None => (stem, None),
    }
}

fn parse_number(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 9 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(name: &str) -> (String, Role, Decoration) {
        let n = classify(name).unwrap_or_else(|| panic!("{name} not classified"));
        (n.family, n.role, n.decoration)
    }

    #[test]
    fn the_vendor_scheme_is_recognised_in_any_case() {
        assert_eq!(
            role("MicrosoftAzureBackupInstaller.exe"),
            ("microsoftazurebackupinstaller".into(), Role::Exe, Decoration::None)
        );
        assert_eq!(role("MicrosoftAzureBackupInstaller-12.bin").1, Role::Slice(12));
        assert_eq!(role("microsoftazurebackupinstaller-2.BIN").0, "microsoftazurebackupinstaller");
        assert_eq!(role("My-Product-3.bin"), ("my-product".into(), Role::Slice(3), Decoration::None));
    }

    #[test]
    fn volumes_and_archives() {
        assert_eq!(role("Set.7z.001"), ("set.7z".into(), Role::Volume(1), Decoration::None));
        assert_eq!(role("Set.ZIP.010").1, Role::Volume(10));
        assert_eq!(role("Set.7z"), ("set.7z".into(), Role::Archive, Decoration::None));
        assert_eq!(scheme_of(&Role::Volume(1), "set.zip"), Scheme::ZipVolumes);
        assert_eq!(part_name("Set.7z", Scheme::SevenZVolumes, 2), "Set.7z.002");
    }

    #[test]
    fn browser_marks_are_seen_through() {
        assert_eq!(role("N-3.bin.crdownload"), ("n".into(), Role::Slice(3), Decoration::Unfinished(".crdownload")));
        assert_eq!(role("N-3.bin.PART").2, Decoration::Unfinished(".part"));
        assert_eq!(role("N-3.bin.airlock-download").2, Decoration::Unfinished(".airlock-download"));
        assert_eq!(role("N-3 (1).bin"), ("n".into(), Role::Slice(3), Decoration::Copy(1)));
        assert_eq!(role("N (1).exe"), ("n".into(), Role::Exe, Decoration::Copy(1)));
    }

    #[test]
    fn slices_per_disk_are_lettered_and_numbered_by_disk_then_letter() {
        assert_eq!(role("N-1a.bin"), ("n".into(), Role::LetteredSlice(1), Decoration::None));
        assert_eq!(role("N-1B.bin").1, Role::LetteredSlice(2));
        assert_eq!(role("N-2a.bin").1, Role::LetteredSlice(27));
        assert_eq!(role("N-1c.bin.part").2, Decoration::Unfinished(".part"));
        // Three a disk: slice 3 is the first on disk 2.
        assert_eq!(
            (0..4).map(|i| slice_number(i, 3).unwrap()).collect::<Vec<_>>(),
            [1, 2, 3, lettered_number(2, 0).unwrap()]
        );
        assert_eq!(slice_number(4, 1), Some(5));
        assert_eq!(lettered_name("N", 2), "N-1b.bin");
        assert_eq!(lettered_name("N", 27), "N-2a.bin");
        assert!(classify("N-0a.bin").is_none() && classify("N-1ab.bin").is_none());
    }

    #[test]
    fn unrelated_names_are_ignored() {
        for name in
            ["SHA256SUMS", "readme.txt", "x-0.bin", "x-a.bin", "-1.bin", ".exe", "x.7z.1", "x.tar.001", "notes.bin"]
        {
            assert!(classify(name).is_none(), "{name}");
        }
    }
}
