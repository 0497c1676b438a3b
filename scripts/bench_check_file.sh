#!/usr/bin/env bash
# End-to-end speed of `locksim check` on a ~20 MB history file: read, parse, split, check.
# Usage: scripts/bench_check_file.sh [BUILD_DIR] [TARGET_MB]   (defaults: build, 20)
# Prints the file size, the operation count, the best wall time of three runs, MB/s and ops/s.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
target_mb="${2:-20}"
locksim="$build/cli/locksim"
[[ -x "$locksim" ]] || { echo "no $locksim: build it first" >&2; exit 2; }

dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
file="$dir/history.json"
python3 bench/generate_history.py "$file" "$target_mb" 16 64 1 1

bytes=$(stat -c %s "$file")
ops=$("$locksim" check "$file" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["operations"])')
best=""
for _ in 1 2 3; do
  start=$(date +%s.%N)
  "$locksim" check "$file" >/dev/null
  end=$(date +%s.%N)
  t=$(echo "$end - $start" | bc -l)
  if [[ -z "$best" ]] || (( $(echo "$t < $best" | bc -l) )); then best=$t; fi
done
python3 - "$bytes" "$ops" "$best" <<'PY'
import sys
size, ops, secs = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
print(f"file: {size / 1e6:.1f} MB, {ops} operations")
print(f"locksim check (best of 3): {secs:.3f} s  ->  {size / 1e6 / secs:.1f} MB/s, "
      f"{ops / secs / 1e6:.2f} M ops/s")
PY
