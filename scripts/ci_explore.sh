#!/usr/bin/env bash
# The CI exploration (docs/exploration.md): every shipped scripted scenario explored with
# `faults` exhaustively at depth 1 and, where the space fits $DEPTH2_BUDGET, at depth 2; every
# workload scenario under `swarm`, `pct` and `faults` at depth 1; the coverage gate (every
# protocol event of the failure model happens in the pass scenarios' explorations,
# service/protocol_events.h); and every built-in flaw found by `explore` on a shipped scenario
# within 100 schedules. Each outcome must match the scenario's "expect"; a scripted scenario
# whose depth-1 space does not fit the budget fails (it would not be exhaustive). JUnit XML for
# each exploration lands in $OUT (default build/explore).
#
#   scripts/ci_explore.sh
#   SWARM=3000 PCT=1000 scripts/ci_explore.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
locksim=${LOCKSIM:-${BUILD_DIR:-$root/build}/cli/locksim}
swarm=${SWARM:-2000}
pct=${PCT:-500}
depth2_budget=${DEPTH2_BUDGET:-20000}
out=${OUT:-${BUILD_DIR:-$root/build}/explore}
rm -rf "$out"
mkdir -p "$out"
mapfile -t scenarios < <(find scenarios -name '*.json' | sort)
failed=0
start=$SECONDS

# explore NAME ARGS...: one exploration whose exit status must be 0 (outcome as expected).
explore() {
  local name=$1
  shift
  if "$locksim" explore "$@" --junit "$out/$name.xml" >"$out/$name.txt"; then
    echo "ok    $* : $(grep -m1 '^  outcome' "$out/$name.txt" | sed 's/^ *outcome *//')"
  else
    echo "FAIL  locksim explore $*"
    cat "$out/$name.txt"
    failed=1
  fi
}

echo "== faults: every scripted scenario, exhaustive at depth 1 (and 2 within $depth2_budget)"
for scenario in "${scenarios[@]}"; do
  grep -q '"steps"' "$scenario" || continue
  name=$(echo "${scenario#scenarios/}" | tr '/' '_')
  name=${name%.json}
  explore "$name.faults1" "$scenario" --strategy faults --depth 1
  if grep -q '"expect": *"violation"' "$scenario"; then continue; fi
  if ! grep -q 'exhaustive: all' "$out/$name.faults1.txt"; then
    echo "FAIL  $scenario: depth 1 is not exhaustive within the default budget"
    failed=1
  fi
  explore "$name.faults2" "$scenario" --strategy faults --depth 2 --budget "$depth2_budget" \
    --coverage
done

echo "== swarm ($swarm seeds), pct ($pct schedules) and faults (depth 1, seed 0): every workload scenario"
for scenario in "${scenarios[@]}"; do
  grep -q '"workload"' "$scenario" || continue
  name=$(echo "${scenario#scenarios/}" | tr '/' '_')
  name=${name%.json}
  if grep -q '"expect": *"violation"' "$scenario"; then
    explore "$name.swarm" "$scenario" --strategy swarm --budget "$swarm"
    continue
  fi
  explore "$name.swarm" "$scenario" --strategy swarm --budget "$swarm" --coverage
  explore "$name.pct" "$scenario" --strategy pct --budget "$pct" --coverage
  # Every single fault placed on seed 0's run: since the clerk re-sends until both servers
  # refused, a lossy workload passes it too, and it reaches combinations (a duplicated request
  # next to the scenario's own crash) that the seeds draw rarely.
  explore "$name.faults1" "$scenario" --strategy faults --depth 1 --budget "$depth2_budget"
done

echo "== coverage gate: every event of the failure model, over the pass scenarios' explorations"
# Lines "  coverage   EVENT   COUNT [(outside the gate)]" of every --coverage exploration above.
if ! cat "$out"/*.txt | awk '
    $1 == "coverage" { count[$2] += $3; if ($4 == "(outside") outside[$2] = 1 }
    END {
      bad = 0
      for (e in count) {
        status = count[e] > 0 ? "ok  " : (e in outside ? "--  " : "FAIL")
        if (status == "FAIL") bad = 1
        printf "%s  %-32s %12d%s\n", status, e, count[e], e in outside ? "  (outside the gate)" : ""
      }
      exit bad
    }' | sort -k2; then
  failed=1
fi

echo "== flaws: each found by explore on a shipped pass scenario within 100 schedules"
mapfile -t flaws < <("$locksim" flaws --json | grep -o '"name":"[^"]*"' | cut -d'"' -f4)
# Scripted scenarios first (faults is exhaustive there), then the workloads under each strategy.
mapfile -t scripted < <(grep -l '"steps"' "${scenarios[@]}" | xargs grep -L '"expect": *"violation"')
mapfile -t workloads < <(grep -l '"workload"' "${scenarios[@]}" |
  xargs grep -L '"expect": *"violation"')
tries=()
for s in "${scripted[@]}"; do tries+=("$s faults"); done
for strategy in faults pct swarm; do
  for s in "${workloads[@]}"; do tries+=("$s $strategy"); done
done
for flaw in "${flaws[@]}"; do
  found=""
  for try in "${tries[@]}"; do
    read -r scenario strategy <<<"$try"
    set +e
    "$locksim" explore "$scenario" --strategy "$strategy" --budget 100 --flaw "$flaw" \
      --max-failures 1 --json >"$out/flaw.json"
    status=$?
    set -e
    if ((status == 1)); then
      repro=$(grep -o '"repro":"[^"]*"' "$out/flaw.json" | head -1 | cut -d'"' -f4)
      found="$scenario ($strategy): $repro"
      break
    elif ((status != 0)); then
      echo "FAIL  locksim explore $scenario --strategy $strategy --flaw $flaw exited $status"
      failed=1
    fi
  done
  if [[ -z $found ]]; then
    echo "FAIL  $flaw was not found by explore within 100 schedules on any shipped scenario"
    failed=1
    continue
  fi
  # The repro must fail on its own.
  read -r -a words <<<"${found#*: }"
  if "$locksim" "${words[@]:1}" >/dev/null; then
    echo "FAIL  $flaw: the repro passes on its own: ${found#*: }"
    failed=1
  else
    echo "ok    $flaw found on $found"
  fi
done
echo "== explore: $((SECONDS - start)) s"
exit "$failed"
