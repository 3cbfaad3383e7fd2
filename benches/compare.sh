#!/usr/bin/env bash
# benches/compare.sh: airlock against the usual command-line tools on big multi-part download sets.
#
# Usage (from anywhere; the script finds the crate root itself):
#     bash benches/compare.sh
#     AIRLOCK_BENCH_SIZE=300MiB RUNS=2 bash benches/compare.sh        # quick smoke run
#
# Environment:
#     AIRLOCK_BENCH_DIR    work folder (default /tmp/airlock-bench). Holds sets/ (the generated sets, reused
#                          on later runs), joined/ (concatenated copies for 7zz/unzip), out/ (extraction
#                          targets, emptied after each group) and results/ (hyperfine JSON, logs, table.md).
#     AIRLOCK_BENCH_SIZE   payload size of the generated sets (default 3.2GiB; airlock::parse_size syntax).
#     AIRLOCK_BENCH_PARTS  parts per generated set, NAME.exe included (default 7; keep it >= nproc).
#                          Sets are kept per size and part count: sets/7z-multi-<SIZE>-<PARTS>p etc.
#     RUNS                 hyperfine runs per command (default 5), after one warm-up run.
#     AIRLOCK_BENCH_COLD   set to 0 to skip the cold-cache pass.
#     AIRLOCK_BIN          airlock binary to measure instead of target/release/airlock (it is still built).
#
# Tools: hyperfine is required. Optional (the rows that need a missing tool are skipped, and the script
# says which tools are missing; it installs nothing): 7zz, unzip, innoextract, rhash, openssl, sha256sum,
# jq or python3 (to read hyperfine's JSON; one of them is needed), /usr/bin/time (peak RSS), zip (used by
# examples/make-set.rs; without it the zip crate writes the zip set).
#
# What it does:
#   1. cargo build --release (the airlock binary and the make-set example).
#   2. Makes three sets with examples/make-set.rs in $AIRLOCK_BENCH_DIR/sets/ unless they exist already
#      (a finished set has its SHA256SUMS): 7z with many blocks, 7z with one solid block, zip. The fourth
#      set is the real Inno Setup 6.2 set committed in testdata/inno-bench (34 MB, 80 MB payload).
#      7zz cannot open the split set (NAME.exe + NAME-N.bin; `7zz l -t7z NAME.exe` says "Unexpected end of
#      archive") and unzip cannot either, so both are given a concatenated copy (`cat parts > joined/...`)
#      made once, outside the timings.
#   3. Warm-cache timings with hyperfine (--warmup 1 --runs $RUNS, one --export-json per group). Every
#      command is first run once outside hyperfine: a command that fails becomes an "error" row (FAIL
#      where it has a target) and is left out of the timing, so the script always reaches the table. The
#      output of that first airlock extract run is also compared with the set's EXPECTED.tsv (paths,
#      sizes, SHA-256): a wrong extraction is an error row, not a fast one.
#        sha-rate       openssl speed -evp sha256 -bytes 16384 -seconds 3, one core; SHA limit = nproc x that
#                       (also -bytes 8388608, shown for context only: big buffers are not cache-resident)
#        verify         airlock verify (SHA256SUMS beside the 7z multi-block set) against sha256sum,
#                       xargs -P$(nproc) sha256sum, rhash --sha256, xargs -P$(nproc) openssl dgst -sha256
#        extract-7z-multi / extract-7z-solid   airlock extract --min-free 0 --no-verify against 7zz x -t7z
#        extract-zip    airlock extract --min-free 0 --no-verify against unzip -qq (exit 1 = the "65536 extra
#                       bytes at beginning" stub warning, accepted)
#        extract-inno   airlock extract --min-free 0 --no-verify against innoextract -s -q
#        extract-verify airlock extract of the 7z multi-block set with verification against --no-verify
#        check          airlock check of the 7z multi-block set
#      Extraction runs go into a fresh folder each time (hyperfine --prepare 'rm -rf OUT').
#   4. Peak RSS of every airlock command, one run each, with /usr/bin/time -f %M.
#   5. Cold cache (only as root with a writable /proc/sys/vm/drop_caches): airlock verify against
#      cat parts > /dev/null, with --prepare 'sync; echo 3 > /proc/sys/vm/drop_caches'.
#   6. Prints the machine (nproc, CPU, kernel, date, tool versions) and a Markdown table: group, command,
#      median seconds, MB/s (10^6 bytes/s of payload for extractions, of set bytes for verify/cat), speed
#      ratio against the group's reference (reference median / this median; > 1 is faster), the target and
#      PASS/FAIL (SKIP when a target cannot be evaluated because its reference tool is missing; FAIL with
#      "(error: ...)" when the airlock command itself failed). Also written to results/table.md.
#      Targets: verify >= 0.9 x SHA limit and >= 1.2 x xargs-openssl; cold verify >= 0.9 x cat; check
#      < 50 ms; 7z extract >= 1.1 x 7zz (both sets); zip extract >= 2.5 x unzip; inno extract >= 1.0 x
#      innoextract; extract with verify <= 1.15 x the time without; peak RSS < 256 MiB.
#
# Disk: about 7 x AIRLOCK_BENCH_SIZE in AIRLOCK_BENCH_DIR (3 sets, 3 joined copies, 1 extraction).
# Time: at 300MiB on 2 (busy) cores making the three sets took 70 s (7z multi 20 s, 7z solid 41 s with
# 7zz -mx5, zip 9 s) and the whole script 3 min 45 s with RUNS=2; expect roughly 11x that for the sets at
# 3.2GiB (made once, then reused) and a few times longer per hyperfine group.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${AIRLOCK_BENCH_DIR:-/tmp/airlock-bench}"
SIZE="${AIRLOCK_BENCH_SIZE:-3.2GiB}"
PARTS="${AIRLOCK_BENCH_PARTS:-7}"
RUNS="${RUNS:-5}"
COLD="${AIRLOCK_BENCH_COLD:-1}"
NAME=MicrosoftAzureBackupInstaller
NPROC="$(nproc)"
AIRLOCK="${AIRLOCK_BIN:-$ROOT/target/release/airlock}"
MAKESET="$ROOT/target/release/examples/make-set"
INNO="$ROOT/testdata/inno-bench"

SETS="$WORK/sets"
JOINED="$WORK/joined"
OUT="$WORK/out"
RES="$WORK/results"

log() { printf '\n== %s\n' "$*" >&2; }
note() { printf '   %s\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }
q() { printf '%q' "$1"; }
# float helpers (awk is part of every base system)
calc() { awk "BEGIN { printf \"%.6f\", $* }"; }
fge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
fmt() { awk -v v="$1" -v d="$2" 'BEGIN { printf "%." d "f", v }'; }
slug() { printf '%s' "$1" | tr -c 'A-Za-z0-9._-' '_'; }

# ------------------------------------------------------------------------------------------- tools --
log "tools"
if ! have hyperfine; then
    echo "compare.sh: hyperfine is required (it is not on PATH); e.g. apt-get install hyperfine" >&2
    exit 1
fi
MISSING=()
for t in 7zz unzip innoextract rhash openssl sha256sum zip; do
    have "$t" || MISSING+=("$t")
done
JSON_TOOL=""
if have jq; then JSON_TOOL=jq; elif have python3; then JSON_TOOL=python3; else MISSING+=("jq+python3"); fi
TIME_BIN=""
if [[ -x /usr/bin/time ]]; then TIME_BIN=/usr/bin/time; else MISSING+=("/usr/bin/time"); fi
if [[ -z $JSON_TOOL ]]; then
    echo "compare.sh: need jq or python3 to read hyperfine's JSON" >&2
    exit 1
fi
note "hyperfine: $(hyperfine --version)"
note "JSON reader: $JSON_TOOL; peak RSS: ${TIME_BIN:-none}"
if ((${#MISSING[@]})); then
    note "missing (rows that need them are skipped): ${MISSING[*]}"
else
    note "all optional tools present"
fi
((PARTS >= NPROC)) || note "warning: AIRLOCK_BENCH_PARTS=$PARTS < nproc=$NPROC: verify cannot use every core"

mkdir -p "$SETS" "$JOINED" "$OUT" "$RES"

# ------------------------------------------------------------------------------------------- build --
log "cargo build --release"
(cd "$ROOT" && cargo build --release && cargo build --release --example make-set)
note "airlock: $("$AIRLOCK" --version 2>/dev/null || echo '?')"

# -------------------------------------------------------------------------------------------- sets --
# parts_of DIR: the parts in numeric order (NAME.exe, NAME-1.bin, NAME-2.bin, ...)
parts_of() {
    local d="$1" i=1
    printf '%s\n' "$d/$NAME.exe"
    while [[ -f "$d/$NAME-$i.bin" ]]; do
        printf '%s\n' "$d/$NAME-$i.bin"
        i=$((i + 1))
    done
}
set_bytes() { local t=0 f; while IFS= read -r f; do t=$((t + $(stat -c %s "$f"))); done < <(parts_of "$1"); echo "$t"; }
payload_bytes() { awk -F'\t' '{ s += $2 } END { printf "%d", s }' "$1/EXPECTED.tsv"; }

SIZE_BYTES="$("$MAKESET" --dry-run --format zip --size "$SIZE" --out "$SETS/dry-run" | sed -n '1s/.*(\([0-9]*\) bytes).*/\1/p')"
AVAIL="$(df -PB1 "$WORK" | awk 'NR == 2 { print $4 }')"
note "payload size $SIZE = $SIZE_BYTES bytes; $AVAIL bytes free in $WORK (about $((7 * SIZE_BYTES)) needed when nothing is reused)"

SZ="$(slug "$SIZE")-${PARTS}p"
S7M="$SETS/7z-multi-$SZ"
S7S="$SETS/7z-solid-$SZ"
SZIP="$SETS/zip-$SZ"
declare -A SET_OK=()

make_set() { # make_set DIR make-set-args...
    local dir="$1"
    shift
    if [[ -f "$dir/SHA256SUMS" && -f "$dir/$NAME.exe" && -f "$dir/EXPECTED.tsv" ]]; then
        note "reusing $dir"
        SET_OK["$dir"]=1
        return 0
    fi
    log "make-set $* -> $dir"
    if "$MAKESET" --size "$SIZE" --parts "$PARTS" --out "$dir" --force "$@" 2>&1 | tee "$RES/make-set-$(basename "$dir").log"; then
        SET_OK["$dir"]=1
    else
        note "make-set failed for $dir (see $RES/make-set-$(basename "$dir").log); its rows will be errors"
    fi
}

log "sets (payload $SIZE, $PARTS parts)"
make_set "$S7M" --format 7z
make_set "$S7S" --format 7z --solid
make_set "$SZIP" --format zip
SET_OK["$INNO"]=1

# join DIR FILE: concatenated copy of the parts (made once; reused while newer than the set's SHA256SUMS)
join_set() {
    local dir="$1" file="$2"
    if [[ -f "$file" && "$file" -nt "$dir/SHA256SUMS" && $(stat -c %s "$file") == "$(set_bytes "$dir")" ]]; then
        note "reusing $file"
        return 0
    fi
    note "cat parts of $dir > $file"
    local -a parts
    mapfile -t parts < <(parts_of "$dir")
    cat "${parts[@]}" >"$file.tmp" && mv "$file.tmp" "$file"
}
J7M="$JOINED/7z-multi-$SZ.7z"
J7S="$JOINED/7z-solid-$SZ.7z"
JZIP="$JOINED/zip-$SZ.zip"
log "concatenated copies for 7zz / unzip (outside the timings)"
if have 7zz; then
    [[ -n ${SET_OK[$S7M]:-} ]] && join_set "$S7M" "$J7M"
    [[ -n ${SET_OK[$S7S]:-} ]] && join_set "$S7S" "$J7S"
fi
if have unzip && [[ -n ${SET_OK[$SZIP]:-} ]]; then join_set "$SZIP" "$JZIP"; fi

# ------------------------------------------------------------------------------------ bookkeeping --
declare -A MED=() ERR=() BYTES=() REF=() TARGET=() MEASURED=() RSS_SECS=()
ORDER=()

add_row() { # add_row GROUP LABEL BYTES
    local k="$1|$2"
    ORDER+=("$k")
    BYTES["$k"]="$3"
}

# tree_matches DIR EXPECTED.tsv: regular files under DIR == EXPECTED.tsv ({app}/ prefixes dropped)
tree_matches() {
    local dir="$1" exp="$2"
    if ! have sha256sum; then
        return 0
    fi
    local got want
    want="$(sed 's#^{app}/##' "$exp" | LC_ALL=C sort)"
    got="$(cd "$dir" && awk -F'\t' 'NR == FNR { s[$1] = $2; next } { print $1 "\t" s[$1] "\t" $2 }' \
        <(find . -type f -printf '%P\t%s\n') \
        <(find . -type f -printf '%P\0' | xargs -0 -r -P"$NPROC" -n 16 sha256sum |
            awk '{ h = $1; sub(/^[^ ]+ [ *]/, ""); print $0 "\t" h }') | LC_ALL=C sort)"
    [[ "$got" == "$want" ]]
}

# read_json FILE: "name<TAB>median" per command
read_json() {
    if [[ $JSON_TOOL == jq ]]; then
        jq -r '.results[] | [.command, (.median | tostring)] | @tsv' "$1"
    else
        python3 -c 'import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("%s\t%r" % (r["command"], r["median"]))' "$1"
    fi
}

# run_group GROUP BYTES PREPARE EXPECTED OUTDIR [hyperfine options...] -- LABEL CMD [LABEL CMD ...]
#   PREPARE: shell command run before every run (also before the first, untimed run), or "".
#   EXPECTED/OUTDIR: when EXPECTED is set, the output of each airlock command's untimed run is checked.
run_group() {
    local group="$1" bytes="$2" prepare="$3" expected="$4" outdir="$5"
    shift 5
    local -a extra=()
    while [[ $1 != -- ]]; do extra+=("$1"); shift; done
    shift
    local -a names=() cmds=()
    log "group $group"
    while (($#)); do
        local label="$1" cmd="$2" rc=0
        shift 2
        add_row "$group" "$label" "$bytes"
        local plog
        plog="$RES/$(slug "$group-$label").log"
        if [[ -n $prepare ]]; then bash -c "$prepare" || true; fi
        note "untimed run: $label"
        bash -c "$cmd" >"$plog" 2>&1 || rc=$?
        if ((rc != 0)); then
            ERR["$group|$label"]="exit $rc: $(grep -v '^\s*$' "$plog" | tail -n 1 | cut -c1-90 | tr '|' '/')"
            note "-> ${ERR["$group|$label"]} (not timed)"
            continue
        fi
        if [[ -n $expected && $label == airlock* ]]; then
            if ! tree_matches "$outdir" "$expected"; then
                ERR["$group|$label"]="extracted tree differs from $(basename "$(dirname "$expected")")/EXPECTED.tsv"
                note "-> ${ERR["$group|$label"]} (not timed)"
                continue
            fi
            note "-> output matches EXPECTED.tsv"
        fi
        names+=("$label")
        cmds+=("$cmd")
    done
    ((${#cmds[@]})) || return 0
    local json="$RES/$(slug "$group").json"
    local -a hf=(hyperfine --style basic --export-json "$json" "${extra[@]}")
    # the same shell as the untimed run, unless the group runs without a shell (-N)
    [[ " ${extra[*]} " == *" -N "* ]] || hf+=(--shell bash)
    [[ -n $prepare ]] && hf+=(--prepare "$prepare")
    local i
    for i in "${!cmds[@]}"; do hf+=(-n "${names[$i]}" "${cmds[$i]}"); done
    if "${hf[@]}"; then
        local n m
        while IFS=$'\t' read -r n m; do MED["$group|$n"]="$m"; done < <(read_json "$json")
    else
        for i in "${!names[@]}"; do ERR["$group|${names[$i]}"]="hyperfine failed (a timed run failed?)"; done
    fi
    if [[ -n $outdir ]]; then rm -rf "$outdir"; fi
}

WARM=(--warmup 1 --runs "$RUNS")

# ----------------------------------------------------------------------------------------- sha rate --
log "openssl speed -evp sha256 -bytes 16384 -seconds 3 (one core)"
SHA1=""
SHA_LIMIT=""
if have openssl; then
    SHA1="$(openssl speed -evp sha256 -bytes 16384 -seconds 3 2>/dev/null |
        awk '$1 == "sha256" { v = $NF; sub(/k$/, "", v); printf "%.0f", v * 1000 }')"
    if [[ -n $SHA1 ]]; then
        SHA_LIMIT="$(calc "$NPROC * $SHA1")"
        note "single core: $(fmt "$(calc "$SHA1 / 1e6")" 0) MB/s; SHA limit = $NPROC x that = $(fmt "$(calc "$SHA_LIMIT / 1e6")" 0) MB/s"
    fi
    # context only: the same with 8 MiB buffers (no longer cache-resident), closer to hashing whole files
    SHA8="$(openssl speed -evp sha256 -bytes 8388608 -seconds 3 2>/dev/null |
        awk '$1 == "sha256" { v = $NF; sub(/k$/, "", v); printf "%.0f", v * 1000 }')"
fi
add_row sha-rate "openssl speed -evp sha256 (1 core)" ""
TARGET["sha-rate|openssl speed -evp sha256 (1 core)"]="info"
if [[ -n $SHA1 ]]; then
    MEASURED["sha-rate|openssl speed -evp sha256 (1 core)"]="16 KiB blocks: $(fmt "$(calc "$SHA1 / 1e6")" 0) MB/s; SHA limit = ×$NPROC = $(fmt "$(calc "$SHA_LIMIT / 1e6")" 0) MB/s"
    if [[ -n ${SHA8:-} ]]; then
        add_row sha-rate "openssl speed -evp sha256 -bytes 8388608 (1 core)" ""
        TARGET["sha-rate|openssl speed -evp sha256 -bytes 8388608 (1 core)"]="info"
        MEASURED["sha-rate|openssl speed -evp sha256 -bytes 8388608 (1 core)"]="8 MiB blocks (context, not a target): $(fmt "$(calc "$SHA8 / 1e6")" 0) MB/s"
    fi
else
    ERR["sha-rate|openssl speed -evp sha256 (1 core)"]="openssl missing or unparsable"
fi

# ------------------------------------------------------------------------------------------ verify --
A="$(q "$AIRLOCK")"
if [[ -n ${SET_OK[$S7M]:-} ]]; then
    mapfile -t P7 < <(parts_of "$S7M")
    PQ="$(printf '%q ' "${P7[@]}")"
    VB="$(set_bytes "$S7M")"
    LIST="printf '%s\n' $PQ"
    V=(verify "$VB" "" "" "" "${WARM[@]}" --
        "airlock verify --quiet" "$A verify $(q "$S7M/$NAME.exe") --quiet")
    have sha256sum && V+=("sha256sum parts" "sha256sum $PQ >/dev/null")
    have sha256sum && V+=("xargs -P$NPROC sha256sum" "$LIST | xargs -P$NPROC -n1 sha256sum >/dev/null")
    have rhash && V+=("rhash --sha256 parts" "rhash --sha256 $PQ >/dev/null")
    have openssl && V+=("xargs -P$NPROC openssl dgst" "$LIST | xargs -P$NPROC -n1 openssl dgst -sha256 >/dev/null")
    run_group "${V[@]}"
    REF[verify]="xargs -P$NPROC openssl dgst"
    TARGET["verify|airlock verify --quiet"]="sha:0.9;ratio:1.2"
else
    add_row verify "airlock verify --quiet" ""
    ERR["verify|airlock verify --quiet"]="7z multi-block set missing"
    TARGET["verify|airlock verify --quiet"]="sha:0.9;ratio:1.2"
fi

# ----------------------------------------------------------------------------------------- extract --
# extract_group GROUP SETDIR JOINED REF_LABEL REF_CMD(with @OUT@) TARGET
extract_group() {
    local group="$1" dir="$2" joined="$3" ref_label="$4" ref_cmd="$5" target="$6"
    local o="$OUT/$group"
    local al="airlock extract --no-verify"
    if [[ -z ${SET_OK[$dir]:-} ]]; then
        add_row "$group" "$al" ""
        ERR["$group|$al"]="set missing (make-set failed)"
        TARGET["$group|$al"]="$target"
        return 0
    fi
    local pb
    pb="$(payload_bytes "$dir")"
    local -a g=("$group" "$pb" "rm -rf $(q "$o")" "$dir/EXPECTED.tsv" "$o" "${WARM[@]}" --
        "$al" "$A extract $(q "$dir/$NAME.exe") -d $(q "$o") --min-free 0 --no-verify --quiet")
    REF["$group"]="$ref_label"
    [[ -n $ref_cmd ]] && g+=("$ref_label" "${ref_cmd//@OUT@/$(q "$o")}")
    run_group "${g[@]}"
    if [[ -z $ref_cmd ]]; then
        add_row "$group" "$ref_label" "$pb"
        ERR["$group|$ref_label"]="tool or joined copy missing"
    fi
    TARGET["$group|$al"]="$target"
}

R7=""
if have 7zz && [[ -f $J7M ]]; then R7="7zz x -t7z -bd -bso0 -bsp0 -y -o@OUT@ $(q "$J7M")"; fi
extract_group extract-7z-multi "$S7M" "$J7M" "7zz x -t7z (joined copy)" "$R7" "ratio:1.1"
R7=""
if have 7zz && [[ -f $J7S ]]; then R7="7zz x -t7z -bd -bso0 -bsp0 -y -o@OUT@ $(q "$J7S")"; fi
extract_group extract-7z-solid "$S7S" "$J7S" "7zz x -t7z (joined copy)" "$R7" "ratio:1.1"
RZ=""
if have unzip && [[ -f $JZIP ]]; then RZ="unzip -qq -o $(q "$JZIP") -d @OUT@ 2>/dev/null || [ \$? -eq 1 ]"; fi
extract_group extract-zip "$SZIP" "$JZIP" "unzip -qq (joined copy; exit 1 accepted)" "$RZ" "ratio:2.5"
RI=""
if have innoextract; then RI="innoextract -s -q -d @OUT@ $(q "$INNO/$NAME.exe")"; fi
extract_group extract-inno "$INNO" "" "innoextract -s -q" "$RI" "ratio:1.0"

# extraction with verification (SHA256SUMS beside the set) against --no-verify
if [[ -n ${SET_OK[$S7M]:-} ]]; then
    o="$OUT/extract-verify"
    run_group extract-verify "$(payload_bytes "$S7M")" "rm -rf $(q "$o")" "$S7M/EXPECTED.tsv" "$o" "${WARM[@]}" -- \
        "airlock extract (verify)" "$A extract $(q "$S7M/$NAME.exe") -d $(q "$o") --min-free 0 --quiet" \
        "airlock extract --no-verify" "$A extract $(q "$S7M/$NAME.exe") -d $(q "$o") --min-free 0 --no-verify --quiet"
else
    add_row extract-verify "airlock extract (verify)" ""
    ERR["extract-verify|airlock extract (verify)"]="7z multi-block set missing"
fi
REF[extract-verify]="airlock extract --no-verify"
TARGET["extract-verify|airlock extract (verify)"]="timele:1.15"

# ------------------------------------------------------------------------------------------- check --
if [[ -n ${SET_OK[$S7M]:-} ]]; then
    run_group check "" "" "" "" "${WARM[@]}" -N -- "airlock check" "$A check $(q "$S7M/$NAME.exe")"
else
    add_row check "airlock check" ""
    ERR["check|airlock check"]="7z multi-block set missing"
fi
TARGET["check|airlock check"]="timelt:0.050"

# ---------------------------------------------------------------------------------------- peak RSS --
log "peak RSS (/usr/bin/time -f %M, one run each)"
rss() { # rss LABEL CMD...
    local label="$1"
    shift
    local k="peak RSS|$label" rc=0 f="$RES/rss-$(slug "$label").txt"
    add_row "peak RSS" "$label" ""
    TARGET["$k"]="rss:256"
    if [[ -z $TIME_BIN ]]; then
        ERR["$k"]="no /usr/bin/time: skipped"
        TARGET["$k"]="skip"
        return 0
    fi
    rm -rf "$OUT/rss"
    "$TIME_BIN" -f '%M %e' -o "$f" "$@" >"$f.log" 2>&1 || rc=$?
    rm -rf "$OUT/rss"
    local kib secs
    kib=""
    secs=""
    [[ -s $f ]] && read -r kib secs < <(tail -n 1 "$f") || true
    if ((rc != 0)); then
        ERR["$k"]="exit $rc: $(grep -v '^\s*$' "$f.log" | tail -n 1 | cut -c1-90 | tr '|' '/') (peak ${kib:-?} KiB)"
        note "$label: ${ERR[$k]}"
        return 0
    fi
    MEASURED["$k"]="$(calc "$kib / 1024")"
    RSS_SECS["$k"]="$secs"
    note "$label: $(fmt "$(calc "$kib / 1024")" 1) MiB (${secs} s)"
}
if [[ -n ${SET_OK[$S7M]:-} ]]; then
    rss "airlock verify (7z multi)" "$AIRLOCK" verify "$S7M/$NAME.exe" --quiet
    rss "airlock check (7z multi)" "$AIRLOCK" check "$S7M/$NAME.exe"
    rss "airlock extract (verify, 7z multi)" "$AIRLOCK" extract "$S7M/$NAME.exe" -d "$OUT/rss" --min-free 0 --quiet
    rss "airlock extract --no-verify (7z multi)" "$AIRLOCK" extract "$S7M/$NAME.exe" -d "$OUT/rss" --min-free 0 --no-verify --quiet
fi
if [[ -n ${SET_OK[$S7S]:-} ]]; then
    rss "airlock extract --no-verify (7z solid)" "$AIRLOCK" extract "$S7S/$NAME.exe" -d "$OUT/rss" --min-free 0 --no-verify --quiet
fi
if [[ -n ${SET_OK[$SZIP]:-} ]]; then
    rss "airlock extract --no-verify (zip)" "$AIRLOCK" extract "$SZIP/$NAME.exe" -d "$OUT/rss" --min-free 0 --no-verify --quiet
fi
rss "airlock extract --no-verify (inno)" "$AIRLOCK" extract "$INNO/$NAME.exe" -d "$OUT/rss" --min-free 0 --no-verify --quiet

# -------------------------------------------------------------------------------------- cold cache --
COLD_NOTE=""
if [[ $COLD == 0 ]]; then
    COLD_NOTE="cold-cache pass skipped (AIRLOCK_BENCH_COLD=0)"
elif [[ $(id -u) != 0 || ! -w /proc/sys/vm/drop_caches ]]; then
    COLD_NOTE="cold-cache pass skipped (needs root and a writable /proc/sys/vm/drop_caches)"
elif [[ -z ${SET_OK[$S7M]:-} ]]; then
    COLD_NOTE="cold-cache pass skipped (7z multi-block set missing)"
else
    run_group verify-cold "$(set_bytes "$S7M")" "sync; echo 3 > /proc/sys/vm/drop_caches" "" "" --warmup 0 --runs "$RUNS" -- \
        "airlock verify --quiet (cold)" "$A verify $(q "$S7M/$NAME.exe") --quiet" \
        "cat parts > /dev/null (cold)" "cat $PQ >/dev/null"
    REF[verify-cold]="cat parts > /dev/null (cold)"
    TARGET["verify-cold|airlock verify --quiet (cold)"]="ratio:0.9"
fi
[[ -n $COLD_NOTE ]] && note "$COLD_NOTE"

# ------------------------------------------------------------------------------------------- table --
table() {
    echo "## airlock benchmark ($(date -u '+%Y-%m-%d %H:%M UTC'))"
    echo
    echo "- machine: nproc $NPROC; CPU $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); kernel $(uname -sr); $(awk '/MemTotal/ { printf "%.1f GiB RAM", $2 / 1048576 }' /proc/meminfo)"
    echo "- date: $(date -u '+%Y-%m-%dT%H:%M:%SZ')"
    echo "- airlock: $("$AIRLOCK" --version 2>/dev/null || echo '?'); hyperfine $(hyperfine --version | awk '{ print $2 }'), --warmup 1 --runs $RUNS (cold: --warmup 0)"
    local -a tv=()
    have 7zz && tv+=("$(7zz | sed -n 2p | cut -d: -f1 | sed 's/ *$//')")
    have unzip && tv+=("$(unzip -v | head -1 | cut -d, -f1)")
    have innoextract && tv+=("$(innoextract --version | head -1)")
    have rhash && tv+=("$(rhash --version)")
    have openssl && tv+=("$(openssl version | cut -d' ' -f1-2)")
    have sha256sum && tv+=("$(sha256sum --version | head -1)")
    echo "- tools: $(IFS=';'; echo "${tv[*]:-none}" | sed 's/;/; /g')"
    ((${#MISSING[@]})) && echo "- missing tools: ${MISSING[*]}"
    echo "- sets (payload $SIZE = $SIZE_BYTES bytes, $PARTS parts): $S7M, $S7S, $SZIP; inno: $INNO"
    if have 7zz; then
        local f
        for f in "$J7M" "$J7S"; do
            [[ -f $f ]] && echo "  - $(basename "$f"): $(7zz l -slt -t7z "$f" 2>/dev/null | grep -m3 -E '^(Method|Solid|Blocks) = ' | paste -sd, - | sed 's/,/, /g')"
        done
    fi
    echo "- 7zz and unzip read a concatenated copy of the parts (they cannot open NAME.exe + NAME-N.bin); airlock reads the parts"
    [[ -n $COLD_NOTE ]] && echo "- $COLD_NOTE"
    echo "- MB/s = 10^6 bytes/s: payload bytes for extractions, set bytes for verify/cat. vs ref = reference median / this median (> 1 = faster)"
    echo
    echo "| group | command | median s | MB/s | vs ref | target | measured | result |"
    echo "|---|---|---:|---:|---:|---|---|---|"
    local k
    for k in "${ORDER[@]}"; do
        local group="${k%%|*}" label="${k#*|}"
        local med="${MED[$k]:-}" err="${ERR[$k]:-}" bytes="${BYTES[$k]:-}" ref="${REF[$group]:-}"
        local tgt="${TARGET[$k]:-}" meas="${MEASURED[$k]:-}"
        if [[ -z $med && -z $err && -z $meas ]]; then err="no measurement"; fi
        local c_med="—" c_mbs="" c_ratio="" c_tgt="" c_meas="$meas" c_res=""
        local ratio=""
        if [[ -n $med ]]; then
            if fge 0.1 "$med"; then c_med="$(fmt "$med" 4)"; else c_med="$(fmt "$med" 3)"; fi
            [[ -n $bytes && $group != "peak RSS" ]] && c_mbs="$(fmt "$(calc "$bytes / $med / 1e6")" 0)"
        fi
        if [[ -n $ref ]]; then
            local rmed="${MED[$group|$ref]:-}"
            if [[ $label == "$ref" ]]; then
                c_ratio="ref"
            elif [[ -n $med && -n $rmed ]]; then
                ratio="$(calc "$rmed / $med")"
                c_ratio="$(fmt "$ratio" 2)×"
            fi
        fi
        # pass: 0 once an evaluated target fails; skip: a target could not be evaluated (no reference, no
        # openssl, no /usr/bin/time) although this command itself ran
        local pass=1 skip=0 info=0 spec
        if [[ -n $tgt ]]; then
            IFS=';' read -ra specs <<<"$tgt"
            local tparts=() mparts=()
            for spec in "${specs[@]}"; do
                local f="${spec#*:}"
                case "$spec" in
                    info) info=1 ;;
                    skip) skip=1 ;;
                    sha:*)
                        tparts+=("≥ $f × SHA limit")
                        if [[ -n $err ]]; then
                            pass=0
                        elif [[ -z $SHA_LIMIT ]]; then
                            mparts+=("SHA limit unknown (no openssl)")
                            skip=1
                        else
                            local mbs lim
                            mbs="$(calc "$bytes / $med")"
                            lim="$(calc "$f * $SHA_LIMIT")"
                            mparts+=("$(fmt "$(calc "$mbs / 1e6")" 0) vs $(fmt "$(calc "$lim / 1e6")" 0) MB/s")
                            fge "$mbs" "$lim" || pass=0
                        fi ;;
                    ratio:* | timele:*)
                        if [[ $spec == ratio:* ]]; then tparts+=("≥ $f × ${ref%% (*}"); else tparts+=("time ≤ $f × $ref"); fi
                        if [[ -n $err ]]; then
                            pass=0
                        elif [[ -z $ratio ]]; then
                            mparts+=("reference not measured")
                            skip=1
                        elif [[ $spec == ratio:* ]]; then
                            mparts+=("$(fmt "$ratio" 2)×")
                            fge "$ratio" "$f" || pass=0
                        else
                            local tr
                            tr="$(calc "1 / $ratio")"
                            mparts+=("$(fmt "$tr" 3)× the time")
                            fge "$f" "$tr" || pass=0
                        fi ;;
                    timelt:*)
                        tparts+=("< $(fmt "$(calc "$f * 1000")" 0) ms")
                        if [[ -n $err ]]; then
                            pass=0
                        else
                            mparts+=("$(fmt "$(calc "$med * 1000")" 1) ms")
                            fge "$med" "$f" && pass=0
                        fi ;;
                    rss:*)
                        tparts+=("peak RSS < $f MiB")
                        if [[ -n $err ]]; then
                            pass=0
                        else
                            mparts+=("$(fmt "$meas" 1) MiB (one run, ${RSS_SECS[$k]:-?} s)")
                            fge "$meas" "$f" && pass=0
                        fi ;;
                esac
            done
            c_tgt="$(IFS=';'; echo "${tparts[*]:-}" | sed 's/;/; /g')"
            ((${#mparts[@]})) && c_meas="$(IFS=';'; echo "${mparts[*]}" | sed 's/;/; /g')"
            if ((info)); then
                c_res="info"
            elif ((pass == 0)); then
                c_res="FAIL"
            elif ((skip)); then
                c_res="SKIP"
            else
                c_res="PASS"
            fi
        fi
        if [[ -n $err ]]; then
            if [[ -z $tgt ]]; then
                c_res="error: $err"
            elif [[ $c_res == SKIP ]]; then
                c_meas="$err"
            else
                c_res="$c_res (error: $err)"
            fi
        fi
        echo "| $group | \`$label\` | $c_med | $c_mbs | $c_ratio | $c_tgt | $c_meas | $c_res |"
    done
}

log "results"
table | tee "$RES/table.md"
echo
echo "(table: $RES/table.md; hyperfine JSON and logs: $RES/)"
