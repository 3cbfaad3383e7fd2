//! Inno Setup installers, through the `inno` crate.
//!
//! The installer's `.exe` holds the setup loader and the compressed setup
//! headers; file data sits either in the `.exe` itself or in disk slices
//! `NAME-1.bin` … beside it. The `inno` crate (feature `extract`) parses the
//! headers of Inno Setup 5.5 to 6.4 and streams file data with its per-file
//! checksum (CRC-32, MD5, SHA-1 or SHA-256 by version) verified at the end of
//! each file; a mismatch is found by the crate's error type, never its words.
//!
//! The crate would find slices by name beside the installer. airlock has
//! already decided which files are the slices (they may differ in case, the
//! `.exe` may have been renamed, the set may sit on a read-only USB drive), so
//! it hands the crate that list (`Inno::with_slices`, a vendored patch): the
//! crate reads exactly the files the completeness check approved, and
//! nothing is linked or copied into a temporary folder.
//!
//! Every call into the crate runs inside [`contain`]: it is third-party code
//! reading hostile bytes, and it panics on at least one real installer.
//!
//! # Files
//! [`probe`] (headers only, for discovery and the check), [`open`] (slices
//! given, entries listed), [`decode`] (each data location decoded once),
//! [`external`] (files the installer reads from beside itself), [`info`] and
//! [`choice`] (the installer described, and which entries a
//! language/component/task choice takes; [`condition`] evaluates Inno Setup's
//! condition expressions), [`password`], [`newer`] (versions
//! that cannot be read), [`slice_header`].
//!
//! Of the [`Request`], the threads and the memory budget mean nothing here: a
//! data chunk is one compressed stream, decoded in order.

pub(crate) mod choice;
mod condition;
mod decode;
pub(crate) mod external;
pub(crate) mod info;
mod newer;
mod open;
pub(crate) mod password;
pub(crate) mod probe;
pub(crate) mod slice_header;

use std::path::{Path, PathBuf};

use inno::header::Compression;

use crate::payload::{Entry, EntrySink, Format, Listing, Request};
use crate::read::contain::contain;
use crate::vocab::error::{Error, Result};
use info::describe;
use open::{entries_of, open};
pub(crate) use probe::{InnoInfo, probe};

/// The decoder's name in messages.
const DECODER: &str = "Inno Setup (inno crate)";

/// An Inno Setup installer and its slices (every part after the `.exe`).
pub(crate) struct Installer<'a> {
    pub exe: &'a Path,
    pub info: &'a InnoInfo,
    pub slices: &'a [PathBuf],
    /// The set's name, for the messages of [`Format::ready`].
    pub label: &'a str,
}

impl Format for Installer<'_> {
    /// The files the installer would install, in its entry order. A
    /// `password` given for an encrypted installer is checked here (listing
    /// itself needs none: only file data is encrypted).
    fn list(&self, password: Option<&str>) -> Result<Vec<Entry>> {
        let mut opened = open(self.exe, self.slices)?;
        let label = file_label(self.exe);
        contain(&label, DECODER, || {
            password::unlock(&mut opened.inno, &opened.info, password, &label, false)?;
            let mut entries = entries_of(&opened.inno).0;
            entries.extend(external_entries(&opened.inno, self.folder()).into_iter().map(|(entry, _)| entry));
            Ok(entries)
        })
    }

    /// The files, as [`list`](Format::list), and the installer as a whole.
    fn describe(&self, password: Option<&str>) -> Result<Listing> {
        let mut opened = open(self.exe, self.slices)?;
        let label = file_label(self.exe);
        contain(&label, DECODER, || {
            password::unlock(&mut opened.inno, &opened.info, password, &label, false)?;
            let installer = describe(&opened.inno, &opened.info);
            let mut entries = entries_of(&opened.inno).0;
            entries.extend(external_entries(&opened.inno, self.folder()).into_iter().map(|(entry, _)| entry));
            Ok(Listing { entries, installer: Some(installer) })
        })
    }

    fn ready(&self, password: Option<&str>) -> Result<()> {
        password::require(self.info, password, self.label)
    }

    fn extract(&self, request: &Request<'_>, sink: &dyn EntrySink) -> Result<()> {
        decode::extract(self.exe, self.slices, request, sink)
    }
}

impl Installer<'_> {
    /// The installer's folder (`{src}`), where its external files are.
    fn folder(&self) -> &Path {
        self.exe.parent().unwrap_or(Path::new("."))
    }
}

/// Refuses installers whose data this build cannot decode, before any work.
fn ensure_decodable(info: &InnoInfo, label: &str) -> Result<()> {
    match info.compression {
        Compression::Stored | Compression::Zlib | Compression::BZip2 | Compression::LZMA1 | Compression::LZMA2 => {
            Ok(())
        }
        other => Err(Error::payload(
            label,
            format!(
                "Inno Setup {} data: the installer uses {other} compression, which airlock cannot decode (it reads stored, zlib, BZip2, LZMA and LZMA2); run the installer on Windows",
                info.version
            ),
        )),
    }
}

fn file_label(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

/// The entries the installer's external files install, after those with
/// data in the installer: one a file of the set, at the destination the
/// installer gives it, of the file's size, with the entry's conditions.
/// Only files that are here (the check has required the rest).
pub(crate) fn external_entries<R: std::io::Read + std::io::Seek>(
    inno: &inno::Inno<R>,
    dir: &Path,
) -> Vec<(crate::payload::Entry, PathBuf)> {
    let mut entries = Vec::new();
    for source in external::externals_of(inno) {
        let Some(file) = inno.file_entries().get(source.index) else { continue };
        for member in external::resolve(dir, &source) {
            let name = member.destination.replace('\\', "/");
            let mut entry = crate::payload::Entry::new(name, crate::payload::EntryKind::File, member.size);
            let mut conditions = info::file_conditions(file, inno.header().windows_versions());
            conditions.external =
                Some(info::ExternalOrigin { source: source.source.clone(), file: member.relative.clone() });
            entry.inno = Some(conditions);
            entries.push((entry, member.path));
        }
    }
    entries
}
