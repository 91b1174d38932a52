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
        _ => "unknown",
    };
}
