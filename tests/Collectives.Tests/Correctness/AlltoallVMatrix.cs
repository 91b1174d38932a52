using Collectives.Tests.Support;

namespace Collectives.Tests.Correctness;

/// <summary>
/// AlltoallV's part of the matrix: every alltoall algorithm that takes per-pair counts on every
/// rank count of the heart, with every <see cref="CountSpread"/> (odd rank counts through the
/// asynchronous API), checked against <see cref="BlockReference.Alltoall"/>.
/// </summary>
internal static class AlltoallVMatrix
{
    /// <summary>The message algorithms, every spread (in-process).</summary>
    public static IEnumerable<TestCaseData> Cases() => Named(Generate(CollectiveAlgorithm.All, Enum.GetValues<CountSpread>()));

    /// <summary>The message algorithms over TCP, on the spreads that move data across segments.</summary>
    public static IEnumerable<TestCaseData> TcpCases() => Named(Generate(CollectiveAlgorithm.All, [CountSpread.Uneven, CountSpread.SomeEmpty, CountSpread.Large]));

    /// <summary>The shared-memory window algorithm, every spread.</summary>
    public static IEnumerable<TestCaseData> SharedMemoryCases() => Named(Generate(CollectiveAlgorithm.SharedMemory, Enum.GetValues<CountSpread>()));

    public static async Task RunAndVerifyAsync(AlltoallVCase testCase, TestTransport transport = TestTransport.InProcess)
    {
        int ranks = testCase.Ranks;
        int[][] sendCounts = [.. Enumerable.Range(0, ranks).Select(testCase.SendCounts)];
        int[][] inputs = [.. Enumerable.Range(0, ranks).Select(rank => InputOf(rank, sendCounts[rank].Sum()))];
        int[][] sends = [.. inputs.Select(input => (int[])input.Clone())];
        int[][] receives = [.. Enumerable.Range(0, ranks).Select(rank => RankBuffers<int>.Sentinel(testCase.ReceiveCounts(rank).Sum()))];
        var options = new CommunicatorOptions { SegmentSize = HeartMatrix.SmallSegmentSize, Timeout = CaseRunner.CallTimeout };

        await LocalJob.RunAsync(ranks, options, async communicator =>
        {
            int rank = communicator.Rank;
            int[] receiveCounts = testCase.ReceiveCounts(rank);
            if (testCase.Api == ApiStyle.Async)
            {
                await communicator.AlltoallVAsync<int>(sends[rank], sendCounts[rank], receives[rank], receiveCounts, testCase.Algorithm);
            }
            else
            {
                communicator.AlltoallV<int>(sends[rank], sendCounts[rank], receives[rank], receiveCounts, testCase.Algorithm);
            }
        }, transport);

        using (Assert.EnterMultipleScope())
        {
            for (int rank = 0; rank < ranks; rank++)
            {
                Assert.That(receives[rank], Is.EqualTo(BlockReference.Alltoall(inputs, sendCounts, rank)), $"rank {rank}'s blocks against every rank's block for it in rank order");
                Assert.That(sends[rank], Is.EqualTo(inputs[rank]), $"rank {rank}'s send buffer, which must not be modified");
            }
        }
    }

    // Bruck forwards other ranks' blocks and so needs them all of one size: it does not run AlltoallV.
    private static IEnumerable<AlltoallVCase> Generate(IReadOnlyList<CollectiveAlgorithm> algorithms, IReadOnlyList<CountSpread> spreads) =>
        from algorithm in algorithms.Where(algorithm => algorithm.Kind == CollectiveKind.Alltoall && algorithm.Alltoall != AlltoallAlgorithm.Bruck)
        from ranks in HeartMatrix.RankCounts
        from spread in spreads
        select new AlltoallVCase(algorithm.Alltoall, ranks, spread, ranks % 2 == 0 ? ApiStyle.Blocking : ApiStyle.Async);

    private static IEnumerable<TestCaseData> Named(IEnumerable<AlltoallVCase> cases) => cases.Select(testCase => new TestCaseData(testCase).SetName(testCase.ToString()));

    /// <summary>Rank r's data: values no other rank's data has.</summary>
    private static int[] InputOf(int rank, int count) => [.. Enumerable.Range(0, count).Select(i => (rank * 1_000_000) + i)];
}
