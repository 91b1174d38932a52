using Collectives.Tests.Support;
using Collectives.Transport.Hybrid;

namespace Collectives.Tests.NodeAware;

/// <summary>
/// ReduceScatter by host leaders where the matrix does not reach: hosts whose ranks are not
/// consecutive (the vector is regrouped by host before the first phase), and ReduceScatterV with
/// blocks of different sizes, some empty. The reference sums by hand: rank r's vector holds
/// r + 10 * i at element i, so element i of the sum is p(p-1)/2 + 10 * p * i.
/// </summary>
public class NodeLeadersReduceScatterTests
{
    // Hosts by lowest rank: ranks 0, 2 and 5 on host 0, ranks 1 and 3 on host 1, rank 4 alone on host 2.
    private static readonly HostLayout Interleaved = new([0, 1, 0, 1, 2, 0]);

    [TestCase(HostLink.InProcess)]
    [TestCase(HostLink.SharedMemory)]
    public Task ReduceScatterV_on_hosts_of_ranks_that_are_not_consecutive_gives_every_rank_the_sum_of_its_block(HostLink link)
    {
        int[] counts = [3, 0, 5, 1, 2, 4];

        return LocalJob.RunAsync(HostedJob.Create(Interleaved, link: link), async communicator =>
        {
            int[] receive = new int[counts[communicator.Rank]];

            await communicator.ReduceScatterVAsync<int>(Vector(communicator.Rank, counts.Sum()), receive, counts, ReduceOp.Sum, ReduceScatterAlgorithm.NodeLeaders);

            Assert.That(receive, Is.EqualTo(ExpectedBlock(counts, communicator.Rank, communicator.Size)), $"rank {communicator.Rank}");
        });
    }

    [TestCase(HostLink.InProcess)]
    [TestCase(HostLink.SharedMemory)]
    public Task ReduceScatter_of_equal_blocks_on_hosts_of_ranks_that_are_not_consecutive_gives_every_rank_the_sum_of_its_block(HostLink link)
    {
        int[] counts = [.. Enumerable.Repeat(7, Interleaved.Size)];

        return LocalJob.RunAsync(HostedJob.Create(Interleaved, link: link), async communicator =>
        {
            int[] receive = new int[7];

            await communicator.ReduceScatterAsync<int>(Vector(communicator.Rank, counts.Sum()), receive, ReduceOp.Sum, ReduceScatterAlgorithm.NodeLeaders);

            Assert.That(receive, Is.EqualTo(ExpectedBlock(counts, communicator.Rank, communicator.Size)), $"rank {communicator.Rank}");
        });
    }

    [Test]
    public Task ReduceScatterV_on_consecutive_hosts_of_different_sizes_with_empty_blocks_matches_the_reference()
    {
        int[] counts = [0, 4, 0, 9, 1, 0];

        return HostedJob.RunAsync([1, 2, 3], null, async communicator =>
        {
            int[] receive = new int[counts[communicator.Rank]];

            await communicator.ReduceScatterVAsync<int>(Vector(communicator.Rank, counts.Sum()), receive, counts, ReduceOp.Sum, ReduceScatterAlgorithm.NodeLeaders);

            Assert.That(receive, Is.EqualTo(ExpectedBlock(counts, communicator.Rank, communicator.Size)), $"rank {communicator.Rank}");
        });
    }

    private static int[] Vector(int rank, int length) => [.. Enumerable.Range(0, length).Select(i => rank + (10 * i))];

    private static int[] ExpectedBlock(int[] counts, int rank, int size)
    {
        int start = counts.Take(rank).Sum();
        return [.. Enumerable.Range(start, counts[rank]).Select(i => (size * (size - 1) / 2) + (10 * size * i))];
    }
}
