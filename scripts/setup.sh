#!/usr/bin/env bash
# Makes a fresh Debian machine ready to build locksim, then configures and builds it.
# Idempotent and quick when everything is already there: it installs only missing packages and
# lets Ninja rebuild only what changed.
#
#   scripts/setup.sh                 # build/ (RelWithDebInfo)
#   BUILD_DIR=build-asan LOCKSIM_SANITIZE=ON scripts/setup.sh
#   LOCKSIM_FUZZ=ON ...              # with clang and libFuzzer (scripts/fuzz.sh sets this up)
#   BUILD_TARGET=NAME ...            # build only that target
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}

# chromium and a font: the report page's browser test (tests/browser) loads pages headless.
packages=(build-essential cmake ninja-build pkg-config libabsl-dev libcli11-dev nlohmann-json3-dev
          libsimdjson-dev libgtest-dev libgmock-dev libbenchmark-dev clang-format libasio-dev
          chromium fonts-dejavu-core)
if [[ ${LOCKSIM_FUZZ:-OFF} == ON ]]; then packages+=(clang libclang-rt-14-dev); fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

if [[ ! -f $build_dir/build.ninja ]]; then
  cmake -S "$root" -B "$build_dir" -G Ninja \
    -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-RelWithDebInfo}" \
    -DLOCKSIM_WERROR="${LOCKSIM_WERROR:-OFF}" \
    -DLOCKSIM_SANITIZE="${LOCKSIM_SANITIZE:-OFF}" \
    -DLOCKSIM_BUILD_BENCHMARKS="${LOCKSIM_BUILD_BENCHMARKS:-ON}" \
    -DLOCKSIM_FUZZ="${LOCKSIM_FUZZ:-OFF}" >&2
fi
cmake --build "$build_dir" ${BUILD_TARGET:+--target "$BUILD_TARGET"} >&2
