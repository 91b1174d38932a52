#!/usr/bin/env bash
# build-peer.sh -- build mpi_peer_bench.c with Open MPI's mpicc (installing Open MPI first when
# root and missing) and print the program's path. Used by run-openmpi.sh and
# run-openmpi-cluster.sh, so both run the same binary.
# Environment: BUILD_DIR (default /tmp/collectives-peers) holds the compiled program.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUILD_DIR="${BUILD_DIR:-/tmp/collectives-peers}"

# Open MPI comes from Debian's packages; install them only when we are allowed to (root),
# otherwise say what is missing rather than failing half-way through.
if ! command -v mpicc >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "build-peer.sh: mpicc not found; install Open MPI first:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y openmpi-bin libopenmpi-dev" >&2
    exit 2
  fi
  echo "build-peer.sh: installing openmpi-bin libopenmpi-dev with apt-get ..." >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openmpi-bin libopenmpi-dev >&2
fi

# Rebuild only when the source is newer than the binary; -Wall -Wextra keep the program clean.
mkdir -p "$BUILD_DIR"
BIN="$BUILD_DIR/mpi_peer_bench"
if [ ! "$BIN" -nt "$HERE/mpi_peer_bench.c" ]; then
  mpicc -O2 -Wall -Wextra -o "$BIN" "$HERE/mpi_peer_bench.c" >&2
fi
echo "$BIN"
