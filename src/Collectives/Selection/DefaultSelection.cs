namespace Collectives.Selection;

/// <summary>
/// The built-in selection table, in the same syntax users override it with (see
/// <see cref="SelectionTable"/>). First matching entry wins. Thresholds follow the usual shape
/// (latency-bound algorithms for small messages, bandwidth-bound ones for large), checked with
/// collbench on a 2-core VM over TCP (docs/performance.md): with 2 ranks the binomial reduce is a
/// single direct send that beat Rabenseifner's reduce-scatter + gather at every size (4 MiB:
/// 1.4 ms against 2.1 ms); the allreduce thresholds held. With 4 ranks and 1 MiB segments the
/// pipelined binomial reduce beat Rabenseifner's from 1 MiB (loaded machine, 3 runs each, slowest
/// rank's median: 1 MiB 1.17 ms against 1.57, 4 MiB 7.0 against 9.5, 16 MiB 20.8 against 36.7);
/// other rank counts were not measured, so they keep Rabenseifner. Re-measure on the target
/// machine with <c>collbench --suggest</c>. Allgather sizes are one rank's block; below 32 KiB
/// recursive doubling (Bruck on non-powers of two) takes log2(p) steps, above it the ring's
/// neighbour-only steps move the same bytes without the long-distance halves. Reduce-scatter
/// sizes are one rank's block too, split the same way by analogy (not yet measured here): recursive
/// halving's log2(p) steps for small blocks, the ring's neighbour-only ones from 32 KiB. Gather
/// and scatter sizes are one rank's block too: below 32 KiB the binomial tree's log2(p) steps
/// win, above it the linear form's direct messages spare the inner ranks forwarding (as MPICH and
/// Open MPI switch). Alltoall sizes are one block: below 16 KiB Bruck's log2(p) packed
/// messages beat p-1 small ones, above it pairwise exchange moves each block once (measured with
/// collbench at 4 ranks over TCP: 4 KiB blocks 53 µs by Bruck against 88-255 µs pairwise, 16 KiB
/// even, 32 KiB 121 µs pairwise against 204 µs; MPICH's short-message rule switches at 256 bytes). AlltoallV is selected by the largest size, since its ranks' blocks differ.
/// </summary>
internal static class DefaultSelection
{
    public const string Table =
        "allreduce:0-16k:recursive_doubling;" +
        "allreduce:16k-inf:rabenseifner;" +
        "reduce:*:p=2:binomial;" +
        "reduce:0-64k:binomial;" +
        "reduce:1m-inf:p=4:binomial;" +
        "reduce:64k-inf:rabenseifner;" +
        "broadcast:0-128k:binomial;" +
        "broadcast:128k-inf:p=3-inf:scatter_allgather;" +
        "broadcast:128k-inf:binomial;" +
        "allgather:0-32k:recursive_doubling;" +
        "allgather:32k-inf:ring;" +
        "reduce_scatter:0-32k:recursive_halving;" +
        "reduce_scatter:32k-inf:ring;" +
        "gather:0-32k:binomial;" +
        "gather:32k-inf:linear;" +
        "scatter:0-32k:binomial;" +
        "scatter:32k-inf:linear;" +
        "alltoall:0-16k:bruck;" +
        "alltoall:16k-inf:pairwise;" +
        "barrier:*:dissemination";

    /// <summary>
    /// Consulted before <see cref="Table"/>, and used when the whole communicator shares one
    /// shared-memory segment: work in the windows rather than pass messages. The flat algorithms read every
    /// rank's contribution on every rank (p x n bytes) in one synchronisation per chunk; the
    /// reduce-scatter ones read n bytes per rank in two. Small broadcasts on 3 or more ranks go by
    /// flags (<c>shm_tree</c>): the root returns at once and each rank waits (spin, then futex
    /// sleep) for its parent only, instead of every rank waiting for all to arrive, which costs most
    /// when ranks outnumber cores. At 2 ranks the two were within noise.
    /// </summary>
    public const string SharedMemoryTable =
        "allreduce:0-64k:shm_flat;" +
        "allreduce:64k-inf:p=2:shm_flat;" +
        "allreduce:64k-inf:shm_reduce_scatter;" +
        "reduce:0-64k:shm_flat;" +
        "reduce:64k-inf:p=2:shm_flat;" +
        "reduce:64k-inf:shm_reduce_scatter;" +
        "broadcast:0-8k:p=3-inf:shm_tree;" +
        "broadcast:*:shm;" +
        "allgather:*:shm;" +
        "reduce_scatter:*:shm;" +
        "gather:*:shm;" +
        "scatter:*:shm;" +
        "alltoall:*:shm;" +
        "barrier:*:shm";

    /// <summary>
    /// Consulted before <see cref="Table"/> when the communicator's ranks span hosts and some host
    /// runs several (see <see cref="Catalog.ExecutionModel.NodeAware"/>): keep traffic inside a host
    /// in shared memory, and send across hosts once per host (small messages, or hosts of different
    /// sizes) or once per slice, from every local rank at once (large messages on even hosts).
    /// Alltoall goes by places only for medium blocks: at 64 KiB on 2 x 2 and 4 x 2 emulated hosts
    /// it took 0.62 and 0.88 of the flat pairwise exchange's time, from 256 KiB up to twice it
    /// (docs/multi-host.md).
    /// </summary>
    public const string NodeAwareTable =
        "allreduce:64k-inf:node_slices;" +
        "allreduce:*:node_leaders;" +
        "reduce:*:node_leaders;" +
        "broadcast:*:node_leaders;" +
        "barrier:*:node_leaders;" +
        "allgather:*:node_leaders;" +
        "reduce_scatter:0-64k:node_leaders;" +
        "reduce_scatter:64k-inf:node_slices;" +
        "alltoall:0-16k:node_leaders;" +
        "alltoall:16k-128k:node_slices;" +
        "gather:*:node_leaders;" +
        "scatter:0-64k:node_leaders";

    /// <summary>
    /// Consulted first (after the user's overrides) when the communicator has an offload engine:
    /// the engine runs every call it takes, and the tables below run the rest.
    /// </summary>
    public const string OffloadTable =
        "allreduce:*:offload;" +
        "reduce:*:offload;" +
        "broadcast:*:offload;" +
        "barrier:*:offload";
}
