//! The shared vocabulary below every stage: the types that `error`
//! and the reports of several stages name. A leaf: it depends on nothing but
//! `naming` and `states` (themselves leaves) and serde, so that `error` can
//! carry a check report without the error type depending on the check, the
//! payload code or the Inno Setup reader.
//!
//! - `check_report`: what the completeness check found (`CheckReport`,
//!   `PartStatus`, `Problem`); filled by `check`, carried by
//!   `Error::Incomplete`.
//! - `payload_format`: the payload formats by name (`PayloadFormat`).
//! - `external`: an Inno Setup installer's external files as its headers
//!   record them (`ExternalSource`, `ExternalNeed`); read by
//!   `payload::inno::external`, reported by the check and fetch.

pub(crate) mod check_report;
pub(crate) mod external;
pub(crate) mod payload_format;
