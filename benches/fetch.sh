#!/usr/bin/env bash
# benches/fetch.sh: airlock fetch (download + SHA-256 while writing + manifests) against curl -s -o of the same
# parts, over loopback, in the same run; plus peak RSS of each.
#
# Usage (from anywhere):
#     bash benches/fetch.sh
#     AIRLOCK_FETCH_BENCH_SIZE=2GiB RUNS=5 bash benches/fetch.sh
#
# Environment:
#     AIRLOCK_FETCH_BENCH_DIR    work folder (default /tmp/airlock-fetch-bench)
#     AIRLOCK_FETCH_BENCH_SIZE   payload of the generated 7z volume set (default 1GiB; 4 volumes)
#     RUNS                       hyperfine runs per command (default 3), after one warm-up run
#
# Needs hyperfine, curl, 7zz, sha256sum and /usr/bin/time. What it does:
#   1. cargo build --release (airlock and examples/loopback_server.rs, the fetch tests' server: Range, ETag,
#      keep-alive, one thread per connection, reads files with positioned reads).
#   2. Makes a set once: SIZE bytes of random data stored (7zz -mx0) into 4 volumes NAME.7z.001 … .004, so
#      airlock plans it from the 7z start header and checks it complete at the end, and copies the real Inno
#      Setup set testdata/inno-bench (installer + slices) beside it.
#   3. Serves both folders on 127.0.0.1 and times, with hyperfine (--prepare empties the output folder):
#        airlock fetch URL-of-.001 -d OUT --quiet      (--jobs 4, the default, and --jobs 1)
#        curl -s -o for every part, one after the other (one connection, keep-alive)
#        curl -s --parallel --parallel-max 4 -o …      (4 at once, like airlock's default)
#        curl -s -o … && sha256sum parts               (what airlock does in one pass)
#      and the same for the Inno set, fetched by airlock from the installer's URL alone.
#   4. Peak RSS (/usr/bin/time -f %M) of one airlock fetch and one curl run of the big set.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=${AIRLOCK_FETCH_BENCH_DIR:-/tmp/airlock-fetch-bench}
SIZE=${AIRLOCK_FETCH_BENCH_SIZE:-1GiB}
RUNS=${RUNS:-3}
NAME=Bench

for tool in hyperfine curl 7zz sha256sum /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "fetch.sh: $tool is required" >&2; exit 2; }
done

cargo build --release --quiet --bin airlock --example loopback_server
AIRLOCK=$ROOT/target/release/airlock
SERVER=$ROOT/target/release/examples/loopback_server

bytes=$(python3 -c "import re,sys
s=sys.argv[1].strip(); m=re.fullmatch(r'([0-9.]+)\s*([KMGT]?i?B?)',s,re.I)
n=float(m.group(1)); u=m.group(2).upper().rstrip('B')
print(int(n*{'':1,'K':1e3,'M':1e6,'G':1e9,'T':1e12,'KI':1024,'MI':1024**2,'GI':1024**3,'TI':1024**4}[u]))" "$SIZE")
SET=$WORK/set-$bytes
if [ ! -f "$SET/.done" ]; then
    rm -rf "$SET" "$WORK/payload"
    mkdir -p "$SET" "$WORK/payload"
    head -c "$bytes" /dev/urandom > "$WORK/payload/data.bin"
    volume=$(( (bytes + 4 * 4096) / 4 ))
    (cd "$WORK/payload" && 7zz a -bd -bso0 -mx0 "-v${volume}b" "$SET/$NAME.7z" data.bin)
    rm -rf "$WORK/payload"
    touch "$SET/.done"
fi
INNO=$WORK/inno
rm -rf "$INNO" && mkdir -p "$INNO" && cp "$ROOT"/testdata/inno-bench/*.exe "$ROOT"/testdata/inno-bench/*.bin "$INNO"/
INNO_EXE=$(basename "$(ls "$INNO"/*.exe)")

# One server per folder; each stops when its standard input (a fifo held open here) closes.
mkfifo "$WORK/keep-set" "$WORK/keep-inno" 2>/dev/null || true
"$SERVER" "$SET" < "$WORK/keep-set" > "$WORK/port-set" &
SERVER_SET=$!
exec 7> "$WORK/keep-set"
"$SERVER" "$INNO" < "$WORK/keep-inno" > "$WORK/port-inno" &
SERVER_INNO=$!
exec 8> "$WORK/keep-inno"
cleanup() { exec 7>&- 8>&-; wait "$SERVER_SET" "$SERVER_INNO" 2>/dev/null || true; rm -f "$WORK/keep-set" "$WORK/keep-inno"; }
trap cleanup EXIT
for f in port-set port-inno; do
    for _ in $(seq 100); do [ -s "$WORK/$f" ] && break; sleep 0.05; done
done
PORT_SET=$(cat "$WORK/port-set")
PORT_INNO=$(cat "$WORK/port-inno")

curl_args() { # folder port -> "-o OUT/NAME URL" pairs for every part in the folder
    local dir=$1 port=$2 f
    for f in $(cd "$dir" && ls | grep -v '^\.'); do
        printf -- '-o %s http://127.0.0.1:%s/dl/%s ' "$WORK/out/$f" "$port" "$f"
    done
}
SET_CURL=$(curl_args "$SET" "$PORT_SET")
INNO_CURL=$(curl_args "$INNO" "$PORT_INNO")
total=$(du -cb "$SET"/$NAME.7z.* | tail -1 | cut -f1)
inno_total=$(du -cb "$INNO"/* | tail -1 | cut -f1)

mkdir -p "$WORK/results"
echo "set: $total bytes in $(ls "$SET" | wc -l) volumes; inno-bench: $inno_total bytes; $(nproc) CPUs; $(uname -r); $(date -u +%F)"
hyperfine --warmup 1 --runs "$RUNS" --prepare "rm -rf $WORK/out; mkdir -p $WORK/out" \
    --export-json "$WORK/results/fetch-7z.json" \
    -n "airlock fetch --jobs 4" "$AIRLOCK fetch http://127.0.0.1:$PORT_SET/dl/$NAME.7z.001 -d $WORK/out --quiet" \
    -n "airlock fetch --jobs 1" "$AIRLOCK fetch http://127.0.0.1:$PORT_SET/dl/$NAME.7z.001 -d $WORK/out --quiet --jobs 1" \
    -n "curl -s -o (sequential)" "curl -s $SET_CURL" \
    -n "curl -s --parallel-max 4" "curl -s --parallel --parallel-max 4 $SET_CURL" \
    -n "curl -s -o + sha256sum" "curl -s $SET_CURL && sha256sum $WORK/out/* > /dev/null"
hyperfine --warmup 1 --runs "$RUNS" --prepare "rm -rf $WORK/out; mkdir -p $WORK/out" \
    --export-json "$WORK/results/fetch-inno.json" \
    -n "airlock fetch (inno-bench, from the .exe URL)" "$AIRLOCK fetch http://127.0.0.1:$PORT_INNO/dl/$INNO_EXE -d $WORK/out --quiet" \
    -n "curl -s -o (inno-bench, every URL)" "curl -s $INNO_CURL"

rss() { rm -rf "$WORK/out"; mkdir -p "$WORK/out"; /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
echo "peak RSS airlock fetch (KiB): $(rss "$AIRLOCK" fetch "http://127.0.0.1:$PORT_SET/dl/$NAME.7z.001" -d "$WORK/out" --quiet)"
# shellcheck disable=SC2086
echo "peak RSS curl -s (KiB):       $(rss curl -s $SET_CURL)"
python3 - "$WORK/results" "$total" "$inno_total" <<'EOF'
import json, sys, os
results, total, inno = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
print("| command | median s | MB/s |")
print("|---|---|---|")
for name, size in (("fetch-7z.json", total), ("fetch-inno.json", inno)):
    for r in json.load(open(os.path.join(results, name)))["results"]:
        print(f"| `{r['command']}` | {r['median']:.3f} | {size / r['median'] / 1e6:.0f} |")
EOF
