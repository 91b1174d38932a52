using Collectives.Tests.Support;
using Collectives.Transport.Hybrid;

namespace Collectives.Tests.NodeAware;

/// <summary>
/// Allgather by host leaders where the matrix does not reach: hosts whose ranks are not
/// consecutive (the blocks travel grouped by host and go to their ranks' places at the end), and
/// AllgatherV with blocks of different sizes, some empty, on hosts of different sizes. The
/// reference is each rank's block written out by hand: rank r contributes r * 1000 + i.
/// </summary>
public class NodeLeadersAllgatherTests
{
    // Hosts by lowest rank: ranks 0, 2 and 5 on host 0, ranks 1 and 3 on host 1, rank 4 alone on host 2.
    private static readonly HostLayout Interleaved = new([0, 1, 0, 1, 2, 0]);

    [TestCase(HostLink.InProcess)]
    [TestCase(HostLink.SharedMemory)]
    public Task AllgatherV_on_hosts_of_ranks_that_are_not_consecutive_puts_every_block_at_its_rank(HostLink link)
    {
        int[] counts = [3, 0, 5, 1, 2, 4];
        int[] expected = Reference(counts);

        return LocalJob.RunAsync(HostedJob.Create(Interleaved, link: link), async communicator =>
        {
            int[] send = Block(communicator.Rank, counts[communicator.Rank]);
            int[] receive = new int[expected.Length];

            await communicator.AllgatherVAsync<int>(send, receive, counts, AllgatherAlgorithm.NodeLeaders);

            Assert.That(receive, Is.EqualTo(expected), $"rank {communicator.Rank}");
        });
    }

    [TestCase(HostLink.InProcess)]
    [TestCase(HostLink.SharedMemory)]
    public Task Allgather_in_place_on_hosts_of_ranks_that_are_not_consecutive_leaves_every_block_at_its_rank(HostLink link)
    {
        int[] counts = [.. Enumerable.Repeat(7, Interleaved.Size)];
        int[] expected = Reference(counts);

        return LocalJob.RunAsync(HostedJob.Create(Interleaved, link: link), async communicator =>
        {
            int[] buffer = new int[expected.Length];
            Block(communicator.Rank, 7).CopyTo(buffer, communicator.Rank * 7);

            await communicator.AllgatherAsync<int>(buffer, AllgatherAlgorithm.NodeLeaders);

            Assert.That(buffer, Is.EqualTo(expected), $"rank {communicator.Rank}");
        });
    }

    [Test]
    public Task AllgatherV_on_consecutive_hosts_of_different_sizes_with_empty_blocks_matches_the_reference()
    {
        int[] ranksPerHost = [1, 2, 3];
        int[] counts = [0, 4, 0, 9, 1, 0];
        int[] expected = Reference(counts);

        return HostedJob.RunAsync(ranksPerHost, null, async communicator =>
        {
            int[] receive = new int[expected.Length];

            await communicator.AllgatherVAsync<int>(Block(communicator.Rank, counts[communicator.Rank]), receive, counts, AllgatherAlgorithm.NodeLeaders);

            Assert.That(receive, Is.EqualTo(expected), $"rank {communicator.Rank}");
        });
    }

    private static int[] Block(int rank, int count) => [.. Enumerable.Range(0, count).Select(i => (rank * 1000) + i)];

    private static int[] Reference(int[] counts) => [.. counts.SelectMany((count, rank) => Block(rank, count))];
}
