using Collectives.Tests.Support;

namespace Collectives.Tests.Correctness;

/// <summary>
/// Checks what a <see cref="CollectiveCase"/> did to every rank's buffers against the contract:
/// results against the sequential <see cref="Reference"/>, every Allreduce rank bitwise equal to
/// rank 0, broadcasts bitwise equal to the root's data, allgathers bitwise equal to every rank's
/// input laid end to end in rank order, each reduce-scatter rank's block against its block of the
/// reference, and buffers the call must not modify unmodified.
/// </summary>
internal static class CaseVerifier
{
    /// <summary>
    /// Relative tolerance of float Sum and Prod. The library combines in a tree or ring order, the
    /// reference in rank order; rounding then differs by at most about (p - 1) ulps, which is
    /// 13 * 2^-24 ~ 8e-7 for 13 ranks, since the inputs are positive (no cancellation). 1e-5 leaves
    /// room and still fails a missing or doubled contribution (each one is at least 1/40 of the sum).
    /// </summary>
    public const double FloatTolerance = 1e-5;

    /// <summary>The same reasoning for double: (p - 1) * 2^-53 ~ 1.4e-15 for 13 ranks.</summary>
    public const double DoubleTolerance = 1e-12;

    public static void Verify<T>(CollectiveCase testCase, IReadOnlyList<T[]> inputs, IReadOnlyList<RankBuffers<T>> ranks)
        where T : unmanaged
    {
        using (Assert.EnterMultipleScope())
        {
            switch (testCase.Kind)
            {
                case CollectiveKind.Allreduce:
                    VerifyAllreduce(testCase, inputs, ranks);
                    break;
                case CollectiveKind.Reduce:
                    VerifyReduce(testCase, inputs, ranks);
                    break;
                case CollectiveKind.Allgather:
                    VerifyAllgather(inputs, ranks);
                    break;
                case CollectiveKind.ReduceScatter:
                    VerifyReduceScatter(testCase, inputs, ranks);
                    break;
                case CollectiveKind.Gather:
                    VerifyGather(testCase, inputs, ranks);
                    break;
                case CollectiveKind.Scatter:
                    VerifyScatter(testCase, inputs, ranks);
                    break;
                case CollectiveKind.Alltoall:
                    VerifyAlltoall(testCase, inputs, ranks);
                    break;
                default:
                    VerifyBroadcast(testCase, inputs, ranks);
                    break;
            }
        }
    }

    private static void VerifyAllreduce<T>(CollectiveCase testCase, IReadOnlyList<T[]> inputs, IReadOnlyList<RankBuffers<T>> ranks)
        where T : unmanaged
    {
        T[] expected = Reference.Reduce(testCase.Op, inputs);
        for (int rank = 0; rank < ranks.Count; rank++)
        {
            RankBuffers<T> buffers = ranks[rank];
            ExpectResult(testCase, buffers.Receive, expected, $"rank {rank}'s result against the sequential reference");
            if (rank > 0)
            {
                ExpectBits(buffers.Receive, ranks[0].Receive, $"rank {rank}'s result against rank 0's, bit for bit");
            }

            if (!buffers.InPlace)
            {
                ExpectBits(buffers.Send, buffers.Input, $"rank {rank}'s send buffer, which must not be modified");
            }
        }
    }

    private static void VerifyReduce<T>(CollectiveCase testCase, IReadOnlyList<T[]> inputs, IReadOnlyList<RankBuffers<T>> ranks)
        where T : unmanaged
    {
        T[] expected = Reference.Reduce(testCase.Op, inputs);
        for (int rank = 0; rank < ranks.Count; rank++)
        {
            RankBuffers<T> buffers = ranks[rank];
            if (rank == testCase.Root)
            {
                ExpectResult(testCase, buffers.Receive, expected, $"root {rank}'s result against the sequential reference");
            }
            else
            {
                ExpectNonRootLeftAlone(buffers, rank);
            }

            if (!buffers.InPlace)
            {
                ExpectBits(buffers.Send, buffers.Input, $"rank {rank}'s send buffer, which must not be modified");
            }
        }
    }

    private static void VerifyBroadcast<T>(CollectiveCase testCase, IReadOnlyList<T[]> inputs, IReadOnlyList<RankBuffers<T>> ranks)
        where T : unmanaged
    {
        for (int rank = 0; rank < ranks.Count; rank++)
        {
            ExpectBits(ranks[rank].Receive, inputs[testCase.Root], $"rank {rank}'s buffer against root {testCase.Root}'s data, bit for bit");
        }
    }

    private static void VerifyAllgather<T>(IReadOnlyList<T[]> inputs, IReadOnlyList<RankBuffers<T>> ranks)
        where T : unmanaged
    {
        T[] expected = [.. inputs.SelectMany(input => input)];
        for (int rank = 0; rank < ranks.Count; rank++)
        {
            RankBuffers<T> buffers = ranks[rank];
            ExpectBits(buffers.Receive, expected, $"rank {rank}'s blocks against every rank's input in rank order, bit for bit");
            if (!buffers.InPlace)
            {
                ExpectBits(buffers.Send, buffers.Input, $"rank {rank}'s send buffer, which must not be modified");
            }
        }
    }

    /// <summary>
    /// Rank r's result against block r of the sequential reduction of every rank's whole input; in
    /// place, the other blocks of its buffer left as they were; out of place, its send buffer unmodified.
    /// </summary>
    private static void VerifyReduceScatter<T>(CollectiveCase testCase, IReadOnlyList<T[]> inputs, IReadOnlyList<RankBuffers<T>> ranks)
        where T : unmanaged
    {
        T[] reduced = Reference.Reduce(testCase.Op, inputs);
        int block = testCase.Count;
        for (int rank = 0; rank < ranks.Count; rank++)
        {
            RankBuffers<T> buffers = ranks[rank];
            Range own = (rank * block)..((rank + 1) * block);
            T[] result = buffers.InPlace ? buffers.Receive[own] : buffers.Receive;
            ExpectResult(testCase, result, reduced[own], $"rank {rank}'s block against block {rank} of the sequential reference");
            if (buffers.InPlace)
            {
                ExpectBits([.. buffers.Receive[..own.Start], .. buffers.Receive[own.End..]], [.. buffers.Input[..own.Start], .. buffers.Input[own.End..]], $"rank {rank}'s other blocks, which an in-place call must leave as they were");
            }
            else
            {
                ExpectBits(buffers.Send, buffers.Input, $"rank {rank}'s send buffer, which must not be modified");
            }
        }
    }

    private static void VerifyGather<T>(CollectiveCase testCase, IReadOnlyList<T[]> inputs, IReadOnlyList<RankBuffers<T>> ranks)
        where T : unmanaged
    {
        T[] expected = BlockReference.Gather(inputs);
        for (int rank = 0; rank < ranks.Count; rank++)
        {
            RankBuffers<T> buffers = ranks[rank];
            if (rank == testCase.Root)
            {
                ExpectBits(buffers.Receive, expected, $"root {rank}'s blocks against every rank's input in rank order, bit for bit");
            }
            else
            {
                ExpectNonRootLeftAlone(buffers, rank);
            }

            if (!buffers.InPlace)
            {
                ExpectBits(buffers.Send, buffers.Input, $"rank {rank}'s send buffer, which must not be modified");
            }
        }
    }

    private static void VerifyScatter<T>(CollectiveCase testCase, IReadOnlyList<T[]> inputs, IReadOnlyList<RankBuffers<T>> ranks)
        where T : unmanaged
    {
        int[] counts = [.. Enumerable.Repeat(testCase.Count, testCase.Ranks)];
        for (int rank = 0; rank < ranks.Count; rank++)
        {
            RankBuffers<T> buffers = ranks[rank];
            T[] expected = BlockReference.Scatter(inputs[testCase.Root], counts, rank);
            if (rank == testCase.Root && buffers.InPlace)
            {
                ExpectBits(buffers.Receive, buffers.Input, $"root {rank}'s in-place blocks, which are sent and must be left unchanged");
                continue;
            }

            ExpectBits(buffers.Receive, expected, $"rank {rank}'s block against block {rank} of root {testCase.Root}'s data, bit for bit");
            if (!buffers.InPlace && buffers.Send.Length > 0)
            {
                ExpectBits(buffers.Send, buffers.Input, $"rank {rank}'s send buffer, which must not be modified (and is ignored off the root)");
            }
        }
    }

    private static void VerifyAlltoall<T>(CollectiveCase testCase, IReadOnlyList<T[]> inputs, IReadOnlyList<RankBuffers<T>> ranks)
        where T : unmanaged
    {
        int[][] counts = [.. Enumerable.Range(0, testCase.Ranks).Select(_ => Enumerable.Repeat(testCase.Count, testCase.Ranks).ToArray())];
        for (int rank = 0; rank < ranks.Count; rank++)
        {
            RankBuffers<T> buffers = ranks[rank];
            ExpectBits(buffers.Receive, BlockReference.Alltoall(inputs, counts, rank), $"rank {rank}'s blocks against every rank's block for it in rank order, bit for bit");
            if (!buffers.InPlace)
            {
                ExpectBits(buffers.Send, buffers.Input, $"rank {rank}'s send buffer, which must not be modified");
            }
        }
    }

    /// <summary>A non-root rank of a reduce or gather: its in-place buffer unchanged, its ignored receive buffer (if any) untouched.</summary>
    private static void ExpectNonRootLeftAlone<T>(RankBuffers<T> buffers, int rank)
        where T : unmanaged
    {
        if (buffers.InPlace)
        {
            ExpectBits(buffers.Receive, buffers.Input, $"non-root rank {rank}'s in-place buffer, which must be left unchanged");
        }
        else if (buffers.Receive.Length > 0)
        {
            ExpectBits(buffers.Receive, RankBuffers<T>.Sentinel(buffers.Receive.Length), $"non-root rank {rank}'s receive buffer, which is ignored and must stay untouched");
        }
    }

    /// <summary>Floating Sum and Prod round differently in another order: within tolerance. Everything else is exact.</summary>
    private static void ExpectResult<T>(CollectiveCase testCase, T[] actual, T[] expected, string what)
        where T : unmanaged
    {
        bool floating = typeof(T) == typeof(float) || typeof(T) == typeof(double);
        if (!floating || testCase.Op is not (ReduceOp.Sum or ReduceOp.Prod))
        {
            ExpectBits(actual, expected, what);
            return;
        }

        double tolerance = typeof(T) == typeof(float) ? FloatTolerance : DoubleTolerance;
        Assert.That(ElementComparison.ToleranceDifferences(actual, expected, tolerance), Is.Empty, $"{what}, within a relative {tolerance:G2}");
    }

    private static void ExpectBits<T>(T[] actual, T[] expected, string what)
        where T : unmanaged
        => Assert.That(ElementComparison.BitDifferences(actual, expected), Is.Empty, what);
}
