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
}
