//! What an Inno Setup installer is, as a whole, and what each of its file
//! entries is conditioned on — read from the setup headers, without touching
//! file data. `list` shows it; `choice` decides
//! from it which entries a run takes.

use std::io::{Read, Seek};

use inno::Inno;
use inno::entry::file::FileFlags;
use inno::entry::{ComponentFlags, RunFlags, TaskFlags};
use inno::version::windows_version::{WindowsVersion, WindowsVersionRange};
use serde::Serialize;

use super::probe::InnoInfo;

/// An Inno Setup installer as a whole.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InnoSetupInfo {
    /// `AppName`.
    pub app_name: Option<String>,
    /// `AppVersion`.
    pub app_version: Option<String>,
    /// `AppPublisher`.
    pub app_publisher: Option<String>,
    /// The setup data version, e.g. `6.4.0.1 (u)`.
    pub inno_version: String,
    /// File data compression (`LZMA2`, `Zlib`, `BZip2`, `Stored` …).
    pub compression: String,
    /// Whether file data is encrypted.
    pub encrypted: bool,
    /// Disk slices the data spans (0: the data is in the `.exe`).
    pub slices: u32,
    /// Slices per disk (`SlicesPerDisk`; above 1 the slices are `NAME-1a.bin` …).
    pub slices_per_disk: u32,
    /// `[Languages]`, the default first.
    pub languages: Vec<InnoLanguage>,
    /// `[Types]`.
    pub types: Vec<InnoType>,
    /// `[Components]`; a subcomponent's name holds its parent's (`sql\tools`).
    pub components: Vec<InnoComponent>,
    /// `[Tasks]`.
    pub tasks: Vec<InnoTask>,
    /// `[Run]`: what the wizard launches after installing.
    pub run: Vec<InnoRun>,
}

/// One `[Languages]` entry.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InnoLanguage {
    /// The script's name (`en`), what `--language` takes.
    pub name: String,
    /// The language's own name (`English`, `Deutsch`).
    pub language_name: String,
    /// Whether it is the installer's default (the first).
    pub default: bool,
}

/// One `[Types]` entry.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InnoType {
    /// The script's name (`full`).
    pub name: String,
    /// What the wizard shows.
    pub description: String,
    /// Whether it is the custom type (the user picks components).
    pub custom: bool,
    /// The components this type installs (from each component's `Types`).
    pub components: Vec<String>,
}

/// One `[Components]` entry.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InnoComponent {
    /// The full name, `\`-separated below the top level (`sql\tools`), what `--component` takes.
    pub name: String,
    /// What the wizard shows.
    pub description: String,
    /// The types that include it.
    pub types: Vec<String>,
    /// `Flags: fixed`: the wizard does not let it be unchecked.
    pub fixed: bool,
    /// Nesting depth (0 at the top).
    pub level: u32,
}

/// One `[Tasks]` entry.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InnoTask {
    /// The full name (`desktopicon`, `icons\quicklaunch`), what `--task` takes.
    pub name: String,
    /// What the wizard shows.
    pub description: String,
    /// `Flags: unchecked`: off unless the user ticks it.
    pub unchecked: bool,
    /// The components it is offered for.
    pub components: Option<String>,
}

/// One `[Run]` entry.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InnoRun {
    /// The program (`{app}\setup.exe`).
    pub command: String,
    /// Its parameters.
    pub parameters: Option<String>,
    /// Its working folder.
    pub working_dir: Option<String>,
    /// The check box text of a `postinstall` entry.
    pub description: Option<String>,
    /// `Flags: postinstall`: offered on the last wizard page rather than run unasked.
    pub postinstall: bool,
    /// `Flags: shellexec`.
    pub shellexec: bool,
    /// The entry's conditions.
    #[serde(flatten)]
    pub conditions: InnoConditions,
}

/// Which bitness an entry is for (`Flags: 32bit` / `64bit`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Bits {
    /// `Flags: 32bit`.
    #[serde(rename = "32")]
    X86,
    /// `Flags: 64bit`.
    #[serde(rename = "64")]
    X64,
}

/// The conditions an installer entry carries, as the script wrote them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InnoConditions {
    /// `Components:` expression.
    pub components: Option<String>,
    /// `Tasks:` expression.
    pub tasks: Option<String>,
    /// `Languages:` list.
    pub languages: Option<String>,
    /// `Check:` function call (not evaluated: it runs on the target machine).
    pub check: Option<String>,
    /// `MinVersion:` (Windows NT version), when set.
    pub min_version: Option<String>,
    /// `OnlyBelowVersion:` (Windows NT version), when set.
    pub only_below_version: Option<String>,
}

/// What one `[Files]` entry is conditioned on, and where its data is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InnoFileConditions {
    /// Components, tasks, languages, check, versions.
    #[serde(flatten)]
    pub conditions: InnoConditions,
    /// `Flags: 32bit` / `64bit`.
    pub bits: Option<Bits>,
    /// Index of the data location: entries that share one install the same bytes.
    pub location: u32,
    /// For a file the installer reads from beside itself at install time
    /// (`Flags: external`): its source as the installer names it, and its
    /// path in the set.
    pub external: Option<ExternalOrigin>,
}

/// Where an external file comes from.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExternalOrigin {
    /// The installer's source (`{src}\SQL\Updates\*`).
    pub source: String,
    /// The file's path in the set (`SQL/Updates/x64/b.msp`).
    pub file: String,
}

impl std::ops::Deref for InnoFileConditions {
    type Target = InnoConditions;
    fn deref(&self) -> &InnoConditions {
        &self.conditions
    }
}

/// Describes the installer `inno`, with the data facts already in `info`.
pub(crate) fn describe<R: Read + Seek>(inno: &Inno<R>, info: &InnoInfo) -> InnoSetupInfo {
    let header = inno.header();
    let text = |s: Option<&str>| s.map(str::to_owned).filter(|s| !s.is_empty());
    let languages = inno
        .languages()
        .iter()
        .enumerate()
        .map(|(index, l)| InnoLanguage {
            name: l.name().to_owned(),
            language_name: l.language_name().to_owned(),
            default: index == 0,
        })
        .collect();
    let components: Vec<InnoComponent> = inno
        .components()
        .iter()
        .map(|c| InnoComponent {
            name: c.name().unwrap_or_default().to_owned(),
            description: c.description().unwrap_or_default().to_owned(),
            types: words(c.types()),
            fixed: c.flags().contains(ComponentFlags::FIXED),
            level: c.level(),
        })
        .collect();
    let types = inno
        .type_entries()
        .iter()
        .map(|t| {
            let name = t.name().unwrap_or_default().to_owned();
            InnoType {
                components: components
                    .iter()
                    .filter(|c| c.types.iter().any(|n| n.eq_ignore_ascii_case(&name)))
                    .map(|c| c.name.clone())
                    .collect(),
                description: t.description().unwrap_or_default().to_owned(),
                custom: t.is_custom(),
                name,
            }
        })
        .collect();
    let tasks = inno
        .tasks()
        .iter()
        .map(|t| InnoTask {
            name: t.name().unwrap_or_default().to_owned(),
            description: t.description().unwrap_or_default().to_owned(),
            unchecked: t.flags().contains(TaskFlags::UNCHECKED),
            components: text(t.components()),
        })
        .collect();
    let run = inno
        .run_entries()
        .iter()
        .map(|r| InnoRun {
            command: r.name().unwrap_or_default().to_owned(),
            parameters: text(r.parameters()),
            working_dir: text(r.working_directory()),
            description: text(r.description()),
            postinstall: r.options().contains(RunFlags::POST_INSTALL),
            shellexec: r.options().contains(RunFlags::SHELL_EXECUTE),
            conditions: conditions_of(r.condition(), r.windows_versions(), header.windows_versions()),
        })
        .collect();
    InnoSetupInfo {
        app_name: text(header.app_name()),
        app_version: text(header.app_version()),
        app_publisher: text(header.app_publisher()),
        inno_version: info.version.clone(),
        compression: info.compression.to_string(),
        encrypted: info.encrypted,
        slices: info.slice_count,
        slices_per_disk: info.slices_per_disk.max(1),
        languages,
        types,
        components,
        tasks,
        run,
    }
}

/// The conditions of one `[Files]` entry of an installer whose setup-wide
/// versions are `setup` (the compiler copies those into every entry, so only
/// an entry's own differ).
pub(crate) fn file_conditions(file: &inno::entry::File, setup: &WindowsVersionRange) -> InnoFileConditions {
    let flags = file.flags();
    let bits = if flags.contains(FileFlags::BITS_64) {
        Some(Bits::X64)
    } else if flags.contains(FileFlags::BITS_32) {
        Some(Bits::X86)
    } else {
        None
    };
    InnoFileConditions {
        conditions: conditions_of(file.condition(), file.windows_versions(), setup),
        bits,
        location: file.location(),
        external: None,
    }
}

fn conditions_of(
    condition: &inno::entry::Condition,
    versions: &WindowsVersionRange,
    setup: &WindowsVersionRange,
) -> InnoConditions {
    let text = |s: Option<&str>| s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    InnoConditions {
        components: text(condition.components()),
        tasks: text(condition.tasks()),
        languages: text(condition.languages()),
        check: text(condition.check()),
        min_version: nt_version(versions.begin()).filter(|_| versions.begin() != setup.begin()),
        only_below_version: nt_version(versions.end()).filter(|_| versions.end() != setup.end()),
    }
}

/// As a script writes it, `6.1sp1` or `10.0.17763`; `None` for no bound.
fn nt_version(version: WindowsVersion) -> Option<String> {
    let nt = version.nt_version();
    let sp = version.nt_service_pack();
    if nt.major() == 0 && nt.minor() == 0 && nt.build() == 0 {
        return None;
    }
    let mut text = format!("{}.{}", nt.major(), nt.minor());
    if nt.build() != 0 {
        text.push_str(&format!(".{}", nt.build()));
    }
    match (sp.major(), sp.minor()) {
        (0, 0) => {}
        (major, 0) => text.push_str(&format!("sp{major}")),
        (major, minor) => text.push_str(&format!("sp{major}.{minor}")),
    }
    Some(text)
}

/// A stored list (`full,server,custom`; scripts write spaces) as names.
fn words(text: Option<&str>) -> Vec<String> {
    text.unwrap_or_default()
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}
