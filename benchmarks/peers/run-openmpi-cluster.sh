#!/usr/bin/env bash
# run-openmpi-cluster.sh -- run one job across hosts of the emulated cluster (tools/cluster) with
# Open MPI's mpirun, started on node0 with tools/cluster-rsh as its remote shell, as
# tests/Collectives.Tests/MultiHost/MpirunAcrossHostsTests.cs does. The one place that knows
# mpirun's options for jobs across hosts: `collbench compare --hosts` launches both libraries here.
#
#   bash benchmarks/peers/run-openmpi-cluster.sh h2x2_ompi -s 8,4096 -c allreduce   # Open MPI's peer program
#   bash benchmarks/peers/run-openmpi-cluster.sh h2x2_auto -- dotnet collbench.dll allreduce --csv /tmp/x.csv
#
# CONFIG is h<hosts>x<ranks per host>_<kind>:
#   ompi  Open MPI's peer program (mpi_peer_bench.c, built by build-peer.sh) with its default
#         collectives (tuned) over the self, vader and tcp BTLs, TCP on eth0;
#   han   the same with coll_han's priority raised to 100, so its hierarchical (node-aware)
#         collectives are chosen;
#   auto  the command after --, with COLLECTIVES_TRANSPORT=auto (Collectives: shared memory in a
#         host, TCP between hosts, node-aware algorithms);
#   tcp   the command after --, with COLLECTIVES_TRANSPORT=tcp (TCP everywhere, flat algorithms).
# For ompi and han the arguments after CONFIG go to the peer program (-s sizes, -c collectives,
# -i iteration scale; -l is set to CONFIG) and its CSV goes to stdout.
# Environment: COLLECTIVES_CLUSTER names a cluster that is up (default cc) with at least <hosts>
# hosts; mpirun needs root there, as tools/cluster does. COLLECTIVES_ALGORITHMS, when set, is
# passed to our ranks (auto, tcp), so a forced algorithm can be measured across hosts.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TOOLS="$(cd "$HERE/../../tools" && pwd)"
CLUSTER="${COLLECTIVES_CLUSTER:-cc}"

config="${1:-}"
[[ "$config" =~ ^h([1-9][0-9]*)x([1-9][0-9]*)_(ompi|han|auto|tcp)$ ]] \
  || { echo "run-openmpi-cluster.sh: bad configuration '$config' (expected h<hosts>x<ranks per host>_<ompi|han|auto|tcp>)" >&2; exit 2; }
shift
hosts="${BASH_REMATCH[1]}"
per_host="${BASH_REMATCH[2]}"
kind="${BASH_REMATCH[3]}"
ranks=$(( hosts * per_host ))

# The host file names the first <hosts> hosts with <ranks per host> slots each. /tmp is the same
# inside every host (tools/cluster makes only /dev/shm private), so mpirun on node0 reads it.
hostfile="$(mktemp /tmp/collectives-hostfile.XXXXXX)"
trap 'rm -f "$hostfile"' EXIT
for ((i = 0; i < hosts; i++)); do echo "node$i slots=$per_host"; done > "$hostfile"

# Common mpirun options:
#  - remote agents start through cluster-rsh (ssh's place), which reads COLLECTIVES_CLUSTER;
#  - the out-of-band channel and TCP traffic use eth0, the cluster's link (lo is per host);
#  - mpirun refuses to start ranks as root unless told it is intended;
#  - yield-when-idle, always: every emulated host shares this machine's cores, and so does the
#    kernel work that carries packets over the veths and the bridge. Busy-polling ranks starve
#    it: h2x1_ompi (2 ranks, 2 cores) measured allreduce 8 B 7,961 us and 1 MiB 24,666 us
#    without it, 86 us and 690 us with it (max over ranks, same minute). mpirun would not turn it
#    on by itself, since it sees only the host file's slots and never thinks itself
#    oversubscribed (run-openmpi.sh's --oversubscribe is what turns it on there).
MPIRUN=(mpirun --allow-run-as-root -np "$ranks" --mca plm_rsh_agent "$TOOLS/cluster-rsh"
        --mca oob_tcp_if_include eth0 --mca btl_tcp_if_include eth0 --mca mpi_yield_when_idle 1 -x PATH)

case "$kind" in
  ompi|han)
    BIN="$(bash "$HERE/build-peer.sh")"
    MPIRUN+=(--mca btl self,vader,tcp)
    [ "$kind" = ompi ] || MPIRUN+=(--mca coll_han_priority 100)
    command=("$BIN" -l "$config" "$@")
    ;;
  auto|tcp)
    [ "${1:-}" = -- ] && [ $# -ge 2 ] || { echo "run-openmpi-cluster.sh: $config needs a command after --" >&2; exit 2; }
    shift
    # No counterpart of yield-when-idle to pass: the library counts the ranks that share this
    # machine by its boot id (every emulated host is a namespace of one kernel), so ranks that
    # outnumber its cores wait as on an oversubscribed host, yielding rather than spinning, as a
    # user's pods on one Kubernetes node do.
    MPIRUN+=(-x "COLLECTIVES_TRANSPORT=$kind")
    # A selection override in the caller's environment reaches every rank, as on a single host.
    [ -n "${COLLECTIVES_ALGORITHMS:-}" ] && MPIRUN+=(-x "COLLECTIVES_ALGORITHMS=$COLLECTIVES_ALGORITHMS")
    command=("$@")
    ;;
esac

echo "run-openmpi-cluster.sh: $config on cluster $CLUSTER" >&2
"$TOOLS/cluster" exec node0 --name "$CLUSTER" -- \
  env "COLLECTIVES_CLUSTER=$CLUSTER" "OMPI_MCA_orte_default_hostfile=$hostfile" \
  "${MPIRUN[@]}" "${command[@]}"
