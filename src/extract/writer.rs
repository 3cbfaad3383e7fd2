//! Extraction's writer: an entry's bytes, read to their end through the
//! contract's capped reader, streamed into its file in the staging folder.
#![warn(clippy::arithmetic_side_effects)]

use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;

use crate::payload::{BLOCK, Entry, read_entry};
use crate::vocab::error::{Error, Result};
use crate::vocab::progress::{Cancel, Item, Progress};

/// Streams `reader` into `file`, a new file the caller created (extraction
/// creates it through its handle of the staging folder, never through a
/// path). `staged` names the file in messages.
pub(super) fn write_entry(
    entry: &Entry,
    item: Item,
    reader: &mut dyn Read,
    file: File,
    staged: &Path,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<()> {
    let mut out = std::io::BufWriter::with_capacity(BLOCK, file);
    // Each window's writeback starts as it is written, the one before is
    // waited for and let go (`dest::writeback`).
    let mut writeback = crate::dest::writeback::Writeback::default();
    let mut written = 0u64;
    read_entry(entry, item, reader, progress, cancel, &mut |block| {
        out.write_all(block).map_err(|e| Error::io(staged, e))?;
        written = written.saturating_add(block.len() as u64);
        writeback.written(out.get_ref(), written.saturating_sub(out.buffer().len() as u64));
        Ok(())
    })?;
    let file = out.into_inner().map_err(|e| Error::io(staged, e.into_error()))?;
    writeback.finish(&file, written);
    if let Some(modified) = entry.modified {
        let _ = filetime::set_file_handle_times(&file, None, Some(filetime::FileTime::from_system_time(modified)));
    }
    // Not flushed here, one by one: the commit puts every staged file on the
    // disk in one go before it renames any (`platform::sync_written`).
    drop(file);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payload::EntryKind;

    #[test]
    fn an_entry_is_written_whole_and_a_failing_reader_is_the_entrys_error() {
        let dir = tempfile::tempdir().unwrap();
        let entry = Entry::new("docs/x".into(), EntryKind::File, 4);
        let staged = dir.path().join("s");
        let written = |reader: &mut dyn Read| {
            write_entry(
                &entry,
                Item::Entry(0),
                reader,
                File::create(&staged).unwrap(),
                &staged,
                &crate::NoProgress,
                &Cancel::new(),
            )
        };
        written(&mut &b"1234"[..]).unwrap();
        assert_eq!(std::fs::read(&staged).unwrap(), b"1234");
        let mut failing = crate::payload::reader::FailingReader("the data is cut");
        let error = written(&mut failing).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Payload);
        assert!(error.to_string().starts_with("docs/x: "), "{error}");
    }
}
