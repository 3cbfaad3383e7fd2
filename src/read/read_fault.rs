//! A read of a part that the device refused (EIO from a failing disk or USB
//! stick), with where it happened: the part and the byte offset in it.
//!
//! The readers that know the part and the offset (hashing, [`SetReader`])
//! wrap the operating system's error in a [`PartReadError`] inside an
//! `io::Error` of the same kind, so it survives being passed through a
//! decoder; [`find`] digs it out again, and [`to_error`] turns it into the
//! one-line [`Error::Io`] (exit 6) that names both. The `inno` crate opens
//! slices itself, so for Inno data [`locate`] re-reads the parts once, after
//! the failure, to find the first offset the device refuses.
//!
//! This module only describes and finds faults; it never retries a read.
//!
//! [`SetReader`]: crate::SetReader
#![warn(clippy::arithmetic_side_effects)]

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::vocab::error::Error;

/// A read of `path` failed at byte `offset` (the start of the failed read).
#[derive(Debug)]
pub(crate) struct PartReadError {
    pub path: PathBuf,
    pub offset: u64,
    pub source: io::Error,
}

impl fmt::Display for PartReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "read error at byte offset {}: {}", self.offset, self.source)
    }
}

impl std::error::Error for PartReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Whether `error` is the device refusing a read (rather than the end of
/// the data, an interruption, or a decoder's complaint about the bytes).
pub(crate) fn is_device_error(error: &io::Error) -> bool {
    error.raw_os_error().is_some() && error.kind() != io::ErrorKind::Interrupted
}

/// `error` from reading `path` at `offset`, as an `io::Error` of the same kind
/// that carries where it happened. Errors that are not the device's pass as they are.
pub(crate) fn at(path: &Path, offset: u64, error: io::Error) -> io::Error {
    if !is_device_error(&error) {
        return error;
    }
    io::Error::new(error.kind(), PartReadError { path: path.to_path_buf(), offset, source: error })
}

/// The [`PartReadError`] somewhere inside `error`, through `io::Error`
/// wrappers and `source()` chains that decoders add.
pub(crate) fn find<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a PartReadError> {
    let mut current: Option<&'a (dyn std::error::Error + 'static)> = Some(error);
    // Bounded: a chain of wrappers is short; a cycle must not hang us.
    for _ in 0..16 {
        let here = current?;
        if let Some(found) = here.downcast_ref::<PartReadError>() {
            return Some(found);
        }
        if let Some(inner) = here.downcast_ref::<io::Error>().and_then(|io| io.get_ref()) {
            if let Some(found) = inner.downcast_ref::<PartReadError>() {
                return Some(found);
            }
            current = Some(inner);
            continue;
        }
        current = here.source();
    }
    None
}

/// The library error for a fault: [`Error::Io`] about the part, with the offset.
pub(crate) fn to_error(fault: &PartReadError) -> Error {
    Error::io(&fault.path, io::Error::new(fault.source.kind(), fault.to_string()))
}

/// [`Error::Io`] for `error`: about the part it names if it carries a
/// [`PartReadError`], else about `path`.
pub(crate) fn io_error(path: &Path, error: io::Error) -> Error {
    match find(&error) {
        Some(fault) => to_error(fault),
        None => Error::io(path, error),
    }
}

/// Re-reads `paths` in order and returns the first read the device refuses.
/// Used only after a decoder reported a device error without saying where.
pub(crate) fn locate(paths: &[PathBuf]) -> Option<PartReadError> {
    const BLOCK: usize = 1 << 20;
    let mut buffer = vec![0u8; BLOCK];
    for path in paths {
        let Ok(file) = std::fs::File::open(path) else { continue };
        let mut offset = 0u64;
        loop {
            match crate::platform::read_at(&file, &mut buffer, offset) {
                Ok(0) => break,
                Ok(n) => offset = offset.saturating_add(n as u64),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(source) => return Some(PartReadError { path: path.clone(), offset, source }),
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_is_found_through_wrappers_and_names_part_and_offset() {
        let eio = crate::platform::device_error();
        let wrapped = at(Path::new("X-2.bin"), 4096, eio);
        assert_eq!(wrapped.kind(), crate::platform::device_error().kind());
        // A decoder wraps it once more.
        let outer = io::Error::new(io::ErrorKind::InvalidData, wrapped);
        let fault = find(&outer).expect("found");
        assert_eq!((fault.path.as_path(), fault.offset), (Path::new("X-2.bin"), 4096));
        let error = to_error(fault);
        assert_eq!(error.kind(), crate::ErrorKind::Io);
        let text = error.to_string();
        assert!(text.starts_with("X-2.bin: read error at byte offset 4096: "), "{text}");
        // The end of the data or a decoder's own complaint is not a fault.
        let eof = at(Path::new("X"), 1, io::ErrorKind::UnexpectedEof.into());
        assert!(find(&eof).is_none());
    }
}
