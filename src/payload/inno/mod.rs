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
//! given, entries listed), [`landing`] (where an entry's `{app}`/`{tmp}`
//! destination lands), [`decode`] (each data location decoded once),
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
mod landing;
mod newer;
mod open;
pub(crate) mod password;
pub(crate) mod probe;
pub(crate) mod slice_header;

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use inno::header::Compression;

use crate::payload::{EntrySink, Format, Payload, PayloadFormat, Request};
use crate::read::contain::contain;
use crate::vocab::error::{Error, Result};
use info::describe;
use open::{entries_of, open};
pub(crate) use probe::{InnoInfo, Parsed, probe, probe_parsed};

/// The decoder's name in messages.
const DECODER: &str = "Inno Setup (inno crate)";

/// An Inno Setup installer opened on its `.exe` and slices (every part
/// after the `.exe`): its headers parsed and a given password checked (the
/// key derived) once, in [`Installer::open`].
pub(crate) struct Installer<'a> {
    exe: &'a Path,
    slices: &'a [PathBuf],
    /// What the completeness check's probe read of the headers.
    info: &'a InnoInfo,
    /// The crate's handle; decoding streams through it (`&mut`).
    inno: Mutex<inno::Inno<BufReader<File>>>,
    /// The crate's file-entry index of each entry with data in the
    /// installer, in our order; the external entries follow them.
    indices: Vec<usize>,
    /// The file of the set each external entry copies, in our order after
    /// the installer's own entries.
    externals: Vec<PathBuf>,
    password: Option<&'a str>,
    /// The set's name, for the messages of [`Format::ready`].
    label: &'a str,
}

impl<'a> Installer<'a> {
    /// Opens the installer: the files it would install, in its entry order
    /// (those with data inside it, then its external files), and the
    /// installer as a whole. A `password` given for an encrypted installer
    /// is checked here (listing itself needs none: only file data is
    /// encrypted), and the key it derives serves the whole run.
    pub(crate) fn open(
        exe: &'a Path,
        info: &'a InnoInfo,
        parsed: &Parsed,
        slices: &'a [PathBuf],
        password: Option<&'a str>,
        label: &'a str,
    ) -> Result<Payload<'a>> {
        let mut opened = open(exe, slices, parsed.take())?;
        let file = file_label(exe);
        let folder = exe.parent().unwrap_or(Path::new("."));
        let (entries, indices, externals, installer) = contain(&file, DECODER, || {
            password::unlock(&mut opened.inno, &opened.info, password, &file)?;
            let installer = describe(&opened.inno, &opened.info);
            let (mut entries, indices) = entries_of(&opened.inno);
            let (external, paths): (Vec<_>, Vec<_>) = external_entries(&opened.inno, folder).into_iter().unzip();
            entries.extend(external);
            Ok((entries, indices, paths, installer))
        })?;
        let format =
            Installer { exe, slices, info, inno: Mutex::new(opened.inno), indices, externals, password, label };
        Ok(Payload::new(PayloadFormat::Inno, format, entries, Some(installer), label))
    }
}

impl Format for Installer<'_> {
    fn ready(&self) -> Result<()> {
        password::require(self.info, self.password, self.label)
    }

    fn extract(&self, request: &Request<'_>, sink: &dyn EntrySink) -> Result<()> {
        decode::extract(self, request, sink)
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
            let mut entry = landing::file_entry(name, member.size);
            let mut conditions = info::file_conditions(file, inno.header().windows_versions());
            conditions.external =
                Some(info::ExternalOrigin { source: source.source.clone(), file: member.relative.clone() });
            entry.inno = Some(conditions);
            entries.push((entry, member.path));
        }
    }
    entries
}
