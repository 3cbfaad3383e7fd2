mod extract_entry;
mod files;
mod files_reader;
mod filtered_files;
mod streaming;

pub use extract_entry::ExtractEntry;
pub use files::FilesIterator;
pub use filtered_files::FilteredFilesIterator;
pub use streaming::{FileReader, StreamingFiles};
