#!/usr/bin/env bash
# benches/compare.sh: airlock against the usual command-line tools on big multi-part download sets, with a
# PASS/FAIL per goal of issue 14 (Inno at vendor size, 7z of real binaries, extract with verification,
# verify, peak RSS).
#
# Usage (from anywhere; the script finds the crate root itself):
#     AIRLOCK_INNO_VENDOR=DIR RUNS=3 bash benches/compare.sh          # the full run (benches/README.md's table)
#     AIRLOCK_BENCH_SIZE=300MiB RUNS=1 AIRLOCK_BENCH_COLD=0 bash benches/compare.sh   # quick smoke run
#     AIRLOCK_BENCH_ONLY=inno-vendor,7z-real bash benches/compare.sh  # some groups only
#
# Environment:
#     AIRLOCK_BENCH_DIR    work folder (default /tmp/airlock-bench). Holds sets/ (the generated sets, reused
#                          on later runs), joined/ (concatenated copies for 7zz/unzip), out/ (extraction
#                          targets, emptied after each group) and results/ (hyperfine JSON, logs, table.md).
#     AIRLOCK_BENCH_SIZE   payload size of the generated sets (default 3.2GiB; airlock::parse_size syntax).
#     AIRLOCK_BENCH_PARTS  parts per generated set, NAME.exe included (default 7; keep it >= nproc).
#                          Sets are kept per size and part count: sets/7z-multi-<SIZE>-<PARTS>p etc.
#     AIRLOCK_INNO_VENDOR  a vendor-size Inno Setup set: a folder with NAME.exe, NAME-1.bin … NAME-3.bin,
#                          SHA256SUMS and EXPECTED.tsv, as shared/tools/make-inno-bench.sh OUTDIR makes.
#                          Unset: sets/inno-vendor when it holds a finished set, else it is built there with
#                          make-inno-bench.sh when wine and npm are on PATH (about 12 min, once), else the
#                          inno-vendor rows are SKIP and the script says how to get wine and npm.
#     AIRLOCK_MAKE_INNO_BENCH  path of make-inno-bench.sh (default ROOT/../shared/tools/make-inno-bench.sh).
#     AIRLOCK_BENCH_REAL_LIBS  shared libraries in the 7z real-binary payload (default 400).
#     AIRLOCK_BENCH_ONLY   comma-separated groups to run (default all): verify, inno-vendor, 7z-real,
#                          extract-7z-multi, extract-7z-solid, extract-zip, extract-inno, extract-verify,
#                          check, verify-cold. sha-rate and the peak RSS rows of the chosen groups always run.
#     RUNS                 hyperfine runs per command (default 5), after one warm-up run.
#     AIRLOCK_BENCH_COLD   set to 0 to skip the cold-cache pass.
#     AIRLOCK_BIN          airlock binary to measure instead of target/release/airlock (it is still built).
#
# Tools: hyperfine is required. Optional (the rows that need a missing tool are skipped, and the script
# says which tools are missing; it installs nothing): 7zz, unzip, innoextract, rhash, openssl, sha256sum,
# jq or python3 (to read hyperfine's JSON; one of them is needed), /usr/bin/time (peak RSS), zip (used by
# examples/make-set.rs; without it the zip crate writes the zip set), wine + npm (to build the vendor-size
# Inno set when none is given).
#
# What it does:
#   1. cargo build --release (the airlock binary and the make-set example).
#   2. Sets, each made once in $AIRLOCK_BENCH_DIR/sets/ and reused (a finished set has its SHA256SUMS):
#      - three with examples/make-set.rs: 7z with many blocks, 7z with one solid block, zip;
#      - the real Inno Setup 6.2 set committed in testdata/inno-bench (34 MB, 80 MB payload);
#      - the vendor-size Inno set (AIRLOCK_INNO_VENDOR above: Inno 6.2.0, lzma2/max solid, 3 × 300 MB
#        slices, 1.33 GB payload);
#      - 7z of real binaries: real-payload-N/ holds the N largest distinct shared libraries of
#        /usr/lib/x86_64-linux-gnu, 2 × 100 MB random cabs and a setup.exe, packed by `7zz a -t7z -mx1`
#        and by 7zz's default (-mx5) into 7z-real-mx1-N/NAME.7z and 7z-real-mx5-N/NAME.7z (one-part sets).
#      7zz cannot open the split set (NAME.exe + NAME-N.bin; `7zz l -t7z NAME.exe` says "Unexpected end of
#      archive") and unzip cannot either, so both are given a concatenated copy (`cat parts > joined/...`)
#      made once, outside the timings.
#   3. Warm-cache timings with hyperfine (--warmup 1 --runs $RUNS, one --export-json per group). Every
#      command is first run once outside hyperfine: a command that fails becomes an "error" row (FAIL
#      where it has a target) and is left out of the timing, so the script always reaches the table. The
#      output of that first run of every airlock extract is also compared with the set's EXPECTED.tsv
#      (paths, sizes, SHA-256): a wrong extraction is an error row, not a fast one.
#        sha-rate       openssl speed -evp sha256 -bytes 16384 -seconds 3, one core; SHA limit = nproc x that
#                       (also -bytes 8388608, shown for context only: big buffers are not cache-resident)
#        verify         airlock verify (SHA256SUMS beside the 7z multi-block set) against sha256sum,
#                       xargs -P$(nproc) sha256sum, rhash --sha256, xargs -P$(nproc) openssl dgst -sha256
#        inno-vendor    airlock extract --min-free 0 --no-verify, airlock extract --min-free 0 (the parts
#                       verified against SHA256SUMS while extracting) and airlock verify --deep against
#                       innoextract -s -q -d OUT
#        extract-7z-real-mx1 / extract-7z-real-mx5   airlock extract --no-verify against 7zz x -t7z
#        extract-7z-multi / extract-7z-solid   airlock extract --min-free 0 --no-verify against 7zz x -t7z;
#                       the solid group also times airlock extract with verification
#        extract-zip    airlock extract --min-free 0 --no-verify against unzip -qq (exit 1 = the "65536 extra
#                       bytes at beginning" stub warning, accepted)
#        extract-inno   airlock extract --min-free 0 --no-verify against innoextract -s -q
#        extract-verify airlock extract of the 7z multi-block set with verification against --no-verify
#        check          airlock check of the 7z multi-block set
#      Every extraction group also times airlock verify --deep (the same decoding, nothing written: the
#      decoder's floor) and dd writing the payload's byte count in one file with conv=fsync (the disk's floor
#      for a durable extraction). The bar-04 row of issue 26 (7z -mx1, many blocks, 700 MB out) is
#      extract-7z-multi with AIRLOCK_BENCH_SIZE=700MB.
#      Extraction runs go into a fresh folder each time (hyperfine --prepare 'rm -rf OUT && sync': the sync lets
#      the pages of the last run's output be freed before the next run, so no run is handed memory this
#      machine's VM gives out cold, which costs ~4 s of system time per GB written).
#   4. Peak RSS of every airlock command, one run each, with /usr/bin/time -f %M.
#   5. Cold cache (only as root with a writable /proc/sys/vm/drop_caches), --prepare 'sync; echo 3 >
#      /proc/sys/vm/drop_caches': airlock verify against cat parts > /dev/null; airlock stage against cp + sync
#      + sha256sum -c of the copy; with the vendor-size Inno set (and its warm row measured), airlock extract
#      --no-verify cold against 1.1 x (its warm time + cat of its parts cold).
#   6. Prints the machine (nproc, CPU, kernel, date, tool versions) and a Markdown table: group, command,
#      median seconds, MB/s (10^6 bytes/s of payload for extractions, of set bytes for verify/cat), speed
#      ratio against the group's reference (reference median / this median; > 1 is faster), the target and
#      PASS/FAIL (SKIP when a target cannot be evaluated because its set or reference tool is missing;
#      FAIL with "(error: ...)" when the airlock command itself failed); then one PASS/FAIL/SKIP line per
#      goal of issue 14 with the ratios behind it. Both are written to results/table.md.
#      Goal targets: (1) inno-vendor extract, with and without verification, >= 1.3 x innoextract;
#      (2) 7z real-binary extract >= 1.3 x 7zz x, -mx1 and -mx5; (3) extract with verification <= 1.1 x
#      the time without on the single-stream sets (inno-vendor, 7z solid), and on the 7z multi-block set
#      wall <= 1.1 x (CPU of extract --no-verify + CPU of verify) / nproc, CPU = hyperfine's mean user +
#      system; (4) verify >= 0.95 x SHA limit (the ratio to xargs openssl is shown, not a target);
#      (5) peak RSS < 128 MiB on every airlock row. Other targets: cold verify >= 0.9 x cat; check
#      < 50 ms; 7z extract >= 1.1 x 7zz (generated sets); zip extract >= 2.5 x unzip; inno (testdata)
#      extract >= 1.0 x innoextract.
#
# Disk: about 7 x AIRLOCK_BENCH_SIZE in AIRLOCK_BENCH_DIR (3 sets, 3 joined copies, 1 extraction), plus
# about 2.7 GB for the vendor-size Inno set and one extraction of it, and 1.8 GB for the real-binary
# payload and its two archives.
# Time: on 2 cores (2026-12-02) with every set already made, AIRLOCK_BENCH_SIZE=300MiB RUNS=3 took 13 min (the
# vendor-size Inno and 7z-real groups are most of it). Making the sets once: at 300MiB the three generated sets
# about 70 s, the 7z-real ones (7zz -mx1 and -mx5 over 744 MB) several minutes, the vendor Inno set with wine
# 12-20 min; at 3.2GiB expect roughly 11x for the generated sets and a few times longer per hyperfine group.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${AIRLOCK_BENCH_DIR:-/tmp/airlock-bench}"
SIZE="${AIRLOCK_BENCH_SIZE:-3.2GiB}"
PARTS="${AIRLOCK_BENCH_PARTS:-7}"
RUNS="${RUNS:-5}"
COLD="${AIRLOCK_BENCH_COLD:-1}"
ONLY="${AIRLOCK_BENCH_ONLY:-}"
REAL_LIBS="${AIRLOCK_BENCH_REAL_LIBS:-400}"
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
joined() { local IFS=';' s; s="$*"; printf '%s' "${s//;/; }"; } # joined A B C: "A; B; C"
# want NAME...: true when AIRLOCK_BENCH_ONLY is unset or lists one of the NAMEs
want() {
    [[ -z $ONLY ]] && return 0
    local n
    for n in "$@"; do [[ ",$ONLY," == *",$n,"* ]] && return 0; done
    return 1
}

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
want verify extract-7z-multi extract-verify check verify-cold && make_set "$S7M" --format 7z
want extract-7z-solid && make_set "$S7S" --format 7z --solid
want extract-zip && make_set "$SZIP" --format zip
SET_OK["$INNO"]=1

# The vendor-size Inno Setup set (shared/tools/make-inno-bench.sh): $AIRLOCK_INNO_VENDOR, else one built
# earlier in sets/inno-vendor, else built there now when wine and npm are present. IV_SKIP says why not.
inno_set_ok() { [[ -f $1/$NAME.exe && -f $1/SHA256SUMS && -f $1/EXPECTED.tsv ]]; }
IV=""
IV_SKIP=""
if want inno-vendor; then
    MKI="${AIRLOCK_MAKE_INNO_BENCH:-$ROOT/../shared/tools/make-inno-bench.sh}"
    if [[ -n ${AIRLOCK_INNO_VENDOR:-} ]]; then
        if inno_set_ok "$AIRLOCK_INNO_VENDOR"; then
            IV="$(cd "$AIRLOCK_INNO_VENDOR" && pwd)"
            note "vendor-size Inno set: $IV (AIRLOCK_INNO_VENDOR)"
        else
            IV_SKIP="AIRLOCK_INNO_VENDOR=$AIRLOCK_INNO_VENDOR lacks $NAME.exe, SHA256SUMS or EXPECTED.tsv"
        fi
    elif inno_set_ok "$SETS/inno-vendor"; then
        IV="$SETS/inno-vendor"
        note "reusing $IV"
    elif have wine && have npm && [[ -f $MKI ]]; then
        log "make-inno-bench.sh -> $SETS/inno-vendor (about 12 min on 2 cores, once)"
        rm -rf "$SETS/inno-vendor.tmp"
        if bash "$MKI" "$SETS/inno-vendor.tmp" 2>&1 | tee "$RES/make-inno-bench.log" && inno_set_ok "$SETS/inno-vendor.tmp"; then
            rm -rf "$SETS/inno-vendor"
            mv "$SETS/inno-vendor.tmp" "$SETS/inno-vendor"
            IV="$SETS/inno-vendor"
        else
            IV_SKIP="make-inno-bench.sh failed (see $RES/make-inno-bench.log)"
        fi
    elif have wine && have npm; then
        IV_SKIP="no make-inno-bench.sh at $MKI (set AIRLOCK_MAKE_INNO_BENCH or AIRLOCK_INNO_VENDOR)"
    else
        IV_SKIP="no vendor-size Inno set: needs wine and npm to build one"
        note "vendor-size Inno rows skipped. To build the set (once, about 12 min), as root:"
        note "  dpkg --add-architecture i386 && apt-get update && apt-get install -y wine wine32:i386 npm"
        note "or point AIRLOCK_INNO_VENDOR at a folder made by shared/tools/make-inno-bench.sh OUTDIR"
    fi
    [[ -n $IV_SKIP ]] && note "$IV_SKIP"
fi

# 7z of real binaries: sets/real-payload-N/payload holds the N largest shared libraries of this machine
# (distinct files), two 100 MB incompressible cabs and a setup.exe (made once); packed by 7zz -mx1 and by
# 7zz's default (-mx5) into sets/7z-real-mx1-N/NAME.7z and sets/7z-real-mx5-N/NAME.7z, one file each (a
# set of one part), with SHA256SUMS and EXPECTED.tsv beside it.
RP="$SETS/real-payload-$REAL_LIBS"
S7R1="$SETS/7z-real-mx1-$REAL_LIBS"
S7R5="$SETS/7z-real-mx5-$REAL_LIBS"
R_SKIP=""
make_real_payload() {
    if [[ -f $RP/EXPECTED.tsv ]]; then
        note "reusing $RP"
        return 0
    fi
    log "real-binary payload -> $RP"
    rm -rf "$RP"
    mkdir -p "$RP/payload/bin" "$RP/payload/SQLSERVER2017/x64"
    local -A seen=()
    local n=0 f r b
    while IFS=$'\t' read -r _ f; do
        r="$(realpath -e "$f" 2>/dev/null)" || continue
        [[ -r $r && -z ${seen[$r]:-} ]] || continue
        seen["$r"]=1
        b="$(basename "$r")"
        [[ -e $RP/payload/bin/$b ]] && continue
        cp "$r" "$RP/payload/bin/$b" 2>/dev/null || continue
        n=$((n + 1))
        ((n < REAL_LIBS)) || break
    done < <(find -L /usr/lib/x86_64-linux-gnu -maxdepth 1 -name '*.so*' -type f -printf '%s\t%p\n' 2>/dev/null | sort -rn)
    head -c 100000000 /dev/urandom >"$RP/payload/SQLSERVER2017/x64/sql1.cab"
    head -c 100000000 /dev/urandom >"$RP/payload/SQLSERVER2017/x64/sql2.cab"
    head -c 700000 /dev/urandom >"$RP/payload/setup.exe"
    (cd "$RP/payload" && find . -type f -printf '%P\n' | LC_ALL=C sort | while IFS= read -r f; do
        printf '%s\t%s\t%s\n' "$f" "$(stat -c %s "$f")" "$(sha256sum "$f" | cut -d' ' -f1)"
    done) >"$RP/EXPECTED.tsv.tmp"
    mv "$RP/EXPECTED.tsv.tmp" "$RP/EXPECTED.tsv"
    note "$n shared libraries, 2 cabs, setup.exe: $(payload_bytes "$RP") bytes"
}
make_real_7z() { # make_real_7z DIR 7zz-switches...
    local dir="$1"
    shift
    if [[ -f $dir/SHA256SUMS && $dir/SHA256SUMS -nt $RP/EXPECTED.tsv ]]; then
        note "reusing $dir"
        SET_OK["$dir"]=1
        return 0
    fi
    log "7zz a -t7z $* -> $dir/$NAME.7z"
    rm -rf "$dir"
    mkdir -p "$dir"
    if (cd "$RP/payload" && 7zz a -t7z "$@" -bd -bso0 -bsp0 "$dir/$NAME.7z" bin SQLSERVER2017 setup.exe); then
        cp "$RP/EXPECTED.tsv" "$dir/EXPECTED.tsv"
        (cd "$dir" && sha256sum "$NAME.7z" >SHA256SUMS.tmp && mv SHA256SUMS.tmp SHA256SUMS)
        SET_OK["$dir"]=1
    else
        note "7zz failed for $dir; its rows will be errors"
    fi
}
if want 7z-real; then
    if have 7zz && have sha256sum; then
        make_real_payload
        make_real_7z "$S7R1" -mx1
        make_real_7z "$S7R5"
    else
        R_SKIP="needs 7zz and sha256sum"
        note "7z real-binary rows skipped: $R_SKIP"
    fi
fi

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
    if [[ -n ${SET_OK[$S7M]:-} ]]; then join_set "$S7M" "$J7M"; fi
    if [[ -n ${SET_OK[$S7S]:-} ]]; then join_set "$S7S" "$J7S"; fi
fi
if have unzip && [[ -n ${SET_OK[$SZIP]:-} ]]; then join_set "$SZIP" "$JZIP"; fi

# ------------------------------------------------------------------------------------ bookkeeping --
# MED/USR/SYS: hyperfine's median wall, mean user and mean system seconds; SKIPPED: why a row was not run
declare -A MED=() USR=() SYS=() ERR=() SKIPPED=() BYTES=() REF=() TARGET=() MEASURED=() RSS_SECS=()
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

# read_json FILE: "name<TAB>median<TAB>mean user s<TAB>mean system s" per command
read_json() {
    if [[ $JSON_TOOL == jq ]]; then
        jq -r '.results[] | [.command, (.median | tostring), (.user | tostring), (.system | tostring)] | @tsv' "$1"
    else
        python3 -c 'import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("%s\t%r\t%r\t%r" % (r["command"], r["median"], r["user"], r["system"]))' "$1"
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
        if [[ -n $expected && $label == "airlock extract"* ]]; then
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
    local json
    json="$RES/$(slug "$group").json"
    local -a hf=(hyperfine --style basic --export-json "$json" "${extra[@]}")
    # the same shell as the untimed run, unless the group runs without a shell (-N)
    [[ " ${extra[*]} " == *" -N "* ]] || hf+=(--shell bash)
    [[ -n $prepare ]] && hf+=(--prepare "$prepare")
    local i
    for i in "${!cmds[@]}"; do hf+=(-n "${names[$i]}" "${cmds[$i]}"); done
    if "${hf[@]}"; then
        local n m u sy
        while IFS=$'\t' read -r n m u sy; do
            MED["$group|$n"]="$m"
            USR["$group|$n"]="$u"
            SYS["$group|$n"]="$sy"
        done < <(read_json "$json")
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
# skip_row GROUP LABEL TARGET WHY: a row that is not run (SKIP in the table, WHY in its measured column)
skip_row() {
    add_row "$1" "$2" ""
    TARGET["$1|$2"]="$3"
    SKIPPED["$1|$2"]="$4"
}
VT="g4=sha:0.95"
if [[ -n ${SET_OK[$S7M]:-} ]] && want verify; then
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
    TARGET["verify|airlock verify --quiet"]="$VT"
elif want verify; then
    add_row verify "airlock verify --quiet" ""
    ERR["verify|airlock verify --quiet"]="7z multi-block set missing"
    TARGET["verify|airlock verify --quiet"]="$VT"
fi

# ----------------------------------------------------------------------------------------- extract --
# extract_group GROUP SET REF_LABEL REF_CMD(with @OUT@) TARGET VERIFY_TARGET [LABEL CMD ...]
#   SET: the file airlock is given (NAME.exe or NAME.7z); its folder holds EXPECTED.tsv and SHA256SUMS.
#   Rows: `airlock extract --no-verify` (TARGET); with VERIFY_TARGET also `airlock extract (verify)`, the
#   SHA256SUMS beside the set checked on the way; then the reference; then any further LABEL CMD pairs.
extract_group() {
    local group="$1" set="$2" ref_label="$3" ref_cmd="$4" target="$5" vtarget="$6"
    shift 6
    local dir o="$OUT/$group"
    dir="$(dirname "$set")"
    # the peer's row label without its parenthesis (which may hold a ';', the target separator)
    local al="airlock extract --no-verify" av="airlock extract (verify)" dv="airlock verify --deep"
    local df="dd of the payload size + fsync (disk floor)"
    local ps="${ref_label%% (*} + sync"
    REF["$group"]="$ref_label"
    # issue 26: extraction within 5% of decoding alone (verify --deep: the same decode, nothing written), and
    # airlock (durable) against the peer made durable too (its command, then sync)
    TARGET["$group|$al"]="$target;timele:1.05@$dv"
    [[ -n $ref_cmd ]] && TARGET["$group|$al"]+=";ratio:1.0@$ps"
    TARGET["$group|$dv"]="info"
    TARGET["$group|$df"]="info"
    TARGET["$group|$ps"]="info"
    [[ -n $vtarget ]] && TARGET["$group|$av"]="$vtarget"
    if [[ -z ${SET_OK[$dir]:-} ]]; then
        add_row "$group" "$al" ""
        ERR["$group|$al"]="set missing (making it failed)"
        return 0
    fi
    local pb
    pb="$(payload_bytes "$dir")"
    local -a g=("$group" "$pb" "rm -rf $(q "$o") && sync" "$dir/EXPECTED.tsv" "$o" "${WARM[@]}" --
        "$al" "$A extract $(q "$set") -d $(q "$o") --min-free 0 --no-verify --quiet")
    [[ -n $vtarget ]] && g+=("$av" "$A extract $(q "$set") -d $(q "$o") --min-free 0 --quiet")
    [[ -n $ref_cmd ]] && g+=("$ref_label" "${ref_cmd//@OUT@/$(q "$o")}")
    [[ -n $ref_cmd ]] && g+=("$ps" "${ref_cmd//@OUT@/$(q "$o")} && sync")
    g+=("$dv" "$A verify $(q "$set") --deep --quiet")
    # the disk's floor for a durable extraction: the payload's bytes written in 8 MiB blocks and flushed, no
    # decoding, no files (one, in the same folder)
    g+=("$df" "mkdir -p $(q "$o") && dd if=/dev/zero of=$(q "$o/floor") bs=8M count=$(((pb + (8 << 20) - 1) >> 23)) conv=fsync status=none")
    run_group "${g[@]}" "$@"
    if [[ -z $ref_cmd ]]; then
        add_row "$group" "$ref_label" "$pb"
        ERR["$group|$ref_label"]="tool or joined copy missing"
    fi
}
X7="7zz x -t7z -bd -bso0 -bsp0 -y -o@OUT@"
# "with verification" on a single-stream payload: time <= 1.1 x the same extraction without (goal 3)
VS="g3=timele:1.1@airlock extract --no-verify"

if want inno-vendor; then
    if [[ -n $IV ]]; then
        SET_OK["$IV"]=1
        RI=""
        if have innoextract; then RI="innoextract -s -q -d @OUT@ $(q "$IV/$NAME.exe")"; fi
        extract_group inno-vendor "$IV/$NAME.exe" "innoextract -s -q" "$RI" "g1=ratio:1.3" "g1=ratio:1.3;$VS"
    else
        REF[inno-vendor]="innoextract -s -q"
        skip_row inno-vendor "airlock extract --no-verify" "g1=ratio:1.3" "$IV_SKIP"
        skip_row inno-vendor "airlock extract (verify)" "g1=ratio:1.3;$VS" "$IV_SKIP"
        skip_row inno-vendor "airlock verify --deep" "info" "$IV_SKIP"
    fi
fi
if want 7z-real; then
    for mx in 1 5; do
        d="$SETS/7z-real-mx$mx-$REAL_LIBS"
        if [[ -n $R_SKIP ]]; then
            REF["extract-7z-real-mx$mx"]="7zz x -t7z"
            skip_row "extract-7z-real-mx$mx" "airlock extract --no-verify" "g2=ratio:1.3" "$R_SKIP"
        else
            extract_group "extract-7z-real-mx$mx" "$d/$NAME.7z" "7zz x -t7z" "$X7 $(q "$d/$NAME.7z")" "g2=ratio:1.3" ""
        fi
    done
fi

if want extract-7z-multi; then
    R7=""
    if have 7zz && [[ -f $J7M ]]; then R7="$X7 $(q "$J7M")"; fi
    extract_group extract-7z-multi "$S7M/$NAME.exe" "7zz x -t7z (joined copy)" "$R7" "ratio:1.1" ""
fi
if want extract-7z-solid; then
    R7=""
    if have 7zz && [[ -f $J7S ]]; then R7="$X7 $(q "$J7S")"; fi
    extract_group extract-7z-solid "$S7S/$NAME.exe" "7zz x -t7z (joined copy)" "$R7" "ratio:1.1" "$VS"
fi
if want extract-zip; then
    RZ=""
    if have unzip && [[ -f $JZIP ]]; then RZ="unzip -qq -o $(q "$JZIP") -d @OUT@ 2>/dev/null || [ \$? -eq 1 ]"; fi
    extract_group extract-zip "$SZIP/$NAME.exe" "unzip -qq (joined copy; exit 1 accepted)" "$RZ" "ratio:2.5" ""
fi
if want extract-inno; then
    RI=""
    if have innoextract; then RI="innoextract -s -q -d @OUT@ $(q "$INNO/$NAME.exe")"; fi
    extract_group extract-inno "$INNO/$NAME.exe" "innoextract -s -q" "$RI" "ratio:1.0" ""
fi

# extraction with verification (SHA256SUMS beside the set) against --no-verify, on the multi-block set:
# wall <= 1.1 x (CPU of extract --no-verify + CPU of verify) / nproc (goal 3)
if want extract-verify; then
    if [[ -n ${SET_OK[$S7M]:-} ]]; then
        o="$OUT/extract-verify"
        run_group extract-verify "$(payload_bytes "$S7M")" "rm -rf $(q "$o") && sync" "$S7M/EXPECTED.tsv" "$o" "${WARM[@]}" -- \
            "airlock extract (verify)" "$A extract $(q "$S7M/$NAME.exe") -d $(q "$o") --min-free 0 --quiet" \
            "airlock extract --no-verify" "$A extract $(q "$S7M/$NAME.exe") -d $(q "$o") --min-free 0 --no-verify --quiet"
    else
        add_row extract-verify "airlock extract (verify)" ""
        ERR["extract-verify|airlock extract (verify)"]="7z multi-block set missing"
    fi
    REF[extract-verify]="airlock extract --no-verify"
    TARGET["extract-verify|airlock extract (verify)"]="g3=cpu:1.1@extract-verify|airlock extract --no-verify@verify|airlock verify --quiet"
fi

# ------------------------------------------------------------------------------------------- check --
if want check; then
    if [[ -n ${SET_OK[$S7M]:-} ]]; then
        run_group check "" "" "" "" "${WARM[@]}" -N -- "airlock check" "$A check $(q "$S7M/$NAME.exe")"
    else
        add_row check "airlock check" ""
        ERR["check|airlock check"]="7z multi-block set missing"
    fi
    TARGET["check|airlock check"]="timelt:0.050"
fi

# ---------------------------------------------------------------------------------------- peak RSS --
log "peak RSS (/usr/bin/time -f %M, one run each)"
RSS_T="g5=rss:128"
rss() { # rss LABEL CMD...
    local label="$1"
    shift
    local k="peak RSS|$label" rc=0 f
    f="$RES/rss-$(slug "$label").txt"
    add_row "peak RSS" "$label" ""
    TARGET["$k"]="$RSS_T"
    if [[ -z $TIME_BIN ]]; then
        SKIPPED["$k"]="no /usr/bin/time"
        return 0
    fi
    rm -rf "$OUT/rss"
    "$TIME_BIN" -f '%M %e' -o "$f" "$@" >"$f.log" 2>&1 || rc=$?
    rm -rf "$OUT/rss"
    local kib secs
    kib=""
    secs=""
    if [[ -s $f ]]; then read -r kib secs < <(tail -n 1 "$f") || true; fi
    if ((rc != 0)); then
        ERR["$k"]="exit $rc: $(grep -v '^\s*$' "$f.log" | tail -n 1 | cut -c1-90 | tr '|' '/') (peak ${kib:-?} KiB)"
        note "$label: ${ERR[$k]}"
        return 0
    fi
    MEASURED["$k"]="$(calc "$kib / 1024")"
    RSS_SECS["$k"]="$secs"
    note "$label: $(fmt "$(calc "$kib / 1024")" 1) MiB (${secs} s)"
}
rss_extract() { # rss_extract LABEL SET [--no-verify]
    local label="$1" set="$2"
    shift 2
    rss "$label" "$AIRLOCK" extract "$set" -d "$OUT/rss" --min-free 0 "$@" --quiet
}
if [[ -n ${SET_OK[$S7M]:-} ]]; then
    want verify && rss "airlock verify (7z multi)" "$AIRLOCK" verify "$S7M/$NAME.exe" --quiet
    want check && rss "airlock check (7z multi)" "$AIRLOCK" check "$S7M/$NAME.exe"
    want extract-verify && rss_extract "airlock extract (verify, 7z multi)" "$S7M/$NAME.exe"
    want extract-7z-multi extract-verify && rss_extract "airlock extract --no-verify (7z multi)" "$S7M/$NAME.exe" --no-verify
fi
if [[ -n ${SET_OK[$S7S]:-} ]]; then
    rss_extract "airlock extract (verify, 7z solid)" "$S7S/$NAME.exe"
    rss_extract "airlock extract --no-verify (7z solid)" "$S7S/$NAME.exe" --no-verify
fi
if [[ -n ${SET_OK[$SZIP]:-} ]]; then
    rss_extract "airlock extract --no-verify (zip)" "$SZIP/$NAME.exe" --no-verify
fi
if want extract-inno; then
    rss_extract "airlock extract --no-verify (inno)" "$INNO/$NAME.exe" --no-verify
fi
if [[ -n $IV ]]; then
    rss_extract "airlock extract (verify, inno vendor)" "$IV/$NAME.exe"
    rss_extract "airlock extract --no-verify (inno vendor)" "$IV/$NAME.exe" --no-verify
    rss "airlock verify --deep (inno vendor)" "$AIRLOCK" verify "$IV/$NAME.exe" --deep --quiet
fi
for mx in 1 5; do
    if [[ -n ${SET_OK[$SETS/7z-real-mx$mx-$REAL_LIBS]:-} ]]; then
        rss_extract "airlock extract --no-verify (7z real mx$mx)" "$SETS/7z-real-mx$mx-$REAL_LIBS/$NAME.7z" --no-verify
    fi
done

# -------------------------------------------------------------------------------------- cold cache --
COLD_NOTE=""
if ! want verify-cold; then
    COLD_NOTE="cold-cache pass not selected (AIRLOCK_BENCH_ONLY)"
elif [[ $COLD == 0 ]]; then
    COLD_NOTE="cold-cache pass skipped (AIRLOCK_BENCH_COLD=0)"
elif [[ $(id -u) != 0 || ! -w /proc/sys/vm/drop_caches ]]; then
    COLD_NOTE="cold-cache pass skipped (needs root and a writable /proc/sys/vm/drop_caches)"
elif [[ -z ${SET_OK[$S7M]:-} ]]; then
    COLD_NOTE="cold-cache pass skipped (7z multi-block set missing)"
else
    mapfile -t P7 < <(parts_of "$S7M")
    PQ="$(printf '%q ' "${P7[@]}")"
    run_group verify-cold "$(set_bytes "$S7M")" "sync; echo 3 > /proc/sys/vm/drop_caches" "" "" --warmup 0 --runs "$RUNS" -- \
        "airlock verify --quiet (cold)" "$A verify $(q "$S7M/$NAME.exe") --quiet" \
        "airlock verify --threads 1 (cold)" "$A verify $(q "$S7M/$NAME.exe") --threads 1 --quiet" \
        "cat parts > /dev/null (cold)" "cat $PQ >/dev/null"
    REF[verify-cold]="cat parts > /dev/null (cold)"
    TARGET["verify-cold|airlock verify --quiet (cold)"]="ratio:0.95"
    TARGET["verify-cold|airlock verify --threads 1 (cold)"]="ratio:0.95@cat parts > /dev/null (cold)"
    # issue 26: stage (copy, flush, read back from the device, manifests) against what a careful admin runs:
    # cp, sync, caches dropped, sha256sum -c of the copy. --prepare empties the media folder and leaves no
    # dirty data; the source is cold for both.
    M="$OUT/stage-media"
    SUMS="$(q "$S7M/SHA256SUMS")"
    run_group stage "$(set_bytes "$S7M")" "rm -rf $(q "$M") && sync && echo 3 > /proc/sys/vm/drop_caches" "" "$M" \
        --warmup 0 --runs "$RUNS" -- \
        "airlock stage --quiet (cold)" "$A stage $(q "$S7M/$NAME.exe") $(q "$M") --quiet" \
        "cp + sync + drop caches + sha256sum -c" "mkdir -p $(q "$M") && cp $PQ $(q "$M")/ && sync && echo 3 > /proc/sys/vm/drop_caches && cd $(q "$M") && sha256sum --quiet -c $SUMS"
    REF[stage]="cp + sync + drop caches + sha256sum -c"
    TARGET["stage|airlock stage --quiet (cold)"]="ratio:1.3"
    # issue 26: extraction straight from cold media: the vendor-size Inno set with nothing in the page cache,
    # against its warm extraction plus the time cat needs to read its parts cold (the reads should overlap
    # the decoding, not add to it).
    if [[ -n $IV && -n ${MED[inno-vendor|airlock extract --no-verify]:-} ]]; then
        mapfile -t PV < <(parts_of "$IV")
        PVQ="$(printf '%q ' "${PV[@]}")"
        OC="$OUT/extract-cold"
        run_group extract-cold "$(payload_bytes "$IV")" "rm -rf $(q "$OC") && sync && echo 3 > /proc/sys/vm/drop_caches" \
            "$IV/EXPECTED.tsv" "$OC" --warmup 0 --runs "$RUNS" -- \
            "airlock extract --no-verify (cold)" "$A extract $(q "$IV/$NAME.exe") -d $(q "$OC") --min-free 0 --no-verify --quiet" \
            "cat parts > /dev/null (cold)" "cat $PVQ >/dev/null"
        REF[extract-cold]="cat parts > /dev/null (cold)"
        TARGET["extract-cold|airlock extract --no-verify (cold)"]="sumle:1.1@inno-vendor|airlock extract --no-verify@extract-cold|cat parts > /dev/null (cold)"
        TARGET["extract-cold|cat parts > /dev/null (cold)"]="info"
    fi
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
    # awk reads to the end: a reader that stops early (head, sed -n, grep -m) would SIGPIPE the tool, and with
    # pipefail end the script before its table
    have 7zz && tv+=("$(7zz | awk 'NR == 2' | cut -d: -f1 | sed 's/ *$//')")
    have unzip && tv+=("$(unzip -v | awk 'NR == 1' | cut -d, -f1)")
    have innoextract && tv+=("$(innoextract --version | awk 'NR == 1')")
    have rhash && tv+=("$(rhash --version)")
    have openssl && tv+=("$(openssl version | cut -d' ' -f1-2)")
    have sha256sum && tv+=("$(sha256sum --version | awk 'NR == 1')")
    echo "- tools: $(joined "${tv[@]:-none}")"
    ((${#MISSING[@]})) && echo "- missing tools: ${MISSING[*]}"
    echo "- sets (payload $SIZE = $SIZE_BYTES bytes, $PARTS parts): $S7M, $S7S, $SZIP; inno: $INNO"
    if [[ -n $IV ]]; then
        echo "- vendor-size Inno set: $IV ($(set_bytes "$IV") bytes in $(parts_of "$IV" | wc -l) parts, payload $(payload_bytes "$IV") bytes)"
    elif want inno-vendor; then
        echo "- vendor-size Inno set: not run ($IV_SKIP)"
    fi
    if [[ -f $RP/EXPECTED.tsv ]]; then
        echo "- 7z real binaries: $RP/payload ($(grep -c '^bin/' "$RP/EXPECTED.tsv") shared libraries of this machine, 2 × 100 MB random cabs, setup.exe; $(payload_bytes "$RP") bytes)"
    fi
    if have 7zz; then
        local f
        for f in "$J7M" "$J7S" "$S7R1/$NAME.7z" "$S7R5/$NAME.7z"; do
            [[ -f $f ]] && echo "  - $(basename "$(dirname "$f")")/$(basename "$f"): $(7zz l -slt -t7z "$f" 2>/dev/null | awk '/^(Method|Solid|Blocks) = / && n++ < 3' | paste -sd, - | sed 's/,/, /g')"
        done
    fi
    echo "- 7zz and unzip read a concatenated copy of the parts (they cannot open NAME.exe + NAME-N.bin); airlock reads the parts"
    [[ -n $COLD_NOTE ]] && echo "- $COLD_NOTE"
    echo "- MB/s = 10^6 bytes/s: payload bytes for extractions, set bytes for verify/cat. vs ref = reference median / this median (> 1 = faster)"
    echo
    echo "| group | command | median s | MB/s | vs ref | target | measured | result |"
    echo "|---|---|---:|---:|---:|---|---|---|"
    local k
    # per goal (issue 14): the worst result of its targets (FAIL > SKIP > PASS) and what each measured
    local -A g_res=() g_txt=()
    local rss_max="" rss_max_label="" rss_n=0
    for k in "${ORDER[@]}"; do
        local group="${k%%|*}" label="${k#*|}"
        local med="${MED[$k]:-}" err="${ERR[$k]:-}" why="${SKIPPED[$k]:-}" bytes="${BYTES[$k]:-}" ref="${REF[$group]:-}"
        local tgt="${TARGET[$k]:-}" meas="${MEASURED[$k]:-}"
        if [[ -z $med && -z $err && -z $meas && -z $why ]]; then err="no measurement"; fi
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
        # A target is [gN=]KIND[:F[@ARG]]; gN= counts it toward goal N of the summary. pass: 0 once an
        # evaluated target fails; skip: a target could not be evaluated (row not run, no reference, no
        # openssl, no /usr/bin/time) although this command itself did not fail
        local pass=1 skip=0 info=0 spec
        if [[ -n $tgt ]]; then
            IFS=';' read -ra specs <<<"$tgt"
            local tparts=() mparts=()
            for spec in "${specs[@]}"; do
                local goal="" sp=1 sk=0 tp="" mp="" gm=""
                if [[ $spec == g[0-9]=* ]]; then
                    goal="${spec:1:1}"
                    spec="${spec#*=}"
                fi
                local kind="${spec%%:*}" arg="${spec#*:}"
                local f="${arg%%@*}" at=""
                [[ $arg == *@* ]] && at="${arg#*@}"
                case "$kind" in
                    info) info=1 ;;
                    skip) sk=1 ;;
                    sha)
                        tp="≥ $f × SHA limit"
                        if [[ -n $why ]]; then
                            sk=1
                        elif [[ -n $err ]]; then
                            sp=0
                        elif [[ -z $SHA_LIMIT ]]; then
                            mp="SHA limit unknown (no openssl)"
                            sk=1
                        else
                            local mbs lim
                            mbs="$(calc "$bytes / $med")"
                            lim="$(calc "$f * $SHA_LIMIT")"
                            mp="$(fmt "$(calc "$mbs / 1e6")" 0) vs $(fmt "$(calc "$lim / 1e6")" 0) MB/s = $(fmt "$(calc "$mbs / $SHA_LIMIT")" 3) × SHA limit"
                            gm="$(fmt "$(calc "$mbs / $SHA_LIMIT")" 3) × SHA limit"
                            fge "$mbs" "$lim" || sp=0
                        fi ;;
                    ratio | timele)
                        # against the group's reference, or against row @LABEL of the same group
                        local rr="$ratio" rn="$ref"
                        if [[ -n $at ]]; then
                            rn="$at"
                            rr=""
                            local m2="${MED[$group|$at]:-}"
                            [[ -n $med && -n $m2 ]] && rr="$(calc "$m2 / $med")"
                        fi
                        if [[ $kind == ratio ]]; then tp="≥ $f × ${rn%% (*}"; else tp="time ≤ $f × $rn"; fi
                        if [[ -n $why ]]; then
                            sk=1
                        elif [[ -n $err ]]; then
                            sp=0
                        elif [[ -z $rr ]]; then
                            mp="reference not measured"
                            sk=1
                        elif [[ $kind == ratio ]]; then
                            mp="$(fmt "$rr" 2)×"
                            fge "$rr" "$f" || sp=0
                        else
                            local tr
                            tr="$(calc "1 / $rr")"
                            mp="$(fmt "$tr" 3)× the time"
                            fge "$f" "$tr" || sp=0
                        fi ;;
                    cpu)
                        # wall <= F x (CPU of row K1 + CPU of row K2) / nproc; CPU = mean user + system
                        local k1="${at%%@*}" k2="${at#*@}"
                        tp="wall ≤ $f × (CPU of ${k1#*|} + CPU of ${k2#*|}) / $NPROC"
                        if [[ -n $why ]]; then
                            sk=1
                        elif [[ -n $err ]]; then
                            sp=0
                        elif [[ -z ${USR[$k1]:-} || -z ${USR[$k2]:-} ]]; then
                            mp="CPU times not measured"
                            sk=1
                        else
                            local c1 c2 bound
                            c1="$(calc "${USR[$k1]} + ${SYS[$k1]}")"
                            c2="$(calc "${SYS[$k2]} + ${USR[$k2]}")"
                            bound="$(calc "$f * ($c1 + $c2) / $NPROC")"
                            mp="wall $(fmt "$med" 3) s vs $(fmt "$bound" 3) s = $f × ($(fmt "$c1" 2) + $(fmt "$c2" 2) CPU s) / $NPROC"
                            [[ -n $ratio ]] && mp+=", $(fmt "$(calc "1 / $ratio")" 3)× the time of ${ref}"
                            gm="wall $(fmt "$med" 3) s vs bound $(fmt "$bound" 3) s"
                            fge "$bound" "$med" || sp=0
                        fi ;;
                    sumle)
                        # time <= F x (median of row K1 + median of row K2), K = GROUP|LABEL
                        local k1="${at%%@*}" k2="${at#*@}"
                        tp="time ≤ $f × (${k1#*|} warm + ${k2#*|})"
                        if [[ -n $why ]]; then
                            sk=1
                        elif [[ -n $err ]]; then
                            sp=0
                        elif [[ -z ${MED[$k1]:-} || -z ${MED[$k2]:-} ]]; then
                            mp="a bound's row not measured"
                            sk=1
                        else
                            local bound
                            bound="$(calc "$f * (${MED[$k1]} + ${MED[$k2]})")"
                            mp="$(fmt "$med" 3) s vs $(fmt "$bound" 3) s = $f × ($(fmt "${MED[$k1]}" 3) + $(fmt "${MED[$k2]}" 3) s)"
                            gm="$(fmt "$med" 3) s vs bound $(fmt "$bound" 3) s"
                            fge "$bound" "$med" || sp=0
                        fi ;;
                    timelt)
                        tp="< $(fmt "$(calc "$f * 1000")" 0) ms"
                        if [[ -n $why ]]; then
                            sk=1
                        elif [[ -n $err ]]; then
                            sp=0
                        else
                            mp="$(fmt "$(calc "$med * 1000")" 1) ms"
                            fge "$med" "$f" && sp=0
                        fi ;;
                    rss)
                        tp="peak RSS < $f MiB"
                        if [[ -n $why ]]; then
                            sk=1
                        elif [[ -n $err ]]; then
                            sp=0
                        else
                            mp="$(fmt "$meas" 1) MiB (one run, ${RSS_SECS[$k]:-?} s)"
                            gm="$(fmt "$meas" 1) MiB"
                            fge "$meas" "$f" && sp=0
                            rss_n=$((rss_n + 1))
                            if [[ -z $rss_max ]] || fge "$meas" "$rss_max"; then
                                rss_max="$meas"
                                rss_max_label="$label"
                            fi
                        fi ;;
                esac
                [[ -n $tp ]] && tparts+=("$tp")
                [[ -n $mp ]] && mparts+=("$mp")
                ((sp)) || pass=0
                ((sk)) && skip=1
                if [[ -n $goal ]]; then
                    local gr=PASS
                    ((sk)) && gr=SKIP
                    ((sp)) || gr=FAIL
                    local was="${g_res[$goal]:-PASS}"
                    if [[ $was == FAIL || $gr == FAIL ]]; then
                        g_res[$goal]=FAIL
                    elif [[ $was == SKIP || $gr == SKIP ]]; then
                        g_res[$goal]=SKIP
                    else
                        g_res[$goal]=PASS
                    fi
                    # goal 5 lists only the rows that miss (the maximum is added below)
                    if [[ $goal != 5 || $gr != PASS ]]; then
                        local what="${gm:-$mp}"
                        [[ -n $err ]] && what="error"
                        [[ -n $why ]] && what="not run"
                        g_txt[$goal]+="; $group \`$label\` ($tp): ${what:-?} $gr"
                    fi
                fi
            done
            c_tgt="$(joined "${tparts[@]}")"
            ((${#mparts[@]})) && c_meas="$(joined "${mparts[@]}")"
            if ((info)) && ((${#tparts[@]} == 0)); then
                c_res="info"
            elif ((pass == 0)); then
                c_res="FAIL"
            elif ((skip)); then
                c_res="SKIP"
            else
                c_res="PASS"
            fi
        fi
        if [[ -n $why ]]; then
            c_meas="not run: $why"
            c_res="SKIP"
        fi
        if [[ -n $err ]]; then
            if [[ -z $tgt ]]; then
                c_res="error: $err"
            elif [[ $c_res == SKIP || $c_res == info ]]; then
                c_meas="$err"
                [[ $c_res == info ]] && c_res="error: $err"
            else
                c_res="$c_res (error: $err)"
            fi
        fi
        echo "| $group | \`$label\` | $c_med | $c_mbs | $c_ratio | $c_tgt | $c_meas | $c_res |"
    done
    if [[ -n $rss_max ]]; then
        g_txt[5]="; highest $(fmt "$rss_max" 1) MiB (\`$rss_max_label\`) of $rss_n airlock rows${g_txt[5]:-}"
    fi

    echo
    echo "### Goals (issue 14), from this run"
    echo
    local -a gname=("" "Inno Setup at vendor size: extract ≥ 1.3 × innoextract, with and without verification"
        "7z of real binaries: extract ≥ 1.3 × 7zz x (-mx1 and -mx5)"
        "extract with verification: ≤ 1.1 × extract alone (single stream); wall ≤ 1.1 × CPU/cores (multi-block)"
        "verify ≥ 0.95 × SHA-256 limit"
        "peak RSS < 128 MiB on every airlock row")
    local g
    for g in 1 2 3 4 5; do
        local r="${g_res[$g]:-not run}" t="${g_txt[$g]:-}"
        echo "- Goal $g ($(printf '%s' "${gname[$g]}")): **$r**${t:+ — ${t#; }}"
    done
}

log "results"
table | tee "$RES/table.md"
echo
echo "(table: $RES/table.md; hyperfine JSON and logs: $RES/)"
