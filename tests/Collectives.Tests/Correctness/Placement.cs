namespace Collectives.Tests.Correctness;

/// <summary>Whether a reduction reads and writes one buffer, or reads a send buffer and writes a separate receive buffer.</summary>
public enum Placement
{
    /// <summary>One buffer, overwritten by the result.</summary>
    InPlace,

    /// <summary>A send buffer (never modified) and a receive buffer.</summary>
    OutOfPlace,
}
