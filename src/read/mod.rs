//! Reading the parts: positioned reads across a set's parts as one stream
//! (`set_reader`), SHA-256 of whole parts in parallel (`hash`), a read error
//! of mapped or cold media turned into a typed error (`read_fault`), the size
//! an executable's PE headers declare (`exe_size`: where an appended payload
//! begins), and the boundary every third-party decoder of hostile bytes runs
//! behind (`contain`).
//!
//! Below the payload formats, the set and every stage; above only the
//! vocabulary and the platform seam.

pub(crate) mod contain;
pub(crate) mod exe_size;
pub(crate) mod hash;
pub(crate) mod read_fault;
pub(crate) mod set_reader;
