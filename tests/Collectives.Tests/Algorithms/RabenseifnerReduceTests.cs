using Collectives.Tests.Support;

namespace Collectives.Tests.Algorithms;

public class RabenseifnerReduceTests
{
    private const ReduceAlgorithm Algorithm = ReduceAlgorithm.Rabenseifner;

    [Test]
    public void Sums_ints_exactly_at_every_root(
        [ValueSource(typeof(AlgorithmCases), nameof(AlgorithmCases.RankCounts))] int size,
        [ValueSource(typeof(AlgorithmCases), nameof(AlgorithmCases.ElementCounts))] int count)
    {
        int[][][] results = NewResults<int>(size);
        LocalJob.Run(size, AlgorithmCases.Options, comm =>
        {
            for (int root = 0; root < size; root++)
            {
                int[] data = AlgorithmCases.Ints(comm.Rank, count, seed: root);
                comm.Reduce(data.AsSpan(), ReduceOp.Sum, root, Algorithm);
                results[root][comm.Rank] = data;
            }
        });

        for (int root = 0; root < size; root++)
        {
            Assert.That(results[root][root], Is.EqualTo(AlgorithmCases.IntSum(size, count, seed: root)), $"root {root}");
            for (int rank = 0; rank < size; rank++)
            {
                if (rank != root)
                {
                    Assert.That(results[root][rank], Is.EqualTo(AlgorithmCases.Ints(rank, count, seed: root)), $"root {root}: rank {rank}'s buffer changed");
                }
            }
        }
    }

    [Test]
    public async Task Sums_floats_at_every_root_in_the_pairwise_rank_order_tree(
        [ValueSource(typeof(AlgorithmCases), nameof(AlgorithmCases.RankCounts))] int size,
        [ValueSource(typeof(AlgorithmCases), nameof(AlgorithmCases.ElementCounts))] int count)
    {
        var atRoot = new float[size][];
        await LocalJob.RunAsync(size, AlgorithmCases.Options, async comm =>
        {
            for (int root = 0; root < size; root++)
            {
                float[] send = AlgorithmCases.Floats(comm.Rank, count, seed: root);
                float[] receive = comm.Rank == root ? new float[count] : [];
                await comm.ReduceAsync<float>(send, receive, ReduceOp.Sum, root, Algorithm);
                if (comm.Rank == root)
                {
                    atRoot[root] = receive;
                }
            }
        });

        for (int root = 0; root < size; root++)
        {
            AlgorithmCases.AssertCloseToFloatSum(atRoot[root], size, count, seed: root, $"root {root}");
            int[] tree = AlgorithmCases.Bits(AlgorithmCases.FloatPairwiseTreeSum(size, count, seed: root));
            Assert.That(AlgorithmCases.Bits(atRoot[root]), Is.EqualTo(tree), $"root {root}");
        }
    }

    private static T[][][] NewResults<T>(int size)
        => Enumerable.Range(0, size).Select(_ => new T[size][]).ToArray();
}
