using Collectives.Execution;
using Collectives.Tests.Support;

namespace Collectives.Tests.Algorithms;

/// <summary>
/// The halving and ring reductions receive their partner's data through two segments of scratch
/// (<see cref="CollectiveContext.ReceiveCombiningAsync"/>), segment i into slot i % 2, however long
/// the message: a call many segments long asks its communicator's scratch cache for two segments
/// on every rank (besides the arrays its entry point rents: a reduce-scatter's working vector, a
/// reduce's copy of a non-root's send buffer), whether combines overlap the receives or not.
/// </summary>
public class BoundedScratchTests
{
    /// <summary>16,396 bytes of floats: 164 segments of <see cref="AlgorithmCases.SegmentSize"/> bytes, the last one partial.</summary>
    private const int Count = 4099;

    private const long TwoSegments = 2 * AlgorithmCases.SegmentSize;

    private static readonly int[] RankCounts = [2, 3, 4, 5, 8];

    [Test]
    public void Rabenseifner_allreduce_rents_two_segments([ValueSource(nameof(RankCounts))] int size, [Values] bool overlap)
    {
        long[] requested = ScratchRequested(size, overlap, static comm =>
            comm.Allreduce(AlgorithmCases.Floats(comm.Rank, Count).AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.Rabenseifner));

        Assert.That(requested, Has.All.EqualTo(TwoSegments));
    }

    [Test]
    public void Ring_allreduce_rents_two_segments([ValueSource(nameof(RankCounts))] int size, [Values] bool overlap)
    {
        long[] requested = ScratchRequested(size, overlap, static comm =>
            comm.Allreduce(AlgorithmCases.Floats(comm.Rank, Count).AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.Ring));

        Assert.That(requested, Has.All.EqualTo(TwoSegments));
    }

    [Test]
    public void Rabenseifner_reduce_rents_two_segments_besides_a_non_roots_copy([ValueSource(nameof(RankCounts))] int size, [Values] bool overlap)
    {
        long[] requested = ScratchRequested(size, overlap, static comm =>
            comm.Reduce(AlgorithmCases.Floats(comm.Rank, Count).AsSpan(), ReduceOp.Sum, root: 0, ReduceAlgorithm.Rabenseifner));

        long copy = Count * sizeof(float);
        Assert.That(requested, Is.EqualTo(Enumerable.Range(0, size).Select(rank => (rank == 0 ? 0 : copy) + TwoSegments)));
    }

    [Test]
    public void Recursive_halving_reduce_scatter_rents_two_segments_besides_its_working_vector([ValueSource(nameof(RankCounts))] int size, [Values] bool overlap)
    {
        int block = Count / size;
        long[] requested = ScratchRequested(size, overlap, comm =>
        {
            float[] source = AlgorithmCases.Floats(comm.Rank, block * size);
            comm.ReduceScatter<float>(source, new float[block], ReduceOp.Sum, ReduceScatterAlgorithm.RecursiveHalving);
        });

        long working = (long)block * size * sizeof(float);
        Assert.That(requested, Has.All.EqualTo(working + TwoSegments));
    }

    /// <summary>Runs <paramref name="call"/> on every rank, overlapped or not; returns the scratch bytes each rank's call asked for.</summary>
    private static long[] ScratchRequested(int size, bool overlap, Action<Communicator> call)
    {
        var requested = new long[size];
        CollectiveContext.OverlapOverride.Value = overlap;
        try
        {
            LocalJob.Run(size, AlgorithmCases.Options, comm =>
            {
                long before = comm.Scratch.RequestedBytes;
                call(comm);
                requested[comm.Rank] = comm.Scratch.RequestedBytes - before;
            });
        }
        finally
        {
            CollectiveContext.OverlapOverride.Value = null;
        }

        return requested;
    }
}
