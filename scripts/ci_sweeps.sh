#!/usr/bin/env bash
# The CI sweeps: every shipped scenario over many seeds (its outcome must match its "expect"),
# every seed of a sample checked for determinism, and every built-in flaw caught by some shipped
# "pass" scenario. JUnit XML for each sweep lands in $OUT (default build/sweeps).
#
#   scripts/ci_sweeps.sh                 # 5000 seeds per scenario
#   SEEDS=10000 scripts/ci_sweeps.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
locksim=${LOCKSIM:-${BUILD_DIR:-$root/build}/cli/locksim}
seeds=${SEEDS:-5000}
out=${OUT:-${BUILD_DIR:-$root/build}/sweeps}
mkdir -p "$out"
mapfile -t scenarios < <(find scenarios -name '*.json' | sort)
failed=0

echo "== sweeps: ${#scenarios[@]} scenarios x $seeds seeds"
for scenario in "${scenarios[@]}"; do
  name=$(echo "${scenario#scenarios/}" | tr '/' '_')
  if "$locksim" sweep "$scenario" --seeds "$seeds" --junit "$out/${name%.json}.xml" \
      >"$out/${name%.json}.txt"; then
    echo "ok    $scenario ($(grep -m1 'speed' "$out/${name%.json}.txt" | sed 's/^ *speed *//'))"
  else
    echo "FAIL  $scenario"
    cat "$out/${name%.json}.txt"
    failed=1
  fi
done

echo "== determinism: every scenario, 200 seeds, each run twice"
for scenario in "${scenarios[@]}"; do
  # A violation scenario fails its seeds on purpose; only nondeterminism matters here.
  report=$("$locksim" sweep "$scenario" --seeds 200 --check-determinism --json || true)
  if grep -q '"kind":"nondeterminism"' <<<"$report"; then
    echo "FAIL  $scenario is not deterministic:"
    echo "$report"
    failed=1
  fi
done
echo "ok    all runs repeat with equal fingerprints"

echo "== flaws: each must be caught by a shipped pass scenario within $seeds seeds"
mapfile -t flaws < <("$locksim" flaws --json | grep -o '"name":"[^"]*"' | cut -d'"' -f4)
for flaw in "${flaws[@]}"; do
  caught=""
  shrink_args=""
  for scenario in "${scenarios[@]}"; do
    grep -q '"expect": *"violation"' "$scenario" && continue
    set +e
    "$locksim" sweep "$scenario" --seeds "$seeds" --flaw "$flaw" --max-failures 1 --json \
      >"$out/flaw.json"
    status=$?
    set -e
    if ((status == 1)); then
      seed=$(grep -o '"failing_seeds":\[[0-9]*' "$out/flaw.json" | grep -o '[0-9]*$')
      caught="$scenario (seed $seed)"
      shrink_args="$scenario --seed $seed --flaw $flaw"
      break
    elif ((status != 0)); then
      echo "FAIL  locksim sweep $scenario --flaw $flaw exited $status"
      failed=1
    fi
  done
  if [[ -n $caught ]]; then
    echo "ok    $flaw caught by $caught"
    echo "      next: locksim shrink $shrink_args (a small scenario that fails the same way)"
  else
    echo "FAIL  $flaw was not caught by any shipped scenario in $seeds seeds"
    failed=1
  fi
done
exit "$failed"
