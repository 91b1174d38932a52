using Collectives.Tests.Support;

namespace Collectives.Tests.Correctness;

/// <summary>
/// ReduceScatterV's part of the matrix: every reduce-scatter algorithm on every rank count of the
/// heart, with every <see cref="CountSpread"/>, in place and out of place (odd rank counts through
/// the asynchronous API), each rank's block checked against its block of the sequential sum of
/// every rank's whole input (integers, so the sum is exact whatever the order).
/// </summary>
internal static class ReduceScatterVMatrix
{
    /// <summary>The message algorithms, every spread (in-process).</summary>
    public static IEnumerable<TestCaseData> Cases() => Named(Generate(CollectiveAlgorithm.All, Enum.GetValues<CountSpread>()));

    /// <summary>The message algorithms over TCP, on the spreads that move data across segments.</summary>
    public static IEnumerable<TestCaseData> TcpCases() => Named(Generate(CollectiveAlgorithm.All, [CountSpread.Uneven, CountSpread.SomeEmpty, CountSpread.Large]));

    /// <summary>The shared-memory window algorithm, every spread.</summary>
    public static IEnumerable<TestCaseData> SharedMemoryCases() => Named(Generate(CollectiveAlgorithm.SharedMemory, Enum.GetValues<CountSpread>()));

    public static async Task RunAndVerifyAsync(ReduceScatterVCase testCase, TestTransport transport = TestTransport.InProcess)
    {
        int ranks = testCase.Ranks;
        int[] counts = testCase.Counts();
        int total = counts.Sum();
        int[][] inputs = [.. Enumerable.Range(0, ranks).Select(rank => ReductionInputs.For<int>(ReduceOp.Sum, rank, ranks, total))];
        int[] reduced = Reference.Reduce(ReduceOp.Sum, inputs);
        Range[] blocks = [.. Enumerable.Range(0, ranks).Select(rank => counts.Take(rank).Sum()).Select((start, rank) => start..(start + counts[rank]))];
        int[][] sends = [.. inputs.Select(input => (int[])input.Clone())];
        int[][] receives = [.. Enumerable.Range(0, ranks).Select(rank => testCase.Placement == Placement.InPlace ? sends[rank] : RankBuffers<int>.Sentinel(counts[rank]))];
        var options = new CommunicatorOptions { SegmentSize = HeartMatrix.SmallSegmentSize, Timeout = CaseRunner.CallTimeout };

        await LocalJob.RunAsync(ranks, options, communicator => CallAsync(testCase, communicator, counts, sends[communicator.Rank], receives[communicator.Rank]), transport);

        using (Assert.EnterMultipleScope())
        {
            for (int rank = 0; rank < ranks; rank++)
            {
                Range own = blocks[rank];
                if (testCase.Placement == Placement.InPlace)
                {
                    Assert.That(sends[rank][own], Is.EqualTo(reduced[own]), $"rank {rank}'s block against block {rank} of the sequential sum");
                    Assert.That(sends[rank][..own.Start].Concat(sends[rank][own.End..]), Is.EqualTo(inputs[rank][..own.Start].Concat(inputs[rank][own.End..])), $"rank {rank}'s other blocks, which must be left as they were");
                }
                else
                {
                    Assert.That(receives[rank], Is.EqualTo(reduced[own]), $"rank {rank}'s result against block {rank} of the sequential sum");
                    Assert.That(sends[rank], Is.EqualTo(inputs[rank]), $"rank {rank}'s send buffer, which must not be modified");
                }
            }
        }
    }

    private static async Task CallAsync(ReduceScatterVCase testCase, Communicator communicator, int[] counts, int[] send, int[] receive)
    {
        ReduceScatterAlgorithm algorithm = testCase.Algorithm;
        switch (testCase.Placement, testCase.Api)
        {
            case (Placement.InPlace, ApiStyle.Blocking):
                communicator.ReduceScatterV(send.AsSpan(), counts, ReduceOp.Sum, algorithm);
                break;
            case (Placement.InPlace, ApiStyle.Async):
                await communicator.ReduceScatterVAsync(send.AsMemory(), counts, ReduceOp.Sum, algorithm);
                break;
            case (Placement.OutOfPlace, ApiStyle.Blocking):
                communicator.ReduceScatterV<int>(send, receive, counts, ReduceOp.Sum, algorithm);
                break;
            default:
                await communicator.ReduceScatterVAsync<int>(send, receive, counts, ReduceOp.Sum, algorithm);
                break;
        }
    }

    private static IEnumerable<ReduceScatterVCase> Generate(IReadOnlyList<CollectiveAlgorithm> algorithms, IReadOnlyList<CountSpread> spreads) =>
        from algorithm in algorithms.Where(algorithm => algorithm.Kind == CollectiveKind.ReduceScatter)
        from ranks in HeartMatrix.RankCounts
        from spread in spreads
        from placement in Enum.GetValues<Placement>()
        select new ReduceScatterVCase(algorithm.ReduceScatter, ranks, spread, placement, ranks % 2 == 0 ? ApiStyle.Blocking : ApiStyle.Async);

    private static IEnumerable<TestCaseData> Named(IEnumerable<ReduceScatterVCase> cases) => cases.Select(testCase => new TestCaseData(testCase).SetName(testCase.ToString()));
}
