//! Manifests: the list of a set's parts with their SHA-256, read and written.
//!
//! Admins hash downloads with whatever they have, so airlock reads:
//! - coreutils `sha256sum` output: `<hex>  <name>` (text mode) or
//!   `<hex> *<name>` (binary mode), with coreutils' escaping (a line starting
//!   with `\` has `\\`, `\n` and `\r` escapes in its name), and every line
//!   `sha256sum -c` itself accepts (one space or a tab before the name,
//!   leading blanks);
//! - BSD tags (`sha256sum --tag`, `shasum -a 256 --tag`, macOS): `SHA256 (name) = <hex>`;
//! - PowerShell `Get-FileHash … | Export-Csv`: an optional `#TYPE` line, then
//!   `"Algorithm","Hash","Path"` rows (UTF-8, with or without BOM, or UTF-16
//!   as Windows PowerShell 5 writes with `>`);
//! - airlock's JSON manifest, which also records sizes, scheme and payload.
//!
//! A manifest that lists one name twice with two hashes contradicts itself
//! and is refused, naming both lines; a PowerShell `Format-List` listing
//! copied from the screen is told apart, with how to write a real one.
//!
//! It writes coreutils format (so `sha256sum -c SHA256SUMS` works on the far
//! side without airlock) or JSON. Names are matched on their last path
//! component (`/` or `\`), so `C:\Users\me\Downloads\NAME.exe` and
//! `./NAME.exe` both name `NAME.exe`.
//!
//! The path `-` ([`MANIFEST_STDIN`]) means standard input, as for `sha256sum -c -`:
//! read once, when first needed, and the same text every later time (a run
//! reads its manifest more than once). A file named `-` is `./-`.
//!
//! Line numbers and sizes here come from the manifest file: no arithmetic on
//! them may wrap or panic (the lint below keeps it so).
#![warn(clippy::arithmetic_side_effects)]

pub(crate) mod choice;
pub(crate) mod minisign;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::payload::PayloadFormat;
use crate::read::hash::{Digest256, hex, parse_hex};
use crate::vocab::error::{Error, Result};
use crate::vocab::naming::Scheme;

/// A manifest's file name beside a set: what is looked for when no manifest
/// is given, and what airlock writes beside a set it staged or fetched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Beside {
    /// `SHA256SUMS`.
    Sha256Sums,
    /// `NAME.sha256`.
    NameSha256,
    /// `NAME.manifest.json`, airlock's own (it also fixes the parts' sizes).
    NameManifestJson,
}

impl Beside {
    /// In the order they are looked for.
    pub(crate) const LOOKUP: [Beside; 3] = [Beside::Sha256Sums, Beside::NameSha256, Beside::NameManifestJson];
    /// In the order a signed one is looked for: the JSON manifest first, as
    /// it also fixes the parts' sizes.
    pub(crate) const SIGNED_LOOKUP: [Beside; 3] = [Beside::NameManifestJson, Beside::Sha256Sums, Beside::NameSha256];
    /// What `stage` and `fetch` write beside the set.
    pub(crate) const WRITTEN: [Beside; 2] = [Beside::Sha256Sums, Beside::NameManifestJson];

    /// The file name for a set named `set_name`.
    pub(crate) fn file_name(self, set_name: &str) -> String {
        match self {
            Beside::Sha256Sums => "SHA256SUMS".to_owned(),
            Beside::NameSha256 => format!("{set_name}.sha256"),
            Beside::NameManifestJson => format!("{set_name}.manifest.json"),
        }
    }
}

/// The format a manifest was read from or is written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ManifestFormat {
    /// coreutils `sha256sum` lines (BSD tag lines are accepted in the same file).
    #[default]
    Sha256sum,
    /// BSD tag lines only.
    BsdTag,
    /// PowerShell `Get-FileHash | Export-Csv`.
    PowerShellCsv,
    /// airlock's JSON manifest.
    Json,
}

/// One part as a manifest records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestEntry {
    /// The part's file name (last path component of what the manifest says).
    pub name: String,
    /// The whole name the manifest gives, `/`-separated, without a leading
    /// `./`: how a file in a subfolder of the set (an Inno Setup installer's
    /// external file, `SQL/x.exe`) is found.
    pub path: String,
    /// The part's size, when the format records it (JSON only).
    pub size: Option<u64>,
    /// The part's SHA-256.
    pub sha256: Digest256,
}

/// A parsed manifest.
#[derive(Clone, Debug)]
pub struct Manifest {
    /// Where it was read from, if it was read from a file.
    pub path: Option<PathBuf>,
    /// The format it was in.
    pub format: ManifestFormat,
    /// The parts it lists, in its order.
    pub entries: Vec<ManifestEntry>,
    /// Set name, scheme and payload (JSON only).
    pub set_name: Option<String>,
    /// The naming scheme recorded (JSON only; `None` also when a later
    /// airlock wrote one this build does not know).
    pub scheme: Option<Scheme>,
    /// The payload format recorded (JSON only; `None` also when unknown).
    pub payload: Option<PayloadFormat>,
}

/// airlock's JSON manifest as stored on disk.
#[derive(Serialize, Deserialize)]
struct JsonManifest {
    airlock_manifest: u32,
    set: String,
    #[serde(default)]
    scheme: Option<String>,
    #[serde(default)]
    payload: Option<String>,
    parts: Vec<JsonPart>,
}

#[derive(Serialize, Deserialize)]
struct JsonPart {
    name: String,
    size: u64,
    sha256: String,
}

/// The manifest path that means standard input (`--manifest -`).
pub const MANIFEST_STDIN: &str = "-";

/// Whether `path` means standard input.
pub fn manifest_is_stdin(path: &Path) -> bool {
    path.as_os_str() == MANIFEST_STDIN
}

/// The manifest's bytes: the file's, or standard input's (read once).
fn read_bytes(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    static STDIN_BYTES: std::sync::OnceLock<std::result::Result<Vec<u8>, (std::io::ErrorKind, String)>> =
        std::sync::OnceLock::new();
    if !manifest_is_stdin(path) {
        return std::fs::read(path);
    }
    let read = STDIN_BYTES.get_or_init(|| {
        let mut bytes = Vec::new();
        std::io::stdin().lock().read_to_end(&mut bytes).map(|_| bytes).map_err(|e| (e.kind(), e.to_string()))
    });
    read.clone().map_err(|(kind, message)| std::io::Error::new(kind, message))
}

/// The version of the JSON manifest layout this build writes.
const JSON_VERSION: u32 = 1;

impl Manifest {
    /// Reads and parses the manifest at `path` (`-`: standard input), detecting its format.
    pub fn read(path: &Path) -> Result<Manifest> {
        let bytes = read_bytes(path)
            .map_err(|e| Error::input(path, &format!("the manifest{}", crate::vocab::hint::Hint::ManifestOption), e))?;
        let text = decode_text(&bytes).ok_or_else(|| Error::Manifest {
            path: path.to_path_buf(),
            line: 0,
            reason: "not text (neither UTF-8 nor UTF-16)".to_owned(),
        })?;
        let mut manifest = Self::parse(&text, path)?;
        manifest.path = Some(path.to_path_buf());
        Ok(manifest)
    }

    /// Parses manifest text; `path` is used only in error messages.
    pub fn parse(text: &str, path: &Path) -> Result<Manifest> {
        let trimmed = text.trim_start_matches('\u{feff}').trim_start();
        let manifest = if trimmed.starts_with('{') {
            parse_json(trimmed, path)?
        } else if trimmed.starts_with("#TYPE")
            || trimmed.starts_with("\"Algorithm\"")
            || trimmed.starts_with("Algorithm,")
        {
            parse_csv(trimmed, path)?
        } else {
            parse_lines(text.trim_start_matches('\u{feff}'), path)?
        };
        if manifest.entries.is_empty() {
            return Err(Error::Manifest {
                path: path.to_path_buf(),
                line: 0,
                reason: "lists no SHA-256 hashes".to_owned(),
            });
        }
        Ok(manifest)
    }

    /// The entry for part `name`: one whose whole path is `name` (the file
    /// beside the manifest) first, then one whose last component is `name`
    /// (`C:\Downloads\NAME`), then one that differs only in case (Windows
    /// admins' manifests).
    pub fn find(&self, name: &str) -> Option<&ManifestEntry> {
        self.entries
            .iter()
            .find(|e| e.path == name)
            .or_else(|| self.entries.iter().find(|e| e.name == name))
            .or_else(|| self.entries.iter().find(|e| e.name.eq_ignore_ascii_case(name)))
    }

    /// The entry for the file at `relative` (`/`-separated) in the set's
    /// folder: a whole name that is `relative` or ends in `/relative` (a
    /// manifest written elsewhere may name the folder too), exactly, then
    /// without regard to case. A plain name is looked up as [`find`](Self::find) does.
    pub fn find_path(&self, relative: &str) -> Option<&ManifestEntry> {
        if !relative.contains('/') {
            return self.find(relative);
        }
        let suffix = format!("/{relative}");
        let exact = |e: &&ManifestEntry| e.path == relative || e.path.ends_with(&suffix);
        let lower = (relative.to_lowercase(), suffix.to_lowercase());
        let nocase = |e: &&ManifestEntry| {
            let path = e.path.to_lowercase();
            path == lower.0 || path.ends_with(&lower.1)
        };
        self.entries.iter().find(exact).or_else(|| self.entries.iter().find(nocase))
    }

    /// Builds a manifest from parts already hashed (a file in a subfolder of
    /// the set by its `/`-separated path).
    pub fn from_parts(
        set_name: &str,
        scheme: Option<Scheme>,
        payload: Option<PayloadFormat>,
        parts: impl IntoIterator<Item = (String, u64, Digest256)>,
    ) -> Manifest {
        Manifest {
            path: None,
            format: ManifestFormat::Json,
            entries: parts
                .into_iter()
                .map(|(name, size, sha256)| ManifestEntry { path: whole_name(&name), name, size: Some(size), sha256 })
                .collect(),
            set_name: Some(set_name.to_owned()),
            scheme,
            payload,
        }
    }

    /// coreutils `sha256sum` text: `<hex>  <name>` per part, escaped as
    /// coreutils escapes names with backslashes or newlines.
    pub fn to_sha256sum(&self) -> String {
        let mut out = String::new();
        for entry in &self.entries {
            if entry.name.contains(['\\', '\n', '\r']) {
                let escaped = entry.name.replace('\\', "\\\\").replace('\n', "\\n").replace('\r', "\\r");
                out.push_str(&format!("\\{}  {escaped}\n", hex(&entry.sha256)));
            } else {
                out.push_str(&format!("{}  {}\n", hex(&entry.sha256), entry.name));
            }
        }
        out
    }

    /// airlock's JSON manifest (sizes, scheme and payload included).
    pub fn to_json(&self) -> String {
        let json = JsonManifest {
            airlock_manifest: JSON_VERSION,
            set: self.set_name.clone().unwrap_or_default(),
            scheme: self.scheme.map(|s| s.key().to_owned()),
            payload: self.payload.map(|p| p.key().to_owned()),
            parts: self
                .entries
                .iter()
                .map(|e| JsonPart { name: e.name.clone(), size: e.size.unwrap_or(0), sha256: hex(&e.sha256) })
                .collect(),
        };
        let mut text = serde_json::to_string_pretty(&json).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// A name written on any system, `/`-separated, without a leading `./`.
fn whole_name(name: &str) -> String {
    let name = name.replace('\\', "/");
    let mut rest = name.as_str();
    while let Some(stripped) = rest.strip_prefix("./") {
        rest = stripped;
    }
    rest.to_owned()
}

/// Every manifest beside a set named `set_name` in `dir`, in [`Beside::LOOKUP`] order.
pub(crate) fn all_beside(dir: &Path, set_name: &str) -> Vec<PathBuf> {
    Beside::LOOKUP.iter().map(|beside| dir.join(beside.file_name(set_name))).filter(|path| path.is_file()).collect()
}

/// The last path component of a name written on any system.
fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// UTF-8 (BOM or not) or UTF-16 with a BOM.
fn decode_text(bytes: &[u8]) -> Option<String> {
    let utf16 = |bytes: &[u8], little: bool| {
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|c| if little { u16::from_le_bytes([c[0], c[1]]) } else { u16::from_be_bytes([c[0], c[1]]) })
            .collect();
        String::from_utf16(&units).ok()
    };
    match bytes {
        [0xff, 0xfe, rest @ ..] => utf16(rest, true),
        [0xfe, 0xff, rest @ ..] => utf16(rest, false),
        _ => String::from_utf8(bytes.to_vec()).ok(),
    }
}

/// One name listed twice with two hashes is a manifest that contradicts
/// itself: refused naming both places, never resolved by taking one.
#[derive(Default)]
struct Listed {
    seen: std::collections::HashMap<String, (usize, Digest256)>,
}

impl Listed {
    /// Records `name` with `digest`, listed at `at` (a line, or for JSON a
    /// part's position; `unit` says which).
    fn add(&mut self, name: &str, digest: Digest256, at: usize, unit: &str, path: &Path) -> Result<()> {
        match self.seen.get(name) {
            Some((first, earlier)) if *earlier != digest => Err(manifest_error(
                path,
                if unit == "line" { at } else { 0 },
                format!(
                    "lists {name} twice with different SHA-256s ({unit} {first}: {}, {unit} {at}: {}); a manifest that contradicts itself is never trusted: make it again from the files",
                    hex(earlier),
                    hex(&digest)
                ),
            )),
            Some(_) => Ok(()),
            None => {
                self.seen.insert(name.to_owned(), (at, digest));
                Ok(())
            }
        }
    }
}

fn manifest_error(path: &Path, line: usize, reason: impl Into<String>) -> Error {
    Error::Manifest { path: path.to_path_buf(), line, reason: reason.into() }
}

fn parse_json(text: &str, path: &Path) -> Result<Manifest> {
    let json: JsonManifest = serde_json::from_str(text)
        .map_err(|e| manifest_error(path, e.line(), format!("not an airlock JSON manifest: {e}")))?;
    if json.airlock_manifest > JSON_VERSION {
        return Err(manifest_error(
            path,
            0,
            format!("written by a newer airlock (manifest version {}); upgrade airlock", json.airlock_manifest),
        ));
    }
    let mut listed = Listed::default();
    let entries = json
        .parts
        .into_iter()
        .enumerate()
        .map(|(index, part)| {
            let sha256 = parse_hex(&part.sha256).ok_or_else(|| {
                manifest_error(path, 0, format!("part {}: {:?} is not a SHA-256", part.name, part.sha256))
            })?;
            let name = base_name(&part.name).to_owned();
            let whole = whole_name(&part.name);
            listed.add(&whole, sha256, index.saturating_add(1), "part", path)?;
            Ok(ManifestEntry { name, path: whole, size: Some(part.size), sha256 })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Manifest {
        path: None,
        format: ManifestFormat::Json,
        entries,
        set_name: Some(json.set),
        scheme: json.scheme.and_then(|s| serde_json::from_value(serde_json::Value::String(s)).ok()),
        payload: json.payload.and_then(|p| serde_json::from_value(serde_json::Value::String(p)).ok()),
    })
}

fn parse_csv(text: &str, path: &Path) -> Result<Manifest> {
    let body: String = text.lines().filter(|line| !line.starts_with("#TYPE")).collect::<Vec<_>>().join("\n");
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(body.as_bytes());
    let headers = reader.headers().map_err(|e| manifest_error(path, 1, format!("unreadable CSV header: {e}")))?.clone();
    let column = |name: &str| headers.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let (Some(algorithm), Some(hash), Some(file)) = (column("Algorithm"), column("Hash"), column("Path")) else {
        return Err(manifest_error(
            path,
            1,
            "CSV without Algorithm, Hash and Path columns (expected Get-FileHash | Export-Csv output)",
        ));
    };
    let mut entries = Vec::new();
    let mut listed = Listed::default();
    for (row, record) in reader.records().enumerate() {
        let line = row.saturating_add(2); // the header line, then 1-based
        let record = record.map_err(|e| manifest_error(path, line, format!("unreadable CSV row: {e}")))?;
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        if !field(algorithm).eq_ignore_ascii_case("SHA256") {
            return Err(manifest_error(
                path,
                line,
                format!("algorithm {:?}; airlock needs SHA256 (Get-FileHash -Algorithm SHA256)", field(algorithm)),
            ));
        }
        let sha256 = parse_hex(field(hash))
            .ok_or_else(|| manifest_error(path, line, format!("{:?} is not a SHA-256", field(hash))))?;
        let name = base_name(field(file)).to_owned();
        let whole = whole_name(field(file));
        listed.add(&whole, sha256, line, "line", path)?;
        entries.push(ManifestEntry { name, path: whole, size: None, sha256 });
    }
    Ok(Manifest {
        path: None,
        format: ManifestFormat::PowerShellCsv,
        entries,
        set_name: None,
        scheme: None,
        payload: None,
    })
}

fn parse_lines(text: &str, path: &Path) -> Result<Manifest> {
    let mut entries = Vec::new();
    let mut listed = Listed::default();
    let mut all_bsd = true;
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let number = index.saturating_add(1);
        let (name, sha256, bsd) = parse_line(line).ok_or_else(|| {
            if is_format_list(line) {
                manifest_error(
                    path,
                    number,
                    "a PowerShell Format-List listing (Get-FileHash's view on the screen), not a manifest; write one with Get-FileHash -Algorithm SHA256 FILES | Export-Csv SHA256SUMS.csv",
                )
            } else {
                manifest_error(path, number, format!("not a SHA-256 line: {line:?}"))
            }
        })?;
        all_bsd &= bsd;
        let whole = whole_name(&name);
        let name = base_name(&name).to_owned();
        listed.add(&whole, sha256, number, "line", path)?;
        entries.push(ManifestEntry { name, path: whole, size: None, sha256 });
    }
    Ok(Manifest {
        path: None,
        format: if all_bsd && !entries.is_empty() { ManifestFormat::BsdTag } else { ManifestFormat::Sha256sum },
        entries,
        set_name: None,
        scheme: None,
        payload: None,
    })
}

/// One line: `(name, digest, is_bsd_tag)`.
fn parse_line(line: &str) -> Option<(String, Digest256, bool)> {
    if let Some(rest) = line.strip_prefix("SHA256 (").or_else(|| line.strip_prefix("\\SHA256 (")) {
        let (name, hex) = rest.rsplit_once(") = ")?;
        let name = if line.starts_with('\\') { unescape(name)? } else { name.to_owned() };
        return Some((name, parse_hex(hex)?, true));
    }
    // coreutils' own grammar (`sha256sum -c`): leading blanks, `\` when the
    // name is escaped, the digest, one blank (space or tab), then `*`
    // (binary), a space (text) or, as `sha256sum -c` also reads it, the name
    // straight away; everything after is the name.
    let line = line.trim_start_matches([' ', '\t']);
    let (escaped, line) = match line.strip_prefix('\\') {
        Some(rest) => (true, rest),
        None => (false, line),
    };
    let hex = line.get(..64)?;
    let rest = line.get(64..)?;
    let after = rest.strip_prefix([' ', '\t'])?;
    let name = match after.strip_prefix([' ', '*']) {
        Some(name) if after.len() > 1 => name,
        _ => after,
    };
    let name = if escaped { unescape(name)? } else { name.to_owned() };
    if name.is_empty() {
        return None;
    }
    Some((name, parse_hex(hex)?, false))
}

/// Whether `line` is one of PowerShell's `Format-List` lines
/// (`Algorithm : SHA256`, `Hash      : 3A7B…`, `Path      : C:\…`).
fn is_format_list(line: &str) -> bool {
    line.split_once(':')
        .is_some_and(|(key, _)| ["Algorithm", "Hash", "Path"].contains(&key.trim()) && key.starts_with(['A', 'H', 'P']))
}

/// Undoes coreutils' escaping of `\\`, `\n` and `\r` in names.
fn unescape(name: &str) -> Option<String> {
    let mut out = String::with_capacity(name.len());
    let mut chars = name.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next()? {
                '\\' => out.push('\\'),
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                _ => return None,
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    const B: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    fn parse(text: &str) -> Manifest {
        Manifest::parse(text, Path::new("m")).unwrap()
    }

    #[test]
    fn reads_coreutils_text_and_binary_modes() {
        let m = parse(&format!("{A}  NAME.exe\n{B} *NAME-1.bin\n"));
        assert_eq!(m.format, ManifestFormat::Sha256sum);
        assert_eq!(m.entries.len(), 2);
        assert_eq!(m.entries[1].name, "NAME-1.bin");
        assert_eq!(hex(&m.find("name-1.BIN").unwrap().sha256), B);
    }

    #[test]
    fn reads_escaped_names_and_paths() {
        let m = parse(&format!("\\{A}  line\\nbreak\n{B}  ./sub/x.bin\n"));
        assert_eq!(m.entries[0].name, "line\nbreak");
        assert_eq!(m.entries[1].name, "x.bin");
        assert_eq!(m.entries[1].path, "sub/x.bin");
    }

    #[test]
    fn files_in_subfolders_are_found_by_their_path() {
        let m = parse(&format!("{A}  ./SQL/Updates/x.exe\n{B}  C:\\dl\\set\\SQL\\y.msp\n"));
        assert_eq!(hex(&m.find_path("SQL/Updates/x.exe").unwrap().sha256), A);
        assert_eq!(hex(&m.find_path("sql/y.MSP").unwrap().sha256), B);
        assert!(m.find_path("Other/x.exe").is_none());
        assert!(m.find_path("Updates/y.msp").is_none());
        let written = Manifest::from_parts("set", None, None, [("SQL/x.exe".to_owned(), 1, [0; 32])]);
        let again = parse(&written.to_sha256sum());
        assert!(again.find_path("SQL/x.exe").is_some());
    }

    #[test]
    fn reads_every_line_sha256sum_c_reads() {
        let m = parse(&format!("{A} one-space.exe\n{B}\ttab.bin\n  {A}  indented.bin\n{B}\t*tab-binary.bin\n"));
        let names: Vec<&str> = m.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["one-space.exe", "tab.bin", "indented.bin", "tab-binary.bin"]);
        assert_eq!(hex(&m.entries[1].sha256), B);
        // A name that is one `*` is the name, as coreutils reads it.
        assert_eq!(parse(&format!("{A} *\n")).entries[0].name, "*");
    }

    #[test]
    fn one_name_twice_with_two_hashes_is_refused_naming_both_lines() {
        let error = Manifest::parse(&format!("{A}  NAME.exe\n{B}  NAME-1.bin\n{B}  NAME.exe\n"), Path::new("S"))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("line 3") && error.contains("line 1:") && error.contains(A) && error.contains(B),
            "{error}"
        );
        // The same hash twice says one thing twice.
        assert_eq!(parse(&format!("{A}  NAME.exe\n{A} *NAME.exe\n")).entries.len(), 2);
        let json = format!(
            "{{\"airlock_manifest\":1,\"set\":\"N\",\"parts\":[{{\"name\":\"N.exe\",\"size\":1,\"sha256\":\"{A}\"}},{{\"name\":\"N.exe\",\"size\":1,\"sha256\":\"{B}\"}}]}}"
        );
        let error = Manifest::parse(&json, Path::new("N.manifest.json")).unwrap_err().to_string();
        assert!(error.contains("part 1") && error.contains("part 2"), "{error}");
    }

    #[test]
    fn a_powershell_format_list_gets_the_way_to_write_a_manifest() {
        let text =
            format!("\r\nAlgorithm : SHA256\r\nHash      : {}\r\nPath      : C:\\x\\NAME.exe\r\n", A.to_uppercase());
        let error = Manifest::parse(&text, Path::new("hashes.txt")).unwrap_err().to_string();
        assert!(error.contains("Format-List") && error.contains("Export-Csv"), "{error}");
    }

    #[test]
    fn reads_bsd_tags() {
        let m = parse(&format!("SHA256 (NAME.exe) = {A}\nSHA256 (NAME-1.bin) = {B}\n"));
        assert_eq!(m.format, ManifestFormat::BsdTag);
        assert_eq!(m.entries[0].name, "NAME.exe");
    }

    #[test]
    fn reads_powershell_csv_with_windows_paths() {
        let text = format!(
            "#TYPE Microsoft.PowerShell.Commands.FileHashInfo\r\n\"Algorithm\",\"Hash\",\"Path\"\r\n\"SHA256\",\"{}\",\"C:\\Users\\me\\Downloads\\NAME.exe\"\r\n",
            A.to_uppercase()
        );
        let m = parse(&text);
        assert_eq!(m.format, ManifestFormat::PowerShellCsv);
        assert_eq!(m.entries[0].name, "NAME.exe");
        assert_eq!(hex(&m.entries[0].sha256), A);
    }

    #[test]
    fn refuses_other_algorithms_and_garbage_with_the_line() {
        let csv = format!("\"Algorithm\",\"Hash\",\"Path\"\n\"MD5\",\"{A}\",\"x\"\n");
        let err = Manifest::parse(&csv, Path::new("m.csv")).unwrap_err().to_string();
        assert!(err.contains("line 2") && err.contains("SHA256"), "{err}");
        let err = Manifest::parse("hello world\n", Path::new("m")).unwrap_err().to_string();
        assert!(err.contains("line 1"), "{err}");
        assert!(Manifest::parse("\n\n", Path::new("m")).is_err());
    }

    #[test]
    fn json_round_trips_with_sizes() {
        let digest = parse_hex(A).unwrap();
        let m = Manifest::from_parts(
            "NAME",
            Some(Scheme::ExeWithBins),
            Some(PayloadFormat::Inno),
            [("NAME.exe".to_owned(), 3, digest)],
        );
        let back = parse(&m.to_json());
        assert_eq!(back.entries, m.entries);
        assert_eq!(back.scheme, Some(Scheme::ExeWithBins));
        assert_eq!(back.payload, Some(PayloadFormat::Inno));
        assert!(m.to_json().contains("\"exe_with_bins\""), "{}", m.to_json());
        assert_eq!(back.set_name.as_deref(), Some("NAME"));
    }

    #[test]
    fn coreutils_output_round_trips_including_escapes() {
        let digest = parse_hex(A).unwrap();
        let m =
            Manifest::from_parts("N", None, None, [("a\\b".to_owned(), 1, digest), ("plain".to_owned(), 1, digest)]);
        let text = m.to_sha256sum();
        assert!(text.starts_with('\\'), "{text}");
        assert!(text.ends_with(&format!("{A}  plain\n")));
    }

    #[test]
    fn decodes_utf16_from_windows_powershell() {
        let text = format!("\"Algorithm\",\"Hash\",\"Path\"\r\n\"SHA256\",\"{A}\",\"NAME.exe\"\r\n");
        let mut bytes = vec![0xff, 0xfe];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode_text(&bytes).unwrap(), text);
    }
}
