#!/usr/bin/env bash
# Kill soak (issue 11, "Reliability"): runs a 4-rank shared-memory job under collrun REPS times
# (default 100), each time killing one random rank with SIGKILL at a random moment (from the
# launch, so some kills land while the ranks connect), and reports
#   hangs:     jobs not over within BOUND seconds of the kill (then killed, with their ranks),
#   leftovers: /dev/shm files of the job, and rank processes, still there once collrun is over.
# The job is tests/ProcessWorker's "call-until-failure" scenario: small and large Allreduces
# (messages and shared-memory windows), Broadcast and Barrier, until a call fails.
#
# Usage: tools/kill-soak.sh [REPS] [MAX_DELAY_SECONDS] [BOUND_SECONDS]
#   (defaults 100, 6 and 40; COLLECTIVES_TIMEOUT for the job: 10 s)
# Builds collrun and ProcessWorker (Release) first. Exit code: 0 when no hang and no leftover.
set -uo pipefail
cd "$(dirname "$0")/.."

reps=${1:-100}
max_delay=${2:-6}
bound=${3:-40}
ranks=4
timeout_s=10

dotnet build src/Launcher -c Release -v quiet -nologo >/dev/null || { echo "collrun did not build" >&2; exit 2; }
dotnet build tests/ProcessWorker -c Release -v quiet -nologo >/dev/null || { echo "ProcessWorker did not build" >&2; exit 2; }
collrun=src/Launcher/bin/Release/net10.0/collrun
worker=tests/ProcessWorker/bin/Release/net10.0/ProcessWorker.dll
logs=$(mktemp -d /tmp/kill-soak.XXXXXX)

hangs=0 leftover_files=0 leftover_processes=0 finished_early=0 kills=0
declare -a detections=()
for ((rep = 1; rep <= reps; rep++)); do
  job="kill-soak-$$-$rep"
  prefix="collectives-$(printf %s "$job" | sha256sum | cut -c1-8)-"
  delay=$(awk -v seed="$RANDOM$rep" -v max="$max_delay" 'BEGIN { srand(seed); printf "%.3f", rand() * max }')
  start=$(date +%s.%N)
  "$collrun" -n "$ranks" --transport shm --timeout "$timeout_s" --job-id "$job" -- dotnet "$worker" call-until-failure 1000000 \
    >"$logs/$rep.log" 2>&1 &
  launcher=$!
  sleep "$delay"

  # The rank processes are collrun's children; wait until at least one exists (early kills).
  pids=()
  for _ in $(seq 1 200); do
    mapfile -t pids < <(pgrep -P "$launcher")
    ((${#pids[@]} > 0)) && break
    kill -0 "$launcher" 2>/dev/null || break
    sleep 0.02
  done
  if ((${#pids[@]} == 0)) || ! kill -0 "$launcher" 2>/dev/null; then
    finished_early=$((finished_early + 1))
    wait "$launcher" 2>/dev/null
    echo "rep $rep: the job was over before the kill"
    continue
  fi

  victim=${pids[RANDOM % ${#pids[@]}]}
  kill -KILL "$victim" 2>/dev/null
  killed_at=$(date +%s.%N)
  kills=$((kills + 1))

  # The job must be over within the bound.
  over=0
  while true; do
    if ! kill -0 "$launcher" 2>/dev/null; then over=1; break; fi
    if (($(awk -v a="$killed_at" -v b="$(date +%s.%N)" -v m="$bound" 'BEGIN { print (b - a > m) }'))); then break; fi
    sleep 0.05
  done
  ended_at=$(date +%s.%N)
  if ((over == 0)); then
    hangs=$((hangs + 1))
    echo "rep $rep: HANG (job not over ${bound} s after killing pid $victim at ${delay} s); log $logs/$rep.log"
    kill -KILL "$launcher" "${pids[@]}" 2>/dev/null
  fi
  wait "$launcher" 2>/dev/null
  code=$?
  detections+=("$(awk -v a="$killed_at" -v b="$ended_at" 'BEGIN { printf "%.2f", b - a }')")

  alive=()
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null && alive+=("$pid")
  done
  if ((${#alive[@]} > 0)); then
    leftover_processes=$((leftover_processes + ${#alive[@]}))
    echo "rep $rep: LEFTOVER processes ${alive[*]}"
    kill -KILL "${alive[@]}" 2>/dev/null
  fi
  files=$(find /dev/shm -maxdepth 1 -name "${prefix}*" 2>/dev/null)
  if [[ -n "$files" ]]; then
    leftover_files=$((leftover_files + $(wc -l <<<"$files")))
    echo "rep $rep: LEFTOVER files $files (killed pid $victim at ${delay} s)"
    rm -f $files
  fi
  echo "rep $rep: killed a rank at ${delay} s; collrun exited $code after ${detections[-1]} s"
done

sorted=$(printf '%s\n' "${detections[@]}" | sort -n)
count=${#detections[@]}
median=$( ((count > 0)) && sed -n "$(((count + 1) / 2))p" <<<"$sorted" || echo -)
slowest=$( ((count > 0)) && tail -n 1 <<<"$sorted" || echo -)
echo
echo "kill soak: $reps repetitions of a $ranks-rank shm job, one rank SIGKILLed at a random moment in [0, $max_delay] s after launch"
echo "  kills: $kills (the job was over before the kill: $finished_early)"
echo "  hangs (not over within $bound s of the kill): $hangs"
echo "  leftover /dev/shm files: $leftover_files; leftover processes: $leftover_processes"
echo "  kill to end of collrun: median $median s, slowest $slowest s"
echo "  logs: $logs"
((hangs == 0 && leftover_files == 0 && leftover_processes == 0))
