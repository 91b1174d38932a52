namespace Collectives;

/// <summary>
/// Algorithms for Barrier, to force one per call: each member but Auto is a row of the
/// algorithm catalog, which names it for selection strings. New members go last, since callers
/// compile the values in.
/// </summary>
public enum BarrierAlgorithm : byte
{
    /// <summary>Chosen by the selection table.</summary>
    Auto,

    /// <summary>Dissemination: ceil(log2 p) rounds; in round k rank r signals r + 2^k and waits for r - 2^k.</summary>
    Dissemination,

    /// <summary>Shared memory: every rank publishes a flag and waits for everyone's. Needs every rank on one shared-memory segment.</summary>
    SharedMemory,

    /// <summary>
    /// The communicator's offload engine (<see cref="CommunicatorOptions.Offload"/>, or <c>collrun --transport nic</c>)
    /// runs the whole call. Forcing it throws <see cref="NotSupportedException"/> when there is no
    /// engine or the engine does not take the call (for the simulated NIC: an element type or
    /// operation its ALU lacks, or more bytes than one payload).
    /// </summary>
    Offload,

    /// <summary>
    /// Node-aware, by host leaders: a barrier inside each host, one among the hosts' lowest ranks,
    /// and another inside each host. Needs ranks on several hosts, some host running more than one.
    /// </summary>
    NodeLeaders,
}
