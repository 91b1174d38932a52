#!/usr/bin/env bash
# run-gloo.sh -- build gloo_peer_bench.cc against Debian's Gloo (installing libgloo-dev when root
# and missing) and run every Gloo algorithm of the chosen collectives over TCP on loopback.
# CSV goes to stdout (header once), one row per (algorithm, size) with the config
# <configuration>/<algorithm>; progress and errors go to stderr.
#
#   bash benchmarks/peers/run-gloo.sh np4_tcp -s 8,4k,4M -c allreduce,barrier -i 1
#
# A configuration is np<ranks>_tcp (Gloo has no shared-memory transport); the first argument
# that is not one starts the options: -s sizes (k, M, G suffixes), -c collectives (allreduce,
# reduce, broadcast, barrier; default all four), -i iteration scale.
# Every algorithm runs in a fresh set of processes: Gloo's SO_SNDBUF habit can stall a reused
# connection on the delayed-ACK timer (the anchor gloo.sh found it). The ranks meet through a
# Gloo file store in a temporary folder.
# Environment: BUILD_DIR (build-peer.sh), GLOO_TIMEOUT (seconds per algorithm, default 900).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BIN="$(bash "$HERE/build-peer.sh" gloo)"

configs=()
while [ $# -gt 0 ]; do
  case "$1" in
    np[0-9]*_tcp) configs+=("$1"); shift ;;
    np[0-9]*_*) echo "run-gloo.sh: '$1': Gloo runs over TCP only (np<ranks>_tcp)" >&2; exit 2 ;;
    *) break ;;
  esac
done
[ ${#configs[@]} -gt 0 ] || configs=(np2_tcp)

sizes=8,4k,256k,4M,16M; collectives=allreduce,reduce,broadcast,barrier; scale=1
while getopts "s:c:i:" opt; do
  case "$opt" in
    s) sizes="$OPTARG" ;;
    c) collectives="$OPTARG" ;;
    i) scale="$OPTARG" ;;
    *) exit 2 ;;
  esac
done

# Gloo's algorithms per collective, as gloo_peer_bench.cc names them.
algorithms() {
  case "$1" in
    allreduce) echo ring ring_chunked halving_doubling bcube new_ring new_bcube ;;
    reduce) echo new ;;
    broadcast) echo new one_to_all ;;
    barrier) echo new all_to_one all_to_all ;;
    *) echo "run-gloo.sh: Gloo has no '$1' here (allreduce, reduce, broadcast, barrier)" >&2; return 2 ;;
  esac
}

store="$(mktemp -d /tmp/collectives-gloo.XXXXXX)"
trap 'rm -rf "$store"' EXIT
echo "library,config,collective,bytes,ranks,avg_us,min_us,max_us,gbps"
for cfg in "${configs[@]}"; do
  ranks="${cfg#np}"; ranks="${ranks%%_*}"
  for collective in ${collectives//,/ }; do
    algos="$(algorithms "$collective")"
    for algorithm in $algos; do
      echo "run-gloo.sh: $cfg $collective/$algorithm" >&2
      run="$store/$cfg-$collective-$algorithm"; mkdir -p "$run/store"
      pids=()
      for rank in $(seq 0 $((ranks - 1))); do
        timeout "${GLOO_TIMEOUT:-900}" "$BIN" "$rank" "$ranks" "$run/store" "$collective/$algorithm" \
          -s "$sizes" -l "$cfg" -i "$scale" >"$run/out.$rank" 2>"$run/err.$rank" &
        pids+=($!)
      done
      failed=0
      for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
      if [ $failed -ne 0 ]; then
        echo "run-gloo.sh: $cfg $collective/$algorithm failed:" >&2
        tail -n 5 "$run"/err.* >&2
        exit 1
      fi
      tail -n +2 "$run/out.0"
    done
  done
done
