using Collectives.Tests.Support;

namespace Collectives.ProcessWorker;

/// <summary>
/// A representative subset of the correctness suite, run over whatever transport the launcher
/// gave: every algorithm the communicator offers of Allreduce, Reduce, Broadcast, ReduceScatter,
/// Allgather, Gather, Scatter and Alltoall, several element types and operations, counts from 0
/// to above the segment size (and one of 70,000 elements, over a thousand segments), and every rank as root. Every rank computes all ranks' inputs
/// itself (they are a pure function of rank and index), so each checks its own result.
/// </summary>
internal static class MatrixSubset
{
    private static readonly int[] Counts = [0, 1, 7, 65, 1000, 5000];

    /// <summary>The largest count: 70,000 four-byte elements, 1,094 segments of 256 bytes.</summary>
    private const int Large = 70_000;

    public static async Task<int> RunAsync(Communicator comm)
    {
        // Every algorithm the communicator offers runs: over shared memory the message-passing ones
        // through the rings and the shared-memory ones in the windows, across hosts the node-aware
        // ones too. Offload has its own tests (Collectives.Offload.Tests).
        AllreduceAlgorithm[] allreduces = Offered<AllreduceAlgorithm>(comm, CollectiveKind.Allreduce);
        ReduceAlgorithm[] reduces = Offered<ReduceAlgorithm>(comm, CollectiveKind.Reduce);
        BroadcastAlgorithm[] broadcasts = Offered<BroadcastAlgorithm>(comm, CollectiveKind.Broadcast);
        ReduceScatterAlgorithm[] reduceScatters = Offered<ReduceScatterAlgorithm>(comm, CollectiveKind.ReduceScatter);
        AllgatherAlgorithm[] allgathers = Offered<AllgatherAlgorithm>(comm, CollectiveKind.Allgather);
        GatherAlgorithm[] gathers = Offered<GatherAlgorithm>(comm, CollectiveKind.Gather);
        ScatterAlgorithm[] scatters = Offered<ScatterAlgorithm>(comm, CollectiveKind.Scatter);
        AlltoallAlgorithm[] alltoalls = Offered<AlltoallAlgorithm>(comm, CollectiveKind.Alltoall);
        int cases = 0;
        foreach (int count in Counts)
        {
            foreach (AllreduceAlgorithm algorithm in allreduces)
            {
                cases += Allreduce<float>(comm, ReduceOp.Sum, count, algorithm);
                cases += Allreduce<int>(comm, ReduceOp.Sum, count, algorithm);
                cases += Allreduce<long>(comm, ReduceOp.BitwiseXor, count, algorithm);
                cases += Allreduce<ValueIndex<double>>(comm, ReduceOp.MaxLoc, count, algorithm);
                cases += await AllreduceAsync<double>(comm, ReduceOp.Max, count, algorithm);
            }

            for (int root = 0; root < comm.Size; root++)
            {
                foreach (ReduceAlgorithm algorithm in reduces)
                {
                    cases += Reduce<float>(comm, ReduceOp.Sum, count, root, algorithm);
                    cases += Reduce<uint>(comm, ReduceOp.Min, count, root, algorithm);
                }

                foreach (BroadcastAlgorithm algorithm in broadcasts)
                {
                    cases += Broadcast<ulong>(comm, count, root, algorithm);
                }

                foreach (GatherAlgorithm algorithm in gathers)
                {
                    cases += Gather<long>(comm, count, root, algorithm);
                }

                foreach (ScatterAlgorithm algorithm in scatters)
                {
                    cases += Scatter<double>(comm, count, root, algorithm);
                }
            }

            foreach (AllgatherAlgorithm algorithm in allgathers)
            {
                cases += Allgather<int>(comm, count, algorithm);
            }

            foreach (AlltoallAlgorithm algorithm in alltoalls)
            {
                cases += Alltoall<float>(comm, count, algorithm);
            }

            foreach (ReduceScatterAlgorithm algorithm in reduceScatters)
            {
                cases += ReduceScatter<float>(comm, ReduceOp.Sum, count, algorithm);
                cases += await ReduceScatterInPlaceAsync<ulong>(comm, ReduceOp.BitwiseOr, count, algorithm);
            }

            comm.Barrier();
            cases++;
        }

        foreach (AllreduceAlgorithm algorithm in allreduces)
        {
            cases += Allreduce<float>(comm, ReduceOp.Sum, Large, algorithm);
        }

        foreach (int root in new[] { 0, comm.Size - 1 }.Distinct())
        {
            foreach (ReduceAlgorithm algorithm in reduces)
            {
                cases += Reduce<int>(comm, ReduceOp.Sum, Large, root, algorithm);
            }

            foreach (BroadcastAlgorithm algorithm in broadcasts)
            {
                cases += Broadcast<float>(comm, Large, root, algorithm);
            }
        }

        return cases;
    }

    private static TAlgorithm[] Offered<TAlgorithm>(Communicator comm, CollectiveKind kind)
        where TAlgorithm : struct, Enum
        => [.. Enum.GetValues<TAlgorithm>().Where(algorithm =>
        {
            byte value = Convert.ToByte(algorithm, System.Globalization.CultureInfo.InvariantCulture);
            return value != 0 && comm.Offers(kind, value) && Catalog.AlgorithmCatalog.Find(kind, value)!.Model != Catalog.ExecutionModel.Offload;
        })];

    private static int Allreduce<T>(Communicator comm, ReduceOp op, int count, AllreduceAlgorithm algorithm)
        where T : unmanaged
    {
        T[] buffer = ReductionInputs.For<T>(op, comm.Rank, comm.Size, count);
        comm.Allreduce(buffer.AsSpan(), op, algorithm);
        Check(comm, $"Allreduce {algorithm} {op} {typeof(T).Name} x {count}", Expected<T>(comm, op, count), buffer, tolerance: typeof(T) == typeof(float) ? 1e-4 : 0);
        return 1;
    }

    private static async Task<int> AllreduceAsync<T>(Communicator comm, ReduceOp op, int count, AllreduceAlgorithm algorithm)
        where T : unmanaged
    {
        T[] send = ReductionInputs.For<T>(op, comm.Rank, comm.Size, count);
        T[] receive = new T[count];
        await comm.AllreduceAsync<T>(send, receive, op, algorithm);
        Check(comm, $"AllreduceAsync {algorithm} {op} {typeof(T).Name} x {count}", Expected<T>(comm, op, count), receive, tolerance: 0);
        return 1;
    }

    private static int Reduce<T>(Communicator comm, ReduceOp op, int count, int root, ReduceAlgorithm algorithm)
        where T : unmanaged
    {
        T[] send = ReductionInputs.For<T>(op, comm.Rank, comm.Size, count);
        T[] receive = new T[comm.Rank == root ? count : 0];
        comm.Reduce<T>(send, receive, op, root, algorithm);
        if (comm.Rank == root)
        {
            Check(comm, $"Reduce {algorithm} {op} {typeof(T).Name} x {count} root {root}", Expected<T>(comm, op, count), receive, tolerance: typeof(T) == typeof(float) ? 1e-4 : 0);
        }

        return 1;
    }

    private static int Broadcast<T>(Communicator comm, int count, int root, BroadcastAlgorithm algorithm)
        where T : unmanaged
    {
        T[] expected = ReductionInputs.Arbitrary<T>(root, count);
        T[] buffer = comm.Rank == root ? [.. expected] : new T[count];
        comm.Broadcast(buffer.AsSpan(), root, algorithm);
        Check(comm, $"Broadcast {algorithm} {typeof(T).Name} x {count} root {root}", expected, buffer, tolerance: 0);
        return 1;
    }

    /// <summary>An out-of-place Allgather of <paramref name="count"/> elements per rank: every rank's block in rank order.</summary>
    private static int Allgather<T>(Communicator comm, int count, AllgatherAlgorithm algorithm)
        where T : unmanaged
    {
        T[] receive = new T[count * comm.Size];
        comm.Allgather<T>(ReductionInputs.Arbitrary<T>(comm.Rank, count), receive, algorithm);
        Check(comm, $"Allgather {algorithm} {typeof(T).Name} x {count}", EveryRanksBlock<T>(comm, rank => ReductionInputs.Arbitrary<T>(rank, count)), receive, tolerance: 0);
        return 1;
    }

    /// <summary>An out-of-place Gather: at the root, every rank's block in rank order.</summary>
    private static int Gather<T>(Communicator comm, int count, int root, GatherAlgorithm algorithm)
        where T : unmanaged
    {
        T[] receive = new T[comm.Rank == root ? count * comm.Size : 0];
        comm.Gather<T>(ReductionInputs.Arbitrary<T>(comm.Rank, count), receive, root, algorithm);
        if (comm.Rank == root)
        {
            Check(comm, $"Gather {algorithm} {typeof(T).Name} x {count} root {root}", EveryRanksBlock<T>(comm, rank => ReductionInputs.Arbitrary<T>(rank, count)), receive, tolerance: 0);
        }

        return 1;
    }

    /// <summary>An out-of-place Scatter: every rank gets its block of the root's buffer.</summary>
    private static int Scatter<T>(Communicator comm, int count, int root, ScatterAlgorithm algorithm)
        where T : unmanaged
    {
        T[] source = ReductionInputs.Arbitrary<T>(root, count * comm.Size);
        T[] receive = new T[count];
        comm.Scatter<T>(comm.Rank == root ? source : [], receive, root, algorithm);
        Check(comm, $"Scatter {algorithm} {typeof(T).Name} x {count} root {root}", source[(comm.Rank * count)..((comm.Rank + 1) * count)], receive, tolerance: 0);
        return 1;
    }

    /// <summary>An out-of-place Alltoall of <paramref name="count"/> elements per pair: block i from rank i's block for this rank.</summary>
    private static int Alltoall<T>(Communicator comm, int count, AlltoallAlgorithm algorithm)
        where T : unmanaged
    {
        int size = comm.Size;
        T[] receive = new T[count * size];
        comm.Alltoall<T>(ReductionInputs.Arbitrary<T>(comm.Rank, count * size), receive, algorithm);
        Check(comm, $"Alltoall {algorithm} {typeof(T).Name} x {count}", EveryRanksBlock<T>(comm, rank => ReductionInputs.Arbitrary<T>(rank, count * size)[(comm.Rank * count)..((comm.Rank + 1) * count)]), receive, tolerance: 0);
        return 1;
    }

    /// <summary>Every rank's block, as <paramref name="blockOf"/> gives it, one after another in rank order.</summary>
    private static T[] EveryRanksBlock<T>(Communicator comm, Func<int, T[]> blockOf)
        => [.. Enumerable.Range(0, comm.Size).SelectMany(blockOf)];

    /// <summary>An out-of-place ReduceScatter of <paramref name="count"/> elements per block: this rank's block of the reference.</summary>
    private static int ReduceScatter<T>(Communicator comm, ReduceOp op, int count, ReduceScatterAlgorithm algorithm)
        where T : unmanaged
    {
        T[] send = ReductionInputs.For<T>(op, comm.Rank, comm.Size, count * comm.Size);
        T[] receive = new T[count];
        comm.ReduceScatter<T>(send, receive, op, algorithm);
        Check(comm, $"ReduceScatter {algorithm} {op} {typeof(T).Name} x {count}", Expected<T>(comm, op, count * comm.Size)[(comm.Rank * count)..((comm.Rank + 1) * count)], receive, tolerance: typeof(T) == typeof(float) ? 1e-4 : 0);
        return 1;
    }

    /// <summary>An in-place, asynchronous ReduceScatter: the result over this rank's block, the other blocks as they were.</summary>
    private static async Task<int> ReduceScatterInPlaceAsync<T>(Communicator comm, ReduceOp op, int count, ReduceScatterAlgorithm algorithm)
        where T : unmanaged
    {
        T[] input = ReductionInputs.For<T>(op, comm.Rank, comm.Size, count * comm.Size);
        T[] buffer = [.. input];
        await comm.ReduceScatterAsync(buffer.AsMemory(), op, algorithm);
        Range own = (comm.Rank * count)..((comm.Rank + 1) * count);
        T[] expected = [.. input];
        Expected<T>(comm, op, count * comm.Size)[own].CopyTo(expected, own.Start.Value);
        Check(comm, $"ReduceScatterAsync in place {algorithm} {op} {typeof(T).Name} x {count}", expected, buffer, tolerance: 0);
        return 1;
    }

    private static T[] Expected<T>(Communicator comm, ReduceOp op, int count)
        where T : unmanaged
        => Reference.Reduce(op, [.. Enumerable.Range(0, comm.Size).Select(rank => ReductionInputs.For<T>(op, rank, comm.Size, count))]);

    private static void Check<T>(Communicator comm, string what, T[] expected, T[] actual, double tolerance)
        where T : unmanaged
    {
        if (tolerance == 0 || typeof(T) != typeof(float))
        {
            // Element equality rather than bytes: ValueIndex<double> has padding that carries no data.
            if (!expected.SequenceEqual(actual))
            {
                throw new InvalidDataException($"{what}: rank {comm.Rank} got a result that differs from the sequential reference.");
            }

            return;
        }

        float[] want = (float[])(object)expected;
        float[] got = (float[])(object)actual;
        for (int i = 0; i < want.Length; i++)
        {
            if (Math.Abs(want[i] - got[i]) > tolerance * Math.Max(1, Math.Abs(want[i])))
            {
                throw new InvalidDataException($"{what}: rank {comm.Rank} element {i} is {got[i]}, expected {want[i]}.");
            }
        }
    }
}
