#!/usr/bin/env bash
# Builds airlock.exe for 64-bit Windows (x86_64-pc-windows-gnu) on Debian,
# from a fresh clone, and leaves it at
#   target/x86_64-pc-windows-gnu/release/airlock.exe
#
# No rustup target can be downloaded here, so the standard library is built
# from source (`-Z build-std`) with Debian's own Rust toolchain (rustc-web,
# cargo-web, rust-web-src: Rust 1.96 from bookworm's security updates) and
# linked with MinGW-w64. That toolchain lives in /usr/bin and is named by
# full path, so the rustup toolchain that `cargo build` / `cargo test` use is
# left alone; its host-side artifacts (build scripts, proc macros) go to
# target/windows/, apart from theirs.
#
# Usage: scripts/build-windows.sh [--debug] [extra cargo build arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

profile=release
if [ "${1:-}" = "--debug" ]; then
  profile=debug
  shift
fi

packages=(rustc-web cargo-web rust-web-src gcc-mingw-w64-x86-64-win32)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "build-windows: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

target=x86_64-pc-windows-gnu
export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc
# build-std is a nightly feature; Debian's stable rustc allows it with this.
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_AR=x86_64-w64-mingw32-ar
export CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc
export AR_x86_64_pc_windows_gnu=x86_64-w64-mingw32-ar
export CARGO_TARGET_DIR="$PWD/target/windows"
# panic_unwind stays the strategy (airlock contains decoder panics with
# catch_unwind); panic_abort is built for std's own needs.
build=(/usr/bin/cargo build --locked -Z build-std=std,panic_abort --target "$target" --bin airlock)
[ "$profile" = release ] && build+=(--release)
"${build[@]}" "$@"

out="target/$target/$profile"
mkdir -p "$out"
cp "$CARGO_TARGET_DIR/$target/$profile/airlock.exe" "$out/airlock.exe"
echo "build-windows: $out/airlock.exe ($(stat -c %s "$out/airlock.exe") bytes)" >&2
