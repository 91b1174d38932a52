#!/usr/bin/env bash
# run-openmpi.sh -- build mpi_peer_bench.c with Open MPI and run it in the configurations we
# compare Collectives against. CSV goes to stdout (header once); progress/errors to stderr.
#
#   bash benchmarks/peers/run-openmpi.sh                      # np2_shm np2_tcp np4_shm np8_shm
#   bash benchmarks/peers/run-openmpi.sh np2_shm np4_tcp -s 8,4096 -c allreduce,barrier
#
# A configuration is np<ranks>_<shm|tcp>. Arguments that name a configuration select it; everything from the first other argument on
# is passed to the program (-s sizes, -c collectives, -i iteration scale). The program's -l
# label is set here to the configuration name.
# Environment: BUILD_DIR (default /tmp/collectives-peers) holds the compiled program (build-peer.sh).
# Across hosts of the emulated cluster: run-openmpi-cluster.sh.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ALL_CONFIGS=(np2_shm np2_tcp np4_shm np8_shm)
BIN="$(bash "$HERE/build-peer.sh")"

# Split the command line into configuration names and program options.
configs=()
while [ $# -gt 0 ]; do
  case "$1" in
    np[0-9]*_shm|np[0-9]*_tcp) configs+=("$1"); shift ;;
    *) break ;;
  esac
done
[ ${#configs[@]} -gt 0 ] || configs=("${ALL_CONFIGS[@]}")

# Common mpirun options:
#  - the out-of-band (runtime wire-up) channel stays on loopback: the VM's other interfaces
#    may be unroutable or firewalled, and everything here is one host anyway;
#  - mpirun refuses to start ranks as root unless told it is intended (containers run as root).
MPIRUN=(mpirun --mca oob_tcp_if_include lo)
[ "$(id -u)" -ne 0 ] || MPIRUN+=(--allow-run-as-root)

first=1
for cfg in "${configs[@]}"; do
  ranks="${cfg#np}"; ranks="${ranks%%_*}"
  [[ "$ranks" =~ ^[1-9][0-9]*$ ]] || { echo "run-openmpi.sh: bad configuration '$cfg' (expected np<ranks>_<shm|tcp>)" >&2; exit 2; }
  # More ranks than this machine's cores: --oversubscribe lets mpirun start them, and then it
  # also enables yield-when-idle, without which busy-polling ranks starve each other.
  args=(-np "$ranks")
  [ "$ranks" -le "$(nproc)" ] || args+=(--oversubscribe)
  case "$cfg" in
    # Shared memory: self for loopback to oneself, vader for single-copy shared memory.
    *_shm) args+=(--mca btl self,vader) ;;
    # TCP: force the ob1 PML (so no other PML picks a non-TCP path) and the TCP BTL on lo.
    *_tcp) args+=(--mca pml ob1 --mca btl self,tcp --mca btl_tcp_if_include lo) ;;
  esac
  echo "run-openmpi.sh: $cfg" >&2
  if [ $first -eq 1 ]; then
    "${MPIRUN[@]}" "${args[@]}" "$BIN" -l "$cfg" "$@"
    first=0
  else
    # Header only once across configurations.
    "${MPIRUN[@]}" "${args[@]}" "$BIN" -l "$cfg" "$@" | tail -n +2
  fi
done
