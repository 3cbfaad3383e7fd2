mod characteristics;
mod header;

pub use characteristics::CoffCharacteristics;
pub use header::CoffHeader;
