//! The documentation's shape (issue 27, item 8): a README a new user reads in
//! minutes, with the command reference in docs/guide.md, contributor set-up in
//! CONTRIBUTING.md and measurements in benches/README.md; every relative link
//! between them lands on a file and, with a `#fragment`, on a heading there.
//! (The exit-code table's copy in the README is checked against
//! `airlock::EXIT_CODES` by the unit test in src/exit_codes.rs.)

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The documents a reader follows links through.
const DOCS: &[&str] = &["README.md", "docs/guide.md", "CONTRIBUTING.md", "benches/README.md", "ARCHITECTURE.md"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(root().join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// GitHub's anchor for a heading: lower case, punctuation dropped (hyphens and
/// underscores kept), each space a hyphen.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a Markdown file's headings (outside code blocks).
fn anchors(text: &str) -> BTreeSet<String> {
    let mut in_code = false;
    let mut found = BTreeSet::new();
    for line in text.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        } else if !in_code && line.starts_with('#') {
            found.insert(slug(line.trim_start_matches('#').replace('`', "").as_str()));
        }
    }
    found
}

/// The targets of `[text](target)` links (outside code blocks).
fn links(text: &str) -> Vec<String> {
    let mut in_code = false;
    let mut found = Vec::new();
    for line in text.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let end = after.find(')').expect("a link closes on its line");
            found.push(after[..end].to_string());
            rest = &after[end..];
        }
    }
    found
}

#[test]
fn every_relative_link_lands_on_a_file_and_heading() {
    let mut checked = 0;
    for doc in DOCS {
        let text = read(doc);
        let folder = Path::new(doc).parent().unwrap_or(Path::new(""));
        for target in links(&text) {
            if target.starts_with("http://") || target.starts_with("https://") {
                continue;
            }
            let (file, fragment) = match target.split_once('#') {
                Some((file, fragment)) => (file, Some(fragment)),
                None => (target.as_str(), None),
            };
            let path: PathBuf = if file.is_empty() { PathBuf::from(doc) } else { folder.join(file) };
            let on_disk = root().join(&path);
            assert!(on_disk.exists(), "{doc}: the link to {target} names {}, which does not exist", path.display());
            if let Some(fragment) = fragment {
                let headings = anchors(&std::fs::read_to_string(&on_disk).unwrap());
                assert!(
                    headings.contains(fragment),
                    "{doc}: the link to {target}: {} has no heading #{fragment}; it has {headings:?}",
                    path.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} links checked: the link parser is broken");
}

#[test]
fn readme_is_short_and_points_to_the_rest() {
    let readme = read("README.md");
    let lines = readme.lines().count();
    assert!(lines <= 250, "README.md has {lines} lines; the command reference belongs in docs/guide.md");
    for needed in [
        "cargo install --locked --path .",
        "cargo run --release -- extract testdata/inno/inno-6.4.1-lzma2-solid-spanned -d /tmp/airlock-demo --min-free 0",
        "\ncargo test\n",
        "## Exit codes",
        "](docs/guide.md)",
        "](CONTRIBUTING.md)",
        "](benches/README.md)",
    ] {
        assert!(readme.contains(needed), "README.md lacks {needed:?}");
    }
}

#[test]
fn each_audience_finds_its_text_where_the_readme_says() {
    // A sentence of each moved section, in the file that now holds it.
    for (doc, heading) in [
        ("docs/guide.md", "## What a set is"),
        ("docs/guide.md", "### fetch — download the whole set from the vendor"),
        ("docs/guide.md", "## Windows: the far side"),
        ("docs/guide.md", "## Inno Setup coverage, against innoextract 1.9"),
        ("docs/guide.md", "## Library"),
        ("CONTRIBUTING.md", "## Windows build and suite"),
        ("CONTRIBUTING.md", "## Fuzzing"),
        ("CONTRIBUTING.md", "## Design notes"),
        ("benches/README.md", "## Fetch throughput"),
        ("benches/README.md", "## Overflow checks in release builds"),
    ] {
        assert!(read(doc).lines().any(|line| line == heading), "{doc} lacks the section {heading:?}");
    }
    let guide = read("docs/guide.md");
    assert!(guide.contains("**The JSON contract.**"), "docs/guide.md lacks the JSON compatibility rule");
}

#[test]
fn no_control_characters_in_the_docs() {
    // A `\a` once turned `.\airlock.exe` into a bell character in the README.
    for doc in DOCS {
        let text = read(doc);
        if let Some((n, line)) =
            text.lines().enumerate().find(|(_, line)| line.chars().any(|c| c.is_control() && c != '\t'))
        {
            panic!("{doc}:{}: a control character in {line:?}", n + 1);
        }
    }
}
