#!/usr/bin/env bash
# Runs a Windows program built here under Wine, as the tests do:
#   scripts/wine-run.sh PROGRAM.exe [ARGS...]
# It is the cargo runner for the Windows target (the library's unit tests,
# see scripts/test-windows.sh) and what tests/windows.rs starts airlock.exe
# with.
#
# - Wine 8 lacks ProcessPrng (bcryptprimitives.dll), which Rust's std calls
#   and Windows 10 / Server 2016 and later have: a test-only stand-in
#   (tests/wine/processprng.c) is built once with MinGW and copied beside the
#   program, and preferred to Wine's own DLL of that name.
# - WINEPREFIX defaults to target/wine/prefix (made on first use); a caller
#   that maps drive letters sets its own.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
program="$1"
shift

dll_dir="$root/target/wine"
dll="$dll_dir/bcryptprimitives.dll"
if [ ! -f "$dll" ] || [ "$root/tests/wine/processprng.c" -nt "$dll" ]; then
  mkdir -p "$dll_dir"
  x86_64-w64-mingw32-gcc -shared -O2 -o "$dll.tmp" "$root/tests/wine/processprng.c" -ladvapi32
  mv "$dll.tmp" "$dll"
fi
beside="$(dirname "$program")/bcryptprimitives.dll"
if ! cmp -s "$dll" "$beside" 2>/dev/null; then
  cp "$dll" "$beside.tmp.$$" && mv "$beside.tmp.$$" "$beside"
fi

export WINEPREFIX="${WINEPREFIX:-$dll_dir/prefix}"
export WINEDEBUG="${WINEDEBUG:--all}"
export WINEDLLOVERRIDES="bcryptprimitives=n,b;mscoree,mshtml=${WINEDLLOVERRIDES:+;$WINEDLLOVERRIDES}"
if [ ! -d "$WINEPREFIX/drive_c" ]; then
  mkdir -p "$WINEPREFIX"
  wineboot --init >/dev/null 2>&1 || true
  wineserver --wait || true
fi
exec wine "$program" "$@"
