using Collectives.Tests.Support;

namespace Collectives.Tests.Correctness;

/// <summary>
/// GatherV's and ScatterV's part of the matrix: every gather and scatter algorithm on every rank
/// count of the heart, with every <see cref="CountSpread"/>, in place and out of place (odd rank
/// counts through the asynchronous API), at the first, middle and last root in turn, checked
/// against <see cref="BlockReference"/>.
/// </summary>
internal static class RootedVMatrix
{
    /// <summary>The message algorithms, every spread (in-process).</summary>
    public static IEnumerable<TestCaseData> Cases() => Named(Generate(CollectiveAlgorithm.All, Enum.GetValues<CountSpread>()));

    /// <summary>The message algorithms over TCP, on the spreads that move data across segments.</summary>
    public static IEnumerable<TestCaseData> TcpCases() => Named(Generate(CollectiveAlgorithm.All, [CountSpread.Uneven, CountSpread.SomeEmpty, CountSpread.Large]));

    /// <summary>The shared-memory window algorithms, every spread.</summary>
    public static IEnumerable<TestCaseData> SharedMemoryCases() => Named(Generate(CollectiveAlgorithm.SharedMemory, Enum.GetValues<CountSpread>()));

    public static async Task RunAndVerifyAsync(RootedVCase testCase, TestTransport transport = TestTransport.InProcess)
    {
        int ranks = testCase.Ranks;
        int root = testCase.Root;
        int[] counts = testCase.Counts();
        int total = counts.Sum();
        bool gather = testCase.Algorithm.Kind == CollectiveKind.Gather;

        // Gather: rank r's block; scatter: the root's blocks (the others hold as much, never sent).
        int[][] inputs = [.. Enumerable.Range(0, ranks).Select(rank => InputOf(rank, gather ? counts[rank] : total))];
        int[][] sends = [.. inputs.Select(input => (int[])input.Clone())];
        int[][] receives = [.. Enumerable.Range(0, ranks).Select(rank => RankBuffers<int>.Sentinel(gather ? (rank == root ? total : 0) : counts[rank]))];
        var options = new CommunicatorOptions { SegmentSize = HeartMatrix.SmallSegmentSize, Timeout = CaseRunner.CallTimeout };

        await LocalJob.RunAsync(ranks, options, communicator => CallAsync(testCase, communicator, counts, sends, receives), transport);

        using (Assert.EnterMultipleScope())
        {
            for (int rank = 0; rank < ranks; rank++)
            {
                if (gather)
                {
                    int[] result = testCase.Placement == Placement.InPlace && rank == root ? sends[rank] : receives[rank];
                    if (rank == root)
                    {
                        Assert.That(result, Is.EqualTo(BlockReference.Gather(inputs)), $"root {rank}'s blocks against every rank's input in rank order");
                    }
                }
                else if (testCase.Placement == Placement.OutOfPlace || rank != root)
                {
                    // In place, the root's block stays where it is, in the buffer checked below.
                    int[] result = testCase.Placement == Placement.InPlace ? sends[rank] : receives[rank];
                    Assert.That(result, Is.EqualTo(BlockReference.Scatter(inputs[root], counts, rank)), $"rank {rank}'s block against its block of root {root}'s data");
                }

                if (testCase.Placement == Placement.OutOfPlace || (gather ? rank != root : rank == root))
                {
                    Assert.That(sends[rank], Is.EqualTo(inputs[rank]), $"rank {rank}'s send buffer, which must not be modified");
                }
            }
        }
    }

    /// <summary>
    /// In place, each rank hands over one buffer (<c>sends[rank]</c>): a gather's root its sentinel
    /// blocks with its own input placed in them, a scatter's others their sentinel block.
    /// </summary>
    private static async Task CallAsync(RootedVCase testCase, Communicator communicator, int[] counts, int[][] sends, int[][] receives)
    {
        int rank = communicator.Rank;
        int root = testCase.Root;
        int[] send = sends[rank];
        int[] receive = receives[rank];
        bool async = testCase.Api == ApiStyle.Async;
        if (testCase.Algorithm.Kind == CollectiveKind.Gather)
        {
            GatherAlgorithm algorithm = testCase.Algorithm.Gather;
            if (testCase.Placement == Placement.InPlace)
            {
                if (rank == root)
                {
                    send.CopyTo(receive, counts.Take(rank).Sum());
                    sends[rank] = send = receive;
                }

                await (async ? communicator.GatherVAsync(send.AsMemory(), counts, root, algorithm) : Blocking(() => communicator.GatherV(send.AsSpan(), counts, root, algorithm)));
                return;
            }

            await (async ? communicator.GatherVAsync<int>(send, receive, counts, root, algorithm) : Blocking(() => communicator.GatherV<int>(send, receive, counts, root, algorithm)));
            return;
        }

        ScatterAlgorithm scatter = testCase.Algorithm.Scatter;
        if (testCase.Placement == Placement.InPlace)
        {
            if (rank != root)
            {
                sends[rank] = send = receive;
            }

            await (async ? communicator.ScatterVAsync(send.AsMemory(), counts, root, scatter) : Blocking(() => communicator.ScatterV(send.AsSpan(), counts, root, scatter)));
            return;
        }

        await (async ? communicator.ScatterVAsync<int>(send, receive, counts, root, scatter) : Blocking(() => communicator.ScatterV<int>(send, receive, counts, root, scatter)));
    }

    private static ValueTask Blocking(Action call)
    {
        call();
        return ValueTask.CompletedTask;
    }

    private static IEnumerable<RootedVCase> Generate(IReadOnlyList<CollectiveAlgorithm> algorithms, IReadOnlyList<CountSpread> spreads) =>
        from algorithm in algorithms.Where(algorithm => algorithm.Kind is CollectiveKind.Gather or CollectiveKind.Scatter)
        from ranks in HeartMatrix.RankCounts
        from spread in spreads.Select((spread, index) => (spread, index))
        from placement in Enum.GetValues<Placement>()
        select new RootedVCase(algorithm, ranks, RootFor(ranks, spread.index), spread.spread, placement, ranks % 2 == 0 ? ApiStyle.Blocking : ApiStyle.Async);

    /// <summary>The first, middle and last root in turn over the spreads.</summary>
    private static int RootFor(int ranks, int spreadIndex) => (spreadIndex % 3) switch
    {
        0 => 0,
        1 => ranks / 2,
        _ => ranks - 1,
    };

    private static IEnumerable<TestCaseData> Named(IEnumerable<RootedVCase> cases) => cases.Select(testCase => new TestCaseData(testCase).SetName(testCase.ToString()));

    /// <summary>Rank r's data: values no other rank's data has.</summary>
    private static int[] InputOf(int rank, int count) => [.. Enumerable.Range(0, count).Select(i => (rank * 1_000_000) + i)];
}
