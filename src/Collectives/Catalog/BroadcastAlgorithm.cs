namespace Collectives;

/// <summary>
/// Algorithms for Broadcast, to force one per call: each member but Auto is a row of the
/// algorithm catalog, which names it for selection strings. New members go last, since callers
/// compile the values in.
/// </summary>
public enum BroadcastAlgorithm : byte
{
    /// <summary>Chosen by the selection table for the message size and rank count.</summary>
    Auto,

    /// <summary>Binomial tree from the root, pipelined in segments. Best for small messages.</summary>
    BinomialTree,

    /// <summary>Van de Geijn: binomial scatter of the pieces, then a ring allgather.</summary>
    ScatterAllgather,

    /// <summary>
    /// Shared memory: the root copies the data into its window (in chunks, alternating halves so
    /// copying in and out overlap) and every other rank copies it out. Needs every rank on one
    /// shared-memory segment.
    /// </summary>
    SharedMemory,

    /// <summary>
    /// The communicator's offload engine (<see cref="CommunicatorOptions.Offload"/>, or <c>collrun --transport nic</c>)
    /// runs the whole call. Forcing it throws <see cref="NotSupportedException"/> when there is no
    /// engine or the engine does not take the call (for the simulated NIC: an element type or
    /// operation its ALU lacks, or more bytes than one payload).
    /// </summary>
    Offload,

    /// <summary>
    /// Node-aware, by host leaders: the root broadcasts to one leader per host over the network,
    /// each leader to its host through shared memory. Needs ranks on several hosts, some host
    /// running more than one.
    /// </summary>
    NodeLeaders,

    /// <summary>
    /// Shared memory by flags: the root copies the data into its window, raises a flag and returns;
    /// every other rank waits only for its parent's flag (flat up to 9 ranks, a tree of fan-out 8
    /// beyond), copies the data and raises its own for its children. No rank waits for all to
    /// arrive, which wins for small messages when ranks outnumber cores. A call that disagrees
    /// (another root, count or collective on some rank) may return on a rank before the others
    /// enter it: it is reported by that call or, at the latest, by the next call that uses the
    /// windows; a rank whose wait would never end, because the rank it waits for is in another
    /// call, reads that rank's announced call after an eighth of the timeout and throws
    /// <see cref="CollectiveMismatchException"/>. Waiting ranks sleep on a futex after a short spin.
    /// Data larger than a flag buffer (8000 bytes with the default 1 MiB windows) goes as
    /// <see cref="SharedMemory"/>. Needs every rank on one shared-memory segment. The default
    /// below 8 KiB on 3 or more ranks.
    /// </summary>
    SharedMemoryTree,
}
