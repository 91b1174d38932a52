#!/usr/bin/env bash
# build-peer.sh [mpi|gloo] -- build a peer program and print its path: mpi (the default)
# builds mpi_peer_bench.c with Open MPI's mpicc, gloo builds gloo_peer_bench.cc against Debian's
# Gloo; each installs its library first when root and missing. Used by run-openmpi.sh and
# run-openmpi-cluster.sh (mpi), so both run the same binary, and by run-gloo.sh (gloo).
# Environment: BUILD_DIR (default /tmp/collectives-peers) holds the compiled programs.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUILD_DIR="${BUILD_DIR:-/tmp/collectives-peers}"
PEER="${1:-mpi}"

# install PACKAGES... -- the libraries come from Debian's packages; install them only when we
# are allowed to (root), otherwise say what is missing rather than failing half-way through.
install() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "build-peer.sh: $PEER peer needs packages that are missing; install them first:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y $*" >&2
    exit 2
  fi
  echo "build-peer.sh: installing $* with apt-get ..." >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

mkdir -p "$BUILD_DIR"
case "$PEER" in
  mpi)
    command -v mpicc >/dev/null 2>&1 || install openmpi-bin libopenmpi-dev
    SRC="$HERE/mpi_peer_bench.c"; BIN="$BUILD_DIR/mpi_peer_bench"
    # -Wall -Wextra keep the program clean.
    BUILD=(mpicc -O2 -Wall -Wextra -o "$BIN" "$SRC") ;;
  gloo)
    { command -v g++ >/dev/null 2>&1 && [ -e /usr/include/gloo/allreduce.h ]; } || install g++ libgloo-dev
    SRC="$HERE/gloo_peer_bench.cc"; BIN="$BUILD_DIR/gloo_peer_bench"
    # Gloo's headers compare signed and unsigned counts; that warning is theirs, not ours.
    BUILD=(g++ -O2 -std=c++17 -Wall -Wextra -Wno-sign-compare -o "$BIN" "$SRC" -lgloo -lpthread) ;;
  *) echo "build-peer.sh: unknown peer '$PEER' (expected mpi or gloo)" >&2; exit 2 ;;
esac

# Rebuild only when the source is newer than the binary.
if [ ! "$BIN" -nt "$SRC" ]; then
  "${BUILD[@]}" >&2
fi
echo "$BIN"
