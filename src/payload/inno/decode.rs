//! Decoding the selected files of an installer, in installer order, each
//! data location once.
#![warn(clippy::arithmetic_side_effects)]

use std::io::{self, Read};
use std::path::{Path, PathBuf};

use inno::entry::checksum::ChecksumMismatchError;
use inno::error::InnoError;

use super::{DECODER, Installer, ensure_decodable, file_label};
use crate::payload::errors::{ChecksumMismatch, EntryFault, Fault};
use crate::payload::pipe::EndCheck;
use crate::payload::{EntrySink, Request};
use crate::read::contain::contain;
use crate::vocab::error::{Error, Result};

/// Streams every selected file entry into `sink`, in installer order.
///
/// An Inno Setup data chunk is one compressed stream (one per installer when
/// solid), so decoding is sequential; the crate holds nothing larger than its
/// block buffer, so memory stays flat whatever the file sizes.
///
/// The sink is called from inside the crate's loop, which runs in
/// [`contain`]; a panic of the sink is carried out and resumed there, so that
/// a bug in the sink is not reported as a corrupt installer.
pub(super) fn extract(installer: &Installer<'_>, request: &Request<'_>, sink: &dyn EntrySink) -> Result<()> {
    let cancel = request.cancel;
    let (exe, slices) = (installer.exe, installer.slices);
    let label = file_label(exe);
    let mut inno = installer.inno.lock().unwrap_or_else(|e| e.into_inner());
    ensure_decodable(installer.info, &label)?;
    let indices = &installer.indices;
    let (embedded, beside) = request.selected.split_at(indices.len().min(request.selected.len()));
    let plan = DecodePlan::new(indices, embedded, |theirs| inno.file_entries().get(theirs).map(|f| f.location()));
    // The files the installer reads from beside itself come after its own,
    // as the listing gives them; their bytes are the files of the set.
    let external: Vec<(usize, &Path)> = installer
        .externals
        .iter()
        .zip(beside)
        .enumerate()
        .filter(|(_, (_, selected))| **selected)
        .map(|(offset, (path, _))| (indices.len().saturating_add(offset), path.as_path()))
        .collect();
    if plan.wanted.is_empty() && external.is_empty() {
        return Ok(());
    }
    // The crate reads the parts itself: a device error from it is located
    // by re-reading them (once, after the failure) to name part and offset.
    let parts: Vec<PathBuf> = std::iter::once(exe.to_path_buf()).chain(slices.iter().cloned()).collect();
    // Decoding is one stream on this thread; the file checksums, the
    // sink's writes and its progress run on the pipe's other thread.
    crate::payload::pipe::piped(&label, sink, |pipe| {
        contain(&label, DECODER, || {
            let mut files = inno.streaming_files(|e| plan.wanted.contains_key(&e.index()));
            files.defer_checksums();
            while let Some(next) = files.next() {
                cancel.check()?;
                let (extract_entry, mut reader) = next.map_err(|e| {
                    let fault = match &e {
                        inno::error::InnoError::Io(io) => located(&parts, io),
                        _ => None,
                    };
                    match fault {
                        Some(fault) => crate::read::read_fault::to_error(&fault),
                        None => data_error(&label, &e, slices),
                    }
                })?;
                let ours = plan.wanted[&extract_entry.index()];
                let check = FileChecksum(extract_entry.file_location().file().checksum().hasher());
                let mut checked = CheckedRead { inner: &mut reader, parts: &parts };
                pipe.file_checked(ours, &mut checked, Some(Box::new(check)))?;
                for &copy in plan.copies.get(&ours).map_or(&[][..], Vec::as_slice) {
                    cancel.check()?;
                    pipe.duplicate(copy, ours)?;
                }
            }
            // The external files: copied from the set as they are (the check
            // has required them, of the recorded size; a manifest's hashes
            // are checked alongside, as for the parts).
            for &(ours, path) in &external {
                cancel.check()?;
                let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
                pipe.file_checked(ours, &mut file, None)?;
            }
            Ok(())
        })
    })
}

/// A file's checksum as the installer records it, computed where its bytes
/// are consumed (the crate hands them out unchecked: `defer_checksums`).
struct FileChecksum(inno::entry::checksum::ChecksumHasher);

impl EndCheck for FileChecksum {
    fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        self.0.finish().map_err(|mismatch| ChecksumMismatch::io(mismatch.to_string()))
    }
}

/// Which file entries to ask the crate for: the first selected entry of each
/// data location. The others that install the same location (one source
/// file listed twice in `[Files]`) are produced from the first one's bytes,
/// so each location is decoded once: asking the crate for both would make it
/// restart a solid chunk from its beginning for the second.
struct DecodePlan {
    /// The crate's file-entry index → ours, for the entries to decode.
    wanted: std::collections::HashMap<usize, usize>,
    /// Ours (decoded) → ours (the other entries with the same data).
    copies: std::collections::HashMap<usize, Vec<usize>>,
}

impl DecodePlan {
    fn new(indices: &[usize], selected: &[bool], location_of: impl Fn(usize) -> Option<u32>) -> Self {
        let mut wanted = std::collections::HashMap::new();
        let mut copies: std::collections::HashMap<usize, Vec<usize>> = std::collections::HashMap::new();
        let mut first_of_location: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
        for (ours, &theirs) in indices.iter().enumerate() {
            if !selected.get(ours).copied().unwrap_or(false) {
                continue;
            }
            match location_of(theirs).map(|location| (location, first_of_location.get(&location).copied())) {
                Some((_, Some(first))) => copies.entry(first).or_default().push(ours),
                Some((location, None)) => {
                    first_of_location.insert(location, ours);
                    wanted.insert(theirs, ours);
                }
                None => {
                    wanted.insert(theirs, ours);
                }
            }
        }
        DecodePlan { wanted, copies }
    }
}

/// A data error that names the slices by their file names, as the user
/// knows them (the crate's message holds the whole path it opened).
fn data_error(label: &str, error: &inno::error::InnoError, slices: &[PathBuf]) -> Error {
    let mut text = error.to_string();
    for slice in slices.iter().rev() {
        if let Some(name) = slice.file_name() {
            text = text.replace(&slice.display().to_string(), &name.to_string_lossy());
        }
    }
    Error::payload(label, format!("the installer's data cannot be read: {text}"))
}

/// Marks the crate's checksum mismatches and the device's read errors in
/// their type, so the sink reports them as integrity failures and read
/// faults rather than decoding failures.
struct CheckedRead<'a, R> {
    inner: &'a mut R,
    /// The installer and its slices, to locate a device error in.
    parts: &'a [PathBuf],
}

/// Where a device error the crate returned happened, if it was one.
fn located(parts: &[PathBuf], error: &io::Error) -> Option<crate::read::read_fault::PartReadError> {
    crate::read::read_fault::is_device_error(error).then(|| crate::read::read_fault::locate(parts)).flatten()
}

impl<R: Read> Read for CheckedRead<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).map_err(|e| {
            if let Some(fault) = located(self.parts, &e) {
                let error = crate::read::read_fault::to_error(&fault);
                return EntryFault { fault: Fault::Unreadable, message: error.to_string(), error: Some(error) }
                    .into_io();
            }
            if is_checksum_mismatch(&e) { ChecksumMismatch::io(e.to_string()) } else { e }
        })
    }
}

/// Whether the crate's error is a checksum mismatch: its
/// `ChecksumMismatchError` (a file's checksum) or `InnoError::ChecksumMismatch`
/// (a block's), found by type through `io::Error` and `source()` wrappers.
fn is_checksum_mismatch(error: &io::Error) -> bool {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    // Bounded: a chain of wrappers is short; a cycle must not hang us.
    for _ in 0..16 {
        let Some(here) = current else { return false };
        if here.is::<ChecksumMismatchError>() || matches!(here.downcast_ref(), Some(InnoError::ChecksumMismatch { .. }))
        {
            return true;
        }
        current = match (here.downcast_ref::<io::Error>(), here.downcast_ref::<InnoError>()) {
            (Some(io), _) => io.get_ref().map(|inner| inner as &(dyn std::error::Error + 'static)),
            (_, Some(InnoError::Io(io))) => Some(io),
            _ => here.source(),
        };
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checksum_mismatch_is_known_by_its_type_not_its_words() {
        let mismatch = ChecksumMismatchError::Crc32 { expected: 1, actual: 2 };
        let file = io::Error::new(io::ErrorKind::InvalidData, mismatch);
        assert!(is_checksum_mismatch(&file));
        let wrapped = io::Error::other(InnoError::Io(file));
        assert!(is_checksum_mismatch(&wrapped));
        let worded = io::Error::new(io::ErrorKind::InvalidData, "bad checksum in the words only");
        assert!(!is_checksum_mismatch(&worded));
    }

    #[test]
    fn each_data_location_is_decoded_once_for_every_entry_that_installs_it() {
        // Our entries 0..4 are the crate's 10..14; 11 and 13 share location 7
        // with 10; 12 is not selected.
        let locations = [7, 7, 8, 7, 9];
        let plan = DecodePlan::new(&[10, 11, 12, 13, 14], &[true, true, false, true, true], |theirs| {
            locations.get(theirs - 10).copied()
        });
        let mut wanted: Vec<_> = plan.wanted.iter().map(|(t, o)| (*t, *o)).collect();
        wanted.sort();
        assert_eq!(wanted, [(10, 0), (14, 4)]);
        assert_eq!(plan.copies.get(&0), Some(&vec![1, 3]));
        // Without the first one selected, the next one of its location is decoded.
        let plan = DecodePlan::new(&[10, 11, 13], &[false, true, true], |_| Some(7));
        assert_eq!(plan.wanted.get(&11), Some(&1));
        assert_eq!(plan.copies.get(&1), Some(&vec![2]));
    }
}
