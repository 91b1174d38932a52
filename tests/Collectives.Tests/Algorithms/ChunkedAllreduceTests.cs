using Collectives.Tests.Support;

namespace Collectives.Tests.Algorithms;

/// <summary>What the two chunked allreduce algorithms (Rabenseifner and ring) must both do; each one's summation order is pinned in its own fixture.</summary>
[TestFixture(AllreduceAlgorithm.Rabenseifner)]
[TestFixture(AllreduceAlgorithm.Ring)]
public class ChunkedAllreduceTests(AllreduceAlgorithm algorithm)
{
    private readonly AllreduceAlgorithm _algorithm = algorithm;

    [Test]
    public void Sums_ints_exactly(
        [ValueSource(typeof(AlgorithmCases), nameof(AlgorithmCases.RankCounts))] int size,
        [ValueSource(typeof(AlgorithmCases), nameof(AlgorithmCases.ElementCounts))] int count)
    {
        var results = new int[size][];
        LocalJob.Run(size, AlgorithmCases.Options, comm =>
        {
            int[] data = AlgorithmCases.Ints(comm.Rank, count);
            comm.Allreduce(data.AsSpan(), ReduceOp.Sum, _algorithm);
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
            comm.Allreduce<float>(send, receive, ReduceOp.Sum, _algorithm);
            Assert.That(send, Is.EqualTo(AlgorithmCases.Floats(comm.Rank, count)), "the send buffer must not change");
            results[comm.Rank] = receive;
        });

        AlgorithmCases.AssertCloseToFloatSum(results[0], size, count, seed: 0, "rank 0");
        for (int rank = 1; rank < size; rank++)
        {
            Assert.That(AlgorithmCases.Bits(results[rank]), Is.EqualTo(AlgorithmCases.Bits(results[0])), $"rank {rank} differs from rank 0");
        }
    }
}
