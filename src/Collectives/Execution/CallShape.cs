using Collectives.Reduction;

namespace Collectives.Execution;

/// <summary>
/// What a call's plan depends on besides the communicator: the arguments of a call without
/// per-rank counts. Two calls of one shape on one communicator get the same plan.
/// </summary>
/// <param name="Kind">The collective.</param>
/// <param name="Op">The reduction operation, or 0.</param>
/// <param name="DataType">The element type, or null for Barrier.</param>
/// <param name="Count">Element count.</param>
/// <param name="Root">The root rank, or -1.</param>
/// <param name="Forced">The algorithm the caller forced, or 0 for the selection table's.</param>
internal readonly record struct CallShape(CollectiveKind Kind, ReduceOp Op, DataType? DataType, int Count, int Root, byte Forced);
