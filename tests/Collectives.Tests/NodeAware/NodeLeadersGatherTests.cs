using System.Numerics;
using Collectives.Tests.Support;
using Collectives.Transport.Hybrid;

namespace Collectives.Tests.NodeAware;

/// <summary>
/// Gather by host leaders at every root (a host's lowest rank or not, a rank alone on its host or
/// not), on hosts of equal and unequal sizes and on hosts whose ranks are not consecutive: the
/// root ends with every rank's block at its rank's place. The reference is each rank's block
/// written out by hand (<see cref="HostedBlocks"/>).
/// </summary>
public class NodeLeadersGatherTests
{
    public static IEnumerable<TestCaseData> Cases() => HostedBlocks.Cases("Gather");

    [TestCaseSource(nameof(Cases))]
    public Task Gather_puts_every_rank_s_block_at_its_place_on_the_root(int[] hostOfRank, int root, int count, Type element, HostLink link)
        => element == typeof(double) ? GatherAsync<double>(new HostLayout(hostOfRank), root, count, link) : GatherAsync<int>(new HostLayout(hostOfRank), root, count, link);

    [TestCase(HostLink.InProcess)]
    [TestCase(HostLink.SharedMemory)]
    public Task GatherV_with_empty_blocks_on_interleaved_hosts_at_a_root_that_leads_no_host_puts_every_block_at_its_rank(HostLink link)
    {
        int[] counts = [3, 0, 5, 1, 2, 4];
        const int Root = 3;
        int[] expected = HostedBlocks.Reference<int>(counts);

        return LocalJob.RunAsync(HostedJob.Create(HostedBlocks.Interleaved, link: link), async communicator =>
        {
            int[] receive = new int[communicator.Rank == Root ? expected.Length : 0];

            await communicator.GatherVAsync<int>(HostedBlocks.Block<int>(communicator.Rank, counts[communicator.Rank]), receive, counts, Root, GatherAlgorithm.NodeLeaders);

            if (communicator.Rank == Root)
            {
                Assert.That(receive, Is.EqualTo(expected));
            }
        });
    }

    [TestCase(HostLink.InProcess)]
    [TestCase(HostLink.SharedMemory)]
    public Task Gather_in_place_on_interleaved_hosts_at_a_root_that_leads_no_host_puts_every_block_at_its_rank(HostLink link)
    {
        const int Count = 65;
        const int Root = 5;
        int[] expected = HostedBlocks.Reference<int>([.. Enumerable.Repeat(Count, HostedBlocks.Interleaved.Size)]);

        return LocalJob.RunAsync(HostedJob.Create(HostedBlocks.Interleaved, link: link), async communicator =>
        {
            int[] own = HostedBlocks.Block<int>(communicator.Rank, Count);
            int[] buffer = own;
            if (communicator.Rank == Root)
            {
                buffer = new int[expected.Length];
                own.CopyTo(buffer, Root * Count);
            }

            await communicator.GatherAsync<int>(buffer, Root, GatherAlgorithm.NodeLeaders);

            Assert.That(buffer, Is.EqualTo(communicator.Rank == Root ? expected : own), $"rank {communicator.Rank}");
        });
    }

    private static Task GatherAsync<T>(HostLayout layout, int root, int count, HostLink link)
        where T : unmanaged, INumber<T>
    {
        T[] expected = HostedBlocks.Reference<T>([.. Enumerable.Repeat(count, layout.Size)]);
        return LocalJob.RunAsync(HostedJob.Create(layout, HostedBlocks.OptionsFor(count), link), async communicator =>
        {
            T[] send = HostedBlocks.Block<T>(communicator.Rank, count);
            T[] receive = new T[communicator.Rank == root ? expected.Length : 0];

            await communicator.GatherAsync<T>(send, receive, root, GatherAlgorithm.NodeLeaders);

            Assert.That(send, Is.EqualTo(HostedBlocks.Block<T>(communicator.Rank, count)), $"rank {communicator.Rank}'s send buffer");
            if (communicator.Rank == root)
            {
                Assert.That(receive, Is.EqualTo(expected));
            }
        });
    }
}
