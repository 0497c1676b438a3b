#!/usr/bin/env bash
# Builds the libFuzzer harnesses of tests/fuzz with clang (ASan + UBSan) in build-fuzz/ and runs
# each for a while. CI runs it with the default of 60 seconds per harness.
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

failed=()
for name in "${harnesses[@]}"; do
  binary=$build_dir/tests/fuzz/fuzz_$name
  seeds=$root/tests/fuzz/corpus/$name
  [[ -x $binary && -d $seeds ]] || { echo "fuzz: no harness $name" >&2; exit 2; }
  mkdir -p "$build_dir/corpus/$name" "$build_dir/findings/$name"
  options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
           -artifact_prefix="$build_dir/findings/$name/")
  if [[ -f $root/tests/fuzz/$name.dict ]]; then options+=(-dict="$root/tests/fuzz/$name.dict"); fi
  echo "== fuzz $name for ${seconds}s" >&2
  if ! "$binary" "${options[@]}" "$build_dir/corpus/$name" "$seeds"; then failed+=("$name"); fi
done
if ((${#failed[@]})); then
  echo "fuzz: findings in ${failed[*]} (inputs in $build_dir/findings/)" >&2
  exit 1
fi
