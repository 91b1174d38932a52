using Collectives.Catalog;
using Collectives.Reduction;

namespace Collectives.Execution;

/// <summary>A validated, planned collective call, before anything is sent: everything downstream reads its decisions here.</summary>
/// <param name="Kind">The collective.</param>
/// <param name="Op">The reduction operation, or 0.</param>
/// <param name="DataType">The element type, or null for Barrier.</param>
/// <param name="Kernel">The reduction kernel, or null when nothing is reduced.</param>
/// <param name="Count">Element count.</param>
/// <param name="Root">The root rank, or -1.</param>
/// <param name="Algorithm">The algorithm that runs the call: forced by the caller or chosen by the selection table.</param>
/// <param name="Verification">How the call checks that every rank made the same call.</param>
internal readonly record struct CollectiveCall(
    CollectiveKind Kind, ReduceOp Op, DataType? DataType, ReductionKernel? Kernel, int Count, int Root, CollectiveAlgorithm Algorithm, CallVerification Verification)
{
    /// <summary>The per-rank counts of a variable-count Allgather, ReduceScatter, Gather or Scatter (filled once the call owns the communicator), else null.</summary>
    public BlockOffsets? Blocks { get; init; }

    /// <summary>An AlltoallV's send counts (<see cref="Blocks"/> then holds its receive counts), else null.</summary>
    public BlockOffsets? SendBlocks { get; init; }

    /// <summary>
    /// For GatherV and ScatterV, whose root field holds the root: a digest of the per-rank counts
    /// (nonzero), which the signature carries in the high half of its count; else 0.
    /// </summary>
    public int CountsDigest { get; init; }

    /// <summary>The count the call's signature carries: <see cref="Count"/>, with <see cref="CountsDigest"/> in its high half.</summary>
    public long SignatureCount => ((long)CountsDigest << 32) | (uint)Count;

    public int ElementSize => DataType?.Size ?? 1;

    /// <summary>
    /// Bytes of this rank's buffer, as metrics count them; for the variable-count forms the average
    /// block (the total over the ranks; for AlltoallV, this rank's send total over the ranks).
    /// </summary>
    public int Bytes => SendBlocks is { } sent
        ? (int)((long)sent.Elements[sent.Size] * ElementSize / sent.Size)
        : Count * ElementSize / (Blocks?.Size ?? 1);
}
