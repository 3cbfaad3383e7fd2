//! One file a command: each calls the library, prints text or JSON (through
//! `output`), and returns the exit code.

mod check;
mod extract;
pub mod fetch;
pub mod generate;
pub mod keygen;
mod list;
pub mod manifest;
mod stage;
mod verify;

pub use check::check;
pub use extract::extract;
pub use keygen::keygen;
pub use list::list;
pub use manifest::manifest;
pub use stage::stage;
pub use verify::verify;
