mod header;
mod signature;

pub use header::DosHeader;
