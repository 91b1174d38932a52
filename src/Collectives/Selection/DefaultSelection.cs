namespace Collectives.Selection;

/// <summary>
/// The built-in selection table, in the same syntax users override it with (see
/// <see cref="SelectionTable"/>). First matching entry wins. Thresholds follow the usual shape
/// (latency-bound algorithms for small messages, bandwidth-bound ones for large) and are to be
/// re-measured with collbench on the target machine.
/// </summary>
internal static class DefaultSelection
{
    public const string Table =
        "allreduce:0-16k:recursive_doubling;" +
        "allreduce:16k-inf:rabenseifner;" +
        "reduce:0-64k:binomial;" +
        "reduce:64k-inf:rabenseifner;" +
        "broadcast:0-128k:binomial;" +
        "broadcast:128k-inf:p=3-inf:scatter_allgather;" +
        "broadcast:128k-inf:binomial;" +
        "barrier:*:dissemination";

    /// <summary>
    /// Consulted before <see cref="Table"/> when the whole communicator shares one shared-memory
    /// segment: work in the windows rather than pass messages. The flat algorithms read every
    /// rank's contribution on every rank (p x n bytes) in one synchronisation per chunk; the
    /// reduce-scatter ones read n bytes per rank in two.
    /// </summary>
    public const string SharedMemoryTable =
        "allreduce:0-64k:shm_flat;" +
        "allreduce:64k-inf:p=2:shm_flat;" +
        "allreduce:64k-inf:shm_reduce_scatter;" +
        "reduce:0-64k:shm_flat;" +
        "reduce:64k-inf:p=2:shm_flat;" +
        "reduce:64k-inf:shm_reduce_scatter;" +
        "broadcast:*:shm;" +
        "barrier:*:shm";
}
