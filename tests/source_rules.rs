//! Rules about the library's source that no compiler checks: read from
//! `src/` itself, so they stay true as the code changes.

use std::path::{Path, PathBuf};

/// Every `.rs` file of the library (the binary, `src/bin/`, excepted).
fn library_sources() -> Vec<(PathBuf, String)> {
    sources(false)
}

/// Every `.rs` file under `src/`, the binary's with `with_binary`.
fn sources(with_binary: bool) -> Vec<(PathBuf, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files: Vec<(PathBuf, String)> = walkdir::WalkDir::new(&src)
        .into_iter()
        .map(|entry| entry.expect("src/ is readable"))
        .filter(|entry| entry.path().extension().is_some_and(|e| e == "rs"))
        .map(|entry| entry.path().strip_prefix(&src).unwrap().to_path_buf())
        .filter(|relative| with_binary || !relative.starts_with("bin"))
        .map(|relative| {
            let text = std::fs::read_to_string(src.join(&relative)).unwrap();
            (relative, text)
        })
        .collect();
    files.sort();
    assert!(files.len() > 40, "found only {} library files", files.len());
    files
}

/// The line, or nothing when it is a comment (doc comments may name flags:
/// they are for the next engineer, not messages).
fn code(line: &str) -> &str {
    let trimmed = line.trim_start();
    if trimmed.starts_with("//") { "" } else { line }
}

/// Whether `text` names a command-line flag of the `airlock` binary, one of
/// its environment variables (`AIRLOCK_KEY_PASSWORD`) or a command line of it
/// (`` `airlock list SET` ``).
fn names_a_flag(text: &str) -> bool {
    let bytes = text.as_bytes();
    let long = bytes.windows(3).any(|w| w[0] == b'-' && w[1] == b'-' && w[2].is_ascii_lowercase());
    let short = bytes.windows(4).any(|w| {
        matches!(w[0], b' ' | b'(') && w[1] == b'-' && w[2].is_ascii_lowercase() && matches!(w[3], b' ' | b')')
    });
    let variable = text.contains("\"AIRLOCK_") || text.contains(" AIRLOCK_");
    let command = text.contains("`airlock ");
    long || short || variable || command
}

#[test]
fn library_strings_name_no_flag() {
    // Messages describe the problem; the binary adds the flags (`airlock::Hint`).
    // exit_codes.rs is the `airlock` command's exit-code table (the README's),
    // which names the flags that lead to each code.
    let mut found = Vec::new();
    for (path, text) in library_sources() {
        if path == Path::new("vocab/exit_codes.rs") {
            continue;
        }
        // The unit tests at the end may quote flags to test the check itself.
        let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or_default();
        for (number, line) in text.lines().enumerate() {
            // Rust code outside strings has no `--name`: any is in a string.
            if names_a_flag(code(line)) {
                found.push(format!("src/{}:{}: {}", path.display(), number + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "library strings naming a flag:\n{}", found.join("\n"));
}

/// Whether a line of code names an operating system.
fn names_an_os(line: &str) -> bool {
    let cfg_os =
        (line.contains("cfg(") || line.contains("cfg!(")) && (line.contains("unix") || line.contains("windows"));
    cfg_os || ["std::os::", "libc::", "target_os", "target_family"].iter().any(|os| line.contains(os))
}

#[test]
fn only_the_platform_module_names_an_os() {
    // Every OS-specific call goes through src/platform/ (ARCHITECTURE.md),
    // the binary's signal and fault hooks included: a Windows port is that
    // folder's work.
    let mut found = Vec::new();
    for (path, text) in sources(true) {
        if path.starts_with("platform") {
            continue;
        }
        for (number, line) in text.lines().enumerate() {
            if names_an_os(code(line)) {
                found.push(format!("src/{}:{}: {}", path.display(), number + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "OS-specific code outside src/platform/:\n{}", found.join("\n"));
    assert!(names_an_os("#[cfg(all(test, unix))]") && names_an_os("    use std::os::unix::fs::FileExt;"));
}

#[test]
fn fuzzing_and_benching_support_only_with_its_feature() {
    // The library a tool embeds carries no fuzz or bench entry points (and not
    // the in-memory HTTP transport behind `fuzzing`): each such module is
    // compiled only with the feature of its name, which only fuzz/, the
    // tests and the benches turn on (Cargo.toml).
    let mut found = Vec::new();
    let mut gated = 0;
    for (path, text) in library_sources() {
        let lines: Vec<&str> = text.lines().collect();
        for (number, line) in lines.iter().enumerate() {
            let Some(name) = ["fuzzing", "benching"]
                .into_iter()
                .find(|name| line.trim_start().starts_with(&format!("pub mod {name}")))
            else {
                continue;
            };
            // The attributes right above the item, past its doc comment.
            let attributes: Vec<&str> =
                lines[..number].iter().rev().map(|l| l.trim()).take_while(|l| l.starts_with("#[")).collect();
            if attributes.contains(&format!("#[cfg(feature = \"{name}\")]").as_str()) {
                gated += 1;
            } else {
                found.push(format!("src/{}:{}: {}", path.display(), number + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "modules compiled without their feature:\n{}", found.join("\n"));
    assert!(gated >= 3, "expected lib.rs's fuzzing and benching and the 7z benching module, found {gated}");
}

#[test]
fn public_options_hold_no_test_hooks() {
    // A field of a public options struct that only tests set (an override of
    // a measurement, say) is a test hook in every caller's build: tests set
    // up the real condition instead.
    let mut found = Vec::new();
    for (path, text) in library_sources() {
        let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or_default();
        let mut in_options = false;
        for (number, line) in text.lines().enumerate() {
            if line.starts_with("pub struct ") && line.contains("Options") {
                in_options = true;
            } else if line.starts_with('}') {
                in_options = false;
            } else if in_options && line.trim_start().starts_with("///") && line.contains("tests only") {
                found.push(format!("src/{}:{}: {}", path.display(), number + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "test hooks in public options:\n{}", found.join("\n"));
}

#[test]
fn the_api_exports_every_item_under_its_own_name() {
    // A public name found nowhere inside is a name a reader cannot search for.
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    let mut renamed = Vec::new();
    for statement in lib.split(';').filter(|s| s.trim_start().contains("pub use ")) {
        let code: String =
            statement.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join(" ");
        if code.split_whitespace().any(|word| word == "as") {
            renamed.push(code.trim().to_owned());
        }
    }
    assert!(renamed.is_empty(), "lib.rs re-exports under another name:\n{}", renamed.join("\n"));
}

#[test]
fn the_root_of_src_shows_the_layers() {
    // ARCHITECTURE.md's code map: one folder a layer, at most 12 beside lib.rs.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let entries: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "lib.rs")
        .collect();
    assert!(entries.len() <= 12, "src/ holds {} entries besides lib.rs: {entries:?}", entries.len());
    let map = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md")).unwrap();
    for entry in &entries {
        assert!(map.contains(&format!("\n{entry}/ ")), "ARCHITECTURE.md's layer list does not name src/{entry}/");
    }
}
