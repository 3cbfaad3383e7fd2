#!/usr/bin/env bash
# The Windows suite, run here under Wine (CI runs it from .ci/run):
#   1. builds airlock.exe (scripts/build-windows.sh);
#   2. runs the library's unit tests built for x86_64-pc-windows-gnu under
#      Wine (scripts/wine-run.sh is the cargo runner);
#   3. runs tests/windows.rs, the far side's workflow against airlock.exe
#      (a set on a USB drive mapped as E:, DEST and %TEMP% on C:, ...).
# Needs root (Wine's drives are tmpfs mounts) and installs what it needs with
# apt. Extra arguments go to the unit-test run (e.g. a test-name filter).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wine >/dev/null 2>&1 || ! command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1; then
  echo "test-windows: installing Wine and MinGW" >&2
  export DEBIAN_FRONTEND=noninteractive
  dpkg --add-architecture i386
  apt-get update -qq
  apt-get install -y -qq wine wine32:i386 wine64 gcc-mingw-w64-x86-64-win32 >/dev/null
fi

start=$SECONDS
bash scripts/build-windows.sh
echo "test-windows: airlock.exe built in $((SECONDS - start)) s" >&2

# A drive Wine reports as a CD-ROM, for the unit test of
# platform::removable_media: Wine's mount manager reads the drive types
# (the 64-bit registry view) when its server starts, so the server is
# stopped after the type is set.
prefix="$PWD/target/wine/prefix"
if [ ! -d "$prefix/drive_c" ]; then
  mkdir -p "$prefix"
  WINEPREFIX="$prefix" wineboot --init >/dev/null 2>&1 || true
  WINEPREFIX="$prefix" wineserver --wait || true
fi
mkdir -p target/wine/cd
ln -sfn "$PWD/target/wine/cd" "$prefix/dosdevices/r:"
WINEPREFIX="$prefix" WINEDEBUG=-all wine reg add 'HKLM\Software\Wine\Drives' /v r: /d cdrom /f /reg:64 >/dev/null
WINEPREFIX="$prefix" wineserver -k || true

start=$SECONDS
(
  export AIRLOCK_TEST_REMOVABLE_DRIVE='R:\'
  export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1
  export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
  export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER="$PWD/scripts/wine-run.sh"
  export CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc AR_x86_64_pc_windows_gnu=x86_64-w64-mingw32-ar
  export CARGO_TARGET_DIR="$PWD/target/windows"
  # --release: the dependencies are the ones just built for airlock.exe, not
  # a second, debug build of them all (about 8 minutes on 2 cores).
  # Skipped by name, and only here: a symbolic link made with
  # CreateSymbolicLinkW under Wine 8 is a plain Unix link that Wine does not
  # report as a reparse point, so cap-std's handles cannot see it (on Windows
  # they do); Linux runs this test.
  /usr/bin/cargo test --release --locked -Z build-std=std,panic_abort,test --target x86_64-pc-windows-gnu --lib "$@" \
    -- --skip dest::tests::a_link_on_the_way_is_never_followed_and_is_named
)
echo "test-windows: unit tests for Windows ran in $((SECONDS - start)) s" >&2

start=$SECONDS
cargo test --locked --test windows -- --ignored
echo "test-windows: far-side suite ran in $((SECONDS - start)) s" >&2
