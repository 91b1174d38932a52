using Collectives.Tests.Support;

namespace Collectives.Tests.Algorithms;

public class RabenseifnerAllreduceTests
{
    private const AllreduceAlgorithm Algorithm = AllreduceAlgorithm.Rabenseifner;

    [Test]
    public void Sums_ints_exactly(
        [ValueSource(typeof(AlgorithmCases), nameof(AlgorithmCases.RankCounts))] int size,
        [ValueSource(typeof(AlgorithmCases), nameof(AlgorithmCases.ElementCounts))] int count)
    {
        var results = new int[size][];
        LocalJob.Run(size, AlgorithmCases.Options, comm =>
        {
            int[] data = AlgorithmCases.Ints(comm.Rank, count);
            comm.Allreduce(data.AsSpan(), ReduceOp.Sum, Algorithm);
            results[comm.Rank] = data;
        });

        int[] expected = AlgorithmCases.IntSum(size, count);
        for (int rank = 0; rank < size; rank++)
        {
            Assert.That(results[rank], Is.EqualTo(expected), $"rank {rank}");
        }
    }

    [Test]
    public void Sums_floats_to_the_same_bits_on_every_rank(
        [ValueSource(typeof(AlgorithmCases), nameof(AlgorithmCases.RankCounts))] int size,
        [ValueSource(typeof(AlgorithmCases), nameof(AlgorithmCases.ElementCounts))] int count)
    {
        var results = new float[size][];
        LocalJob.Run(size, AlgorithmCases.Options, comm =>
        {
            var send = AlgorithmCases.Floats(comm.Rank, count);
            var receive = new float[count];
            comm.Allreduce<float>(send, receive, ReduceOp.Sum, Algorithm);
            Assert.That(send, Is.EqualTo(AlgorithmCases.Floats(comm.Rank, count)), "the send buffer must not change");
            results[comm.Rank] = receive;
        });

        AlgorithmCases.AssertCloseToFloatSum(results[0], size, count, seed: 0, "rank 0");
        for (int rank = 1; rank < size; rank++)
        {
            Assert.That(AlgorithmCases.Bits(results[rank]), Is.EqualTo(AlgorithmCases.Bits(results[0])), $"rank {rank} differs from rank 0");
        }
    }

    [Test]
    public void Adds_floats_in_the_pairwise_rank_order_tree(
        [ValueSource(typeof(AlgorithmCases), nameof(AlgorithmCases.RankCounts))] int size,
        [Values(7, 1000)] int count)
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
