#!/usr/bin/env bash
# What overflow checks cost in release builds, as callgrind instruction counts
# (Ir): repeatable whatever else the machine is doing, unlike wall time on a
# shared 2-core machine, where criterion cannot resolve a 1% difference.
#
# Three release builds of the binary:
#   a  overflow checks off everywhere (Rust's release default)
#   b  on for airlock's own code only (Cargo.toml's [profile.release.package.airlock])
#   c  on for the whole dependency tree (CARGO_PROFILE_RELEASE_OVERFLOW_CHECKS=true)
# each running, single-threaded: the Inno bench set's extraction (LZMA2 solid,
# 80 MB), a 7z (-mx1, BCJ + LZMA2) and a zip of ~30 MB of this machine's shared
# libraries, verify and check of the Inno set. Prints Ir per workload and the
# ratios b/a and c/a. Needs valgrind, 7zz and zip. Takes ~40 min on 2 cores.
#
# Usage: benches/overflow_checks.sh [WORKDIR]   (default: target/overflow-checks)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$root/target/overflow-checks}"
mkdir -p "$work"
cd "$root"

cargo build --release --bin airlock --target-dir "$work/a" \
    --config 'profile.release.package.airlock.overflow-checks=false'
cargo build --release --bin airlock --target-dir "$work/b"
CARGO_PROFILE_RELEASE_OVERFLOW_CHECKS=true \
    cargo build --release --bin airlock --target-dir "$work/c"

if [ ! -f "$work/bins.7z" ]; then
    rm -rf "$work/libs" && mkdir -p "$work/libs"
    # 300 real shared libraries of middling size (the largest 100 left out).
    ls -S /usr/lib/x86_64-linux-gnu/*.so* | head -400 | tail -300 |
        while read -r f; do cp -L "$f" "$work/libs/" 2>/dev/null || true; done
    7zz a -mx1 -bd "$work/bins.7z" "$work/libs" > /dev/null
    (cd "$work/libs" && zip -qr "$work/bins.zip" .)
fi

set_exe="$root/testdata/inno-bench/MicrosoftAzureBackupInstaller.exe"
for build in a b c; do
    bin="$work/$build/release/airlock"
    : > "$work/ir-$build.tsv"
    run() {
        local name=$1; shift
        rm -rf "$work/dest"
        valgrind --tool=callgrind --callgrind-out-file="$work/cg-$build-$name.out" "$@" \
            > /dev/null 2> "$work/cg-$build-$name.err"
        printf '%s\t%s\n' "$name" "$(awk '/^summary:/ {print $2; exit}' "$work/cg-$build-$name.out")" \
            >> "$work/ir-$build.tsv"
    }
    run inno-extract "$bin" extract --no-verify --threads 1 "$set_exe" -d "$work/dest"
    run 7z-extract "$bin" extract --threads 1 "$work/bins.7z" -d "$work/dest"
    run zip-extract "$bin" extract --threads 1 "$work/bins.zip" -d "$work/dest"
    run verify "$bin" verify --threads 1 "$set_exe"
    run check "$bin" check "$set_exe"
done
rm -rf "$work/dest"
printf 'workload\tIr (a: off)\tb/a (airlock only)\tc/a (everything)\n'
paste "$work/ir-a.tsv" "$work/ir-b.tsv" "$work/ir-c.tsv" |
    awk '{printf "%s\t%s\t%.4f\t%.4f\n", $1, $2, $4 / $2, $6 / $2}'
