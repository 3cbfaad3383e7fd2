#!/usr/bin/env bash
# Builds the fuzz corpora fuzz/corpus/<target>/ (not committed) from the
# committed fixtures in testdata/ and the committed seeds in fuzz/seeds/
# (seeds/peers/ included), so a clone needs nothing outside itself.
# Needs python3; uses 7zz (or 7z) and zip for small archive seeds when they
# are installed. Safe to re-run: it only adds files.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
mkdir -p "$here/corpus"
# seeds/peers/: small archives from other projects' test suites (copied from
# shared/corpora/peers/, origins in seeds/peers/SOURCES.tsv).
python3 "$here/seedgen.py" "$root/testdata" "$here/corpus" "$here/seeds/peers"
for target in manifest_parse discover_names detect_and_list extract_archive inno_header fetch_response manifest_signature manifest_model; do
    mkdir -p "$here/corpus/$target"
    if [ -d "$here/seeds/$target" ]; then
        cp -n "$here/seeds/$target"/* "$here/corpus/$target/" 2>/dev/null || true
    fi
    echo "corpus/$target: $(ls "$here/corpus/$target" | wc -l) files"
done
# authenticode: the signed and unsigned PE files of testdata/authenticode/
# whole (libFuzzer cuts the two large Inno installers and ISCC.exe to -max_len).
mkdir -p "$here/corpus/authenticode"
find "$root/testdata/authenticode" -type f \( -name '*.dll' -o -name '*.exe' \) |
    while read -r f; do cp -n "$f" "$here/corpus/authenticode/$(basename "$(dirname "$f")")-$(basename "$f")"; done
cp -n "$here/regressions/authenticode"/* "$here/corpus/authenticode/"
echo "corpus/authenticode: $(ls "$here/corpus/authenticode" | wc -l) files"
# corpus-min/TARGET.tar.xz: the corpus each target had at the end of the last
# campaign, minimised (`cargo fuzz cmin`), so a new campaign starts where that
# one stopped instead of from the seeds alone (fuzz/README.md, "Campaign").
for archive in "$here"/corpus-min/*.tar.xz; do
    [ -e "$archive" ] || continue
    target="$(basename "$archive" .tar.xz)"
    mkdir -p "$here/corpus/$target"
    tar -C "$here/corpus" --skip-old-files -xJf "$archive"
    echo "corpus/$target: $(ls "$here/corpus/$target" | wc -l) files with the last campaign's"
done
