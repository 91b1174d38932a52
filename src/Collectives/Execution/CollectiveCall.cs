using Collectives.Reduction;

namespace Collectives.Execution;

/// <summary>A validated collective call, before any message is sent.</summary>
/// <param name="Kind">The collective.</param>
/// <param name="Op">The reduction operation, or 0.</param>
/// <param name="DataType">The element type, or null for Barrier.</param>
/// <param name="Kernel">The reduction kernel, or null when nothing is reduced.</param>
/// <param name="Count">Element count.</param>
/// <param name="Root">The root rank, or -1.</param>
/// <param name="Algorithm">The chosen algorithm (never Auto).</param>
internal readonly record struct CollectiveCall(
    CollectiveKind Kind, ReduceOp Op, DataType? DataType, ReductionKernel? Kernel, int Count, int Root, byte Algorithm)
{
    /// <summary>Whether the communicator's offload engine runs the call (rather than <see cref="Algorithm"/>).</summary>
    public bool Offloaded { get; init; }

    public int ElementSize => DataType?.Size ?? 1;

    public int Bytes => Count * ElementSize;

    /// <summary>Whether the algorithm works in shared-memory windows rather than by messages (never when the NIC runs the call).</summary>
    public bool InWindows => !Offloaded && Diagnostics.CollectiveNames.IsSharedMemory(Kind, Algorithm);
}
