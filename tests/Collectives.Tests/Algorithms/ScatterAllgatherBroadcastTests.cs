using Collectives.Tests.Support;

namespace Collectives.Tests.Algorithms;

public class ScatterAllgatherBroadcastTests
{
    private const BroadcastAlgorithm Algorithm = BroadcastAlgorithm.ScatterAllgather;

    [Test]
    public void Copies_ints_from_every_root(
        [ValueSource(typeof(AlgorithmCases), nameof(AlgorithmCases.RankCounts))] int size,
        [ValueSource(typeof(AlgorithmCases), nameof(AlgorithmCases.ElementCounts))] int count)
    {
        var results = Enumerable.Range(0, size).Select(_ => new int[size][]).ToArray();
        LocalJob.Run(size, AlgorithmCases.Options, comm =>
        {
            for (int root = 0; root < size; root++)
            {
                int[] data = comm.Rank == root ? AlgorithmCases.Ints(root, count, seed: root) : Enumerable.Repeat(-1, count).ToArray();
                comm.Broadcast(data.AsSpan(), root, Algorithm);
                results[root][comm.Rank] = data;
            }
        });

        for (int root = 0; root < size; root++)
        {
            int[] expected = AlgorithmCases.Ints(root, count, seed: root);
            for (int rank = 0; rank < size; rank++)
            {
                Assert.That(results[root][rank], Is.EqualTo(expected), $"root {root}, rank {rank}");
            }
        }
    }

    [Test]
    public async Task Copies_floats_bit_for_bit_from_every_root(
        [ValueSource(typeof(AlgorithmCases), nameof(AlgorithmCases.RankCounts))] int size,
        [ValueSource(typeof(AlgorithmCases), nameof(AlgorithmCases.ElementCounts))] int count)
    {
        var results = Enumerable.Range(0, size).Select(_ => new float[size][]).ToArray();
        await LocalJob.RunAsync(size, AlgorithmCases.Options, async comm =>
        {
            for (int root = 0; root < size; root++)
            {
                float[] data = comm.Rank == root ? AlgorithmCases.Floats(root, count, seed: root) : Enumerable.Repeat(float.NaN, count).ToArray();
                await comm.BroadcastAsync(data.AsMemory(), root, Algorithm);
                results[root][comm.Rank] = data;
            }
        });

        for (int root = 0; root < size; root++)
        {
            int[] expected = AlgorithmCases.Bits(AlgorithmCases.Floats(root, count, seed: root));
            for (int rank = 0; rank < size; rank++)
            {
                Assert.That(AlgorithmCases.Bits(results[root][rank]), Is.EqualTo(expected), $"root {root}, rank {rank}");
            }
        }
    }
}
