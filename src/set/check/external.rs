//! The files an Inno Setup installer reads from beside itself at install
//! time (`Flags: external`, a source under `{src}`): members of the set at
//! their path in it, required unless `skipifsourcedoesntexist`, of the
//! recorded size when the installer records one (`ExternalSize`). Sources
//! outside the set and downloads are noted, never required.
#![warn(clippy::arithmetic_side_effects)]

use crate::manifest::{Manifest, ManifestEntry};
use crate::payload::detect::Located;
use crate::payload::inno::external::resolve;
use crate::set::discover::DownloadSet;
use crate::vocab::external::{ExternalNeed, ExternalSource};
use crate::vocab::states::PartState;

use super::short_or_long;
use crate::vocab::check_report::{CheckReport, ExternalFiles, PartStatus, ProblemKind, Severity};

/// The installer's external entries, when the payload is an installer that has some.
pub(super) fn sources(located: Option<&Located>) -> &[ExternalSource] {
    match located {
        Some(Located::Inno { info, .. }) => &info.externals,
        _ => &[],
    }
}

/// Whether a manifest entry names a file an external entry takes (so it is
/// not one of the payload's parts).
pub(super) fn names_external(sources: &[ExternalSource], entry: &ManifestEntry) -> bool {
    sources.iter().any(|source| takes(source, &entry.path))
}

/// Whether `source` takes the file at `path` (a manifest's whole name, `/`-separated).
pub(super) fn takes(source: &ExternalSource, path: &str) -> bool {
    let Some(relative) = source.relative.as_deref() else { return false };
    let path = path.to_lowercase();
    let relative = relative.to_lowercase();
    let ends = |tail: &str| path == tail || path.ends_with(&format!("/{tail}"));
    if !source.wildcard {
        return ends(&relative);
    }
    let (folder, pattern) = relative.rsplit_once('/').unwrap_or(("", relative.as_str()));
    let Ok(glob) = globset::GlobBuilder::new(pattern).literal_separator(true).build() else { return false };
    let glob = glob.compile_matcher();
    // `folder/…/name` with the name matching; subfolders only when recursing.
    let within = if folder.is_empty() {
        Some(path.as_str())
    } else {
        path.split_once(&format!("{folder}/")).map(|(_, rest)| rest)
    };
    within.is_some_and(|rest| {
        let name = rest.rsplit('/').next().unwrap_or(rest);
        (source.recurse || !rest.contains('/')) && glob.is_match(name)
    })
}

/// Adds the installer's external files to `report`: each file of the set
/// as a part (missing, of the wrong size, not in the manifest), and a note
/// for what the set does not carry.
pub(super) fn check_externals(
    set: &DownloadSet,
    located: Option<&Located>,
    manifest: Option<&Manifest>,
    report: &mut CheckReport,
) {
    let dir = &set.dir;
    for source in sources(located) {
        let members = resolve(dir, source);
        let mut files: Vec<String> = members.iter().map(|m| m.relative.clone()).collect();
        let shown = &source.source;
        match source.need {
            ExternalNeed::Network => report.problem(
                ProblemKind::External,
                Severity::Note,
                None,
                format!(
                    "this installer fetches {shown} from the network at install time{}: the target machine needs network access, or the file must be fetched before crossing and the install run without it",
                    if source.extract_archive { " (and unpacks it)" } else { "" }
                ),
            ),
            ExternalNeed::OnTarget if source.extract_archive => report.problem(
                ProblemKind::External,
                Severity::Note,
                None,
                format!(
                    "this installer unpacks the archive {shown} at install time; it is not part of the set (the installer downloads it or finds it on the target machine)"
                ),
            ),
            ExternalNeed::OnTarget => report.problem(
                ProblemKind::External,
                Severity::Note,
                None,
                format!(
                    "{shown} (installed to {}) is needed on the target machine, not part of the set: the installer reads it there",
                    source.destination
                ),
            ),
            ExternalNeed::Required | ExternalNeed::Optional => {
                let folder = if source.folder().is_empty() {
                    dir.display().to_string()
                } else {
                    dir.join(source.folder()).display().to_string()
                };
                let optional = source.need == ExternalNeed::Optional;
                if source.wildcard {
                    if !members.is_empty() {
                        report.problem(ProblemKind::External, Severity::Note, None, format!(
                            "{shown}{} takes {} file(s) here: {}",
                            if source.recurse { " (with subfolders)" } else { "" },
                            members.len(),
                            files.join(", ")
                        ));
                    } else if optional {
                        report.problem(ProblemKind::External, Severity::Note, None, format!(
                            "{shown} matches no file here; the installer skips it when nothing matches (skipifsourcedoesntexist)"
                        ));
                    } else {
                        let name = source.relative.clone().unwrap_or_default();
                        missing(report, &name, shown, &folder, source.wildcard);
                    }
                } else if members.is_empty() {
                    let name = source.relative.clone().unwrap_or_default();
                    if optional {
                        report.problem(ProblemKind::External, Severity::Note, Some(name.clone()), format!(
                            "{name} is not here; the installer reads it from beside itself when it is there, and skips it otherwise (skipifsourcedoesntexist)"
                        ));
                    } else {
                        missing(report, &name, shown, &folder, false);
                    }
                }
                for member in &members {
                    let mut status = PartStatus {
                        name: member.relative.clone(),
                        size: Some(member.size),
                        expected_size: source.size,
                        status: PartState::Ok,
                        listed_as: None,
                        path: Some(member.path.clone()),
                        external: Some(shown.clone()),
                        number: u32::MAX,
                    };
                    if let Some(required) = source.size.filter(|size| *size != member.size) {
                        status.status = PartState::WrongSize;
                        report.problem(ProblemKind::WrongSize, Severity::Error, Some(member.relative.clone()), format!(
                            "{} is {} bytes but the installer records {required} for it (ExternalSize): it is {}; copy or download it again",
                            member.relative,
                            member.size,
                            short_or_long(member.size, required)
                        ));
                    } else if let Some(manifest) = manifest
                        && manifest.find_path(&member.relative).is_none()
                    {
                        status.status = PartState::Unlisted;
                        report.problem(ProblemKind::Unlisted, Severity::Error, Some(member.relative.clone()), format!(
                            "{} is needed (the installer reads it from beside itself at install time: {shown}) but {} does not list it: the manifest covers only part of the set; use a manifest that lists every file{}, or record one{}",
                            member.relative,
                            manifest.path.as_deref().map_or_else(|| "the manifest".to_owned(), |p| p.display().to_string()),
                            crate::vocab::hint::Hint::ManifestFile,
                            crate::vocab::hint::Hint::RecordManifest
                        ));
                    }
                    report.parts.push(status);
                }
                // Files the manifest lists under this entry that are not here.
                if let Some(manifest) = manifest {
                    for entry in manifest.entries.iter() {
                        let Some(name) = member_name(source, &entry.path) else { continue };
                        let here = members.iter().any(|m| {
                            let path = entry.path.to_lowercase();
                            let relative = m.relative.to_lowercase();
                            path == relative || path.ends_with(&format!("/{relative}"))
                        });
                        if !here && !report.parts.iter().any(|p| p.name.eq_ignore_ascii_case(&name)) {
                            let folder = match name.rsplit_once('/') {
                                Some((folder, _)) => dir.join(folder).display().to_string(),
                                None => dir.display().to_string(),
                            };
                            missing(report, &name, shown, &folder, false);
                            files.push(name);
                        }
                    }
                }
            }
        }
        report.externals.push(ExternalFiles { source: source.clone(), files });
    }
}

/// The path in the set of a manifest entry `source` takes, when it stays in
/// the set's folder.
pub(super) fn member_name(source: &ExternalSource, path: &str) -> Option<String> {
    if !takes(source, path) {
        return None;
    }
    let name = listed_name(source, path);
    let inside = name.split('/').all(|n| !n.is_empty() && n != "." && n != ".." && !n.contains([':', '\\']));
    inside.then_some(name)
}

/// The path in the set of a manifest entry `source` takes: the part of its
/// whole name from where the source's path starts.
fn listed_name(source: &ExternalSource, path: &str) -> String {
    let relative = source.relative.as_deref().unwrap_or("");
    let first = relative.split('/').next().unwrap_or("").to_lowercase();
    let components: Vec<&str> = path.split('/').collect();
    let depth = relative.matches('/').count();
    // The whole name ends with the source's folders, then what the wildcard took.
    for start in 0..components.len() {
        if components.get(start).is_some_and(|c| c.to_lowercase() == first)
            && components.len().saturating_sub(start) > depth
        {
            return components[start..].join("/");
        }
    }
    path.to_owned()
}

/// A required external file that is not here: a missing part naming the
/// folder it must be in.
fn missing(report: &mut CheckReport, name: &str, source: &str, folder: &str, wildcard: bool) {
    report.parts.push(PartStatus {
        name: name.to_owned(),
        size: None,
        expected_size: None,
        status: PartState::Missing,
        listed_as: None,
        path: None,
        external: Some(source.to_owned()),
        number: u32::MAX,
    });
    let message = if wildcard {
        format!(
            "no file matches {name}: the installer reads {source} from beside itself at install time and needs at least one; put the files in {folder}"
        )
    } else {
        format!(
            "{name} is missing: the installer reads it from beside itself at install time ({source}); put it in {folder}"
        )
    };
    report.problem(ProblemKind::Missing, Severity::Error, Some(name.to_owned()), message);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wildcard(relative: &str, recurse: bool) -> ExternalSource {
        ExternalSource {
            source: String::new(),
            destination: String::new(),
            need: ExternalNeed::Required,
            relative: Some(relative.to_owned()),
            wildcard: true,
            recurse,
            size: None,
            extract_archive: false,
            index: 0,
        }
    }

    /// What the check says of entries no fixture has: Inno Setup 6.5+
    /// downloads (no 6.5 compiler here; the flags come from the crate, which
    /// reads them from the published format).
    #[test]
    fn a_download_at_install_time_is_said_and_not_required() {
        let exe = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/inno-external/inno-6.4.1-external-files/MicrosoftAzureBackupInstaller.exe");
        let set = crate::set::discover::discover(&exe).unwrap();
        let mut info = crate::payload::inno::probe(&exe).unwrap().unwrap();
        let mut download = wildcard("", false);
        (download.source, download.need, download.relative, download.wildcard) =
            ("https://example.com/sql/SQLEXPR.7z".to_owned(), ExternalNeed::Network, None, false);
        download.extract_archive = true;
        let mut unpack = download.clone();
        (unpack.source, unpack.need) = (r"{tmp}\SQLEXPR.7z".to_owned(), ExternalNeed::OnTarget);
        info.externals = vec![download, unpack];
        let located = Located::Inno { exe: exe.clone(), info, parsed: Default::default() };
        let cancel = crate::vocab::progress::Cancel::new();
        let mut report =
            crate::set::check::run(&set, None, &cancel, &crate::vocab::progress::NoProgress).unwrap().report;
        report.problems.clear();
        report.externals.clear();
        check_externals(&set, Some(&located), None, &mut report);
        let messages: Vec<(&str, Severity)> =
            report.problems.iter().map(|p| (p.message.as_str(), p.severity)).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].0.starts_with(
            "this installer fetches https://example.com/sql/SQLEXPR.7z from the network at install time (and unpacks it)"
        ));
        assert!(messages[1].0.starts_with(r"this installer unpacks the archive {tmp}\SQLEXPR.7z at install time"));
        assert!(messages.iter().all(|(_, severity)| *severity == Severity::Note));
        assert!(report.is_ok());
        assert_eq!(report.externals.len(), 2);
    }

    #[test]
    fn a_manifest_entry_is_taken_by_the_entry_whose_path_it_has() {
        let updates = wildcard("SQL/Updates/*", true);
        assert!(takes(&updates, "SQL/Updates/a.exe"));
        assert!(takes(&updates, "set/sql/updates/x64/b.msp"));
        assert!(!takes(&updates, "SQL/a.exe"));
        assert!(!takes(&wildcard("SQL/Updates/*", false), "SQL/Updates/x64/b.msp"));
        assert!(!takes(&wildcard("SQL/*.exe", false), "SQL/b.msp"));
        let mut one = wildcard("SQL/x.exe", false);
        one.wildcard = false;
        assert!(takes(&one, "./dl/SQL/x.exe") || takes(&one, "dl/SQL/x.exe"));
        assert!(!takes(&one, "x.exe"));
        assert_eq!(member_name(&updates, "dl/SQL/Updates/x64/b.msp").as_deref(), Some("SQL/Updates/x64/b.msp"));
        assert_eq!(member_name(&updates, "SQL/Updates/../../../etc/passwd"), None);
        assert_eq!(member_name(&updates, "SQL/Updates/a//b.exe"), None);
    }
}
