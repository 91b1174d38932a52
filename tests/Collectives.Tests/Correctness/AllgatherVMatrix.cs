using Collectives.Tests.Support;

namespace Collectives.Tests.Correctness;

/// <summary>
/// AllgatherV's part of the matrix: every allgather algorithm on every rank count of the heart,
/// with every <see cref="CountSpread"/>, in place and out of place (odd rank counts through the
/// asynchronous API), checked against the inputs laid end to end in rank order.
/// </summary>
internal static class AllgatherVMatrix
{
    /// <summary>The message algorithms, every spread (in-process).</summary>
    public static IEnumerable<TestCaseData> Cases() => Named(Generate(ExecutionKind.Messages, Enum.GetValues<CountSpread>()));

    /// <summary>The message algorithms over TCP, on the spreads that move data across segments.</summary>
    public static IEnumerable<TestCaseData> TcpCases() => Named(Generate(ExecutionKind.Messages, [CountSpread.Uneven, CountSpread.SomeEmpty, CountSpread.Large]));

    /// <summary>The shared-memory window algorithm, every spread.</summary>
    public static IEnumerable<TestCaseData> SharedMemoryCases() => Named(Generate(ExecutionKind.Windows, Enum.GetValues<CountSpread>()));

    public static async Task RunAndVerifyAsync(AllgatherVCase testCase, TestTransport transport = TestTransport.InProcess)
    {
        int ranks = testCase.Ranks;
        int[] counts = testCase.Counts();
        int[][] inputs = [.. Enumerable.Range(0, ranks).Select(rank => InputOf(rank, counts[rank]))];
        int[] expected = [.. inputs.SelectMany(input => input)];
        int[][] sends = [.. inputs.Select(input => (int[])input.Clone())];
        int[][] receives = [.. Enumerable.Range(0, ranks).Select(_ => RankBuffers<int>.Sentinel(expected.Length))];
        var options = new CommunicatorOptions { SegmentSize = HeartMatrix.SmallSegmentSize, Timeout = CaseRunner.CallTimeout };

        await LocalJob.RunAsync(ranks, options, communicator => CallAsync(testCase, communicator, counts, inputs, sends, receives[communicator.Rank]), transport);

        using (Assert.EnterMultipleScope())
        {
            for (int rank = 0; rank < ranks; rank++)
            {
                Assert.That(receives[rank], Is.EqualTo(expected), $"rank {rank}'s blocks against every rank's input in rank order");
                Assert.That(sends[rank], Is.EqualTo(inputs[rank]), $"rank {rank}'s send buffer, which must not be modified");
            }
        }
    }

    private static async Task CallAsync(AllgatherVCase testCase, Communicator communicator, int[] counts, int[][] inputs, int[][] sends, int[] receive)
    {
        int rank = communicator.Rank;
        AllgatherAlgorithm algorithm = testCase.Algorithm;
        if (testCase.Placement == Placement.InPlace)
        {
            inputs[rank].CopyTo(receive, counts.Take(rank).Sum());
        }

        switch (testCase.Placement, testCase.Api)
        {
            case (Placement.InPlace, ApiStyle.Blocking):
                communicator.AllgatherV(receive.AsSpan(), counts, algorithm);
                break;
            case (Placement.InPlace, ApiStyle.Async):
                await communicator.AllgatherVAsync(receive.AsMemory(), counts, algorithm);
                break;
            case (Placement.OutOfPlace, ApiStyle.Blocking):
                communicator.AllgatherV<int>(sends[rank], receive, counts, algorithm);
                break;
            default:
                await communicator.AllgatherVAsync<int>(sends[rank], receive, counts, algorithm);
                break;
        }
    }

    private enum ExecutionKind
    {
        Messages,
        Windows,
    }

    private static IEnumerable<AllgatherVCase> Generate(ExecutionKind kind, IReadOnlyList<CountSpread> spreads) =>
        from algorithm in (kind == ExecutionKind.Messages ? CollectiveAlgorithm.All : CollectiveAlgorithm.SharedMemory).Where(algorithm => algorithm.Kind == CollectiveKind.Allgather)
        from ranks in HeartMatrix.RankCounts
        from spread in spreads
        from placement in Enum.GetValues<Placement>()
        select new AllgatherVCase(algorithm.Allgather, ranks, spread, placement, ranks % 2 == 0 ? ApiStyle.Blocking : ApiStyle.Async);

    private static IEnumerable<TestCaseData> Named(IEnumerable<AllgatherVCase> cases) => cases.Select(testCase => new TestCaseData(testCase).SetName(testCase.ToString()));

    /// <summary>Rank r's block: values no other rank's block has.</summary>
    private static int[] InputOf(int rank, int count) => [.. Enumerable.Range(0, count).Select(i => (rank * 1_000_000) + i)];
}
