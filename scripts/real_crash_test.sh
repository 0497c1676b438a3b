#!/usr/bin/env bash
# Real faults: kill -9 a real lock server in the middle of a real load, round after round, and
# check every history. Each round starts a backup and a primary (`locksim serve`) on 127.0.0.1
# with ports the system picks, runs `locksim load` with --history, sends kill -9 to the victim at
# a random moment while the load runs, lets the load finish against the survivor, and reports the
# load's verdict (linearizability, every call completed), checked again with `locksim check`.
# Everything binds to loopback; every wait is bounded; the trap kills what the script started.
#
#   scripts/real_crash_test.sh                  # 20 rounds killing the primary, 20 the backup
#   scripts/real_crash_test.sh 3                # 3 + 3 rounds
#   scripts/real_crash_test.sh 2 --drop-replies 0.002   # servers also lose 0.2% of client replies
#   options: --victim primary|backup|both (default both)   --seed S (default 1; round r uses S+r)
#            --flaw NAME (for servers and clerks: watch the test catch a known bug)
#            --scenario FILE (default scenarios-real/crash_rounds.json)
#            --kill-window MIN_MS:MAX_MS (default 200:1200, inside the scenario's >= 1.5 s run)
#            --keep DIR (where failing rounds are kept; default build/real-crash-failures)
# Exit status: 0 every round passed, 1 some round failed, 2 usage or set-up error.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
locksim=${LOCKSIM:-${BUILD_DIR:-$root/build}/cli/locksim}

rounds=20
victims=both
drop=0
seed=1
flaw=""
scenario=scenarios-real/crash_rounds.json
kill_min_ms=200
kill_max_ms=1200
keep=${BUILD_DIR:-$root/build}/real-crash-failures
usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}
while (($#)); do
  case $1 in
    --victim) victims=${2:?}; shift 2 ;;
    --drop-replies) drop=${2:?}; shift 2 ;;
    --seed) seed=${2:?}; shift 2 ;;
    --flaw) flaw=${2:?}; shift 2 ;;
    --scenario) scenario=${2:?}; shift 2 ;;
    --kill-window) kill_min_ms=${2%%:*}; kill_max_ms=${2##*:}; shift 2 ;;
    --keep) keep=${2:?}; shift 2 ;;
    -h | --help) usage ;;
    [0-9]*) rounds=$1; shift ;;
    *) echo "real_crash_test: unknown argument $1" >&2; usage ;;
  esac
done
[[ $rounds =~ ^[0-9]+$ && $rounds -ge 1 && $rounds -le 1000 ]] || {
  echo "real_crash_test: ROUNDS must be 1 to 1000" >&2; exit 2; }
[[ $seed =~ ^[0-9]+$ ]] || { echo "real_crash_test: --seed must be a number" >&2; exit 2; }
[[ $kill_min_ms =~ ^[0-9]+$ && $kill_max_ms =~ ^[0-9]+$ && $kill_min_ms -le $kill_max_ms ]] || {
  echo "real_crash_test: --kill-window must be MIN_MS:MAX_MS" >&2; exit 2; }
case $victims in
  primary) order=(primary) ;;
  backup) order=(backup) ;;
  both) order=(primary backup) ;;
  *) echo "real_crash_test: --victim must be primary, backup or both" >&2; exit 2 ;;
esac
[[ -x $locksim ]] || { echo "real_crash_test: no $locksim; build first (scripts/setup.sh)" >&2; exit 2; }
[[ -f $scenario ]] || { echo "real_crash_test: no scenario $scenario" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/locksim-crash.XXXXXX")
started=()  # every process this script started; the trap makes sure none outlives it
cleanup() {
  for pid in "${started[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  for pid in "${started[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 2' INT TERM

# True while process $1 runs (kill -0 alone would also be true for an exited, unreaped child).
alive() {
  local state
  state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [[ -n $state && $state != Z ]]
}

# Waits (at most 10 s) for `locksim serve` to log its port; prints it.
port_of() {
  local log=$1 pid=$2 port
  for _ in $(seq 200); do
    port=$(grep -o 'serving on 127\.0\.0\.1:[0-9]*' "$log" 2>/dev/null | grep -o '[0-9]*$' || true)
    if [[ -n $port ]]; then echo "$port"; return 0; fi
    alive "$pid" || return 1
    sleep 0.05
  done
  return 1
}

# Waits (at most $2 seconds) for process $1 to exit; its exit status, or 124 if it did not.
wait_bounded() {
  local pid=$1 seconds=$2
  for _ in $(seq $((seconds * 20))); do
    if ! alive "$pid"; then
      local status=0
      wait "$pid" || status=$?
      return "$status"
    fi
    sleep 0.05
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  return 124
}

json_number() { grep -o "\"$1\":[0-9]*" | head -1 | cut -d: -f2; }

server_flags=(--drop-replies "$drop")
load_flags=()
if [[ -n $flaw ]]; then server_flags+=(--flaw "$flaw"); load_flags+=(--flaw "$flaw"); fi

RANDOM=$seed  # the kill moments repeat for a seed; the runs themselves cannot (real time)
total=$((rounds * ${#order[@]}))
passed=0
failed=0
echo "real_crash_test: $total round(s) of kill -9 (${order[*]}), $scenario, kill between" \
  "${kill_min_ms} and ${kill_max_ms} ms, --drop-replies $drop${flaw:+, --flaw $flaw}"
for ((n = 1; n <= total; n++)); do
  victim=${order[$(((n - 1) % ${#order[@]}))]}
  round_seed=$((seed + n - 1))
  dir=$work/round$n
  mkdir -p "$dir"
  started_before=${#started[@]}

  "$locksim" serve --role backup --listen 127.0.0.1:0 "${server_flags[@]}" --seed "$round_seed" \
    2>"$dir/backup.log" &
  backup_pid=$!
  started+=("$backup_pid")
  if ! backup_port=$(port_of "$dir/backup.log" "$backup_pid"); then
    echo "real_crash_test: round $n: the backup did not start:" >&2
    cat "$dir/backup.log" >&2
    exit 2
  fi
  "$locksim" serve --role primary --listen 127.0.0.1:0 --backup "127.0.0.1:$backup_port" \
    "${server_flags[@]}" --seed "$((round_seed + 1000000))" 2>"$dir/primary.log" &
  primary_pid=$!
  started+=("$primary_pid")
  if ! primary_port=$(port_of "$dir/primary.log" "$primary_pid"); then
    echo "real_crash_test: round $n: the primary did not start:" >&2
    cat "$dir/primary.log" >&2
    exit 2
  fi

  "$locksim" load "$scenario" --primary "127.0.0.1:$primary_port" \
    --backup "127.0.0.1:$backup_port" --seed "$round_seed" --history "$dir/history.json" \
    --deadline-s 120 --json "${load_flags[@]}" >"$dir/load.json" 2>"$dir/load.log" &
  load_pid=$!
  started+=("$load_pid")

  delay_ms=$((kill_min_ms + RANDOM % (kill_max_ms - kill_min_ms + 1)))
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  landed=yes
  alive "$load_pid" || landed=no
  if [[ $victim == primary ]]; then
    victim_pid=$primary_pid
    survivor_pid=$backup_pid
  else
    victim_pid=$backup_pid
    survivor_pid=$primary_pid
  fi
  kill -9 "$victim_pid"
  wait "$victim_pid" 2>/dev/null || true  # reaped here, bash's "Killed" notice goes nowhere
  load_status=0
  wait_bounded "$load_pid" 150 || load_status=$?
  kill -TERM "$survivor_pid" 2>/dev/null || true
  survivor_status=0
  wait_bounded "$survivor_pid" 10 || survivor_status=$?
  started=("${started[@]:0:$started_before}")

  # The verdict: the load's own checks, the written history checked again, and evidence that the
  # protocol saw the crash (the backup took over, or the primary went on alone).
  report=$(cat "$dir/load.json")
  completed=$(json_number completed <<<"$report")
  invoked=$(json_number invoked <<<"$report")
  refused=$(json_number refused <<<"$report")
  timed_out=$(json_number timed_out <<<"$report")
  problems=()
  ((load_status == 0)) || problems+=("locksim load exited $load_status")
  [[ $landed == yes ]] || problems+=("the load had ended before the kill at $delay_ms ms")
  if [[ -f $dir/history.json ]]; then
    check_status=0
    "$locksim" check "$dir/history.json" >"$dir/check.txt" 2>&1 || check_status=$?
    ((check_status == 0)) || problems+=("locksim check on the history exited $check_status")
  else
    problems+=("no history was written")
  fi
  ((survivor_status == 0)) || problems+=("the surviving $([[ $victim == primary ]] && echo backup || echo primary) exited $survivor_status on SIGTERM")
  if [[ $victim == primary ]]; then
    grep -q 'took over' "$dir/backup.log" && evidence="the backup took over" ||
      problems+=("the backup never took over")
  else
    grep -q 'serving alone' "$dir/primary.log" && evidence="the primary went on alone" ||
      problems+=("the primary never noticed the backup's death")
  fi

  label=$(printf 'round %2d/%d  kill -9 %-7s at %4d ms' "$n" "$total" "$victim" "$delay_ms")
  if ((${#problems[@]} == 0)); then
    passed=$((passed + 1))
    echo "$label  PASS  ${completed:-?}/${invoked:-?} calls completed, linearizable;" \
      "${refused:-?} calls refused, ${timed_out:-?} timed out; $evidence"
  else
    failed=$((failed + 1))
    mkdir -p "$keep"
    kept=$keep/round$n-seed$round_seed
    rm -rf "$kept"
    cp -r "$dir" "$kept"
    echo "$label  FAIL  $(IFS=';'; echo "${problems[*]}")"
    # The failed checks' one-line summaries, then the checker's explanation of the history.
    sed "s/\\\\\"/'/g" "$dir/load.json" |
      grep -o '"name":"[a-z ]*","passed":false,"summary":"[^"]*"' |
      sed 's/"name":"\([^"]*\)","passed":false,"summary":"\([^"]*\)"/    \1: \2/' || true
    if [[ -s $dir/check.txt ]] && ! grep -q '^linearizable' "$dir/check.txt"; then
      head -12 "$dir/check.txt" | sed 's/^/    /'
    fi
    echo "    history: $kept/history.json (logs, load.json and check.txt beside it)"
  fi
  rm -rf "$dir"
done
echo "real_crash_test: $passed of $total rounds passed"
((failed == 0))
