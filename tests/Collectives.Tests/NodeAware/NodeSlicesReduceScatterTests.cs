using Collectives.Tests.Support;
using Collectives.Transport.Hybrid;

namespace Collectives.Tests.NodeAware;

/// <summary>
/// ReduceScatter by slices where the matrix does not reach: ranks dealt to the hosts in turn (the
/// vector is already in place order and is not copied), hosts whose ranks are consecutive (it is
/// regrouped), and ReduceScatterV with blocks of different sizes, some empty. The reference sums
/// by hand: rank r's vector holds r + 10 * i at element i, so element i of the sum is
/// p(p-1)/2 + 10 * p * i.
/// </summary>
public class NodeSlicesReduceScatterTests
{
    // The host of each rank. Ranks 0, 2 and 4 on host 0, ranks 1, 3 and 5 on host 1: place order is rank order.
    private static readonly int[] DealtInTurn = [0, 1, 0, 1, 0, 1];

    // Ranks 0-2 on host 0, ranks 3-5 on host 1: the vector is regrouped before the first phase.
    private static readonly int[] Consecutive = [0, 0, 0, 1, 1, 1];

    // Three hosts of two, their ranks in no order.
    private static readonly int[] Scrambled = [0, 1, 2, 1, 0, 2];

    public static IEnumerable<TestCaseData> Layouts() =>
        from named in new[] { (Name: "dealt_in_turn", Hosts: DealtInTurn), (Name: "consecutive", Hosts: Consecutive), (Name: "scrambled", Hosts: Scrambled) }
        from link in new[] { HostLink.InProcess, HostLink.SharedMemory }
        select new TestCaseData(named.Hosts, link).SetName($"{{m}}_{named.Name}_{link}");

    [TestCaseSource(nameof(Layouts))]
    public Task ReduceScatter_of_equal_blocks_gives_every_rank_the_sum_of_its_block(int[] hostOfRank, HostLink link)
    {
        int[] counts = [.. Enumerable.Repeat(9, hostOfRank.Length)];

        return LocalJob.RunAsync(HostedJob.Create(new HostLayout(hostOfRank), link: link), async communicator =>
        {
            int[] receive = new int[9];

            await communicator.ReduceScatterAsync<int>(Vector(communicator.Rank, counts.Sum()), receive, ReduceOp.Sum, ReduceScatterAlgorithm.NodeSlices);

            Assert.That(receive, Is.EqualTo(ExpectedBlock(counts, communicator.Rank, communicator.Size)), $"rank {communicator.Rank}");
        });
    }

    [TestCaseSource(nameof(Layouts))]
    public Task ReduceScatterV_with_blocks_of_different_sizes_some_empty_gives_every_rank_the_sum_of_its_block(int[] hostOfRank, HostLink link)
    {
        int[] counts = [3, 0, 5, 1, 0, 4];

        return LocalJob.RunAsync(HostedJob.Create(new HostLayout(hostOfRank), link: link), async communicator =>
        {
            int[] receive = new int[counts[communicator.Rank]];

            await communicator.ReduceScatterVAsync<int>(Vector(communicator.Rank, counts.Sum()), receive, counts, ReduceOp.Sum, ReduceScatterAlgorithm.NodeSlices);

            Assert.That(receive, Is.EqualTo(ExpectedBlock(counts, communicator.Rank, communicator.Size)), $"rank {communicator.Rank}");
        });
    }

    [Test]
    public Task In_place_reduce_scatter_of_large_blocks_leaves_every_rank_the_sum_of_its_block_in_its_place()
    {
        const int Block = 70_000;
        int[] counts = [.. Enumerable.Repeat(Block, Consecutive.Length)];

        return LocalJob.RunAsync(HostedJob.Create(new HostLayout(Consecutive), link: HostLink.SharedMemory), async communicator =>
        {
            int[] buffer = Vector(communicator.Rank, counts.Sum());

            await communicator.ReduceScatterAsync<int>(buffer, ReduceOp.Sum, ReduceScatterAlgorithm.NodeSlices);

            Assert.That(buffer.AsSpan(communicator.Rank * Block, Block).ToArray(), Is.EqualTo(ExpectedBlock(counts, communicator.Rank, communicator.Size)), $"rank {communicator.Rank}");
        });
    }

    private static int[] Vector(int rank, int length) => [.. Enumerable.Range(0, length).Select(i => rank + (10 * i))];

    private static int[] ExpectedBlock(int[] counts, int rank, int size)
    {
        int start = counts.Take(rank).Sum();
        return [.. Enumerable.Range(start, counts[rank]).Select(i => (size * (size - 1) / 2) + (10 * size * i))];
    }
}
