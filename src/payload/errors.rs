//! Why an entry's bytes could not be produced, carried by the type.
//!
//! An entry reader can only fail with an `io::Error`, so every format wraps
//! its classified failure in an [`EntryFault`] inside that `io::Error`. Sinks
//! read the class back with [`fault_of`] and turn the error into the library
//! error with [`entry_error`]; nothing here or in a sink looks at a message's
//! words. An error a decoder returned without passing through a format's
//! classification (none should) counts as [`Fault::Corrupt`], or as a read
//! fault when the device said so.

use std::fmt;
use std::io;

use crate::payload::Entry;
use crate::vocab::error::{Error, ErrorKind};

/// What kind of failure stopped an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fault {
    /// The bytes do not match the checksum (CRC, MD5, SHA-…) the payload
    /// records: damaged or altered data (exit 1).
    Integrity,
    /// The data cannot be decoded: truncated or malformed.
    Corrupt,
    /// The decoder yielded more or fewer bytes than the entry declares (the
    /// contract's cap, in `capped`).
    Size,
    /// A method or feature this build cannot decode.
    Unsupported,
    /// The data is encrypted and the password is missing or wrong.
    Password,
    /// The device refused a read of a part (exit 6, naming part and offset).
    Unreadable,
    /// The caller cancelled.
    Cancelled,
}

impl Fault {
    /// The class of a library error a format made, from its kind.
    pub(crate) fn of(error: &Error) -> Fault {
        match error.kind() {
            ErrorKind::Integrity => Fault::Integrity,
            ErrorKind::Io => Fault::Unreadable,
            ErrorKind::Interrupted => Fault::Cancelled,
            _ => Fault::Corrupt,
        }
    }
}

/// The inner error of the `io::Error` an entry reader fails with.
///
/// It shows as what the format said (for an integrity failure, only what did
/// not match: the sink names the entry), and its `source()` is that of the
/// format's error, as the `io::Error` wrapping it would give.
#[derive(Debug)]
pub(crate) struct EntryFault {
    /// What went wrong, by kind.
    pub fault: Fault,
    /// What went wrong, in words.
    pub message: String,
    /// The format's error, on the first failing read (later reads repeat
    /// only the message).
    pub error: Option<Error>,
}

impl EntryFault {
    /// Wraps a format's error, shown in full.
    pub(crate) fn new(fault: Fault, error: Error) -> EntryFault {
        let message = match &error {
            Error::Integrity { reason, .. } => reason.clone(),
            other => other.to_string(),
        };
        EntryFault { fault, message, error: Some(error) }
    }

    /// The `io::Error` a reader returns for it.
    pub(crate) fn into_io(self) -> io::Error {
        let kind = if self.fault == Fault::Cancelled { io::ErrorKind::Other } else { io::ErrorKind::InvalidData };
        io::Error::new(kind, self)
    }
}

impl fmt::Display for EntryFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EntryFault {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error.as_ref().and_then(std::error::Error::source)
    }
}

/// An integrity failure's marker, for readers that have only the words of
/// what did not match (Inno Setup's checksum error, found by its type).
pub(crate) struct ChecksumMismatch;

impl ChecksumMismatch {
    /// The `io::Error` for a checksum mismatch described by `message`.
    pub(crate) fn io(message: String) -> io::Error {
        EntryFault { fault: Fault::Integrity, message, error: None }.into_io()
    }
}

/// The class of a reader's error.
pub(crate) fn fault_of(error: &io::Error) -> Fault {
    if let Some(fault) = error.get_ref().and_then(|inner| inner.downcast_ref::<EntryFault>()) {
        return fault.fault;
    }
    if let Some(ours) = error.get_ref().and_then(|inner| inner.downcast_ref::<Error>()) {
        return Fault::of(ours);
    }
    if crate::read::read_fault::find(error).is_some() || crate::read::read_fault::is_device_error(error) {
        return Fault::Unreadable;
    }
    Fault::Corrupt
}

/// The library error for a reader's failure on `entry`: a read fault as the
/// I/O error about the part, a checksum mismatch as an integrity failure, a
/// size other than the declared one as a payload error saying so, anything
/// else as a payload that cannot be decoded.
pub(crate) fn entry_error(entry: &Entry, error: io::Error) -> Error {
    let fault = fault_of(&error);
    // A format handed back our own I/O error (a part it could not read): as it is.
    let error = match fault {
        Fault::Unreadable => match ours(error, &entry.name) {
            Ok(ours) => return ours,
            Err(error) => error,
        },
        _ => error,
    };
    if fault == Fault::Unreadable {
        // The device refused a read of a part: an I/O error about that part.
        if let Some(fault) = crate::read::read_fault::find(&error) {
            return crate::read::read_fault::to_error(fault);
        }
        // One that could not be located (it did not happen again): still I/O, not a corrupt payload.
        if crate::read::read_fault::is_device_error(&error) {
            return Error::io(
                &entry.name,
                io::Error::new(error.kind(), format!("reading its data from the set failed: {error}")),
            );
        }
    }
    if let Some(fault) = crate::read::read_fault::find(&error) {
        // A decoder's complaint that wraps a device error: the device's.
        return crate::read::read_fault::to_error(fault);
    }
    if fault == Fault::Size {
        // The cap's words say what did not match; the entry is named here.
        return Error::payload(&entry.name, error.to_string());
    }
    if fault == Fault::Integrity {
        return Error::Integrity {
            what: entry.name.clone(),
            reason: format!("{error}; the entry is damaged and no file of it is kept"),
        };
    }
    Error::payload_from(&entry.name, "cannot be decoded", error)
}

/// The library I/O error `error` carries, if a format put one there.
fn ours(error: io::Error, name: &str) -> Result<Error, io::Error> {
    let carried = |inner: &(dyn std::error::Error + Send + Sync + 'static)| {
        let ours = inner.downcast_ref::<EntryFault>().and_then(|f| f.error.as_ref());
        ours.or_else(|| inner.downcast_ref::<Error>()).is_some_and(|e| e.kind() == ErrorKind::Io)
    };
    if !error.get_ref().is_some_and(carried) {
        return Err(error);
    }
    let inner = error.into_inner();
    let taken = inner.map(|inner| match inner.downcast::<EntryFault>() {
        Ok(fault) => fault.error,
        Err(inner) => inner.downcast::<Error>().ok().map(|e| *e),
    });
    Ok(taken.flatten().unwrap_or_else(|| Error::io(name, io::Error::other("reading its data from the set failed"))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payload::EntryKind;

    fn entry() -> Entry {
        Entry::new("a/b.txt".to_owned(), EntryKind::File, 3)
    }

    #[test]
    fn each_fault_becomes_its_own_kind_of_error() {
        let mismatch = ChecksumMismatch::io("CRC-32 mismatch".to_owned());
        assert_eq!(fault_of(&mismatch), Fault::Integrity);
        let error = entry_error(&entry(), mismatch);
        assert_eq!(error.kind(), ErrorKind::Integrity);
        assert!(error.to_string().starts_with("a/b.txt: CRC-32 mismatch; "), "{error}");

        let io = Error::io("set.7z.002", io::Error::other("read error at byte offset 7"));
        let read = EntryFault::new(Fault::Unreadable, io).into_io();
        assert_eq!(fault_of(&read), Fault::Unreadable);
        let error = entry_error(&entry(), read);
        assert!(matches!(&error, Error::Io { path, .. } if path.ends_with("set.7z.002")), "{error}");

        for fault in [Fault::Corrupt, Fault::Unsupported, Fault::Password] {
            let io = EntryFault::new(fault, Error::payload("x.zip: a/b.txt", "why")).into_io();
            assert_eq!(fault_of(&io), fault);
            let error = entry_error(&entry(), io);
            assert_eq!(error.kind(), ErrorKind::Payload, "{fault:?}");
            assert!(error.full_message().contains("why"), "{error}");
        }
    }

    #[test]
    fn the_class_is_read_from_the_type_never_the_words() {
        let worded = io::Error::new(io::ErrorKind::InvalidData, "checksum mismatch");
        assert_eq!(fault_of(&worded), Fault::Corrupt);
        assert_eq!(entry_error(&entry(), worded).kind(), ErrorKind::Payload);
    }
}
