#!/usr/bin/env bash
# The report page of a 600-operation run (tests/browser/ops600.json, issue #13's target: under
# 2 MB, open in under 1 s in headless Chromium): its size, and load times over RUNS loads.
# Usage: scripts/bench_html.sh [BUILD_DIR]   (default build; RUNS=9; LOCKSIM_CHROMIUM overrides
# the browser). Prints, as median (min..max) over the loads:
#   ready    ms from navigation start until the page's script has drawn everything and the
#            browser has laid it out (the page's own performance.now(), data-ready-ms)
#   script   ms of that spent in the page's script (data-render-ms)
#   process  wall ms of a whole `chromium --headless --dump-dom` of the page, and of an empty page
#            (the browser's own start-up and shut-down), measured around the process
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
runs="${RUNS:-9}"
locksim="$build/cli/locksim"
[[ -x "$locksim" ]] || { echo "no $locksim: build it first (scripts/setup.sh)" >&2; exit 2; }
chromium="${LOCKSIM_CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
[[ -n "$chromium" ]] || { echo "no chromium: scripts/setup.sh installs it" >&2; exit 2; }

dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
"$locksim" run tests/browser/ops600.json --seed 1 --html "$dir/run.html" >/dev/null
echo '<!DOCTYPE html><html><body></body></html>' >"$dir/empty.html"

load() {  # load PAGE -> prints "process_ms ready_ms script_ms"
  local start end body
  start=$(date +%s%N)
  "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --window-size=1400,1000 --user-data-dir="$dir/profile" --dump-dom "file://$1" \
    >"$dir/dom.html" 2>/dev/null
  end=$(date +%s%N)
  body=$(grep -o -m1 '<body[^>]*>' "$dir/dom.html")
  attr() { grep -o "$1=\"[0-9.]*\"" <<<"$body" | grep -o '[0-9.]*' || echo -; }
  if [[ $1 == "$dir/run.html" && $(attr data-errors) != 0 ]]; then
    echo "the page reported errors: $body" >&2
    exit 1
  fi
  echo "$(((end - start) / 1000000)) $(attr data-ready-ms) $(attr data-render-ms)"
}

load "$dir/empty.html" >/dev/null  # a first start fills the profile and the disk cache
: >"$dir/page.txt"
: >"$dir/empty.txt"
for _ in $(seq "$runs"); do
  load "$dir/run.html" >>"$dir/page.txt"
  load "$dir/empty.html" >>"$dir/empty.txt"
done

summary() {  # summary FILE COLUMN -> "median (min..max)"
  cut -d' ' -f"$2" "$1" | sort -n |
    awk '{v[NR] = $1} END {printf "%s (%s..%s)", v[int((NR + 1) / 2)], v[1], v[NR]}'
}
messages=$("$locksim" run tests/browser/ops600.json --seed 1 --json | grep -o '"sent":[0-9]*' | cut -d: -f2)
echo "page:    $(stat -c %s "$dir/run.html") bytes (600 operations, $messages messages)"
echo "ready:   $(summary "$dir/page.txt" 2) ms after navigation start, median (min..max) of $runs loads"
echo "script:  $(summary "$dir/page.txt" 3) ms"
echo "process: $(summary "$dir/page.txt" 1) ms for the page, $(summary "$dir/empty.txt" 1) ms for an empty page"
