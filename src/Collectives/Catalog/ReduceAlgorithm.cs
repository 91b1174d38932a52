namespace Collectives;

/// <summary>
/// Algorithms for Reduce, to force one per call: each member but Auto is a row of the
/// algorithm catalog, which names it for selection strings. New members go last, since callers
/// compile the values in.
/// </summary>
public enum ReduceAlgorithm : byte
{
    /// <summary>Chosen by the selection table for the message size and rank count.</summary>
    Auto,

    /// <summary>Binomial tree towards the root, pipelined in segments. Best for small messages.</summary>
    BinomialTree,

    /// <summary>Rabenseifner: recursive-halving reduce-scatter, then a binomial gather to the root.</summary>
    Rabenseifner,

    /// <summary>
    /// Shared memory, flat: every rank copies its contribution into its window once and the root
    /// reduces them all in rank order. Best for small messages. Needs every rank on one
    /// shared-memory segment.
    /// </summary>
    SharedMemoryFlat,

    /// <summary>
    /// Shared memory, reduce-scatter + gather in place: every rank reduces its own slice of
    /// everyone's data and the root copies the slices out. Best for large messages. Needs every
    /// rank on one shared-memory segment.
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
    /// Node-aware, by host leaders: each host reduces to its leader (the root on its own host, the
    /// lowest rank elsewhere) through shared memory, then the leaders reduce to the root over the
    /// network. Needs ranks on several hosts, some host running more than one.
    /// </summary>
    NodeLeaders,
}
