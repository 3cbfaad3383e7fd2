//! Fuzzes payload detection and listing: arbitrary bytes written as a small
//! set (`X.exe` + `X-N.bin`, `X.7z`, `X.zip`, `X.7z.NNN`, `X.zip.NNN`, or a
//! structure-aware Inno Setup installer; see `common/mod.rs` for the input
//! layout), then `airlock::discover`, `airlock::check(&set, None)` and
//! `airlock::list(&set, None, None)`.
//!
//! Checks:
//! - no panic escapes the library (panics inside the decoders are turned into
//!   errors by the library itself), no hang, no unbounded allocation;
//! - every listed entry has exactly one of `path` and `unsafe_reason`, and a
//!   `path` is a safe relative path: not empty, no leading `/`, no `\`, no
//!   empty, `.` or `..` component, no drive letter, no control character or
//!   character Windows forbids.
#![no_main]

#[path = "common/mod.rs"]
mod common;

#[global_allocator]
static ALLOC: common::CappedAlloc = common::CappedAlloc;

use airlock::{Entry, check, discover, list};
use libfuzzer_sys::fuzz_target;

pub fn assert_safe_entry(entry: &Entry) {
    match (&entry.path, &entry.unsafe_reason) {
        (Some(path), None) => {
            assert!(!path.is_empty(), "entry {:?}: empty landing path", entry.name);
            assert!(!path.starts_with('/') && !path.contains('\\'), "entry {:?}: landing path {path:?}", entry.name);
            for component in path.split('/') {
                assert!(
                    !component.is_empty() && component != "." && component != "..",
                    "entry {:?}: landing path {path:?} has component {component:?}",
                    entry.name
                );
                assert!(
                    !component.chars().any(|c| c.is_control() || "<>:\"|?*".contains(c)),
                    "entry {:?}: landing path {path:?} has a forbidden character",
                    entry.name
                );
            }
        }
        (None, Some(_)) => {}
        (path, reason) => panic!("entry {:?}: path {path:?} with unsafe_reason {reason:?}", entry.name),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(input) = common::set_input(data) else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    common::write_files(tmp.path(), &input.files);
    let Ok(set) = discover(tmp.path()) else { return };
    let _ = check(&set, None);
    if let Ok((report, entries)) = list(&set, None, None) {
        assert!(report.is_ok(), "list returned a report with errors");
        for entry in &entries {
            assert_safe_entry(entry);
        }
    }
});
