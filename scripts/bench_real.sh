#!/usr/bin/env bash
# Real-network throughput and latency: starts a backup and a primary (`locksim serve`) on
# 127.0.0.1, runs `locksim load` on scenarios-real/loopback_bench.json (16 clients x 64 locks,
# no think time, 320,000 operations) REPEAT times, and prints operations/s and p50/p99/max
# latency of each run, then the median run. The load and both servers share the machine's cores:
# the figure is the whole system's, on one machine. Every run is also checked (linearizable,
# every call completed); a run that fails its checks fails the script.
#
#   scripts/bench_real.sh              # 5 runs
#   REPEAT=3 SCENARIO=scenarios/no_faults.json scripts/bench_real.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
locksim=${LOCKSIM:-${BUILD_DIR:-$root/build}/cli/locksim}
repeat=${REPEAT:-5}
scenario=${SCENARIO:-scenarios-real/loopback_bench.json}
[[ -x $locksim ]] || { echo "bench_real: no $locksim; build first (scripts/setup.sh)" >&2; exit 2; }
[[ $repeat =~ ^[0-9]+$ && $repeat -ge 1 && $repeat -le 100 ]] || {
  echo "bench_real: REPEAT must be 1 to 100" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/locksim-bench.XXXXXX")
started=()
cleanup() {
  for pid in "${started[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  for pid in "${started[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 2' INT TERM

# Waits (at most 10 s) for `locksim serve` to log its port; prints it.
port_of() {
  local port
  for _ in $(seq 200); do
    port=$(grep -o 'serving on 127\.0\.0\.1:[0-9]*' "$1" 2>/dev/null | grep -o '[0-9]*$' || true)
    if [[ -n $port ]]; then echo "$port"; return 0; fi
    sleep 0.05
  done
  echo "bench_real: a server did not start:" >&2
  cat "$1" >&2
  return 1
}
json_value() { grep -o "\"$1\":[0-9.e+]*" | head -1 | cut -d: -f2; }

"$locksim" serve --role backup --listen 127.0.0.1:0 2>"$work/backup.log" &
started+=($!)
backup_port=$(port_of "$work/backup.log")
"$locksim" serve --role primary --listen 127.0.0.1:0 --backup "127.0.0.1:$backup_port" \
  2>"$work/primary.log" &
started+=($!)
primary_port=$(port_of "$work/primary.log")

echo "bench_real: $scenario, $repeat runs against one primary/backup pair on 127.0.0.1"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"
results=()
for ((run = 1; run <= repeat; run++)); do
  status=0
  timeout 600 "$locksim" load "$scenario" --primary "127.0.0.1:$primary_port" \
    --backup "127.0.0.1:$backup_port" --seed "$run" --json >"$work/run.json" || status=$?
  report=$(cat "$work/run.json")
  if ((status != 0)); then
    echo "bench_real: run $run exited $status (its checks failed or it could not run):" >&2
    echo "$report" >&2
    exit 1
  fi
  ops=$(json_value ops_per_second <<<"$report")
  p50=$(grep -o '"p50":[0-9]*' <<<"$report" | cut -d: -f2)
  p99=$(grep -o '"p99":[0-9]*' <<<"$report" | cut -d: -f2)
  max=$(grep -o '"max":[0-9]*' <<<"$report" | cut -d: -f2)
  completed=$(json_value completed <<<"$report")
  line=$(printf '%9.0f ops/s  p50 %6d us  p99 %6d us  max %7d us  (%d operations, checked)' \
    "$ops" "$p50" "$p99" "$max" "$completed")
  echo "run $run  $line"
  results+=("$line")
done
median=$(printf '%s\n' "${results[@]}" | sort -n | sed -n "$(((repeat + 1) / 2))p")
echo "median $median"
