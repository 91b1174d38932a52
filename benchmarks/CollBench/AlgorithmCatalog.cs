namespace Collectives.CollBench;

/// <summary>
/// Every algorithm collbench can force, per collective, under the names COLLECTIVES_ALGORITHMS
/// uses, so a winning row can be pasted into an override string as it is.
/// </summary>
internal static class AlgorithmCatalog
{
    /// <summary>Root of Reduce and Broadcast, as in Open MPI's anchor.</summary>
    private const int Root = 0;

    public static readonly IReadOnlyList<string> Collectives = ["allreduce", "reduce", "broadcast", "barrier"];

    /// <summary>The algorithms of <paramref name="collective"/>, auto first.</summary>
    public static IReadOnlyList<BenchAlgorithm> For(string collective) => collective switch
    {
        "allreduce" =>
        [
            Allreduce("auto", AllreduceAlgorithm.Auto),
            Allreduce("recursive_doubling", AllreduceAlgorithm.RecursiveDoubling),
            Allreduce("rabenseifner", AllreduceAlgorithm.Rabenseifner),
            Allreduce("ring", AllreduceAlgorithm.Ring),
            Allreduce("shm_flat", AllreduceAlgorithm.SharedMemoryFlat),
            Allreduce("shm_reduce_scatter", AllreduceAlgorithm.SharedMemoryReduceScatter),
        ],
        "reduce" =>
        [
            Reduce("auto", ReduceAlgorithm.Auto),
            Reduce("binomial", ReduceAlgorithm.BinomialTree),
            Reduce("rabenseifner", ReduceAlgorithm.Rabenseifner),
            Reduce("shm_flat", ReduceAlgorithm.SharedMemoryFlat),
            Reduce("shm_reduce_scatter", ReduceAlgorithm.SharedMemoryReduceScatter),
        ],
        "broadcast" =>
        [
            Broadcast("auto", BroadcastAlgorithm.Auto),
            Broadcast("binomial", BroadcastAlgorithm.BinomialTree),
            Broadcast("scatter_allgather", BroadcastAlgorithm.ScatterAllgather),
            Broadcast("shm", BroadcastAlgorithm.SharedMemory),
        ],
        // Barrier takes no per-call algorithm: auto selects dissemination, or shm on one segment.
        "barrier" => [new BenchAlgorithm("auto", (comm, _, _) => comm.Barrier())],
        _ => throw new FormatException($"unknown collective '{collective}'; use one of {string.Join(", ", Collectives)}."),
    };

    /// <summary>Resolves --algorithms ("all", or a comma list of names) against <paramref name="collective"/>'s catalog.</summary>
    public static IReadOnlyList<BenchAlgorithm> Select(string collective, string list)
    {
        IReadOnlyList<BenchAlgorithm> known = For(collective);
        // The shared-memory algorithms need every rank on one segment, so "all" leaves them out;
        // name them to measure them.
        if (list.Trim().Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return [.. known.Where(algorithm => !algorithm.Name.StartsWith("shm", StringComparison.Ordinal))];
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

    private static BenchAlgorithm Allreduce(string name, AllreduceAlgorithm algorithm)
        => new(name, (comm, buffers, count) => comm.Allreduce<float>(buffers.Send.AsSpan(0, count), buffers.Receive.AsSpan(0, count), ReduceOp.Sum, algorithm));

    private static BenchAlgorithm Reduce(string name, ReduceAlgorithm algorithm)
        => new(name, (comm, buffers, count) => comm.Reduce<float>(buffers.Send.AsSpan(0, count), buffers.Receive.AsSpan(0, count), ReduceOp.Sum, Root, algorithm));

    private static BenchAlgorithm Broadcast(string name, BroadcastAlgorithm algorithm)
        => new(name, (comm, buffers, count) => comm.Broadcast(buffers.Send.AsSpan(0, count), Root, algorithm));
}
