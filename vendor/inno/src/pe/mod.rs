mod coff;
pub mod dos;
pub mod optional_header;
pub mod resource;
mod section_table;
mod signature;

pub use coff::CoffHeader;
pub use dos::DosHeader;
pub use optional_header::OptionalHeader;
pub use section_table::SectionTable;
pub use signature::Signature;
