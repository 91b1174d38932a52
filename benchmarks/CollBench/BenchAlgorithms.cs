using Collectives.Catalog;

namespace Collectives.CollBench;

/// <summary>
/// Every algorithm collbench can force, per collective: the library's algorithm catalog, under
/// the names COLLECTIVES_ALGORITHMS uses, so a winning row can be pasted into an override string
/// as it is; plus <c>auto</c>, the selection table.
/// </summary>
internal static class BenchAlgorithms
{
    /// <summary>Root of Reduce and Broadcast, as in Open MPI's anchor.</summary>
    private const int Root = 0;

    private const string Auto = "auto";

    public static IReadOnlyList<string> Collectives { get; } = [.. AlgorithmCatalog.Collectives.Select(collective => collective.Name)];

    /// <summary>The algorithms of <paramref name="collective"/>, auto first.</summary>
    public static IReadOnlyList<BenchAlgorithm> For(string collective)
    {
        CollectiveKind kind = AlgorithmCatalog.CollectiveNamed(collective)
            ?? throw new FormatException($"unknown collective '{collective}'; use one of {string.Join(", ", Collectives)}.");
        return [Forcing(kind, Auto, 0), .. AlgorithmCatalog.Of(kind).Select(row => Forcing(kind, row.Name, row.Value))];
    }

    /// <summary>
    /// Resolves --algorithms ("all", or a comma list of names) against <paramref name="collective"/>'s catalog.
    /// "all" is the message algorithms: the shared-memory ones need every rank on one segment and
    /// offload needs an engine, so name them to measure them.
    /// </summary>
    public static IReadOnlyList<BenchAlgorithm> Select(string collective, string list)
    {
        IReadOnlyList<BenchAlgorithm> known = For(collective);
        if (list.Trim().Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            CollectiveKind kind = AlgorithmCatalog.CollectiveNamed(collective)!.Value;
            return [.. known.Where(algorithm => algorithm.Name == Auto || AlgorithmCatalog.Find(kind, algorithm.Name)?.Model == ExecutionModel.Messages)];
        }

        List<BenchAlgorithm> chosen = [];
        foreach (string name in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            BenchAlgorithm algorithm = known.FirstOrDefault(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                ?? throw new FormatException($"{collective} has no algorithm '{name}'; use all or some of {string.Join(", ", known.Select(a => a.Name))}.");
            if (!chosen.Contains(algorithm))
            {
                chosen.Add(algorithm);
            }
        }

        return chosen.Count > 0 ? chosen : throw new FormatException("--algorithms names no algorithm.");
    }

    /// <summary>
    /// How many blocks of the message size each rank's receive buffer must hold: one per rank for
    /// allgather, gather and alltoall (whose size is one rank's block, or one block per pair, as OSU's
    /// osu_allgather, osu_gather and osu_alltoall count it) and scatter (whose root sends from it), else one.
    /// </summary>
    public static int ReceiveBlocks(string collective, int ranks)
        => AlgorithmCatalog.CollectiveNamed(collective) is CollectiveKind.Allgather or CollectiveKind.Gather or CollectiveKind.Scatter or CollectiveKind.Alltoall ? ranks : 1;

    /// <summary>
    /// How many blocks of the message size each rank's send buffer must hold: one per rank for
    /// reduce_scatter (whose size is one rank's block, as OSU's osu_reduce_scatter counts it), else one.
    /// </summary>
    public static int SendBlocks(string collective, int ranks)
        => AlgorithmCatalog.CollectiveNamed(collective) == CollectiveKind.ReduceScatter ? ranks : 1;

    /// <summary>A call of <paramref name="kind"/> on float sums that forces the algorithm of enum value <paramref name="value"/> (0: auto).</summary>
    private static BenchAlgorithm Forcing(CollectiveKind kind, string name, byte value) => kind switch
    {
        CollectiveKind.Allreduce => new(name, (comm, buffers, count) => comm.Allreduce<float>(buffers.Send.AsSpan(0, count), buffers.Receive.AsSpan(0, count), ReduceOp.Sum, (AllreduceAlgorithm)value)),
        CollectiveKind.Reduce => new(name, (comm, buffers, count) => comm.Reduce<float>(buffers.Send.AsSpan(0, count), buffers.Receive.AsSpan(0, count), ReduceOp.Sum, Root, (ReduceAlgorithm)value)),
        CollectiveKind.Broadcast => new(name, (comm, buffers, count) => comm.Broadcast(buffers.Send.AsSpan(0, count), Root, (BroadcastAlgorithm)value)),
        CollectiveKind.Allgather => new(name, (comm, buffers, count) => comm.Allgather<float>(buffers.Send.AsSpan(0, count), buffers.Receive.AsSpan(0, count * comm.Size), (AllgatherAlgorithm)value)),
        CollectiveKind.Barrier => new(name, (comm, _, _) => comm.Barrier((BarrierAlgorithm)value)),
        CollectiveKind.ReduceScatter => new(name, (comm, buffers, count) => comm.ReduceScatter<float>(buffers.Send.AsSpan(0, count * comm.Size), buffers.Receive.AsSpan(0, count), ReduceOp.Sum, (ReduceScatterAlgorithm)value)),

        CollectiveKind.Gather => new(name, (comm, buffers, count) => comm.Gather<float>(buffers.Send.AsSpan(0, count), buffers.Receive.AsSpan(0, count * comm.Size), Root, (GatherAlgorithm)value)),

        // The root scatters from the buffer of one block per rank into the send buffer's first block.
        CollectiveKind.Scatter => new(name, (comm, buffers, count) => comm.Scatter<float>(buffers.Receive.AsSpan(0, count * comm.Size), buffers.Send.AsSpan(0, count), Root, (ScatterAlgorithm)value)),

        // In place in the buffer of one block per rank: the send buffer holds only one block.
        CollectiveKind.Alltoall => new(name, (comm, buffers, count) => comm.Alltoall(buffers.Receive.AsSpan(0, count * comm.Size), (AlltoallAlgorithm)value)),
        _ => throw new FormatException($"collbench cannot call {kind} yet."),
    };
}
