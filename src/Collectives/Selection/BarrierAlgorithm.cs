namespace Collectives;

/// <summary>Algorithms for Barrier.</summary>
public enum BarrierAlgorithm : byte
{
    /// <summary>Chosen by the selection table.</summary>
    Auto = 0,

    /// <summary>Dissemination: ceil(log2 p) rounds; in round k rank r signals r + 2^k and waits for r - 2^k.</summary>
    Dissemination = 1,
}
