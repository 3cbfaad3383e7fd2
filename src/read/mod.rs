//! Reading the parts: positioned reads across a set's parts as one stream
//! (`set_reader`), SHA-256 of whole parts in parallel (`hash`), a read error
//! of mapped or cold media turned into a typed error (`read_fault`), the one
//! PE reader (`pe`: where a Windows program's parts are, its certificate
//! table, the bytes its Authenticode digest covers), the installer's own size
//! (`exe_size`: from the setup loader's table, or where the PE headers say
//! the program ends), and the boundary every third-party decoder of hostile
//! bytes runs behind (`contain`).
//!
//! Below the payload formats, the set and every stage; above only the
//! vocabulary and the platform seam.

pub(crate) mod contain;
pub(crate) mod exe_size;
pub(crate) mod hash;
pub(crate) mod pe;
pub(crate) mod read_fault;
pub(crate) mod set_reader;
