//! airlock: make multi-part offline installer downloads safe to carry and
//! fast to unpack.
//!
//! Vendors ship server products as a download *set*: an Inno Setup installer
//! `NAME.exe` with disk slices `NAME-1.bin` … `NAME-N.bin`, 7-Zip volumes, or
//! an archive after a self-extractor stub. airlock finds the whole set from any
//! of its parts, proves it complete from the payload's own headers, verifies it
//! against a manifest with SHA-256 computed in parallel, and extracts the
//! payload safely (no writes outside the destination, no half-written files,
//! a free-space check before the first byte).
//!
//! The library never prints and never exits: long-running calls report through
//! a [`Progress`] observer and return typed [`Error`]s whose [`Error::kind`]
//! says what kind of failure it was.
//! Messages say what is wrong and what would fix it; where they point at a
//! setting (overwrite, the password, a trusted root), the front end names it
//! its own way with [`name_hints`] (the `airlock` binary: its flags).
//!
//! ```
//! use airlock::{discover, check, verify, VerifyOptions, NoProgress};
//!
//! # fn main() -> Result<(), airlock::Error> {
//! // The bundled real Inno Setup 6.4 set: MicrosoftAzureBackupInstaller.exe, -1.bin … -3.bin, SHA256SUMS.
//! let set = discover("testdata/inno/inno-6.4.1-lzma2-solid-spanned/MicrosoftAzureBackupInstaller.exe".as_ref())?;
//! let report = check(&set, None)?;
//! for problem in &report.problems {
//!     eprintln!("{}", problem.message);
//! }
//! let verified = verify(&set, &VerifyOptions::default(), &NoProgress)?;
//! for part in &verified.parts {
//!     println!("{}  {}", part.sha256.as_deref().unwrap_or("-"), part.name);
//! }
//! assert!(report.is_ok() && verified.is_ok());
//! # Ok(())
//! # }
//! ```
//!
//! Each entry point has its own example: [`discover`], [`check`], [`verify`],
//! [`extract`], [`list`] and [`list_chosen`], [`stage`], [`make_manifest`],
//! [`fetch`] and [`plan_fetch`], [`keygen`] (with [`sign_manifest`] and
//! [`verify_manifest_signature`]), [`verify_authenticode`], and the
//! [`Progress`] trait; they run on the fixtures in `testdata/` (`cargo test
//! --doc`), except fetch's, which need a server.
#![deny(missing_docs)]

mod authenticode;
mod check;
mod collisions;
mod contain;
mod dest;
mod dir_lock;
mod discover;
mod entry_path;
mod error;
mod exe_size;
mod exit_codes;
mod extract;
mod fetch;
mod hash;
mod hint;
mod list;
mod manifest;
mod naming;
mod payload;
mod platform;
mod progress;
mod read_fault;
mod set_reader;
mod sign;
mod size;
mod space;
mod stage;
mod states;
mod time;
mod trust;
mod verify;
mod vocab;
mod write_file;

pub use crate::time::rfc3339;
pub use authenticode::{
    AuthenticodeReport, AuthenticodeStatus, DigestAlgorithm, SignatureInfo, Timestamp, TimestampKind, Trust,
    requirement_problem as signer_requirement_problem, verify_bytes as verify_authenticode_bytes,
    verify_file as verify_authenticode, verify_set as verify_set_authenticode,
};
pub use check::{CheckReport, ExternalFiles, PartStatus, Problem, ProblemKind, Severity, check, check_cancellable};
pub use collisions::{Collisions, Renamed};
pub use discover::{DownloadSet, Part, discover};
pub use error::{Error, ErrorKind, Result};
pub use exit_codes::{EXIT_CODES, ExitCodeRow};
pub use extract::{DEFAULT_MIN_FREE, ExtractOptions, ExtractReport, ExtractedFile, Overwrite, Selection, extract};
pub use fetch::{
    DOWNLOAD_SUFFIX, FetchOptions, FetchPlan, FetchReport, FetchedPart, PartAction, PlanSource, PlannedPart, download,
    fetch, plan as plan_fetch,
};
pub use vocab::external::{ExternalNeed, ExternalSource};
/// For fuzzing only, not a supported API: one part downloaded by the real
/// transfer code from canned HTTP responses (see `fuzz/`). Only with the
/// `fuzzing` feature, which fuzz/ and the tests turn on.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing {
    pub use crate::fetch::{CannedOutcome, CannedPart, CannedRequest, CannedResume, transfer_canned};
}
/// For benches only, not a supported API: 7z extraction with every block
/// decoded one chosen way (see `benches/sevenz_pipeline.rs`). Only with the
/// `benching` feature, which the benches turn on.
#[cfg(feature = "benching")]
#[doc(hidden)]
pub mod benching {
    pub use crate::payload::sevenz::benching::{Way as SevenZWay, extract_into as sevenz_extract_into};
}
pub use hash::{Digest256, HashOptions, PartAccess, backend as sha256_backend, hash_file, hash_files, hex};
pub use hint::{Hint, name_hints};
pub use list::{Listing, list, list_chosen};
pub use manifest::{
    Manifest, ManifestEntry, ManifestFormat, STDIN as MANIFEST_STDIN, find_beside as find_manifest_beside,
    is_stdin as manifest_is_stdin,
};
pub use naming::Scheme;
pub use payload::inno::choice::{DuplicateDestination, DuplicateRule, InnoChoice, LeftOut, LeftOutReason};
pub use payload::inno::info::{
    Bits, InnoComponent, InnoConditions, InnoFileConditions, InnoLanguage, InnoRun, InnoSetupInfo, InnoTask, InnoType,
};
pub use payload::{Checksum, Entry, EntryKind, PayloadFormat};
#[cfg(feature = "cli")]
pub use platform::{cancel_on_signals, exit_on_mapped_read_fault, standard_output_is_open};
pub use progress::{Cancel, NoProgress, Progress, Task};
pub use set_reader::SetReader;
pub use sign::{SigningKey, keygen, read_public_key, sign_manifest, signature_path, verify_manifest_signature};
pub use size::{human as human_size, parse_size};
pub use space::available_space;
pub use stage::{StageOptions, StageReport, StagedPart, stage};
pub use states::{FileAction, PartState, StageAction, Verdict};
pub use trust::SignatureCheck;
pub use verify::{
    DeepReport, EntryFailure, OtherFile, OtherStatus, PartVerdict, VendorCoverage, VerifyOptions, VerifyReport,
    make_manifest, vendor_coverage, verify,
};
pub use write_file::write_files;
