using Collectives.Tests.Support;

namespace Collectives.Tests.Algorithms;

public class RingAllreduceTests
{
    private const AllreduceAlgorithm Algorithm = AllreduceAlgorithm.Ring;

    [Test]
    public void Adds_each_chunk_along_the_ring_starting_at_its_first_sender(
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

        int[] expected = AlgorithmCases.Bits(RingChainSum(size, count, seed: 1));
        for (int rank = 0; rank < size; rank++)
        {
            Assert.That(AlgorithmCases.Bits(results[rank]), Is.EqualTo(expected), $"rank {rank}");
        }
    }

    // Chunk c (elements [n c / p, n (c+1) / p)) starts at rank c and gains ranks c+1, c+2, ... in turn.
    private static float[] RingChainSum(int size, int count, int seed)
    {
        float[][] contributions = Enumerable.Range(0, size).Select(rank => AlgorithmCases.Floats(rank, count, seed)).ToArray();
        var sum = new float[count];
        for (int chunk = 0; chunk < size; chunk++)
        {
            for (int i = count * chunk / size; i < count * (chunk + 1) / size; i++)
            {
                float partial = contributions[chunk][i];
                for (int hop = 1; hop < size; hop++)
                {
                    partial += contributions[(chunk + hop) % size][i];
                }

                sum[i] = partial;
            }
        }

        return sum;
    }
}
