//! Finding the download set a path names.
//!
//! SET may be the `.exe`, any part, or the folder holding the set. Discovery
//! reads the folder (names and sizes only, never the bulk data), groups the
//! files into set families by name ([`crate::vocab::naming`]), pairs a renamed
//! installer with its slices, and picks the set the user meant. It does not
//! judge completeness: that is the completeness check's job, which also uses the
//! browser leftovers and copies gathered here.
//!
//! A renamed `.exe` (a browser's `NAME (1).exe`, or anything else) has no
//! slices under its own name. If its Inno Setup header says its data is in
//! slices, it is paired with the slices named by the base name the header
//! records, or failing that with the one family of headless `*-N.bin` slices
//! whose chunk headers fit it; the set records which way was used.
#![warn(clippy::arithmetic_side_effects)]

mod pairing;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::vocab::error::{Error, Result};
use crate::vocab::naming::{Decoration, Role, Scheme, classify, scheme_of};

/// One file of a set.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Part {
    /// 0 for the head of an exe set or a single file; N for slice `-N.bin`
    /// or volume `.NNN`.
    pub number: u32,
    /// The file name as it is on disk.
    pub name: String,
    /// Its path.
    #[serde(skip)]
    pub path: PathBuf,
    /// Its size in bytes.
    pub size: u64,
}

/// A file beside the set that is related to it by name but is not a clean
/// part: a browser leftover, a second copy, or a part of the same family that
/// the set does not use.
#[derive(Clone, Debug)]
pub(crate) struct Related {
    pub name: String,
    pub role: Role,
    pub decoration: Decoration,
}

/// A download set found on disk.
#[derive(Clone, Debug)]
pub struct DownloadSet {
    /// The folder holding the set.
    pub dir: PathBuf,
    /// The set's name: the base of its parts (`NAME` for `NAME.exe` +
    /// `NAME-N.bin`, `NAME.7z` for volumes and single archives, the `.exe`'s
    /// stem for a single installer).
    pub name: String,
    /// How its parts are named.
    pub scheme: Scheme,
    /// The parts present on disk, head first, then by number.
    pub parts: Vec<Part>,
    /// How a renamed installer was paired with its slices, when it was.
    pub pairing: Option<String>,
    /// The slices' base name when it differs from the head's (renamed installer).
    pub(crate) slice_base: Option<String>,
    /// Whether the slices are lettered (`NAME-1a.bin`: several slices a disk).
    pub(crate) lettered: bool,
    pub(crate) related: Vec<Related>,
}

impl DownloadSet {
    /// The head part (`.exe`, single archive, or first volume), if present.
    pub fn head(&self) -> Option<&Part> {
        self.parts.first().filter(|p| p.number == 0 || self.scheme != Scheme::ExeWithBins)
    }

    /// Paths of all parts, in order.
    pub fn paths(&self) -> Vec<PathBuf> {
        self.parts.iter().map(|p| p.path.clone()).collect()
    }

    /// Total bytes of the parts present.
    pub fn total_size(&self) -> u64 {
        crate::vocab::size::saturating_total(self.parts.iter().map(|p| p.size))
    }

    /// Reads the manifest at `path`, keeping only the entries about this set
    /// (a `SHA256SUMS` often covers several downloads in one folder).
    ///
    /// A manifest found beside the set that names none of its parts is not
    /// this set's: `Ok(None)`. One the user gave (`explicit`) is an error.
    ///
    /// A manifest found beside the set is not believed alone: every other
    /// manifest beside it is read too, and a part on which two of them give
    /// different hashes (or sizes) is an error naming both files, never
    /// settled by taking the first.
    pub fn read_manifest(&self, path: &Path, explicit: bool) -> Result<Option<crate::manifest::Manifest>> {
        let mut manifest = crate::manifest::Manifest::read(path)?;
        if !explicit {
            self.refuse_disagreeing_manifests(path, &manifest)?;
        }
        self.keep_own_entries(&mut manifest);
        if manifest.entries.is_empty() {
            if explicit {
                return Err(Error::Manifest {
                    path: path.to_path_buf(),
                    line: 0,
                    reason: format!("lists none of the parts of {}", self.name),
                });
            }
            return Ok(None);
        }
        Ok(Some(manifest))
    }

    /// Keeps the entries of `manifest` that are about this set (all of them
    /// when it names this set).
    fn keep_own_entries(&self, manifest: &mut crate::manifest::Manifest) {
        let about_this_set = manifest.set_name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(&self.name));
        if !about_this_set {
            // Files in subfolders stay: an Inno Setup installer may read them
            // from beside itself (the check decides, from its header).
            manifest.entries.retain(|e| self.owns_name(&e.name) || e.path.contains('/'));
        }
    }

    /// The manifest beside the set to use: the first (in
    /// [`BESIDE_NAMES`](crate::manifest::BESIDE_NAMES) order) that lists one
    /// of this set's parts, so that a `SHA256SUMS` of other downloads in the
    /// folder does not hide a `NAME.manifest.json` that is about this set;
    /// when none does, the first there (whose reading then says why).
    pub(crate) fn beside_manifest(&self) -> Option<PathBuf> {
        let all = crate::manifest::all_beside(&self.dir, &self.name);
        let about_this_set = |path: &&PathBuf| {
            crate::manifest::Manifest::read(path).is_ok_and(|mut manifest| {
                self.keep_own_entries(&mut manifest);
                !manifest.entries.is_empty()
            })
        };
        all.iter().find(about_this_set).or(all.first()).cloned()
    }

    /// Fails when two manifests beside the set (`path`, read as `manifest`,
    /// and the others there) give different hashes or sizes for one name:
    /// every pair is compared, a name matched as [`find`](crate::manifest::Manifest::find)
    /// matches it (exactly, else without regard to case).
    fn refuse_disagreeing_manifests(&self, path: &Path, manifest: &crate::manifest::Manifest) -> Result<()> {
        let mut all = vec![(path.to_path_buf(), manifest.clone())];
        for other_path in crate::manifest::all_beside(&self.dir, &self.name).into_iter().filter(|p| p != path) {
            let other = crate::manifest::Manifest::read(&other_path)?;
            all.push((other_path, other));
        }
        for (i, (path, manifest)) in all.iter().enumerate() {
            for (other_path, other) in all.iter().skip(i.saturating_add(1)) {
                for entry in &manifest.entries {
                    let Some(theirs) = other.find(&entry.name) else { continue };
                    let sizes_differ = matches!((entry.size, theirs.size), (Some(a), Some(b)) if a != b);
                    if theirs.sha256 != entry.sha256 || sizes_differ {
                        return Err(disagreement(path, entry, other_path, theirs));
                    }
                }
                // Names only the other lists, matched back without regard to case.
                for theirs in &other.entries {
                    let Some(entry) = manifest.find(&theirs.name) else { continue };
                    let sizes_differ = matches!((entry.size, theirs.size), (Some(a), Some(b)) if a != b);
                    if theirs.sha256 != entry.sha256 || sizes_differ {
                        return Err(disagreement(path, entry, other_path, theirs));
                    }
                }
            }
        }
        Ok(())
    }

    /// Whether a file called `name` would be a part of this set.
    pub(crate) fn owns_name(&self, name: &str) -> bool {
        if self.parts.iter().any(|p| p.name.eq_ignore_ascii_case(name)) {
            return true;
        }
        let Some(classified) = classify(name) else { return false };
        let ours = [Some(self.name.to_lowercase()), self.slice_base.as_ref().map(|b| b.to_lowercase())];
        ours.iter().flatten().any(|family| *family == classified.family)
    }

    /// The name part `number` should have.
    pub fn expected_name(&self, number: u32) -> String {
        self.expected_name_lettered(number, self.lettered)
    }

    /// The name part `number` should have, with slices lettered
    /// (`NAME-1a.bin`) or not, as the installer's header says.
    pub(crate) fn expected_name_lettered(&self, number: u32, lettered: bool) -> String {
        let base = match (&self.slice_base, number) {
            (Some(slice_base), n) if n > 0 => slice_base.as_str(),
            _ => self.name.as_str(),
        };
        if lettered && number > 0 && self.scheme == Scheme::ExeWithBins {
            return crate::vocab::naming::lettered_name(base, number);
        }
        crate::vocab::naming::part_name(base, self.scheme, number)
    }
}

/// A file in the folder, classified.
#[derive(Clone, Debug)]
struct Found {
    pub(super) name: String,
    pub(super) path: PathBuf,
    pub(super) size: u64,
    pub(super) classified: crate::vocab::naming::Name,
}

/// Files of one family, by role.
#[derive(Default, Debug)]
struct Family {
    pub(super) base: String,
    pub(super) exe: Option<Found>,
    pub(super) archive: Option<Found>,
    pub(super) slices: BTreeMap<u32, Found>,
    /// `NAME-1a.bin` …, by [`crate::vocab::naming::lettered_number`].
    pub(super) lettered: BTreeMap<u32, Found>,
    pub(super) volumes: BTreeMap<u32, Found>,
    pub(super) related: Vec<Found>,
    /// For a renamed installer: how its slices were found, and their base name.
    pub(super) paired: Option<(String, String)>,
}

impl Family {
    fn is_candidate(&self) -> bool {
        self.exe.is_some()
            || self.archive.is_some()
            || !self.slices.is_empty()
            || !self.lettered.is_empty()
            || !self.volumes.is_empty()
    }

    /// Every file of the family that the set could use, for matching the
    /// file the user named. Matching is by file name within the folder, so
    /// `NAME.exe`, `./NAME.exe`, `../x/NAME.exe` and an absolute path all
    /// name the same part (the folder's entries are `dir.join(name)`, which
    /// only one of those spellings would equal).
    fn contains(&self, file_name: &str) -> bool {
        self.exe
            .iter()
            .chain(&self.archive)
            .chain(self.slices.values())
            .chain(self.lettered.values())
            .chain(self.volumes.values())
            .chain(&self.related)
            .any(|f| f.name == file_name)
    }
}

/// Finds the download set `path` names (a part, or the folder holding one set).
///
/// Any part names the whole set, as does the folder holding it:
///
/// ```
/// let set = airlock::discover("testdata/inno/inno-6.4.1-lzma2-solid-spanned/MicrosoftAzureBackupInstaller-2.bin".as_ref())?;
/// assert_eq!(set.name, "MicrosoftAzureBackupInstaller");
/// assert_eq!(set.parts.len(), 4); // NAME.exe and NAME-1.bin … NAME-3.bin
/// assert_eq!(airlock::discover("testdata/inno/inno-6.4.1-lzma2-solid-spanned".as_ref())?.parts.len(), 4);
/// # Ok::<(), airlock::Error>(())
/// ```
pub fn discover(path: &Path) -> Result<DownloadSet> {
    let metadata = std::fs::metadata(path).map_err(|e| Error::input(path, "the set (SET)", e))?;
    let (dir, given) = if metadata.is_dir() {
        (path.to_path_buf(), None)
    } else {
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if classify(&file_name).is_none() {
            return Err(Error::NotASet {
                path: path.to_path_buf(),
                reason: "is not a part of a download set by its name; expected NAME.exe, NAME-N.bin, NAME.7z[.NNN] or NAME.zip[.NNN], or give the folder".to_owned(),
            });
        }
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        (dir, Some(file_name))
    };

    let mut families = group(&dir)?;
    pairing::pair_renamed_installers(&mut families);

    let chosen = match &given {
        Some(given) => families.values().find(|f| f.contains(given)).ok_or_else(|| Error::NotASet {
            path: path.to_path_buf(),
            reason: "is not a regular file airlock can read as a part; give the installer .exe, any part, or the folder holding the set".to_owned(),
        })?,
        None => {
            let candidates: Vec<&Family> = families.values().filter(|f| f.is_candidate()).collect();
            match candidates.as_slice() {
                [one] => *one,
                [] => {
                    return Err(Error::NotASet {
                        path: dir.clone(),
                        reason: format!(
                            "holds no download set (no NAME.exe, NAME-N.bin, NAME.7z[.NNN] or NAME.zip[.NNN]); found: {}",
                            describe_folder(&dir)
                        ),
                    });
                }
                many => {
                    return Err(Error::AmbiguousSet {
                        dir: dir.clone(),
                        found: many.iter().map(|f| head_name(f)).collect(),
                    });
                }
            }
        }
    };
    Ok(build_set(&dir, chosen))
}

/// Reads `dir` and groups its files into families.
fn group(dir: &Path) -> Result<BTreeMap<String, Family>> {
    let mut families: BTreeMap<String, Family> = BTreeMap::new();
    let read = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in read {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        let Ok(metadata) = std::fs::metadata(&path) else { continue };
        if !metadata.is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(mut classified) = classify(&name) else { continue };
        // A second download of an installer (`NAME (1).exe`) with no
        // `NAME.exe` beside it is the installer, renamed: its own family.
        if classified.role == Role::Exe && matches!(classified.decoration, Decoration::Copy(_)) {
            let stem = name[..name.len().saturating_sub(4)].to_owned(); // classified as `.exe`
            let original = classified.family.clone();
            let has_original = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?.filter_map(|e| e.ok()).any(|e| {
                let n = e.file_name().to_string_lossy().to_lowercase();
                n == format!("{original}.exe")
            });
            if !has_original {
                classified.family = stem.to_lowercase();
                classified.base = stem;
                classified.decoration = Decoration::None;
            }
        }
        let found = Found { name, path, size: metadata.len(), classified };
        let family = families.entry(found.classified.family.clone()).or_default();
        if family.base.is_empty() || found.classified.decoration == Decoration::None {
            family.base = found.classified.base.clone();
        }
        if found.classified.decoration != Decoration::None {
            family.related.push(found);
            continue;
        }
        let slot = match found.classified.role {
            Role::Exe => &mut family.exe,
            Role::Archive => &mut family.archive,
            Role::Slice(n) => {
                family.slices.insert(n, found);
                continue;
            }
            Role::LetteredSlice(n) => {
                family.lettered.insert(n, found);
                continue;
            }
            Role::Volume(n) => {
                family.volumes.insert(n, found);
                continue;
            }
        };
        match slot {
            // Two names differing only in case: keep one, report the other.
            Some(_) => family.related.push(found),
            None => *slot = Some(found),
        }
    }
    Ok(families)
}

fn head_name(family: &Family) -> String {
    family
        .exe
        .as_ref()
        .or(family.archive.as_ref())
        .or(family.volumes.values().next())
        .or(family.slices.values().next())
        .map(|f| f.name.clone())
        .unwrap_or_else(|| family.base.clone())
}

fn build_set(dir: &Path, family: &Family) -> DownloadSet {
    let part = |number: u32, f: &Found| Part { number, name: f.name.clone(), path: f.path.clone(), size: f.size };
    let mut parts = Vec::new();
    let mut related = Vec::new();
    let (pairing, slice_base) = match &family.paired {
        Some((how, base)) => (Some(how.clone()), Some(base.clone())),
        None => (None, None),
    };
    for f in &family.related {
        related.push(Related {
            name: f.name.clone(),
            role: f.classified.role.clone(),
            decoration: f.classified.decoration.clone(),
        });
    }
    // Lettered slices (`NAME-1a.bin`) are the set's when there are no
    // numbered ones; otherwise they are files beside it that it does not use.
    let lettered = family.slices.is_empty() && !family.lettered.is_empty();
    let slices = if lettered { &family.lettered } else { &family.slices };
    if !lettered {
        related.extend(family.lettered.values().map(|f| Related {
            name: f.name.clone(),
            role: f.classified.role.clone(),
            decoration: Decoration::None,
        }));
    }
    let scheme;
    if let Some(exe) = &family.exe {
        scheme = Scheme::ExeWithBins;
        parts.push(part(0, exe));
        parts.extend(slices.iter().map(|(n, f)| part(*n, f)));
        // An archive or volumes under the same name are not this set's.
        related.extend(family.archive.iter().chain(family.volumes.values()).map(|f| Related {
            name: f.name.clone(),
            role: f.classified.role.clone(),
            decoration: Decoration::None,
        }));
    } else if !slices.is_empty() {
        scheme = Scheme::ExeWithBins;
        parts.extend(slices.iter().map(|(n, f)| part(*n, f)));
    } else if !family.volumes.is_empty() {
        scheme = scheme_of(&Role::Volume(1), &family.base.to_lowercase());
        parts.extend(family.volumes.iter().map(|(n, f)| part(*n, f)));
        related.extend(family.archive.iter().map(|f| Related {
            name: f.name.clone(),
            role: Role::Archive,
            decoration: Decoration::None,
        }));
    } else {
        scheme = Scheme::Single;
        if let Some(archive) = &family.archive {
            parts.push(part(0, archive));
        }
    }
    let name = match (&family.exe, scheme) {
        (Some(exe), _) => exe.classified.base.clone(),
        _ => family.base.clone(),
    };
    DownloadSet { dir: dir.to_path_buf(), name, scheme, parts, pairing, slice_base, lettered, related }
}

/// A short list of the files in `dir`, for "found no set" messages.
fn describe_folder(dir: &Path) -> String {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|read| read.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    if names.is_empty() { "nothing (the folder is empty)".to_owned() } else { crate::vocab::error::list_some(&names) }
}

/// Two manifests beside a set that disagree about one name: an error
/// naming both files and what each says.
fn disagreement(
    path: &Path,
    entry: &crate::manifest::ManifestEntry,
    other_path: &Path,
    theirs: &crate::manifest::ManifestEntry,
) -> Error {
    let say = |e: &crate::manifest::ManifestEntry| match e.size {
        Some(size) => format!("{} ({size} bytes)", crate::read::hash::hex(&e.sha256)),
        None => crate::read::hash::hex(&e.sha256),
    };
    Error::Manifest {
        path: other_path.to_path_buf(),
        line: 0,
        reason: format!(
            "disagrees with {} about {}: {} says {}, {} says {}; airlock cannot tell which is right, so it believes neither: remove the wrong manifest, or name the right one{}",
            path.display(),
            entry.name,
            path.display(),
            say(entry),
            other_path.display(),
            say(theirs),
            crate::vocab::hint::Hint::ManifestFile
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(dir: &Path, names: &[&str]) {
        for name in names {
            std::fs::write(dir.join(name), b"x").unwrap();
        }
    }

    #[test]
    fn a_folder_with_one_set_is_that_set_in_numeric_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut names = vec!["N.exe".to_owned()];
        names.extend((1..=11).map(|n| format!("N-{n}.bin")));
        touch(dir.path(), &names.iter().map(String::as_str).collect::<Vec<_>>());
        touch(dir.path(), &["SHA256SUMS", "readme.txt"]);
        let set = discover(dir.path()).unwrap();
        assert_eq!(set.scheme, Scheme::ExeWithBins);
        assert_eq!(set.name, "N");
        let numbers: Vec<u32> = set.parts.iter().map(|p| p.number).collect();
        assert_eq!(numbers, (0..=11).collect::<Vec<_>>());
        // Any part names the same set.
        let via_part = discover(&dir.path().join("N-10.bin")).unwrap();
        assert_eq!(via_part.parts.len(), 12);
    }

    #[test]
    fn two_sets_in_a_folder_are_listed() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), &["A.exe", "A-1.bin", "B.7z.001", "B.7z.002"]);
        let error = discover(dir.path()).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Usage);
        let text = error.to_string();
        assert!(text.contains("A.exe") && text.contains("B.7z.001"), "{text}");
        // Naming one of them works.
        assert_eq!(discover(&dir.path().join("B.7z.002")).unwrap().scheme, Scheme::SevenZVolumes);
    }

    #[test]
    fn an_empty_folder_says_so() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), &["notes.txt"]);
        let text = discover(dir.path()).unwrap_err().to_string();
        assert!(text.contains("no download set") && text.contains("notes.txt"), "{text}");
    }

    #[test]
    fn leftovers_and_copies_are_gathered_as_related() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), &["N.exe", "N-1.bin", "N-2.bin.crdownload", "N-1 (1).bin"]);
        let set = discover(dir.path()).unwrap();
        assert_eq!(set.parts.len(), 2);
        assert_eq!(set.related.len(), 2);
    }

    #[test]
    fn lettered_slices_are_the_sets_parts_in_disk_then_letter_order() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), &["N.exe", "N-1a.bin", "N-1c.bin", "N-2a.bin", "N-1b.bin"]);
        let set = discover(dir.path()).unwrap();
        let names: Vec<&str> = set.parts.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["N.exe", "N-1a.bin", "N-1b.bin", "N-1c.bin", "N-2a.bin"]);
        assert_eq!(set.expected_name(2), "N-1b.bin");
        assert_eq!(discover(&dir.path().join("N-1c.bin")).unwrap().parts.len(), 5);
    }

    #[test]
    fn a_file_that_is_no_part_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), &["notes.txt"]);
        let error = discover(&dir.path().join("notes.txt")).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Usage);
    }
}
