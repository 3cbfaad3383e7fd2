//! `verify --deep`: every selected file entry decoded into the checking sink
//! (its own checksum compared, nothing written), every failure recorded.
#![warn(clippy::arithmetic_side_effects)]

use crate::payload::sink::{CheckingSink, Failure};
use crate::payload::{self, EntryKind, Request, Source};
use crate::set::check::Checked;
use crate::set::discover::DownloadSet;
use crate::set::list::{list_and_choose, no_payload};
use crate::vocab::error::{Error, Result};
use crate::vocab::progress::{Progress, Task};

use super::{DeepReport, EntryFailure, VerifyOptions};

/// Decodes every file entry, writing nothing, and records each failure.
pub(super) fn deep_verify(
    set: &DownloadSet,
    checked: &Checked,
    options: &VerifyOptions,
    progress: &dyn Progress,
) -> Result<DeepReport> {
    let located = checked.located.as_ref().ok_or_else(|| no_payload(&checked.report, set))?;
    let parts = checked.report.part_paths();
    let source = Source { parts: &parts, located, label: &set.name };
    let (selected, entries) = if options.inno.is_default() {
        let entries = payload::list(&source, options.password.as_deref())?;
        (entries.iter().map(|e| e.kind == EntryKind::File).collect::<Vec<bool>>(), entries)
    } else {
        let (listing, chosen) = list_and_choose(checked, set, options.password.as_deref(), &options.inno)?;
        let selected =
            listing.entries.iter().zip(&chosen.selected).map(|(e, s)| *s && e.kind == EntryKind::File).collect();
        (selected, listing.entries)
    };
    payload::require_password(&source, options.password.as_deref())?;
    let total =
        crate::vocab::size::saturating_total(entries.iter().zip(&selected).filter(|(_, s)| **s).map(|(e, _)| e.size));
    let sink = CheckingSink::new(&entries, progress, &options.cancel);
    progress.begin(Task::DeepVerify, total);
    let mut request = Request::new(&selected, options.hash.threads, options.password.as_deref(), &options.cancel);
    // Each failure is reported against its entry.
    request.exact_failures = true;
    let outcome = payload::extract(&source, &request, &sink);
    progress.end(Task::DeepVerify);
    let (failures, entries_checked, bytes) = sink.finish();
    let mut failures: Vec<EntryFailure> =
        failures.into_iter().map(|Failure { entry, message, kind }| EntryFailure { entry, message, kind }).collect();
    match outcome {
        Ok(()) => {}
        Err(Error::Interrupted) => return Err(Error::Interrupted),
        Err(error) => {
            failures.push(EntryFailure { entry: set.name.clone(), message: error.full_message(), kind: error.kind() })
        }
    }
    Ok(DeepReport { entries_checked, bytes, failures })
}
