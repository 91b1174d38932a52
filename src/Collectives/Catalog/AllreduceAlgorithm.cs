namespace Collectives;

/// <summary>
/// Algorithms for Allreduce, to force one per call: each member but Auto is a row of the
/// algorithm catalog, which names it for selection strings. New members go last, since callers
/// compile the values in.
/// </summary>
public enum AllreduceAlgorithm : byte
{
    /// <summary>Chosen by the selection table for the message size and rank count.</summary>
    Auto,

    /// <summary>Recursive doubling: log2(p) exchanges of the whole vector. Best for small messages.</summary>
    RecursiveDoubling,

    /// <summary>Rabenseifner: recursive-halving reduce-scatter, then recursive-doubling allgather.</summary>
    Rabenseifner,

    /// <summary>Ring: reduce-scatter then allgather around a ring, 2(p-1) steps of n/p bytes.</summary>
    Ring,

    /// <summary>
    /// Shared memory, flat: every rank copies its contribution into its window once, then reduces
    /// all contributions itself in rank order. One synchronisation per chunk; best for small messages.
    /// Needs every rank on one shared-memory segment.
    /// </summary>
    SharedMemoryFlat,

    /// <summary>
    /// Shared memory, reduce-scatter + allgather in place: every rank copies its contribution into
    /// its window once, reduces its own slice of everyone's data, and every rank copies the reduced
    /// slices out. Best for large messages. Needs every rank on one shared-memory segment.
    /// </summary>
    SharedMemoryReduceScatter,

    /// <summary>
    /// The communicator's offload engine (<see cref="CommunicatorOptions.Offload"/>, or <c>collrun --transport nic</c>)
    /// runs the whole call. Forcing it throws <see cref="NotSupportedException"/> when there is no
    /// engine or the engine does not take the call (for the simulated NIC: an element type or
    /// operation its ALU lacks, or more bytes than one payload).
    /// </summary>
    Offload,

    /// <summary>
    /// Node-aware, by host leaders: each host reduces to its lowest rank through shared memory,
    /// the leaders allreduce over the network, each leader broadcasts to its host. For small
    /// messages, and hosts of any sizes. Needs ranks on several hosts, some host running more than one.
    /// </summary>
    NodeLeaders,

    /// <summary>
    /// Node-aware, by slices: each host reduce-scatters through shared memory, every local rank
    /// allreduces its slice with its counterparts on the other hosts (all at once, over the
    /// network), each host allgathers. For large messages. Needs several hosts running the same
    /// number of ranks, more than one each.
    /// </summary>
    NodeSlices,
}
