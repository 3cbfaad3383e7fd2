//! The `list` command: the entries a choice takes, the installer described.

use super::discover;
use crate::args::{OutputArgs, SetArgs};
use crate::authenticode;
use crate::escape::{escape_controls, quote};
use crate::exit;
use crate::output::{fail, note, print_json, say};

pub fn list(
    set: &SetArgs,
    password: Option<&str>,
    choice: &airlock::InnoChoice,
    output: &OutputArgs,
    cancel: &airlock::Cancel,
) -> u8 {
    let outcome = discover(set).and_then(|(found, manifest)| {
        // The library refuses an installer not signed as --signer requires.
        let signature = airlock::check_set_signer(&found, Some(&authenticode::policy(&set.signing)?), cancel)?;
        Ok((signature, airlock::list_chosen(&found, manifest.as_ref(), password, choice)?))
    });
    let (signature, listing) = match outcome {
        Ok(result) => result,
        Err(error) => return fail("list", &error, output),
    };
    let entries = &listing.entries;
    if output.json {
        let object = authenticode::Signed { report: &listing, authenticode: signature.as_ref(), vendor: None };
        print_json("list", object, None);
        return exit::OK;
    }
    if let Some(signature) = &signature {
        note(output.quiet, authenticode::line(signature));
    }
    if !output.quiet {
        if let Some(installer) = &listing.installer {
            for line in crate::installer::describe(installer, listing.language.as_deref()) {
                say(escape_controls(&line));
            }
        }
        say(format_args!("{:>14} {:>14}  {:<20} {:<24} path", "size", "packed", "modified", "checksum"));
    }
    for entry in entries {
        let packed = entry.packed_size.map(|s| s.to_string()).unwrap_or_else(|| "-".to_owned());
        let modified = entry.modified.and_then(airlock::rfc3339).unwrap_or_else(|| "-".to_owned());
        let checksum = entry.checksum.map(|c| c.to_string()).unwrap_or_else(|| "-".to_owned());
        let checksum = if checksum.len() > 24 { format!("{}…", &checksum[..23]) } else { checksum };
        let mut path = match &entry.path {
            Some(path) => quote(path),
            None => format!(
                "{} (UNSAFE: {})",
                quote(&entry.name),
                escape_controls(entry.unsafe_reason.as_deref().unwrap_or(""))
            ),
        };
        if entry.kind == airlock::EntryKind::Directory {
            path.push('/');
        } else if entry.kind == airlock::EntryKind::Symlink {
            path.push_str(" (symbolic link)");
        }
        if let Some(conditions) = &entry.inno {
            path.push_str(&escape_controls(&crate::installer::conditions_suffix(conditions)));
        }
        say(format_args!("{:>14} {:>14}  {:<20} {:<24} {path}", entry.size, packed, modified, checksum));
    }
    if !output.quiet {
        let total: u64 = entries.iter().map(|e| e.size).sum();
        say(format_args!("{} entries, {}", entries.len(), airlock::human_size(total)));
        for line in crate::installer::left_out_lines(&listing.left_out) {
            say(escape_controls(&line));
        }
        // What the installer reads from outside itself: files on the target
        // machine, downloads at install time.
        for problem in listing.check.problems.iter().filter(|p| p.kind == airlock::ProblemKind::External) {
            note(false, format_args!("note: {}", problem.message));
        }
    }
    crate::installer::warn_duplicates(&listing.duplicates, output.quiet);
    exit::OK
}
