#!/usr/bin/env bash
# The soak: every shipped "pass" scenario over a million seeds (issue #11: a pass scenario must
# never fail by bad luck). Each scenario's seed range is cut into SHARDS blocks that run side by
# side, one `locksim sweep --shard I/K --jobs 1` per core; each block's result is kept in the
# state folder, so an interrupted soak started again skips the blocks already done. Prints each
# scenario's failing seeds (with the command that reproduces each) and its speed, then the total.
# CI keeps its shorter sweeps (scripts/ci_sweeps.sh); docs/benchmarks.md keeps the figures.
#
#   scripts/soak.sh                      # 1,000,000 seeds per pass scenario
#   SEEDS=10000 scripts/soak.sh          # a quick one
#   scripts/soak.sh scenarios/lab1/many.json ...   # only these scenarios
#
# Environment: SEEDS (1000000), SHARDS per scenario (64), JOBS parallel shards (all cores),
# STATE (build/soak), LOCKSIM (build/cli/locksim). Results are kept per locksim binary and
# scenario file content: a rebuilt binary or an edited scenario starts afresh.
# Exit status: 0 no seed failed, 1 some seed failed, 2 a sweep could not run.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
locksim=${LOCKSIM:-${BUILD_DIR:-$root/build}/cli/locksim}
seeds=${SEEDS:-1000000}
shards=${SHARDS:-64}
jobs=${JOBS:-$(nproc)}
state=${STATE:-${BUILD_DIR:-$root/build}/soak}
[[ -x $locksim ]] || { echo "soak: no locksim at $locksim (build it: scripts/setup.sh)" >&2; exit 2; }

hash_of() { sha256sum "$1" | cut -c1-12; }
binary=$(hash_of "$locksim")

if (($# > 0)); then
  scenarios=("$@")
else
  mapfile -t scenarios < <(find scenarios -name '*.json' | sort)
fi

# One shard: its result goes to a temporary file first, so a shard file is either whole or absent.
run_shard() {
  local locksim=$1 scenario=$2 seeds=$3 index=$4 count=$5 dir=$6
  local out=$dir/shard-$index-of-$count.json
  [[ -s $out ]] && return 0
  local status=0
  "$locksim" sweep "$scenario" --seeds "$seeds" --shard "$index/$count" --jobs 1 --json \
    >"$out.tmp" || status=$?
  if ((status > 1)); then
    echo "soak: locksim sweep $scenario --shard $index/$count exited $status" >&2
    rm -f "$out.tmp"
    return 255  # stops xargs
  fi
  mv "$out.tmp" "$out"
}
export -f run_shard

now() { date +%s.%N; }
# awk does the arithmetic on decimals: calc '%.0f' 'a / b'.
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

total_seeds=0
total_failures=0
total_cpu=0
soaked=0
start_all=$(now)
for scenario in "${scenarios[@]}"; do
  if grep -q '"expect": *"violation"' "$scenario"; then continue; fi
  soaked=$((soaked + 1))
  name=$(echo "${scenario#scenarios/}" | tr '/' '_')
  dir=$state/$binary-$seeds-$shards/${name%.json}-$(hash_of "$scenario")
  mkdir -p "$dir"
  start=$(now)
  seq 0 $((shards - 1)) |
    xargs -P "$jobs" -I{} bash -c 'run_shard "$@"' _ "$locksim" "$scenario" "$seeds" {} "$shards" \
      "$dir" || exit 2
  elapsed=$(calc '%.1f' "$(now) - $start")
  set +e
  merged=$("$locksim" merge "$dir"/shard-*-of-"$shards".json)
  status=$?
  set -e
  ((status > 1)) && { echo "soak: locksim merge failed for $scenario" >&2; exit 2; }
  run=$(grep -m1 -o 'seeds *[0-9]*' <<<"$merged" | grep -o '[0-9]*$')
  failing=$(grep -m1 -o 'failing *[0-9]*' <<<"$merged" | grep -o '[0-9]*$')
  # Each shard ran on one core: its own wall time is that core's time for its seeds.
  cpu=$(cat "$dir"/shard-*-of-"$shards".json | grep -o '"wall_seconds":[0-9.e+-]*' |
    cut -d: -f2 | awk '{ s += $1 } END { printf "%.3f", s }')
  total_seeds=$((total_seeds + run))
  total_failures=$((total_failures + failing))
  total_cpu=$(calc '%.3f' "$total_cpu + $cpu")
  printf '%-5s %-44s %8d seeds  %d failing  %7.0f seeds/s per core  (%s s wall this time)\n' \
    "$( ((failing == 0)) && echo ok || echo FAIL)" "$scenario" "$run" "$failing" \
    "$(calc '%.3f' "$run / $cpu")" "$elapsed"
  if ((failing > 0)); then
    grep '^  seed ' <<<"$merged" || true
    echo "      (locksim merge $dir/shard-*.json --json lists every failure)"
  fi
done
echo "soak  $total_seeds seeds over $soaked pass scenarios, $total_failures failing;" \
  "$(calc '%.0f' "$total_seeds / ($total_cpu + 1e-9)") seeds/s per core over" \
  "$(calc '%.0f' "$total_cpu") core-seconds; $(calc '%.0f' "$(now) - $start_all") s wall this" \
  "time ($jobs jobs); results in $state/$binary-$seeds-$shards"
((total_failures == 0))
