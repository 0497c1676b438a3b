#!/usr/bin/env bash
# Sweep speed of every shipped scenario with 1 and 2 jobs: seeds per second and simulated
# seconds per wall-clock second, as a Markdown table (docs/benchmarks.md keeps the figures).
#   scripts/bench_sweeps.sh              # 5000 seeds per measurement
#   SEEDS=20000 scripts/bench_sweeps.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
"$root/scripts/setup.sh" >/dev/null 2>&1
locksim=${BUILD_DIR:-$root/build}/cli/locksim
seeds=${SEEDS:-5000}
echo "| scenario | seeds/s, 1 job | seeds/s, 2 jobs | simulated s per wall s, 2 jobs |"
echo "| --- | ---: | ---: | ---: |"
for scenario in $(find scenarios -name '*.json' | sort); do
  row="| \`${scenario#scenarios/}\`"
  for jobs in 1 2; do
    json=$("$locksim" sweep "$scenario" --seeds "$seeds" --jobs "$jobs" --json || true)
    rate=$(python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.0f %.0f" % (d["seeds_per_second"], d["simulated_seconds"] / max(d["wall_seconds"], 1e-9)))' <<<"$json")
    row+=" | ${rate%% *}"
    [[ $jobs == 2 ]] && row+=" | ${rate##* }"
  done
  echo "$row |"
done
