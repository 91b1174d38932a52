using Collectives.Tests.Support;
using Collectives.Transport.Hybrid;

namespace Collectives.Tests.NodeAware;

/// <summary>
/// Alltoall by host leaders where the matrix does not reach: hosts whose ranks are not
/// consecutive, so the leaders' runs per host pair and the rows per destination rank are not
/// slices of rank order. The reference is written by hand: element i of the block rank r sends
/// rank d is 1000 r + 10 d + i, so that is what d must find in its block r.
/// </summary>
public class NodeLeadersAlltoallTests
{
    // The host of each rank: ranks 0, 2 and 5 on host 0, ranks 1 and 3 on host 1, rank 4 alone on host 2.
    private static readonly int[] Interleaved = [0, 1, 0, 1, 2, 0];

    [TestCase(HostLink.InProcess, 1)]
    [TestCase(HostLink.InProcess, 7)]
    [TestCase(HostLink.SharedMemory, 7)]
    [TestCase(HostLink.SharedMemory, 3000)]
    public Task Every_rank_receives_from_each_rank_the_block_that_rank_addressed_to_it_on_hosts_of_ranks_that_are_not_consecutive(HostLink link, int block)
    {
        int size = Interleaved.Length;

        return LocalJob.RunAsync(HostedJob.Create(new HostLayout(Interleaved), link: link), async communicator =>
        {
            int[] send = [.. Enumerable.Range(0, size * block).Select(index => Element(communicator.Rank, index / block, index % block))];
            int[] receive = new int[size * block];

            await communicator.AlltoallAsync<int>(send, receive, AlltoallAlgorithm.NodeLeaders);

            int[] expected = [.. Enumerable.Range(0, size * block).Select(index => Element(index / block, communicator.Rank, index % block))];
            Assert.That(receive, Is.EqualTo(expected), $"rank {communicator.Rank}");
        });
    }

    private static int Element(int source, int destination, int index) => (1000 * source) + (10 * destination) + index;
}
