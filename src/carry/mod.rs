//! Carrying a set across the gap: `fetch` brings the parts in on the
//! connected side (resuming, checked against the vendor's published size and
//! hash as they arrive), `stage` copies a verified set onto media and reads
//! it back from the device before saying it is good.
//!
//! At the top of the library with verify and extract; nothing below names it.

pub(crate) mod fetch;
pub(crate) mod stage;
