using Collectives.Reduction;

namespace Collectives.Tests.Faults;

/// <summary>
/// One collective call as a rank makes it, with the signature the library should attach to it,
/// so tests can check that a <see cref="CollectiveMismatchException"/> names what each rank really called.
/// Algorithms are always forced, so the expected signature does not depend on the selection table.
/// </summary>
public sealed record RankCall(string Description, CollectiveKind Kind, ReduceOp Op, byte DataType, long Count, int Root, byte Algorithm, Action<Communicator> Invoke)
{
    /// <summary>The signature of this call when it is the <paramref name="sequence"/>-th call on its communicator.</summary>
    public CollectiveSignature SignatureAt(ulong sequence) => new(sequence, Kind, Op, DataType, Count, Root, Algorithm);

    public static RankCall Allreduce<T>(int count, AllreduceAlgorithm algorithm = AllreduceAlgorithm.RecursiveDoubling)
        where T : unmanaged
        => new($"Allreduce<{typeof(T).Name}>({count})", CollectiveKind.Allreduce, ReduceOp.Sum, Code<T>(), count, -1, (byte)algorithm,
            communicator => communicator.Allreduce(new T[count].AsSpan(), ReduceOp.Sum, algorithm));

    public static RankCall Broadcast<T>(int count, int root, BroadcastAlgorithm algorithm = BroadcastAlgorithm.BinomialTree)
        where T : unmanaged
        => new($"Broadcast<{typeof(T).Name}>({count}, root {root})", CollectiveKind.Broadcast, 0, Code<T>(), count, root, (byte)algorithm,
            communicator => communicator.Broadcast(new T[count].AsSpan(), root, algorithm));

    public static RankCall Reduce<T>(int count, int root, ReduceAlgorithm algorithm = ReduceAlgorithm.BinomialTree)
        where T : unmanaged
        => new($"Reduce<{typeof(T).Name}>({count}, root {root})", CollectiveKind.Reduce, ReduceOp.Sum, Code<T>(), count, root, (byte)algorithm,
            communicator => communicator.Reduce(new T[count].AsSpan(), ReduceOp.Sum, root, algorithm));

    /// <summary>An out-of-place Allgather of <paramref name="count"/> elements per rank.</summary>
    public static RankCall Allgather<T>(int count, AllgatherAlgorithm algorithm = AllgatherAlgorithm.RecursiveDoubling)
        where T : unmanaged
        => new($"Allgather<{typeof(T).Name}>({count}, {algorithm})", CollectiveKind.Allgather, 0, Code<T>(), count, -1, (byte)algorithm,
            communicator => communicator.Allgather<T>(new T[count], new T[count * communicator.Size], algorithm));

    /// <summary>An out-of-place ReduceScatter (Sum) of <paramref name="count"/> elements per rank's block.</summary>
    public static RankCall ReduceScatter<T>(int count, ReduceScatterAlgorithm algorithm = ReduceScatterAlgorithm.RecursiveHalving)
        where T : unmanaged
        => new($"ReduceScatter<{typeof(T).Name}>({count}, {algorithm})", CollectiveKind.ReduceScatter, ReduceOp.Sum, Code<T>(), count, -1, (byte)algorithm,
            communicator => communicator.ReduceScatter<T>(new T[count * communicator.Size], new T[count], ReduceOp.Sum, algorithm));

    /// <summary>An out-of-place Gather of <paramref name="count"/> elements per rank to <paramref name="root"/>.</summary>
    public static RankCall Gather<T>(int count, int root, GatherAlgorithm algorithm = GatherAlgorithm.BinomialTree)
        where T : unmanaged
        => new($"Gather<{typeof(T).Name}>({count}, root {root}, {algorithm})", CollectiveKind.Gather, 0, Code<T>(), count, root, (byte)algorithm,
            communicator => communicator.Gather<T>(new T[count], new T[count * communicator.Size], root, algorithm));

    /// <summary>An out-of-place Scatter of <paramref name="count"/> elements per rank from <paramref name="root"/>.</summary>
    public static RankCall Scatter<T>(int count, int root, ScatterAlgorithm algorithm = ScatterAlgorithm.BinomialTree)
        where T : unmanaged
        => new($"Scatter<{typeof(T).Name}>({count}, root {root}, {algorithm})", CollectiveKind.Scatter, 0, Code<T>(), count, root, (byte)algorithm,
            communicator => communicator.Scatter<T>(new T[count * communicator.Size], new T[count], root, algorithm));

    /// <summary>An out-of-place Alltoall of <paramref name="count"/> elements per pair.</summary>
    public static RankCall Alltoall<T>(int count, AlltoallAlgorithm algorithm = AlltoallAlgorithm.Pairwise)
        where T : unmanaged
        => new($"Alltoall<{typeof(T).Name}>({count}, {algorithm})", CollectiveKind.Alltoall, 0, Code<T>(), count, -1, (byte)algorithm,
            communicator => communicator.Alltoall<T>(new T[count * communicator.Size], new T[count * communicator.Size], algorithm));

    public static RankCall Barrier()
        => new("Barrier", CollectiveKind.Barrier, 0, 0, 0, -1, (byte)BarrierAlgorithm.Dissemination, communicator => communicator.Barrier());

    public override string ToString() => Description;

    private static byte Code<T>()
        where T : unmanaged
        => global::Collectives.Reduction.DataType.Of<T>()?.Code ?? throw new ArgumentException($"{typeof(T).Name} is not a supported element type.");
}
