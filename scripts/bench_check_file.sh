#!/usr/bin/env bash
# End-to-end speed of `locksim check` on generated history files (bench/generate_history.py):
# read, parse, check, explain, print. Figures in docs/benchmarks.md ("A history file end to end").
#
#   scripts/bench_check_file.sh [BUILD_DIR] [SET] [RUNS]     (defaults: build, plain, 5)
#
# SET:
#   plain    about 20 MB: 200,000 operations, 16 clients x 64 locks, 1% pending
#   big      1,000,000 operations, 16 clients x 1,000 locks, 1% pending written without "return"
#            or "result" (about 106 MB); twice: lock names in ASCII, and with an "é" in UTF-8
#            (which the hand-written parser before simdjson could not take on its fast path)
#   pretty   the same history pretty-printed, one key per line (about 226 MB)
#   explain  not linearizable, 16 clients x 1 lock: 10,000 and 1,000,000 operations with one
#            Lock's result flipped, and 1,000,000 operations with 40 successful Locks appended;
#            each timed with the human output and with --json
#
# For each file and command: its size and operation count, then over RUNS runs the median and
# the range of the wall time and of the CPU time (user + system), MB/s and M ops/s from the
# median wall time, the peak resident memory, and how many lines the command printed. The files
# are generated once into a temporary folder and deleted at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
set_name="${2:-plain}"
runs="${3:-5}"
locksim="$build/cli/locksim"
[[ -x "$locksim" ]] || { echo "no $locksim: build it first" >&2; exit 2; }

dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
generate() { python3 bench/generate_history.py "$@"; }

files=()
case "$set_name" in
  plain)
    generate "$dir/plain.json" 20 16 64 1 1
    files=("$dir/plain.json")
    ;;
  big)
    generate "$dir/big_ascii.json" 0 16 1000 1 7 --ops 1000000 --pending-style absent
    generate "$dir/big_utf8.json" 0 16 1000 1 7 --ops 1000000 --pending-style absent --names utf8
    files=("$dir/big_ascii.json" "$dir/big_utf8.json")
    ;;
  pretty)
    generate "$dir/pretty.json" 0 16 1000 1 7 --ops 1000000 --pending-style absent --pretty
    files=("$dir/pretty.json")
    ;;
  explain)
    generate "$dir/flip_10k.json" 0 16 1 0 3 --ops 10000 --flip-one-lock
    generate "$dir/flip_1m.json" 0 16 1 0 3 --ops 1000000 --flip-one-lock
    generate "$dir/trailing_40.json" 0 16 1 0 3 --ops 1000000 --trailing-locks 40
    files=("$dir/flip_10k.json" "$dir/flip_1m.json" "$dir/trailing_40.json")
    ;;
  *)
    echo "unknown set $set_name (plain, big, pretty, explain)" >&2
    exit 2
    ;;
esac

for file in "${files[@]}"; do
  flag_sets=("")
  if [[ $set_name == explain ]]; then flag_sets=("" "--json"); fi
  for flags in "${flag_sets[@]}"; do
    python3 - "$locksim" "$file" "$runs" $flags <<'PY'
import json, os, resource, statistics, subprocess, sys, time

locksim, path, runs, flags = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
command = [locksim, "check", path] + flags
size = os.path.getsize(path)
walls, cpus, peaks = [], [], []
status, lines = None, 0
for _ in range(runs):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    walls.append(time.monotonic() - start)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    peaks.append(after.ru_maxrss)
    status, lines = done.returncode, done.stdout.count(b"\n")
ops = json.loads(subprocess.run([locksim, "check", path, "--json"],
                                stdout=subprocess.PIPE).stdout)["operations"]
wall, cpu = statistics.median(walls), statistics.median(cpus)
print(f"{os.path.basename(path)} {' '.join(flags)}: {size / 1e6:.1f} MB, {ops} operations, exit {status}, "
      f"{lines} lines of output")
print(f"  wall {wall:.3f} s (range {min(walls):.3f}-{max(walls):.3f}), "
      f"cpu {cpu:.3f} s (range {min(cpus):.3f}-{max(cpus):.3f}), {runs} runs; "
      f"{size / 1e6 / wall:.0f} MB/s, {ops / wall / 1e6:.2f} M ops/s; peak {max(peaks) / 1024:.0f} MB")
PY
  done
done
