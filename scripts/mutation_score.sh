#!/usr/bin/env bash
# The mutation score of the CI exploration: applies each patch of tests/mutants/ (a small
# realistic bug in service/, its first line a "# description") to a scratch copy of the committed
# tree, builds locksim there (ccache), and runs the exploration set of scripts/ci_explore.sh —
# faults at depth 1 and 2 on every scripted pass scenario, swarm and pct on every workload pass
# scenario — until one exploration does not end as its scenario expects. Prints caught/missed
# per mutant (with the first exploration that caught it) and the score.
#
#   scripts/mutation_score.sh                       # every mutant
#   scripts/mutation_score.sh tests/mutants/05-*.patch
#   SWARM=2000 PCT=500 SCRATCH=/tmp/m scripts/mutation_score.sh
#   REUSE=1 scripts/mutation_score.sh tests/mutants/1[2-9]-*.patch   # the scratch build again
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
scratch=${SCRATCH:-${TMPDIR:-/tmp}/locksim-mutants}
swarm=${SWARM:-2000}
pct=${PCT:-500}
export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$scratch} CCACHE_NOHASHDIR=1
if (($# > 0)); then mutants=("$@"); else mapfile -t mutants < <(ls tests/mutants/*.patch); fi

# REUSE=1 keeps a scratch tree of an earlier call (every patch reverted) and its build.
if [[ ${REUSE:-0} != 1 || ! -x $scratch/build/cli/locksim ]]; then
  rm -rf "$scratch"
  mkdir -p "$scratch/src"
  git archive HEAD | tar -x -C "$scratch/src"
  cmake -S "$scratch/src" -B "$scratch/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DLOCKSIM_BUILD_BENCHMARKS=OFF >/dev/null
fi
locksim=$scratch/build/cli/locksim

# The exploration set, one "SCENARIO ARGS..." per line, in the order it runs.
mapfile -t pass < <(find scenarios -name '*.json' | sort | xargs grep -L '"expect": *"violation"')
runs=()
for s in "${pass[@]}"; do
  if grep -q '"steps"' "$s"; then
    runs+=("$s --strategy faults --depth 1" "$s --strategy faults --depth 2")
  fi
done
for s in "${pass[@]}"; do
  if grep -q '"workload"' "$s"; then
    runs+=("$s --strategy swarm --budget $swarm" "$s --strategy pct --budget $pct")
  fi
done

caught=0
missed=()
for patch in "${mutants[@]}"; do
  name=$(basename "$patch" .patch)
  description=$(head -1 "$patch" | sed 's/^# *//')
  patch -s -p1 -d "$scratch/src" <"$patch"
  if ! cmake --build "$scratch/build" --target locksim >"$scratch/build.log" 2>&1; then
    echo "ERROR   $name: does not build (see $scratch/build.log)"
    patch -s -R -p1 -d "$scratch/src" <"$patch"
    exit 2
  fi
  by=""
  for run in "${runs[@]}"; do
    read -r -a words <<<"$run"
    set +e
    (cd "$scratch/src" && "$locksim" explore "${words[@]}" --max-failures 1 --jobs 2 --json \
      >"$scratch/out.json" 2>"$scratch/err.txt")
    status=$?
    set -e
    if ((status != 0)); then
      kind=$(grep -o '"kind":"[^"]*"' "$scratch/out.json" | head -1 | cut -d'"' -f4 || true)
      by="$run -> ${kind:-exit $status}"
      break
    fi
  done
  if [[ -n $by ]]; then
    caught=$((caught + 1))
    echo "caught  $name ($description): $by"
  else
    missed+=("$name")
    echo "MISSED  $name ($description)"
  fi
  patch -s -R -p1 -d "$scratch/src" <"$patch"
done
echo "score: $caught of ${#mutants[@]} caught"
if ((${#missed[@]} > 0)); then echo "missed: ${missed[*]}"; fi
