#!/usr/bin/env bash
# Release artifacts, under dist/ (or $AIRLOCK_DIST_DIR):
#
#   airlock-VERSION-x86_64-linux        static (glibc with crt-static: no loader, no
#                                       shared libraries), stripped
#   man/airlock.1, man/airlock-COMMAND.1
#   completions/airlock.bash _airlock airlock.fish _airlock.ps1
#   airlock-VERSION-x86_64-windows.zip  airlock.exe (scripts/build-windows.sh) and _airlock.ps1
#   airlock_VERSION_amd64.deb           when cargo-deb is installed (`cargo install cargo-deb --locked`):
#                                       the static binary in /usr/bin, the man pages, the bash, zsh and
#                                       fish completions in their system folders ([package.metadata.deb])
#   SHA256SUMS, SHA256SUMS.minisig      every file above, signed with minisign
#
# The minisign secret key is the file $AIRLOCK_DIST_KEY (minisign asks for its
# password if it has one). The far side checks the release as it checks a set:
#   minisign -V -p airlock-release.pub -m SHA256SUMS && sha256sum -c SHA256SUMS
#
# The build is `cargo build --locked` (the tested dependency set) in its own
# target folder (target/dist, or $CARGO_TARGET_DIR), so it never waits on, or
# disturbs, a development build.
set -euo pipefail
cd "$(dirname "$0")/.."

key=${AIRLOCK_DIST_KEY:?set AIRLOCK_DIST_KEY to the minisign secret key that signs the release}
[ -f "$key" ] || { echo "dist.sh: AIRLOCK_DIST_KEY=$key is not a file" >&2; exit 2; }
command -v minisign >/dev/null || { echo "dist.sh: minisign is needed (apt-get install minisign)" >&2; exit 2; }
out=${AIRLOCK_DIST_DIR:-dist}
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
target=x86_64-unknown-linux-gnu
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target/dist}

# crt-static for the target only (--target keeps RUSTFLAGS off build scripts
# and proc macros, which must stay dynamic).
RUSTFLAGS="-C target-feature=+crt-static" cargo build --release --locked --target "$target" --bin airlock

mkdir -p "$out"
rm -rf "$out/man" "$out/completions" "$out/SHA256SUMS" "$out/SHA256SUMS.minisig" "$out"/airlock-* "$out"/airlock_*.deb
linux="airlock-$version-x86_64-linux"
strip -o "$out/$linux" "$CARGO_TARGET_DIR/$target/release/airlock"
if readelf -l "$out/$linux" | grep -q INTERP; then
  echo "dist.sh: $linux asks for a dynamic loader: the static build did not happen" >&2
  exit 1
fi
"$out/$linux" generate man "$out/man"
for shell in bash zsh fish powershell; do
  "$out/$linux" generate completions "$shell" "$out/completions"
done

# The .deb: the same static binary (cargo-deb strips its copy), with the man
# pages and completions copied to target/deb-assets/, where Cargo.toml's
# [package.metadata.deb] takes them (cargo-deb reads assets from files only).
deb="airlock_${version}_amd64.deb"
if command -v cargo-deb >/dev/null 2>&1; then
  rm -rf target/deb-assets && mkdir -p target/deb-assets
  cp -r "$out/man" "$out/completions" target/deb-assets/
  cargo-deb --quiet --no-build --strip --target "$target" --deb-version "$version" -o "$out/$deb"
else
  deb=
  echo "dist.sh: cargo-deb is not installed (cargo install cargo-deb --locked): no .deb this time" >&2
fi

# The Windows build (scripts/build-windows.sh: Debian's Rust with the standard
# library built from source, MinGW), zipped with the PowerShell completions.
windows="airlock-$version-x86_64-windows"
bash scripts/build-windows.sh
python3 - "$out/$windows.zip" target/x86_64-pc-windows-gnu/release/airlock.exe "$out/completions/_airlock.ps1" <<'PY'
import sys, zipfile
archive, *files = sys.argv[1:]
with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zip:
    for path in files:
        zip.write(path, path.rsplit("/", 1)[-1])
PY

(cd "$out" && find . -type f ! -name SHA256SUMS ! -name '*.minisig' | sed 's|^\./||' | LC_ALL=C sort \
  | xargs sha256sum > SHA256SUMS)
minisign -S -s "$key" -m "$out/SHA256SUMS" -t "airlock $version ($(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown))"
echo "dist.sh: $out/$linux, $out/$windows.zip${deb:+, $out/$deb}, the man pages and completions, with SHA256SUMS and SHA256SUMS.minisig"
