#!/usr/bin/env bash
# Builds locksim (scripts/setup.sh) and runs the whole test suite with CTest.
#   scripts/test.sh                       # every test
#   scripts/test.sh -R Prng               # extra arguments go to ctest
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}
"$root/scripts/setup.sh"
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)" "$@"
