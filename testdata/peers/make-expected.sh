#!/usr/bin/env bash
# Regenerates the 7-Zip reference trees for the peer archives in this folder.
#
# For every archive listed in SOURCES.tsv (each in its own folder, as in
# /work/shared/corpora/peers), runs `7zz x` into a scratch folder and writes
# 7zz/<id>.tsv:
#   #7zz-exit<TAB><exit code of 7zz x>
#   <path>/<TAB>dir<TAB>-              one line per folder
#   <path><TAB><size><TAB><sha256>     one line per regular file
#   <path><TAB>link<TAB><target>       one line per symbolic link
# and, from `7zz l -slt`, 7zz/<id>.list.tsv: <path><TAB><size><TAB><CRC32 hex or ->
# for every item that is not a folder (the listing works even where 7-Zip
# cannot decode the data). Lines sorted by bytes (LC_ALL=C).
#
# Usage: testdata/peers/make-expected.sh   (needs 7zz; prints the version used)
set -euo pipefail
cd "$(dirname "$0")"
export LC_ALL=C
command -v 7zz >/dev/null || { echo "7zz (Debian package 7zip) is needed" >&2; exit 1; }
7zz | sed -n 2p
mkdir -p 7zz
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
tail -n +2 SOURCES.tsv | while IFS=$'\t' read -r id file password _; do
  archive="$id/$file"
  pw=(-p)
  [ "$password" != "-" ] && pw=(-p"$password")
  out="$scratch/$id"
  set +e
  7zz x -y "${pw[@]}" -o"$out" "$archive" >/dev/null 2>&1 </dev/null
  code=$?
  set -e
  {
    printf '#7zz-exit\t%s\n' "$code"
    if [ -d "$out" ]; then
      (cd "$out" && find . -mindepth 1 \( -type d -printf '%P/\tdir\t-\n' \) -o \( -type l -printf '%P\tlink\t%l\n' \) -o \( -type f -printf '%P\n' \) ) |
        while IFS= read -r line; do
          case "$line" in
            *$'\t'*) printf '%s\n' "$line" ;;
            *) printf '%s\t%s\t%s\n' "$line" "$(stat -c %s "$out/$line")" "$(sha256sum < "$out/$line" | cut -d' ' -f1)" ;;
          esac
        done | sort
    fi
  } > "7zz/$id.tsv"
  { 7zz l -slt "${pw[@]}" "$archive" </dev/null 2>/dev/null || true; } | awk -F' = ' '
    /^Path = / { path = substr($0, 8); size = ""; crc = "-"; folder = 0; started = 1; next }
    started && /^Folder = \+/ { folder = 1 }
    started && /^Size = / { size = $2 }
    started && /^CRC = / { crc = ($2 == "" ? "-" : $2) }
    started && /^$/ { if (path != "" && size != "" && !folder) printf "%s\t%s\t%s\n", path, size, crc; path = "" }
  ' | sort > "7zz/$id.list.tsv"
done
