//! The download set: how parts are found from any one of them (`discover`),
//! proven complete and intact from the payload's own headers (`check`), the
//! head installer's Authenticode signature (`authenticode`), and the
//! payload's entries as the set's installer would lay them out (`list`).
//!
//! Above the payload formats, manifests and Authenticode; below the stages
//! (verify, extract, carry) that start from a checked set.

pub(crate) mod authenticode;
pub(crate) mod check;
pub(crate) mod discover;
pub(crate) mod list;
pub(crate) mod manifest_choice;
