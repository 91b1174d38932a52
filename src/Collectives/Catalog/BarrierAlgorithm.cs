namespace Collectives;

/// <summary>Algorithms for Barrier.</summary>
public enum BarrierAlgorithm : byte
{
    /// <summary>Chosen by the selection table.</summary>
    Auto = 0,

    /// <summary>Dissemination: ceil(log2 p) rounds; in round k rank r signals r + 2^k and waits for r - 2^k.</summary>
    Dissemination = 1,

    /// <summary>Shared memory: every rank publishes a flag and waits for everyone's. Needs every rank on one shared-memory segment.</summary>
    SharedMemory = 2,

    /// <summary>
    /// The communicator's offload engine (<see cref="CommunicatorOptions.Offload"/>, or <c>collrun --transport nic</c>)
    /// runs the whole call. Forcing it throws <see cref="NotSupportedException"/> when there is no
    /// engine or the engine does not take the call (for the simulated NIC: an element type or
    /// operation its ALU lacks, or more bytes than one payload).
    /// </summary>
    Offload = 3,
}
