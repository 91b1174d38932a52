using Collectives.Execution;
using Collectives.Tests.Support;

namespace Collectives.Tests.Algorithms;

public class RabenseifnerAllreduceTests
{
    private const AllreduceAlgorithm Algorithm = AllreduceAlgorithm.Rabenseifner;

    [Test]
    public void Adds_floats_in_the_pairwise_rank_order_tree(
        [ValueSource(typeof(AlgorithmCases), nameof(AlgorithmCases.RankCounts))] int size,
        [Values(7, 1000)] int count)
        => AssertPairwiseTreeBits(size, count);

    /// <summary>
    /// 4099 floats: every exchange is many 100-byte segments ending in a partial one, each received
    /// into one of two slots of scratch and combined on its own, on the thread pool while the next
    /// arrives or on the rank's thread after it.
    /// </summary>
    [Test]
    public void Adds_floats_in_the_pairwise_rank_order_tree_segment_by_segment(
        [ValueSource(typeof(AlgorithmCases), nameof(AlgorithmCases.RankCounts))] int size,
        [Values] bool overlap)
    {
        CollectiveContext.OverlapOverride.Value = overlap;
        try
        {
            AssertPairwiseTreeBits(size, count: 4099);
        }
        finally
        {
            CollectiveContext.OverlapOverride.Value = null;
        }
    }

    private static void AssertPairwiseTreeBits(int size, int count)
    {
        var results = new float[size][];
        LocalJob.Run(size, AlgorithmCases.Options, comm =>
        {
            float[] data = AlgorithmCases.Floats(comm.Rank, count, seed: 1);
            comm.Allreduce(data.AsSpan(), ReduceOp.Sum, Algorithm);
            results[comm.Rank] = data;
        });

        int[] expected = AlgorithmCases.Bits(AlgorithmCases.FloatPairwiseTreeSum(size, count, seed: 1));
        for (int rank = 0; rank < size; rank++)
        {
            Assert.That(AlgorithmCases.Bits(results[rank]), Is.EqualTo(expected), $"rank {rank}");
        }
    }
}
