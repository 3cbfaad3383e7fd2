#!/usr/bin/env python3
"""Runs the fuzz campaign: each target in turn, until its coverage has not
grown for --plateau seconds (default 600) or --cap seconds have passed
(default 1800), whichever comes first. One target at a time, one fuzzing job
(-fork=1), so a 2-core machine keeps a core for everything else.

Coverage is libFuzzer's own `cov:` counter from its status lines
(`#N: cov: C ft: F corp: K ... oom/timeout/crash: a/b/c ...` in fork mode).
"Start" is the first status line after the seed corpus was loaded (what the
seeds alone reach), "end" the last one. The build runs before the clock
starts. Each run appends one tab-separated row to --results and keeps its
whole log in logs/<target>.log; crashes, OOMs and timeouts land in
artifacts/<target>/ (cargo fuzz's default) for minimising into regressions/.

Usage (from fuzz/, after ./seed.sh):
    python3 campaign.py [--plateau S] [--cap S] [--results FILE] TARGET...
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# max_len and dictionary per target; see README.md "Running".
TARGETS = {
    "manifest_parse": (4096, "dict/manifest.dict"),
    "discover_names": (65536, "dict/names.dict"),
    "detect_and_list": (98304, "dict/archive.dict"),
    "extract_archive": (98304, "dict/archive.dict"),
    "authenticode": (65536, None),
    "inno_header": (98304, "dict/archive.dict"),
    "fetch_response": (16384, "dict/http.dict"),
    "manifest_signature": (8192, "dict/manifest.dict"),
    "manifest_model": (8192, "dict/manifest_model.dict"),
}

STATUS = re.compile(
    r"^#(\d+): cov: (\d+) ft: (\d+) corp: (\d+).*?oom/timeout/crash: (\d+)/(\d+)/(\d+)"
)


def run(target, plateau, cap, results):
    max_len, dictionary = TARGETS[target]
    corpus = os.path.join("corpus", target)
    os.makedirs(corpus, exist_ok=True)
    subprocess.run(["cargo", "fuzz", "build", "-s", "none", target], check=True)
    args = [
        "cargo", "fuzz", "run", "-s", "none", target, corpus, "--",
        f"-max_total_time={cap}", "-rss_limit_mb=1024", "-timeout=10",
        f"-max_len={max_len}", "-fork=1", "-ignore_crashes=1",
        "-ignore_ooms=1", "-ignore_timeouts=1", "-print_final_stats=1",
    ]
    if dictionary and os.path.exists(dictionary):
        args.append(f"-dict={dictionary}")
    os.makedirs("logs", exist_ok=True)
    log_path = os.path.join("logs", f"{target}.log")
    env = dict(os.environ, RUST_BACKTRACE="1")
    started = time.monotonic()
    first = last = None
    grew_at = started
    stopped_by = "cap"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            errors="replace", env=env, start_new_session=True,
        )
        for line in proc.stdout:
            log.write(line)
            log.flush()
            m = STATUS.match(line)
            if not m:
                continue
            now = time.monotonic()
            status = tuple(int(g) for g in m.groups())
            if first is None:
                first = status
            if last is None or status[1] > last[1]:
                grew_at = now
            last = status
            if now - grew_at >= plateau:
                stopped_by = "plateau"
                os.killpg(proc.pid, signal.SIGINT)
                break
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    seconds = round(time.monotonic() - started)
    if first is None:
        print(f"{target}: no status line; see {log_path}", file=sys.stderr)
        return False
    row = [
        target, str(seconds), stopped_by, str(last[0]), str(first[1]),
        str(last[1]), str(last[2]), str(last[3]),
        f"{last[4]}/{last[5]}/{last[6]}",
    ]
    new = not os.path.exists(results)
    with open(results, "a") as out:
        if new:
            out.write("target\tseconds\tstopped_by\texecs\tcov_start\tcov_end"
                      "\tft_end\tcorpus\toom/timeout/crash\n")
        out.write("\t".join(row) + "\n")
    print("\t".join(row), flush=True)
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plateau", type=int, default=600)
    parser.add_argument("--cap", type=int, default=1800)
    parser.add_argument("--results", default="campaign.tsv")
    parser.add_argument("targets", nargs="+", choices=sorted(TARGETS))
    opts = parser.parse_args()
    os.chdir(HERE)
    ok = True
    for target in opts.targets:
        ok &= run(target, opts.plateau, opts.cap, opts.results)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
