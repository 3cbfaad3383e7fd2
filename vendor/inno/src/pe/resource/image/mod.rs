mod data_entry;
mod directory_entry;
mod directory_header;

pub use data_entry::ImageResourceDataEntry;
pub use directory_entry::ImageResourceDirectoryEntry;
pub use directory_header::ImageResourceDirectory;
