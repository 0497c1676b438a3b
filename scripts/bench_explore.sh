#!/usr/bin/env bash
# The exploration figures of docs/benchmarks.md: schedules to the first failure and wall time per
# built-in flaw (on the first shipped pass scenario and strategy, in scripts/ci_explore.sh's
# order, that finds it within 100 schedules), the lab suite explored exhaustively at depth 1, and
# exploration against sweep throughput on one scenario. Wall times by farm-bench (median of 5).
#
#   scripts/bench_explore.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
locksim=${LOCKSIM:-${BUILD_DIR:-$root/build}/cli/locksim}
jobs=${JOBS:-2}
median() { grep -m1 '^A wall s' | awk '{print $5}'; }

echo "== flaws: schedules to the first failure (--max-failures 1), wall time (median of 5)"
mapfile -t flaws < <("$locksim" flaws --json | grep -o '"name":"[^"]*"' | cut -d'"' -f4)
mapfile -t scripted < <(find scenarios -name '*.json' | sort | xargs grep -l '"steps"' |
  xargs grep -L '"expect": *"violation"')
mapfile -t workloads < <(find scenarios -name '*.json' | sort | xargs grep -l '"workload"' |
  xargs grep -L '"expect": *"violation"')
tries=()
for s in "${scripted[@]}"; do tries+=("$s faults"); done
for strategy in faults pct swarm; do
  for s in "${workloads[@]}"; do tries+=("$s $strategy"); done
done
for flaw in "${flaws[@]}"; do
  for try in "${tries[@]}"; do
    read -r scenario strategy <<<"$try"
    args=(explore "$scenario" --strategy "$strategy" --budget 100 --flaw "$flaw" --max-failures 1
      --jobs "$jobs" --json)
    json=$("$locksim" "${args[@]}" || true)
    grep -q '"outcome":"violation"' <<<"$json" || continue
    schedules=$(grep -o '"schedules":[0-9]*' <<<"$json" | cut -d: -f2)
    kind=$(grep -o '"kind":"[^"]*"' <<<"$json" | head -1 | cut -d'"' -f4)
    wall=$(farm-bench -n 5 -- sh -c "'$locksim' ${args[*]} >/dev/null; true" 2>&1 | median)
    printf '%-34s %-40s %-7s %4s schedules  %-16s %s s\n' "$flaw" "$scenario" "$strategy" \
      "$schedules" "$kind" "$wall"
    break
  done
done

# The whole suite: the ten scripts and the two workloads (many, concurrent_counts), each seed 0's
# every single-fault schedule (a budget that fits them all, so each is exhaustive).
echo "== the lab suite (scenarios/lab1, all twelve), faults exhaustive at depth 1"
lab=$(find scenarios/lab1 -name '*.json' | sort | tr '\n' ' ')
total=0
for s in $lab; do
  json=$("$locksim" explore "$s" --strategy faults --budget 1000000 --jobs "$jobs" --json)
  grep -q '"exhaustive":true' <<<"$json" || echo "not exhaustive: $s"
  n=$(grep -o '"schedules":[0-9]*' <<<"$json" | cut -d: -f2)
  echo "  $s: $n schedules"
  total=$((total + n))
done
echo "$total schedules over $(wc -w <<<"$lab") scenarios"
farm-bench -n 5 --timeout 600 -- sh -c "for s in $lab; do '$locksim' explore \$s --strategy faults --budget 1000000 --jobs $jobs >/dev/null; done" 2>&1 |
  grep -E '^A (wall|cpu) s'

echo "== throughput: explore (swarm, faults) against sweep on primary_crash.json, 1 job"
farm-bench -n 5 --vs "$locksim sweep scenarios/primary_crash.json --seeds 3000 --jobs 1" -- \
  "$locksim" explore scenarios/primary_crash.json --strategy swarm --budget 3000 --jobs 1 2>&1 |
  grep -E '^(A|B) wall s|ratio|A/B'
faults=$("$locksim" explore scenarios/primary_crash.json --strategy faults --jobs 1 --json |
  grep -o '"schedules":[0-9]*' | cut -d: -f2)
farm-bench -n 5 --vs "$locksim sweep scenarios/primary_crash.json --seeds $faults --jobs 1" -- \
  "$locksim" explore scenarios/primary_crash.json --strategy faults --jobs 1 2>&1 |
  grep -E '^(A|B) wall s|ratio|A/B'
echo "(faults: $faults schedules against $faults seeds)"
