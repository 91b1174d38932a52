namespace Collectives.Diagnostics;

/// <summary>Lowercase names of collectives and algorithms, as used in metrics and in the selection syntax.</summary>
internal static class CollectiveNames
{
    public static string Of(CollectiveKind kind) => kind switch
    {
        CollectiveKind.Barrier => "barrier",
        CollectiveKind.Broadcast => "broadcast",
        CollectiveKind.Reduce => "reduce",
        CollectiveKind.Allreduce => "allreduce",
        _ => "unknown",
    };

    /// <summary>The algorithm values defined for <paramref name="kind"/> (Auto excluded).</summary>
    public static IEnumerable<byte> AlgorithmsOf(CollectiveKind kind) => kind switch
    {
        CollectiveKind.Barrier => Enum.GetValues<BarrierAlgorithm>().Where(a => a != BarrierAlgorithm.Auto).Select(a => (byte)a),
        CollectiveKind.Broadcast => Enum.GetValues<BroadcastAlgorithm>().Where(a => a != BroadcastAlgorithm.Auto).Select(a => (byte)a),
        CollectiveKind.Reduce => Enum.GetValues<ReduceAlgorithm>().Where(a => a != ReduceAlgorithm.Auto).Select(a => (byte)a),
        CollectiveKind.Allreduce => Enum.GetValues<AllreduceAlgorithm>().Where(a => a != AllreduceAlgorithm.Auto).Select(a => (byte)a),
        _ => [],
    };

    public static string Algorithm(CollectiveKind kind, byte algorithm) => (kind, algorithm) switch
    {
        (CollectiveKind.Barrier, (byte)BarrierAlgorithm.Dissemination) => "dissemination",
        (CollectiveKind.Broadcast, (byte)BroadcastAlgorithm.BinomialTree) => "binomial",
        (CollectiveKind.Broadcast, (byte)BroadcastAlgorithm.ScatterAllgather) => "scatter_allgather",
        (CollectiveKind.Reduce, (byte)ReduceAlgorithm.BinomialTree) => "binomial",
        (CollectiveKind.Reduce, (byte)ReduceAlgorithm.Rabenseifner) => "rabenseifner",
        (CollectiveKind.Allreduce, (byte)AllreduceAlgorithm.RecursiveDoubling) => "recursive_doubling",
        (CollectiveKind.Allreduce, (byte)AllreduceAlgorithm.Rabenseifner) => "rabenseifner",
        (CollectiveKind.Allreduce, (byte)AllreduceAlgorithm.Ring) => "ring",
        (CollectiveKind.Allreduce, (byte)AllreduceAlgorithm.SharedMemoryFlat) => "shm_flat",
        (CollectiveKind.Allreduce, (byte)AllreduceAlgorithm.SharedMemoryReduceScatter) => "shm_reduce_scatter",
        (CollectiveKind.Reduce, (byte)ReduceAlgorithm.SharedMemoryFlat) => "shm_flat",
        (CollectiveKind.Reduce, (byte)ReduceAlgorithm.SharedMemoryReduceScatter) => "shm_reduce_scatter",
        (CollectiveKind.Broadcast, (byte)BroadcastAlgorithm.SharedMemory) => "shm",
        (CollectiveKind.Barrier, (byte)BarrierAlgorithm.SharedMemory) => "shm",
        _ => "unknown",
    };

    /// <summary>Whether <paramref name="algorithm"/> works on shared-memory windows (and so needs a communicator on one segment).</summary>
    public static bool IsSharedMemory(CollectiveKind kind, byte algorithm) => (kind, algorithm) switch
    {
        (CollectiveKind.Allreduce, (byte)AllreduceAlgorithm.SharedMemoryFlat or (byte)AllreduceAlgorithm.SharedMemoryReduceScatter) => true,
        (CollectiveKind.Reduce, (byte)ReduceAlgorithm.SharedMemoryFlat or (byte)ReduceAlgorithm.SharedMemoryReduceScatter) => true,
        (CollectiveKind.Broadcast, (byte)BroadcastAlgorithm.SharedMemory) => true,
        (CollectiveKind.Barrier, (byte)BarrierAlgorithm.SharedMemory) => true,
        _ => false,
    };
}
