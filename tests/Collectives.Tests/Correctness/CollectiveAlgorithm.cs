using Collectives.Catalog;

namespace Collectives.Tests.Correctness;

/// <summary>One data-moving collective together with one of its algorithms, forced explicitly in a test.</summary>
/// <param name="Kind">Allreduce, Reduce, Broadcast, Allgather, ReduceScatter, Gather, Scatter or Alltoall.</param>
/// <param name="Value">The value of the collective's algorithm enum (never Auto).</param>
public readonly record struct CollectiveAlgorithm(CollectiveKind Kind, byte Value)
{
    /// <summary>
    /// Every message-passing algorithm of Allreduce, Reduce, Broadcast, Allgather, ReduceScatter, Gather, Scatter and Alltoall (they run over any
    /// transport), read from the library's algorithm catalog so that a new algorithm joins the
    /// matrix without anyone listing it here.
    /// </summary>
    public static IReadOnlyList<CollectiveAlgorithm> All { get; } = Every(ExecutionModel.Messages);

    /// <summary>Every algorithm that works in shared-memory windows (it needs all ranks on one segment).</summary>
    public static IReadOnlyList<CollectiveAlgorithm> SharedMemory { get; } = Every(ExecutionModel.Windows);

    /// <summary>Whether the algorithm works in shared-memory windows.</summary>
    public bool NeedsSharedMemory => AlgorithmCatalog.Find(Kind, Value)?.Model == ExecutionModel.Windows;

    /// <summary>The algorithm, for Allreduce.</summary>
    public AllreduceAlgorithm Allreduce => (AllreduceAlgorithm)Value;

    /// <summary>The algorithm, for Reduce.</summary>
    public ReduceAlgorithm Reduce => (ReduceAlgorithm)Value;

    /// <summary>The algorithm, for Broadcast.</summary>
    public BroadcastAlgorithm Broadcast => (BroadcastAlgorithm)Value;

    /// <summary>The algorithm, for Allgather.</summary>
    public AllgatherAlgorithm Allgather => (AllgatherAlgorithm)Value;

    /// <summary>The algorithm, for ReduceScatter.</summary>
    public ReduceScatterAlgorithm ReduceScatter => (ReduceScatterAlgorithm)Value;

    /// <summary>The algorithm, for Gather.</summary>
    public GatherAlgorithm Gather => (GatherAlgorithm)Value;

    /// <summary>The algorithm, for Scatter.</summary>
    public ScatterAlgorithm Scatter => (ScatterAlgorithm)Value;

    /// <summary>The algorithm, for Alltoall.</summary>
    public AlltoallAlgorithm Alltoall => (AlltoallAlgorithm)Value;

    /// <summary>Whether the collective has a root rank.</summary>
    public bool IsRooted => Kind is CollectiveKind.Reduce or CollectiveKind.Broadcast or CollectiveKind.Gather or CollectiveKind.Scatter;

    /// <summary>Whether the collective reduces (and so has an operation and in-place and out-of-place forms).</summary>
    public bool Reduces => Kind is CollectiveKind.Reduce or CollectiveKind.Allreduce or CollectiveKind.ReduceScatter;

    /// <summary>Whether the collective's buffers are one block per rank (Allgather's, Gather's and Alltoall's receive buffer, ReduceScatter's, Scatter's and Alltoall's send buffer), its count that of one block.</summary>
    public bool HasBlocks => Kind is CollectiveKind.Allgather or CollectiveKind.ReduceScatter or CollectiveKind.Gather or CollectiveKind.Scatter or CollectiveKind.Alltoall;

    /// <summary>Whether the collective has an in-place and an out-of-place form (a broadcast is only in place).</summary>
    public bool HasPlacements => Reduces || Kind is CollectiveKind.Allgather or CollectiveKind.Gather or CollectiveKind.Scatter or CollectiveKind.Alltoall;

    // Offload rows need an engine; Collectives.Offload.Tests runs them against the software results.
    private static CollectiveAlgorithm[] Every(ExecutionModel model) =>
    [
        .. AlgorithmCatalog.All
            .Where(row => row.Collective is CollectiveKind.Allreduce or CollectiveKind.Reduce or CollectiveKind.Broadcast or CollectiveKind.Allgather or CollectiveKind.ReduceScatter or CollectiveKind.Gather or CollectiveKind.Scatter or CollectiveKind.Alltoall && row.Model == model)
            .Select(row => new CollectiveAlgorithm(row.Collective, row.Value)),
    ];

    /// <summary>For example <c>Allreduce_Ring</c>.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Kind switch
    {
        CollectiveKind.Allreduce => $"Allreduce_{Allreduce}",
        CollectiveKind.Reduce => $"Reduce_{Reduce}",
        CollectiveKind.Broadcast => $"Broadcast_{Broadcast}",
        CollectiveKind.Allgather => $"Allgather_{Allgather}",
        CollectiveKind.ReduceScatter => $"ReduceScatter_{ReduceScatter}",
        CollectiveKind.Gather => $"Gather_{Gather}",
        CollectiveKind.Scatter => $"Scatter_{Scatter}",
        CollectiveKind.Alltoall => $"Alltoall_{Alltoall}",
        _ => $"{Kind}_{Value}",
    };
}
