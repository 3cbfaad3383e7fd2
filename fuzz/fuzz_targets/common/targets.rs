//! The body of each fuzz target, shared with `tests/fuzz_regressions.rs`
//! (which replays `fuzz/regressions/<target>/*` through exactly these
//! functions). Each panics when an invariant is broken; what each checks is
//! described on the fuzz target of the same name.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use airlock::{
    CheckOptions, DownloadSet, Entry, ExtractOptions, InnoChoice, ListOptions, Listing, Manifest, NoProgress, check,
    discover, extract, list,
};

use super::{debug, set_input, split_parts, walk, write_files};

/// Runs the body of the target called `name`.
pub fn run(name: &str, data: &[u8]) {
    match name {
        "manifest_parse" => manifest_parse(data),
        "discover_names" => discover_names(data),
        "detect_and_list" => detect_and_list(data),
        "extract_archive" => extract_archive(data),
        "authenticode" => authenticode(data),
        "inno_header" => inno_header(data),
        "fetch_response" => fetch_response(data),
        "manifest_signature" => manifest_signature(data),
        "manifest_model" => manifest_model(data),
        other => panic!("no fuzz target {other:?}"),
    }
}

// ------------------------------------------------------------ manifest_parse

fn pairs(manifest: &Manifest) -> Vec<(String, [u8; 32])> {
    manifest.entries.iter().map(|e| (e.name.clone(), e.sha256)).collect()
}

fn check_manifest(manifest: &Manifest) {
    assert!(!manifest.entries.is_empty(), "a parsed manifest lists no entries");
    for entry in &manifest.entries {
        assert!(!entry.name.contains(['/', '\\']), "entry name {:?} is not a bare file name", entry.name);
    }
    if manifest.entries.iter().any(|e| e.name.is_empty()) {
        // `HASH  folder/` names an empty file name; it cannot be written back.
        return;
    }
    let path = Path::new("roundtrip");
    let text = manifest.to_sha256sum();
    let again = Manifest::parse(&text, path)
        .unwrap_or_else(|e| panic!("to_sha256sum output does not parse again: {e}\n{text:?}"));
    assert_eq!(pairs(manifest), pairs(&again), "sha256sum round trip changed the entries\n{text:?}");
    let json = manifest.to_json();
    let again =
        Manifest::parse(&json, path).unwrap_or_else(|e| panic!("to_json output does not parse again: {e}\n{json}"));
    assert_eq!(pairs(manifest), pairs(&again), "JSON round trip changed the entries\n{json}");
}

pub fn manifest_parse(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        match Manifest::parse(text, Path::new("SHA256SUMS")) {
            Ok(manifest) => check_manifest(&manifest),
            Err(e) if debug() => eprintln!("parse: {e}"),
            Err(_) => {}
        }
    }
    if data.starts_with(&[0xff, 0xfe]) || data.starts_with(&[0xfe, 0xff]) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("SHA256SUMS");
        std::fs::write(&path, data).expect("write");
        match Manifest::read(&path) {
            Ok(manifest) => {
                assert_eq!(manifest.path.as_deref(), Some(path.as_path()));
                check_manifest(&manifest);
            }
            Err(e) if debug() => eprintln!("read: {e}"),
            Err(_) => {}
        }
    }
}

// ------------------------------------------------------------ discover_names

fn names_of(set: &DownloadSet) -> Vec<String> {
    set.parts.iter().map(|p| p.name.clone()).collect()
}

fn check_set(dir: &Path, set: &DownloadSet) {
    assert_eq!(set.dir, dir, "set found in another folder");
    for part in &set.parts {
        assert_eq!(part.path.parent(), Some(dir), "part {:?} is not in the folder", part.path);
        assert_eq!(part.path.file_name().map(|n| n.to_string_lossy().into_owned()), Some(part.name.clone()));
        let meta = std::fs::metadata(&part.path).expect("a part exists");
        assert!(meta.is_file(), "part {:?} is not a file", part.path);
        assert_eq!(meta.len(), part.size, "part {:?} size", part.path);
    }
    for pair in set.parts.windows(2) {
        assert!(pair[0].number < pair[1].number, "parts out of order: {:?}", names_of(set));
    }
}

pub fn discover_names(data: &[u8]) {
    let (names, contents) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let parts = split_parts(contents);
    let exe_content = parts.first().copied().unwrap_or(&[]);
    let bin_content = parts.get(1).copied().unwrap_or(&[]);

    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let mut created = Vec::new();
    for raw in names.split(|&b| b == b'\n').take(32) {
        let (is_dir, raw) = match raw.split_first() {
            Some((1, rest)) => (true, rest),
            _ => (false, raw),
        };
        if raw.is_empty() || raw == b"." || raw == b".." || raw.contains(&b'/') || raw.len() > 255 {
            continue;
        }
        let path = dir.join(OsStr::from_bytes(raw));
        if path.symlink_metadata().is_ok() {
            continue;
        }
        if is_dir {
            std::fs::create_dir(&path).expect("mkdir");
            continue;
        }
        let lower = raw.to_ascii_lowercase();
        let content = if lower.ends_with(b".exe") {
            exe_content
        } else if lower.ends_with(b".bin") {
            bin_content
        } else {
            &[][..]
        };
        std::fs::write(&path, content).expect("write");
        created.push(path);
    }

    match discover(dir) {
        Ok(set) => {
            check_set(dir, &set);
            for part in &set.parts {
                let again = discover(&part.path).unwrap_or_else(|e| {
                    panic!("discovering through part {:?} of the folder's set fails: {e}", part.name)
                });
                assert_eq!(names_of(&set), names_of(&again), "discovering through {:?} finds another set", part.name);
            }
            let checked = check(&set, &CheckOptions::default(), &NoProgress);
            if debug() {
                eprintln!(
                    "discover: {:?}; check: {:?}",
                    names_of(&set),
                    checked.map(|r| r.summary()).map_err(|e| e.to_string())
                );
            }
        }
        Err(e) if debug() => eprintln!("discover: {e}"),
        Err(_) => {}
    }
    for path in created.iter().take(8) {
        if let Ok(set) = discover(path) {
            check_set(dir, &set);
        }
    }
}

// ----------------------------------------------------------- detect_and_list

/// A listed entry has exactly one of `path` and `unsafe_reason`, and its path
/// is a safe relative path.
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

pub fn detect_and_list(data: &[u8]) {
    let Some(input) = set_input(data) else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    write_files(tmp.path(), &input.files);
    let set = match discover(tmp.path()) {
        Ok(set) => set,
        Err(e) => {
            if debug() {
                eprintln!("discover: {e}");
            }
            return;
        }
    };
    let checked = check(&set, &CheckOptions::default(), &NoProgress);
    let listed = list(&set, &ListOptions::default().every_entry(true), &NoProgress);
    if debug() {
        match &checked {
            Ok(report) => eprintln!("check: {:?} {:?}: {}", report.payload, report.payload_detail, report.summary()),
            Err(e) => eprintln!("check: {e}"),
        }
        match &listed {
            Ok(listing) => {
                let entries = &listing.entries;
                eprintln!("list: {} entries, first {:?}", entries.len(), entries.first().map(|e| &e.name))
            }
            Err(e) => eprintln!("list: {e}"),
        }
    }
    if let Ok(listing) = listed {
        assert!(listing.check.is_ok(), "list returned a report with errors");
        for entry in &listing.entries {
            assert_safe_entry(entry);
        }
    }
}

// ----------------------------------------------------------- extract_archive

pub fn extract_archive(data: &[u8]) {
    let Some(input) = set_input(data) else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    write_files(tmp.path(), &input.files);
    let inputs: Vec<PathBuf> = input.files.iter().map(|(name, _)| tmp.path().join(name)).collect();
    let set = match discover(tmp.path()) {
        Ok(set) => set,
        Err(e) => {
            if debug() {
                eprintln!("discover: {e}");
            }
            return;
        }
    };
    let dest = tmp.path().join("dest");
    let mut options = ExtractOptions::new(&dest);
    options.min_free = 0;
    options.verify_parts = false;
    options.hash.threads = input.threads;
    let result = extract(&set, &options, &NoProgress);
    if debug() {
        match &result {
            Ok(report) => eprintln!("extract: {} files, {} bytes", report.files.len(), report.bytes_written),
            Err(e) => eprintln!("extract: {e}"),
        }
    }

    for path in walk(tmp.path()) {
        if path.starts_with(&dest) {
            let meta = std::fs::symlink_metadata(&path).expect("lstat");
            assert!(!meta.file_type().is_symlink(), "extraction left a symbolic link: {path:?}");
        } else {
            assert!(inputs.contains(&path), "extraction wrote outside the destination: {path:?} ({result:?})");
        }
    }
    match &result {
        Err(error) => {
            assert!(!dest.exists(), "a failed extraction ({error}) left the destination it created: {:?}", walk(&dest));
        }
        Ok(report) => {
            for file in &report.files {
                let meta = std::fs::symlink_metadata(dest.join(&file.path))
                    .unwrap_or_else(|e| panic!("reported file {:?} is missing: {e}", file.path));
                assert!(meta.is_file(), "reported file {:?} is not a regular file", file.path);
                assert_eq!(meta.len(), file.size, "reported file {:?} size", file.path);
            }
            let staging: Vec<_> = std::fs::read_dir(&dest)
                .expect("dest exists")
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().starts_with(".airlock-partial-"))
                .map(|e| e.path())
                .collect();
            assert!(staging.is_empty(), "staging folder left: {staging:?}");
            if let [(name, bytes)] = input.files.as_slice()
                && name.ends_with(".zip")
            {
                assert_zip_agrees_with_itself(bytes);
            }
        }
    }
}

/// One entry of a zip as its central directory and local header tell it.
struct ZipSpan {
    start: u64,
    end: u64,
    central_name: Vec<u8>,
    local_name: Option<Vec<u8>>,
    size: u64,
}

fn le16(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?)))
}

fn le32(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?)))
}

/// A zip's entries read independently of airlock and the zip crate, for the
/// simple case only: one end record whose comment reaches the end of the
/// file exactly, no zip64, nothing before the archive (the central directory
/// ends where the end record starts). `None` when the case is not simple.
fn zip_story(b: &[u8]) -> Option<Vec<ZipSpan>> {
    let ends: Vec<usize> = (0..=b.len().checked_sub(22)?)
        .filter(|&at| b[at..].starts_with(b"PK\x05\x06") && le16(b, at + 20) == Some((b.len() - at - 22) as u64))
        .collect();
    let [end] = ends.as_slice() else { return None };
    let end = *end;
    if end >= 20 && b[end - 20..].starts_with(b"PK\x06\x07") {
        return None;
    }
    let (count, cd_size, cd_start) = (le16(b, end + 10)?, le32(b, end + 12)?, le32(b, end + 16)?);
    if count == 0xffff || cd_size == 0xffff_ffff || cd_start == 0xffff_ffff || cd_start + cd_size != end as u64 {
        return None;
    }
    let mut spans = Vec::new();
    let mut at = cd_start as usize;
    for _ in 0..count {
        if !b.get(at..)?.starts_with(b"PK\x01\x02") {
            return None;
        }
        let (csize, usize_, nlen, elen, clen, offset) = (
            le32(b, at + 20)?,
            le32(b, at + 24)?,
            le16(b, at + 28)?,
            le16(b, at + 30)?,
            le16(b, at + 32)?,
            le32(b, at + 42)?,
        );
        if [csize, usize_, offset].contains(&0xffff_ffff) {
            return None;
        }
        let central_name = b.get(at + 46..at + 46 + nlen as usize)?.to_vec();
        let local = offset as usize;
        let local_name = if b.get(local..)?.starts_with(b"PK\x03\x04") {
            let lnlen = le16(b, local + 26)? as usize;
            Some((b.get(local + 30..local + 30 + lnlen)?.to_vec(), le16(b, local + 28)?))
        } else {
            None
        };
        let end = local_name.as_ref().map_or(offset, |(n, e)| offset + 30 + n.len() as u64 + e + csize);
        spans.push(ZipSpan { start: offset, end, central_name, local_name: local_name.map(|(n, _)| n), size: usize_ });
        at += 46 + (nlen + elen + clen) as usize;
    }
    Some(spans)
}

/// A zip that airlock extracted agrees with itself (issue 25): every entry
/// has a local header carrying its central name, no two entries share or
/// overlap bytes, no folder entry carries data.
fn assert_zip_agrees_with_itself(bytes: &[u8]) {
    let Some(mut spans) = zip_story(bytes) else { return };
    for span in &spans {
        let name = String::from_utf8_lossy(&span.central_name);
        let local = span.local_name.as_ref().unwrap_or_else(|| panic!("extracted, but {name} has no local header"));
        assert_eq!(local, &span.central_name, "extracted, but the local header of {name} names another file");
        assert!(!(span.central_name.ends_with(b"/") && span.size > 0), "extracted, but the folder {name} carries data");
    }
    spans.sort_by_key(|s| s.start);
    for pair in spans.windows(2) {
        assert!(
            pair[0].end <= pair[1].start,
            "extracted, but {} ({}..{}) and {} ({}..{}) overlap",
            String::from_utf8_lossy(&pair[0].central_name),
            pair[0].start,
            pair[0].end,
            String::from_utf8_lossy(&pair[1].central_name),
            pair[1].start,
            pair[1].end
        );
    }
}

// ------------------------------------------------------------ authenticode

/// Authenticode verification of arbitrary bytes as a PE image: never a
/// panic; a non-PE is `None`, and a verdict of valid needs a signature that
/// chains to a built-in Microsoft root (which random bytes cannot make).
pub fn authenticode(data: &[u8]) {
    let trust = airlock::SignerPolicy::builtin();
    let status = airlock::verify_authenticode_bytes(data, &trust);
    if debug() {
        eprintln!("{status:?}");
    }
    if !data.starts_with(b"MZ") {
        assert!(status.is_none(), "a file not starting with MZ was taken for a PE: {status:?}");
    }
}

// ------------------------------------------------------------ inno_header

/// The password of the encrypted fixtures (`testdata/inno/inno-6.4.1-encrypted-*`).
pub const INNO_PASSWORD: &str = "fixture-pass";
/// A wrong password: the right one with one letter's case changed.
pub const INNO_WRONG_PASSWORD: &str = "fixture-Pass";

/// What identifies an entry across two listings.
fn entry_key(entry: &Entry) -> (String, u64, Option<String>, Option<u32>) {
    (entry.name.clone(), entry.size, entry.path.clone(), entry.inno.as_ref().map(|c| c.location))
}

/// `part` picks names from `all`: 0 none (the defaults), 1 the first, 2 the
/// last, 3 every other one.
fn pick(all: &[String], part: u8) -> Vec<String> {
    match part & 3 {
        0 => Vec::new(),
        1 => all.first().cloned().into_iter().collect(),
        2 => all.last().cloned().into_iter().collect(),
        _ => all.iter().step_by(2).cloned().collect(),
    }
}

/// A single name (no operators, no list): the only form the invariant below
/// evaluates itself.
fn single_name(condition: &str) -> Option<&str> {
    let name = condition.trim();
    let simple = !name.is_empty()
        && name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '\\')
        && !["and", "or", "not"].contains(&name.to_ascii_lowercase().as_str());
    simple.then_some(name)
}

pub fn inno_header(data: &[u8]) {
    let Some((&selector, payload)) = data.split_first() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let files = super::inno_raw(payload);
    write_files(tmp.path(), &files);
    let Ok(set) = discover(tmp.path()) else { return };

    // Every entry, and the installer as a whole (default choice).
    let all = match list(&set, &ListOptions::default().every_entry(true), &NoProgress) {
        Ok(listing) => listing.entries,
        Err(e) => {
            if debug() {
                eprintln!("list: {e}");
            }
            return;
        }
    };
    let all_keys: Vec<_> = all.iter().map(entry_key).collect();
    let default = match list(&set, &ListOptions::default(), &NoProgress) {
        Ok(listing) => listing,
        Err(e) => panic!("list of every entry succeeds but list with the default choice fails: {e}"),
    };
    check_chosen(&all_keys, &all, &default, &InnoChoice::default());
    let Some(installer) = default.installer.clone() else {
        // Not read as an Inno Setup installer: nothing more to choose.
        return;
    };

    // A choice made from the installer's own names.
    let languages: Vec<String> = installer.languages.iter().map(|l| l.name.clone()).collect();
    let components: Vec<String> = installer.components.iter().map(|c| c.name.clone()).collect();
    let tasks: Vec<String> = installer.tasks.iter().map(|t| t.name.clone()).collect();
    let language = match selector & 3 {
        0 => None,
        n if languages.is_empty() => (n == 3).then(|| "zz".to_owned()),
        n => Some(languages[usize::from(n - 1) % languages.len()].clone()),
    };
    let choice =
        InnoChoice { language, components: pick(&components, selector >> 2), tasks: pick(&tasks, selector >> 4) };
    match list(&set, &ListOptions::default().inno(choice.clone()), &NoProgress) {
        Ok(listing) => {
            check_chosen(&all_keys, &all, &listing, &choice);
            assert_eq!(
                listing.installer.as_ref().map(|i| (i.languages.len(), i.components.len(), i.tasks.len())),
                Some((languages.len(), components.len(), tasks.len())),
                "the installer reads differently under another choice"
            );
        }
        Err(airlock::Error::UnknownChoice { .. }) if languages.is_empty() => {}
        Err(e) => panic!("a choice of the installer's own names ({choice:?}) fails: {e}"),
    }
    // A name the installer does not have is refused, never ignored.
    for bogus in [
        InnoChoice { language: Some("\u{1}none".into()), ..InnoChoice::default() },
        InnoChoice { components: vec!["\u{1}none".into()], ..InnoChoice::default() },
        InnoChoice { tasks: vec!["\u{1}none".into()], ..InnoChoice::default() },
    ] {
        match list(&set, &ListOptions::default().inno(bogus.clone()), &NoProgress) {
            Err(airlock::Error::UnknownChoice { .. }) => {}
            other => panic!("an unknown name ({bogus:?}) was not refused: {:?}", other.map(|l| l.entries.len())),
        }
    }

    // The password check.
    let wrong = list(&set, &ListOptions::default().password(Some(INNO_WRONG_PASSWORD.to_owned())), &NoProgress);
    // Key derivation is slow (PBKDF2 from 6.4 on): the right password only with bit 6.
    let right = (selector & 0x40 != 0)
        .then(|| list(&set, &ListOptions::default().password(Some(INNO_PASSWORD.to_owned())), &NoProgress));
    if debug() {
        eprintln!(
            "inno: {} entries, {} chosen by default, encrypted {}; wrong password: {:?}; right password: {:?}",
            all.len(),
            default.entries.len(),
            installer.encrypted,
            wrong.as_ref().map(|l| l.entries.len()).map_err(|e| e.to_string()),
            right.as_ref().map(|r| r.as_ref().map(|l| l.entries.len()).map_err(|e| e.to_string())),
        );
    }
    if !installer.encrypted {
        assert!(
            wrong.is_ok() && right.is_none_or(|r| r.is_ok()),
            "a password given for an unencrypted installer is not ignored"
        );
        return;
    }
    match &wrong {
        // Refused by the password test, or no test to check it against.
        Err(airlock::Error::Password { .. }) | Err(airlock::Error::Payload { .. }) => {}
        Ok(_) => panic!("the wrong password passes the installer's password test"),
        Err(e) => panic!("the wrong password fails with another error: {e}"),
    }
    // A wrong password never yields an entry's bytes: extraction fails and
    // leaves nothing behind.
    let dest = tmp.path().join("dest");
    let mut options = ExtractOptions::new(&dest);
    options.min_free = 0;
    options.verify_parts = false;
    options.password = Some(INNO_WRONG_PASSWORD.to_owned());
    match extract(&set, &options, &NoProgress) {
        Ok(report) => panic!("extraction with the wrong password wrote {} files", report.files.len()),
        Err(e) => assert!(!dest.exists(), "extraction with the wrong password ({e}) left {:?}", walk(&dest)),
    }
}

/// A listing for `choice` takes a subset of every entry, in order; every
/// entry it does not take is left out with a reason; a taken entry with a
/// one-name language condition names the chosen language.
fn check_chosen(
    all_keys: &[(String, u64, Option<String>, Option<u32>)],
    all: &[Entry],
    listing: &Listing,
    choice: &InnoChoice,
) {
    let mut rest = all_keys.iter();
    for entry in &listing.entries {
        let key = entry_key(entry);
        assert!(
            rest.any(|k| *k == key),
            "chosen entry {:?} ({choice:?}) is not among all entries, in order",
            entry.name
        );
        assert_safe_entry(entry);
        if let (Some(language), Some(condition)) =
            (&listing.language, entry.inno.as_ref().and_then(|c| c.conditions.languages.as_deref()))
            && let Some(name) = single_name(condition)
        {
            assert!(
                name.eq_ignore_ascii_case(language),
                "entry {:?} for language {name:?} taken for language {language:?}",
                entry.name
            );
        }
    }
    assert_eq!(
        listing.entries.len() + listing.left_out.len(),
        all.len(),
        "{choice:?}: {} taken + {} left out != {} entries",
        listing.entries.len(),
        listing.left_out.len(),
        all.len()
    );
}

// ------------------------------------------------------- manifest_signature

/// The verdict of `minisign-verify` (a separate implementation of the
/// format) on the same three texts.
fn minisign_oracle(manifest: &[u8], signature: &[u8], key: &[u8]) -> Result<(), String> {
    let signature = std::str::from_utf8(signature).map_err(|e| e.to_string())?;
    let key = std::str::from_utf8(key).map_err(|e| e.to_string())?;
    let key = minisign_verify::PublicKey::decode(key)
        .or_else(|_| minisign_verify::PublicKey::from_base64(key.trim()))
        .map_err(|e| format!("key: {e}"))?;
    let signature = minisign_verify::Signature::decode(signature).map_err(|e| format!("signature: {e}"))?;
    key.verify(manifest, &signature, true).map_err(|e| format!("verify: {e}"))
}

pub fn manifest_signature(data: &[u8]) {
    let parts = split_parts(data);
    let get = |i: usize| parts.get(i).copied().unwrap_or(&[]);
    let (manifest, signature, key) = (get(0), get(1), get(2));
    let tmp = tempfile::tempdir().expect("tempdir");
    let manifest_path = tmp.path().join("SHA256SUMS");
    let key_path = tmp.path().join("key.pub");
    std::fs::write(&manifest_path, manifest).expect("write");
    std::fs::write(airlock::signature_path(&manifest_path), signature).expect("write");
    std::fs::write(&key_path, key).expect("write");

    let public = airlock::read_public_key(&key_path);
    let verdict =
        public.as_ref().map_err(|e| e.to_string()).and_then(|k| airlock::verify_manifest_signature(&manifest_path, k));
    let oracle = minisign_oracle(manifest, signature, key);
    if debug() {
        eprintln!("airlock: {verdict:?}\nminisign-verify: {oracle:?}");
    }
    if let Ok(public) = &public {
        if verdict.is_ok() {
            assert!(oracle.is_ok(), "airlock accepts a signature minisign-verify rejects: {oracle:?}");
            // Over the exact bytes: any other manifest is refused.
            let mut longer = manifest.to_vec();
            longer.push(b'\n');
            let mut flipped = manifest.to_vec();
            if let Some(last) = flipped.last_mut() {
                *last ^= 1;
            }
            for (what, altered) in [("a byte appended", longer), ("the last byte changed", flipped)] {
                if altered == manifest {
                    continue;
                }
                std::fs::write(&manifest_path, &altered).expect("write");
                assert!(
                    airlock::verify_manifest_signature(&manifest_path, public).is_err(),
                    "the signature still verifies with {what}"
                );
            }
            std::fs::write(&manifest_path, manifest).expect("write");
        }
        // The same decision through verify's trust path: a set made of the
        // manifest's first part (one small file), the manifest given.
        let first = std::str::from_utf8(manifest)
            .ok()
            .and_then(|text| Manifest::parse(text, &manifest_path).ok())
            .and_then(|m| m.entries.first().map(|e| e.name.clone()))
            .filter(|n| !n.is_empty() && n.len() < 200 && !n.contains(['/', '\\', '\0']) && n != "." && n != "..");
        let Some(first) = first else { return };
        let set_dir = tmp.path().join("set");
        std::fs::create_dir(&set_dir).expect("mkdir");
        let head = set_dir.join(&first);
        std::fs::write(&head, b"not the part").expect("write");
        let Ok(set) = discover(&head) else { return };
        if !set.parts.iter().any(|p| p.name == first) {
            return;
        }
        let options = airlock::VerifyOptions::default()
            .manifest(Some(manifest_path.clone()))
            .manifest_key(Some(key_path.clone()));
        match airlock::verify(&set, &options, &NoProgress) {
            Ok(report) => {
                let signature = report.signature.clone().expect("a trusted verification reports its signature check");
                assert_eq!(
                    signature.valid,
                    verdict.is_ok(),
                    "verify's trust path ({:?}) and verify_manifest_signature ({verdict:?}) disagree",
                    signature.message
                );
                // The part's bytes are not the listed ones: never a pass.
                assert!(!report.is_ok(), "a part that is not the listed one verified");
            }
            Err(e) => panic!("verify fails ({e}) on a manifest that parses and lists the set's head"),
        }
    } else {
        assert!(verdict.is_err());
    }
}

// ----------------------------------------------------------- fetch_response

/// The retries allowed (passing failures are retried without waiting).
const FETCH_RETRIES: u32 = 3;

/// What the fuzz side reads from a raw response head itself (httparse), to
/// check the library's decision against: the status, and the value of
/// `Content-Length` and `Content-Range` when each appears exactly once.
struct RawHead {
    status: u16,
    content_length: Option<u64>,
    content_range: Option<(u64, u64, Option<u64>)>,
}

fn raw_head(response: &[u8]) -> Option<RawHead> {
    let mut at = 0;
    loop {
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut parsed = httparse::Response::new(&mut headers);
        let Ok(httparse::Status::Complete(length)) = parsed.parse(&response[at..]) else { return None };
        let status = parsed.code?;
        // Informational (1xx) heads come before the response itself.
        if (100..200).contains(&status) {
            at += length;
            continue;
        }
        let only = |name: &str| {
            let mut values = parsed.headers.iter().filter(|h| h.name.eq_ignore_ascii_case(name));
            match (values.next(), values.next()) {
                (Some(h), None) => std::str::from_utf8(h.value).ok().map(str::trim),
                _ => None,
            }
        };
        let digits =
            |s: &str| (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u64>().ok()).flatten();
        let content_length = only("content-length").and_then(digits);
        let content_range = only("content-range").and_then(|v| {
            let rest = v.strip_prefix("bytes")?.trim_start();
            let (range, total) = rest.split_once('/')?;
            let (start, end) = range.trim().split_once('-')?;
            let total = match total.trim() {
                "*" => None,
                t => Some(digits(t)?),
            };
            Some((digits(start.trim())?, digits(end.trim())?, total))
        });
        return Some(RawHead { status, content_length, content_range });
    }
}

/// `bytes=N-` → N.
fn range_from(header: Option<&str>) -> u64 {
    header.and_then(|r| r.trim().strip_prefix("bytes=")?.strip_suffix('-')?.parse().ok()).unwrap_or(0)
}

pub fn fetch_response(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else { return };
    let slice = flags & 1 != 0;
    let mut parts = split_parts(rest);
    let resume = (flags & 2 != 0 && !parts.is_empty()).then(|| {
        let mut earlier = parts.remove(0);
        let total = if flags & 4 != 0 && earlier.len() >= 4 {
            let (number, bytes) = earlier.split_at(4);
            earlier = bytes;
            Some(u64::from(u32::from_le_bytes(number.try_into().expect("4 bytes"))))
        } else {
            None
        };
        let (etag, last_modified) = match (flags >> 3) & 3 {
            0 => (Some("\"fuzz\""), None),
            1 => (Some("W/\"fuzz\""), Some("Wed, 25 Nov 2026 17:26:34 GMT")),
            2 => (None, Some("Wed, 25 Nov 2026 17:26:34 GMT")),
            _ => (None, None),
        };
        airlock::fuzzing::CannedResume {
            bytes: earlier.to_vec(),
            etag: etag.map(str::to_owned),
            last_modified: last_modified.map(str::to_owned),
            total,
        }
    });
    let responses: Vec<Vec<u8>> = parts.iter().map(|p| p.to_vec()).collect();
    let tmp = tempfile::tempdir().expect("tempdir");
    let outcome =
        airlock::fuzzing::transfer_canned(tmp.path(), responses.clone(), resume.clone(), slice, FETCH_RETRIES);
    if debug() {
        eprintln!("requests: {:?}\nresult: {:?}", outcome.requests, outcome.result.as_ref().map_err(|e| e.to_string()));
    }
    for request in &outcome.requests {
        assert!(request.response < responses.len(), "a request answered by a response that was not given");
    }
    let part = match &outcome.result {
        Err(_) => {
            assert!(!outcome.done.exists(), "a failed transfer left the part's final name");
            return;
        }
        Ok(part) => part,
    };
    // Declared and delivered agree: the file is what the transfer counted and hashed.
    let bytes = std::fs::read(&part.path).expect("a completed part exists");
    assert_eq!(bytes.len() as u64, part.size, "the part's size on disk");
    let digest: [u8; 32] = <sha2::Sha256 as sha2::Digest>::digest(&bytes).into();
    assert_eq!(digest, part.sha256, "the SHA-256 computed while writing is not the file's");
    assert!(!outcome.partial.exists() && !outcome.state.exists(), "a completed part left its partial files");
    if part.resumed_bytes > 0 {
        let earlier = resume.as_ref().map(|r| r.bytes.as_slice()).unwrap_or_default();
        let kept = usize::try_from(part.resumed_bytes).expect("small");
        assert!(kept <= earlier.len() && bytes[..kept] == earlier[..kept], "resumed bytes are not the earlier ones");
    }
    let Some(last) = outcome.requests.last() else {
        // Nothing asked: only an earlier part already complete.
        let resume = resume.expect("a part completed without a request or an earlier part");
        assert_eq!(Some(part.size), resume.total, "completed without a request, but not at the announced size");
        assert_eq!(part.size, resume.bytes.len() as u64);
        return;
    };
    let asked = range_from(last.range.as_deref());
    let Some(head) = raw_head(&responses[last.response]) else { return };
    match head.status {
        206 => {
            if let Some((start, end, total)) = head.content_range {
                assert_eq!(start, asked, "a 206 for bytes from {start} was kept for a request from {asked}");
                // Its body was bytes start..=end, and it completed the part.
                assert_eq!(
                    end.checked_add(1),
                    Some(part.size),
                    "a 206 declaring bytes {start}-{end} completed a part of {} bytes",
                    part.size
                );
                if let Some(total) = total {
                    assert_eq!(part.size, total, "the part's size is not the Content-Range total");
                }
            }
        }
        200 => {
            if let Some(length) = head.content_length {
                assert_eq!(part.size, length, "the part's size is not the 200's Content-Length");
            }
            assert!(
                asked == 0 || !part.restarts.is_empty(),
                "a 200 answering a range request from {asked} was kept without a restart"
            );
            assert_eq!(part.resumed_bytes, 0, "a 200 kept earlier bytes");
        }
        status => panic!("a part completed on HTTP {status}"),
    }
}

// ------------------------------------------------------------ manifest_model

/// A stored zip of one small file: the one part of the set `X.zip`.
fn tiny_zip(content: &[u8]) -> Vec<u8> {
    let name = b"a.txt";
    let crc = crc32fast::hash(content);
    let size = content.len() as u32;
    let mut zip = Vec::new();
    zip.extend_from_slice(b"PK\x03\x04\x0a\x00\x00\x00\x00\x00\x00\x00\x21\x00");
    for field in [crc, size, size] {
        zip.extend_from_slice(&field.to_le_bytes());
    }
    zip.extend_from_slice(&(name.len() as u16).to_le_bytes());
    zip.extend_from_slice(&[0, 0]);
    zip.extend_from_slice(name);
    zip.extend_from_slice(content);
    let central = zip.len() as u32;
    zip.extend_from_slice(b"PK\x01\x02\x14\x00\x0a\x00\x00\x00\x00\x00\x00\x00\x21\x00");
    for field in [crc, size, size] {
        zip.extend_from_slice(&field.to_le_bytes());
    }
    zip.extend_from_slice(&(name.len() as u16).to_le_bytes());
    zip.extend_from_slice(&[0; 12]); // extra, comment, disk, attributes
    zip.extend_from_slice(&0u32.to_le_bytes()); // local header offset
    zip.extend_from_slice(name);
    let central_size = zip.len() as u32 - central;
    zip.extend_from_slice(b"PK\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00");
    zip.extend_from_slice(&central_size.to_le_bytes());
    zip.extend_from_slice(&central.to_le_bytes());
    zip.extend_from_slice(&[0, 0]);
    zip
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The files beside the set `X.zip` that `manifest_model` may write, in the
/// order of the input's parts.
const MODEL_MANIFESTS: [&str; 3] = ["SHA256SUMS", "X.zip.sha256", "X.zip.manifest.json"];

pub fn manifest_model(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else { return };
    let parts = split_parts(rest);
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let zip = tiny_zip(parts.get(4).copied().unwrap_or(b"hello\n"));
    std::fs::write(dir.join("X.zip"), &zip).expect("write X.zip");
    let notes = parts.get(3).copied().unwrap_or(b"release notes\n");
    if flags & 0x08 != 0 {
        std::fs::write(dir.join("notes.txt"), notes).expect("write notes.txt");
    }
    let (zip_hash, notes_hash) = (sha256_hex(&zip), sha256_hex(notes));
    for (i, name) in MODEL_MANIFESTS.iter().enumerate() {
        if flags & (1 << i) == 0 {
            continue;
        }
        let text = parts.get(i).copied().unwrap_or_default();
        let text = replace(text, b"%%SHA%%", zip_hash.as_bytes());
        let text = replace(&text, b"%%NOTES%%", notes_hash.as_bytes());
        let size = zip.len().to_string();
        let text = replace(&text, b"%%SIZE%%", size.as_bytes());
        std::fs::write(dir.join(name), text).expect("write a manifest");
    }
    // Through the part, or through the folder (bit 4).
    let set = match discover(&if flags & 0x10 != 0 { dir.to_path_buf() } else { dir.join("X.zip") }) {
        Ok(set) => set,
        Err(e) => {
            if debug() {
                eprintln!("discover: {e}");
            }
            return;
        }
    };
    let result = airlock::verify(&set, &airlock::VerifyOptions::default(), &NoProgress);
    if debug() {
        match &result {
            Ok(report) => eprintln!(
                "verify: manifest {:?}, failure {:?}, parts {:?}, others {:?}",
                report.manifest,
                report.failure(),
                report.parts.iter().map(|p| (&p.name, p.status)).collect::<Vec<_>>(),
                report.others.iter().map(|o| (&o.name, o.status)).collect::<Vec<_>>()
            ),
            Err(e) => eprintln!("verify: {e}"),
        }
    }
    let Ok(report) = result else { return };
    if let Some(used) = &report.manifest {
        assert!(
            MODEL_MANIFESTS.iter().any(|m| dir.join(m) == *used),
            "verify used {used:?}, which is no manifest beside the set"
        );
    }
    if report.failure().is_some() {
        return;
    }
    // Never OK while a manifest beside the set says otherwise: in every
    // manifest there that airlock can read, the entry for the part (as
    // `Manifest::find` matches it: the whole path, else the last component,
    // else without regard to case) and every entry for `notes.txt` beside
    // the set give the files' real hashes.
    for name in MODEL_MANIFESTS {
        let path = dir.join(name);
        let Ok(manifest) = Manifest::read(&path) else { continue };
        let part = manifest.find("X.zip").map(|e| (e, &zip_hash));
        let notes =
            manifest.entries.iter().filter(|e| e.path == "notes.txt" && flags & 0x08 != 0).map(|e| (e, &notes_hash));
        for (entry, actual) in part.into_iter().chain(notes) {
            let listed: String = entry.sha256.iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(
                &listed, actual,
                "verify is OK (manifest used: {:?}) but {name} lists {} with another SHA-256",
                report.manifest, entry.path
            );
        }
    }
}

/// `text` with every `from` replaced by `to`.
fn replace(text: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.windows(from.len()).position(|w| w == from) {
        out.extend_from_slice(&rest[..i]);
        out.extend_from_slice(to);
        rest = &rest[i + from.len()..];
    }
    out.extend_from_slice(rest);
    out
}
