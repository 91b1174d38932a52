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
# Environment: BUILD_DIR (default /tmp/collectives-peers) holds the compiled program.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUILD_DIR="${BUILD_DIR:-/tmp/collectives-peers}"
ALL_CONFIGS=(np2_shm np2_tcp np4_shm np8_shm)

# Open MPI comes from Debian's packages; install them only when we are allowed to (root),
# otherwise say what is missing rather than failing half-way through.
if ! command -v mpicc >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "run-openmpi.sh: mpicc not found; install Open MPI first:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y openmpi-bin libopenmpi-dev" >&2
    exit 2
  fi
  echo "run-openmpi.sh: installing openmpi-bin libopenmpi-dev with apt-get ..." >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openmpi-bin libopenmpi-dev >&2
fi

# Rebuild only when the source is newer than the binary; -Wall -Wextra keep the program clean.
mkdir -p "$BUILD_DIR"
BIN="$BUILD_DIR/mpi_peer_bench"
if [ ! "$BIN" -nt "$HERE/mpi_peer_bench.c" ]; then
  mpicc -O2 -Wall -Wextra -o "$BIN" "$HERE/mpi_peer_bench.c"
fi

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
