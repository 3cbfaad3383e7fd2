//! The shared vocabulary below every layer: the error type and its exit
//! codes, the hints messages point at, progress and cancellation, sizes,
//! times, states, how parts are named, and the report types that the error
//! and several stages carry. Names nothing outside this folder (and serde),
//! so that `error` can carry a check report without the error type depending
//! on the check, the payload code or the Inno Setup reader.
//!
//! - `check_report`: what the completeness check found (`CheckReport`,
//!   `PartStatus`, `Problem`); filled by `set::check`, carried by
//!   `Error::Incomplete`.
//! - `payload_format`: the payload formats by name (`PayloadFormat`).
//! - `external`: an Inno Setup installer's external files as its headers
//!   record them (`ExternalSource`, `ExternalNeed`); read by
//!   `payload::inno::external`, reported by the check and fetch.
//! - `signature`: what an installer's Authenticode signature amounts to
//!   (`AuthenticodeReport`); filled by `authenticode`, carried by
//!   `Error::SignerRefused` and the reports of check, verify and list.
//! - `naming`: what one file name says (set family, role, browser
//!   decorations); pure string logic.

pub(crate) mod check_report;
pub(crate) mod error;
pub(crate) mod exit_codes;
pub(crate) mod external;
pub(crate) mod hint;
pub(crate) mod naming;
pub(crate) mod payload_format;
pub(crate) mod progress;
pub(crate) mod signature;
pub(crate) mod size;
pub(crate) mod states;
pub(crate) mod time;
