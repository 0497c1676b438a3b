#!/usr/bin/env bash
# Builds the libFuzzer harnesses of tests/fuzz with clang (ASan + UBSan) in build-fuzz/ and runs
# each for a while, one per core at a time. CI runs it with the default of 60 seconds per harness.
#
#   scripts/fuzz.sh                  # every harness, 60 s each
#   scripts/fuzz.sh 600              # every harness, 10 minutes each
#   scripts/fuzz.sh 60 checker       # only the harnesses named
#
# A harness is every tests/fuzz/corpus/NAME/ (program fuzz_NAME). It starts from that committed
# seed corpus, which it never changes: what it finds is kept in build-fuzz/corpus/NAME/ for the
# next run. A finding (a crash, a sanitizer report, a harness's own abort) makes the script exit 1
# after running the rest; its input is saved in build-fuzz/findings/NAME/, and
# `build-fuzz/tests/fuzz/fuzz_NAME FILE` replays it.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-60}
shift || true
build_dir=${BUILD_DIR:-$root/build-fuzz}

CXX=${FUZZ_CXX:-clang++} BUILD_DIR=$build_dir LOCKSIM_FUZZ=ON LOCKSIM_BUILD_BENCHMARKS=OFF \
  BUILD_TARGET=locksim_fuzzers "$root/scripts/setup.sh"

harnesses=("$@")
if ((${#harnesses[@]} == 0)); then
  for corpus in "$root"/tests/fuzz/corpus/*/; do harnesses+=("$(basename "$corpus")"); done
fi

# The harnesses run side by side, one per core (JOBS), each for its full time; each one's output
# goes to build-fuzz/NAME.log and is printed when it ends.
jobs=${JOBS:-$(nproc)}
for name in "${harnesses[@]}"; do
  [[ -x $build_dir/tests/fuzz/fuzz_$name && -d $root/tests/fuzz/corpus/$name ]] ||
    { echo "fuzz: no harness $name" >&2; exit 2; }
done
fuzz_one() {
  local name=$1
  local binary=$build_dir/tests/fuzz/fuzz_$name seeds=$root/tests/fuzz/corpus/$name
  mkdir -p "$build_dir/corpus/$name" "$build_dir/findings/$name"
  local options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
                 -artifact_prefix="$build_dir/findings/$name/")
  if [[ -f $root/tests/fuzz/$name.dict ]]; then options+=(-dict="$root/tests/fuzz/$name.dict"); fi
  local status=0
  "$binary" "${options[@]}" "$build_dir/corpus/$name" "$seeds" >"$build_dir/$name.log" 2>&1 ||
    status=$?
  {
    echo "== fuzz $name for ${seconds}s: $( ((status == 0)) && echo "no finding" || echo FINDING)"
    grep -E '^(stat::|INFO: Seed|Done |==[0-9]+==ERROR|SUMMARY)' "$build_dir/$name.log" || true
    ((status == 0)) || tail -40 "$build_dir/$name.log"
  } >&2
  return "$status"
}
failed=()
pids=()
names=()
for name in "${harnesses[@]}"; do
  while (($(jobs -rp | wc -l) >= jobs)); do wait -n || true; done
  fuzz_one "$name" &
  pids+=($!)
  names+=("$name")
done
for i in "${!pids[@]}"; do
  wait "${pids[$i]}" || failed+=("${names[$i]}")
done
if ((${#failed[@]})); then
  echo "fuzz: findings in ${failed[*]} (inputs in $build_dir/findings/)" >&2
  exit 1
fi
