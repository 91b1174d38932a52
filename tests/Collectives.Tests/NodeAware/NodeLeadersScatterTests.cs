using System.Numerics;
using Collectives.Tests.Support;
using Collectives.Transport.Hybrid;

namespace Collectives.Tests.NodeAware;

/// <summary>
/// Scatter by host leaders from every root (a host's lowest rank or not, a rank alone on its host
/// or not), on hosts of equal and unequal sizes and on hosts whose ranks are not consecutive:
/// every rank ends with the root's block at its rank's place, and the root's send buffer is left
/// as it was. The reference is each rank's block written out by hand (<see cref="HostedBlocks"/>).
/// </summary>
public class NodeLeadersScatterTests
{
    public static IEnumerable<TestCaseData> Cases() => HostedBlocks.Cases("Scatter");

    [TestCaseSource(nameof(Cases))]
    public Task Scatter_gives_every_rank_the_block_at_its_place_on_the_root(int[] hostOfRank, int root, int count, Type element, HostLink link)
        => element == typeof(double) ? ScatterAsync<double>(new HostLayout(hostOfRank), root, count, link) : ScatterAsync<int>(new HostLayout(hostOfRank), root, count, link);

    [TestCase(HostLink.InProcess)]
    [TestCase(HostLink.SharedMemory)]
    public Task ScatterV_with_empty_blocks_on_interleaved_hosts_from_a_root_that_leads_no_host_gives_every_rank_its_block(HostLink link)
    {
        int[] counts = [3, 0, 5, 1, 2, 4];
        const int Root = 3;
        int[] all = HostedBlocks.Reference<int>(counts);

        return LocalJob.RunAsync(HostedJob.Create(HostedBlocks.Interleaved, link: link), async communicator =>
        {
            int[] receive = new int[counts[communicator.Rank]];

            await communicator.ScatterVAsync<int>(communicator.Rank == Root ? all : [], receive, counts, Root, ScatterAlgorithm.NodeLeaders);

            Assert.That(receive, Is.EqualTo(HostedBlocks.Block<int>(communicator.Rank, counts[communicator.Rank])), $"rank {communicator.Rank}");
        });
    }

    [TestCase(HostLink.InProcess)]
    [TestCase(HostLink.SharedMemory)]
    public Task Scatter_in_place_on_interleaved_hosts_from_a_root_that_leads_no_host_gives_every_rank_its_block(HostLink link)
    {
        const int Count = 65;
        const int Root = 5;
        int[] all = HostedBlocks.Reference<int>([.. Enumerable.Repeat(Count, HostedBlocks.Interleaved.Size)]);

        return LocalJob.RunAsync(HostedJob.Create(HostedBlocks.Interleaved, link: link), async communicator =>
        {
            int[] buffer = communicator.Rank == Root ? [.. all] : new int[Count];

            await communicator.ScatterAsync<int>(buffer, Root, ScatterAlgorithm.NodeLeaders);

            Assert.That(buffer, Is.EqualTo(communicator.Rank == Root ? all : HostedBlocks.Block<int>(communicator.Rank, Count)), $"rank {communicator.Rank}");
        });
    }

    private static Task ScatterAsync<T>(HostLayout layout, int root, int count, HostLink link)
        where T : unmanaged, INumber<T>
    {
        T[] all = HostedBlocks.Reference<T>([.. Enumerable.Repeat(count, layout.Size)]);
        return LocalJob.RunAsync(HostedJob.Create(layout, HostedBlocks.OptionsFor(count), link), async communicator =>
        {
            T[] send = communicator.Rank == root ? [.. all] : [];
            T[] receive = new T[count];

            await communicator.ScatterAsync<T>(send, receive, root, ScatterAlgorithm.NodeLeaders);

            Assert.That(receive, Is.EqualTo(HostedBlocks.Block<T>(communicator.Rank, count)), $"rank {communicator.Rank}");
            if (communicator.Rank == root)
            {
                Assert.That(send, Is.EqualTo(all), "the root's send buffer");
            }
        });
    }
}
