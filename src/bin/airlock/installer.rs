//! How an Inno Setup installer, its file conditions and the outcome of a
//! language/component/task choice are printed (text and JSON members).

use airlock::{DuplicateDestination, DuplicateRule, InnoFileConditions, InnoSetupInfo, LeftOut, LeftOutReason};

/// The installer as a whole, a line each, for `list`.
pub fn describe(info: &InnoSetupInfo, language: Option<&str>) -> Vec<String> {
    let mut lines = Vec::new();
    let app = [info.app_name.as_deref(), info.app_version.as_deref()].into_iter().flatten().collect::<Vec<_>>();
    let app = if app.is_empty() { "(no AppName)".to_owned() } else { app.join(" ") };
    match &info.app_publisher {
        Some(publisher) => lines.push(format!("installer:  {app}, by {publisher}")),
        None => lines.push(format!("installer:  {app}")),
    }
    let slices = match (info.slices, info.slices_per_disk) {
        (0, _) => "data in the .exe".to_owned(),
        (n, 1) => format!("{n} slice(s)"),
        (n, per_disk) => format!("{n} slice(s), {per_disk} per disk"),
    };
    lines.push(format!(
        "inno setup: {}, {} compression, {}, {slices}",
        info.inno_version,
        info.compression,
        if info.encrypted { "encrypted" } else { "not encrypted" }
    ));
    let languages = info
        .languages
        .iter()
        .map(|l| {
            let mut notes = vec![l.language_name.clone()];
            if l.default {
                notes.push("default".to_owned());
            }
            if language.is_some_and(|chosen| chosen == l.name) {
                notes.push("listed".to_owned());
            }
            format!("{} ({})", l.name, notes.join(", "))
        })
        .collect::<Vec<_>>();
    lines.push(format!("languages:  {}", or_none(&languages)));
    let types = info
        .types
        .iter()
        .map(|t| {
            let custom = if t.custom { ", the user picks" } else { "" };
            format!("{} ({}{custom}: {})", t.name, t.description, or_none(&t.components))
        })
        .collect::<Vec<_>>();
    lines.push(format!("types:      {}", or_none(&types)));
    let components = info
        .components
        .iter()
        .map(|c| format!("{} ({}{})", c.name, c.description, if c.fixed { ", fixed" } else { "" }))
        .collect::<Vec<_>>();
    lines.push(format!("components: {}", or_none(&components)));
    let tasks = info
        .tasks
        .iter()
        .map(|t| format!("{} ({}{})", t.name, t.description, if t.unchecked { ", unchecked" } else { "" }))
        .collect::<Vec<_>>();
    lines.push(format!("tasks:      {}", or_none(&tasks)));
    if info.run.is_empty() {
        lines.push("run:        none".to_owned());
    }
    for run in &info.run {
        let mut text = run.command.clone();
        if let Some(parameters) = &run.parameters {
            text.push(' ');
            text.push_str(parameters);
        }
        let mut notes = Vec::new();
        if run.postinstall {
            notes.push("postinstall".to_owned());
        }
        if let Some(description) = &run.description {
            notes.push(format!("\"{description}\""));
        }
        let conditions = conditions_text(&run.conditions);
        if !conditions.is_empty() {
            notes.push(conditions);
        }
        let notes = if notes.is_empty() { String::new() } else { format!(" ({})", notes.join("; ")) };
        lines.push(format!("run:        {text}{notes}"));
    }
    lines
}

fn or_none(items: &[String]) -> String {
    if items.is_empty() { "none".to_owned() } else { items.join(", ") }
}

fn conditions_text(c: &airlock::InnoConditions) -> String {
    let mut parts = Vec::new();
    for (label, value) in [
        ("components", &c.components),
        ("tasks", &c.tasks),
        ("languages", &c.languages),
        ("check", &c.check),
        ("min version", &c.min_version),
        ("only below", &c.only_below_version),
    ] {
        if let Some(value) = value {
            parts.push(format!("{label}: {value}"));
        }
    }
    parts.join("; ")
}

/// `  [components: sql; 64-bit]` after a listed path, or nothing.
pub fn conditions_suffix(conditions: &InnoFileConditions) -> String {
    let mut text = conditions_text(conditions);
    let bits = match conditions.bits {
        Some(airlock::Bits::X64) => "64-bit",
        Some(airlock::Bits::X86) => "32-bit",
        None => "",
    };
    if !bits.is_empty() {
        if !text.is_empty() {
            text.push_str("; ");
        }
        text.push_str(bits);
    }
    let external = match &conditions.external {
        Some(origin) => format!("  <- {} (external: {})", origin.file, origin.source),
        None => String::new(),
    };
    if text.is_empty() { external } else { format!("  [{text}]{external}") }
}

/// One line per entry the choice left out, saying which flag would take it.
pub fn left_out_lines(left_out: &[LeftOut]) -> Vec<String> {
    left_out
        .iter()
        .map(|l| {
            let why = match l.reason {
                LeftOutReason::Language => "another language (see --language)",
                LeftOutReason::Component => "a component not chosen (see --component)",
                LeftOutReason::Task => "a task not chosen (see --task)",
                LeftOutReason::Duplicate => "another entry installs to the same path (see the warning)",
            };
            format!("not taken: {} — {why}", l.name)
        })
        .collect()
}

/// A warning on stderr for each destination several entries claimed.
pub fn warn_duplicates(duplicates: &[DuplicateDestination], quiet: bool) {
    if quiet {
        return;
    }
    for duplicate in duplicates {
        let rule = match duplicate.rule {
            DuplicateRule::Bitness => "64-bit over unmarked over 32-bit",
            DuplicateRule::LaterEntry => "the later entry in [Files] order",
        };
        let line = format!(
            "warning: {} entries install to {}; kept {} ({rule}), left out {}",
            duplicate.dropped.len() + 1,
            crate::escape::quote(&duplicate.path),
            duplicate.kept,
            duplicate.dropped.join(", ")
        );
        crate::output::tell(format_args!("airlock: {}", crate::escape::escape_controls(&line)));
    }
}

/// `left out 6 entries: 5 of components not chosen, 1 of another language`, or nothing.
pub fn left_out_summary(left_out: &[LeftOut]) -> Option<String> {
    if left_out.is_empty() {
        return None;
    }
    let count = |reason| left_out.iter().filter(|l| l.reason == reason).count();
    let parts: Vec<String> = [
        (LeftOutReason::Component, "of components not chosen"),
        (LeftOutReason::Task, "of tasks not chosen"),
        (LeftOutReason::Language, "of another language"),
        (LeftOutReason::Duplicate, "installing to a path another entry takes"),
    ]
    .into_iter()
    .filter_map(|(reason, what)| Some(count(reason)).filter(|&n| n > 0).map(|n| format!("{n} {what}")))
    .collect();
    Some(format!(
        "left out {} installer entr(ies): {} (`airlock list` with the same flags names them)",
        left_out.len(),
        parts.join(", ")
    ))
}
