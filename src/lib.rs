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
//! use airlock::{discover, check, verify, CheckOptions, VerifyOptions, NoProgress};
//!
//! # fn main() -> Result<(), airlock::Error> {
//! // The bundled real Inno Setup 6.4 set: MicrosoftAzureBackupInstaller.exe, -1.bin … -3.bin, SHA256SUMS.
//! let set = discover("testdata/inno/inno-6.4.1-lzma2-solid-spanned/MicrosoftAzureBackupInstaller.exe".as_ref())?;
//! let report = check(&set, &CheckOptions::default(), &NoProgress)?;
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
//! Every entry point over a set takes the set, its options and a progress
//! observer, and returns a report or a typed error.
//! Each has its own example: [`discover`], [`check`], [`verify`],
//! [`extract`], [`list`], [`stage`], [`write_manifest`],
//! [`fetch`] and [`plan_fetch`], [`keygen`] (with [`sign_manifest`] and
//! [`verify_manifest_signature`]), [`verify_authenticode`], and the
//! [`Progress`] trait; they run on the fixtures in `testdata/` (`cargo test
//! --doc`), except fetch's, which need a server.
#![deny(missing_docs)]

mod authenticode;
mod carry;
mod dest;
mod extract;
mod manifest;
mod payload;
mod platform;
mod read;
mod set;
mod verify;
mod vocab;

pub use authenticode::{SignerPolicy, signer_requirement_problem, verify_authenticode, verify_authenticode_bytes};
pub use carry::fetch::{
    DOWNLOAD_SUFFIX, FetchOptions, FetchPlan, FetchReport, FetchedPart, PartAction, PlanSource, PlannedPart, download,
    fetch, plan_fetch,
};
pub use carry::stage::{StageOptions, StageReport, StagedPart, stage};
pub use dest::collisions::{Collisions, Renamed};
pub use dest::space::available_space;
pub use dest::write_file::write_files;
pub use extract::{DEFAULT_MIN_FREE, ExtractOptions, ExtractReport, ExtractedFile, Selection, extract};
/// For fuzzing only, not a supported API: one part downloaded by the real
/// transfer code from canned HTTP responses (see `fuzz/`). Only with the
/// `fuzzing` feature, which fuzz/ and the tests turn on.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing {
    pub use crate::carry::fetch::{CannedOutcome, CannedPart, CannedRequest, CannedResume, transfer_canned};
}
/// For benches only, not a supported API: 7z extraction with every block
/// decoded one chosen way (see `benches/sevenz_pipeline.rs`). Only with the
/// `benching` feature, which the benches turn on.
#[cfg(feature = "benching")]
#[doc(hidden)]
pub mod benching {
    pub use crate::payload::sevenz::benching::{SevenZWay, sevenz_extract_into};
    pub use crate::read::hash::benching::{forget_cached, hash_in_turn};
}
pub use manifest::choice::SignatureCheck;
pub use manifest::minisign::{
    SigningKey, keygen, read_public_key, sign_manifest, signature_path, verify_manifest_signature,
};
pub use manifest::{MANIFEST_STDIN, Manifest, ManifestEntry, ManifestFormat, manifest_is_stdin};
pub use payload::inno::choice::{DuplicateDestination, DuplicateRule, InnoChoice, LeftOut, LeftOutReason};
pub use payload::inno::info::{
    Bits, InnoComponent, InnoConditions, InnoFileConditions, InnoLanguage, InnoRun, InnoSetupInfo, InnoTask, InnoType,
};
pub use payload::{Checksum, Entry, EntryKind, PayloadFormat};
#[cfg(feature = "cli")]
pub use platform::{cancel_on_signals, exit_on_mapped_read_fault, standard_output_is_open};
pub use read::hash::{Digest256, HashOptions, PartAccess, hash_file, hash_files, hex, sha256_backend};
pub use read::set_reader::SetReader;
pub use set::authenticode::verify_set_authenticode;
pub use set::check::{CheckOptions, CheckReport, ExternalFiles, PartStatus, Problem, ProblemKind, Severity, check};
pub use set::discover::{DownloadSet, Part, discover};
pub use set::list::{ListOptions, Listing, list};
pub use verify::{
    DeepReport, EntryFailure, ManifestOptions, ManifestReport, OtherFile, OtherStatus, PartVerdict, VendorCoverage,
    VerifyOptions, VerifyReport, verify, write_manifest,
};
pub use vocab::error::{Error, ErrorKind, Result};
pub use vocab::exit_codes::{EXIT_CODES, ExitCodeRow};
pub use vocab::external::{ExternalNeed, ExternalSource};
pub use vocab::hint::{Hint, name_hints};
pub use vocab::naming::Scheme;
pub use vocab::progress::{Cancel, Item, NoProgress, Progress, Task};
pub use vocab::signature::{
    AuthenticodeReport, AuthenticodeStatus, DigestAlgorithm, SignatureInfo, Timestamp, TimestampKind,
};
pub use vocab::size::{human_size, parse_size};
pub use vocab::states::{FileAction, Overwrite, PartState, StageAction, Verdict};
pub use vocab::time::rfc3339;
