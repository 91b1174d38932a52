using Collectives.Reduction;

namespace Collectives.Offload;

/// <summary>A collective call as an offload engine sees it: validated, numbered, before anything is sent.</summary>
/// <param name="Kind">The collective.</param>
/// <param name="Op">The reduction operation (Reduce, Allreduce), else 0.</param>
/// <param name="DataType">The element type; null for Barrier.</param>
/// <param name="Count">Number of elements.</param>
/// <param name="Root">The root (Reduce, Broadcast), else -1.</param>
/// <param name="Sequence">Number of the call on its communicator, from 1; equal on every rank for the same call.</param>
public readonly record struct OffloadRequest(CollectiveKind Kind, ReduceOp Op, DataType? DataType, int Count, int Root, ulong Sequence)
{
    /// <summary>Bytes of one rank's buffer.</summary>
    public int Bytes => Count * (DataType?.Size ?? 0);
}
