#!/usr/bin/env bash
# The shrinker on every built-in flaw (issue #13's targets: from a failing seed of a random
# 4-client x 150-operation scenario to at most 3 clients, 8 operations and 2 faults, in under
# 30 s on 2 cores, failing the same check on 100 of 100 seeds). For each flaw: the first failing
# seed of scenarios/crash_lost_replies_4x150.json, then `locksim shrink` on it, timed around the
# process. Prints one row per flaw: sizes before -> after (clients, operations, faults, messages,
# events), seeds failing of 100, whether it passes without the flaw, simulations run, seconds.
# Usage: scripts/bench_shrink.sh [BUILD_DIR]   (default build)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
locksim="$build/cli/locksim"
[[ -x "$locksim" ]] || { echo "no $locksim: build it first (scripts/setup.sh)" >&2; exit 2; }
source=scenarios/crash_lost_replies_4x150.json
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT

printf '%-34s %5s  %-9s %-9s %-8s %-11s %-11s %-7s %-7s %6s %6s\n' flaw seed clients operations \
  faults messages events seeds clean runs wall_s
mapfile -t flaws < <("$locksim" flaws --json | grep -o '"name":"[^"]*"' | cut -d'"' -f4)
for flaw in "${flaws[@]}"; do
  set +e
  "$locksim" sweep "$source" --seeds 1000 --flaw "$flaw" --max-failures 1 --jobs 1 --json \
    >"$dir/sweep.json"
  status=$?
  set -e
  if ((status != 1)); then
    echo "$flaw: no failing seed in 1000 (sweep exit $status)"
    continue
  fi
  seed=$(grep -o '"failing_seeds":\[[0-9]*' "$dir/sweep.json" | grep -o '[0-9]*$')
  start=$(date +%s%N)
  "$locksim" shrink "$source" --seed "$seed" --flaw "$flaw" --out "$dir/out.json" --json \
    >"$dir/shrink.json"
  end=$(date +%s%N)
  python3 - "$flaw" "$seed" "$(((end - start) / 1000000))" "$dir/shrink.json" <<'PY'
import json, sys
flaw, seed, ms, path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
j = json.load(open(path))
a, b = j["original"], j["shrunk"]
pair = lambda k: f'{a[k]}->{b[k]}'
print(f'{flaw:34} {seed:>5}  {pair("clients"):9} {pair("operations"):9} {pair("faults"):8} '
      f'{pair("messages"):11} {pair("events"):11} {j["seeds_failing"]:>3}/{j["seeds_checked"]:<3} '
      f'{"yes" if j.get("passes_without_flaw") else "NO":7} {j["runs"]:6} {ms / 1000:6.2f}')
PY
done
