using Collectives.Tests.Support;
using Collectives.Transport.Hybrid;

namespace Collectives.Tests.NodeAware;

/// <summary>
/// Alltoall by places where the matrix does not reach: hosts whose ranks are dealt in turn or
/// scrambled (a place's ranks are not every L-th rank, a host's not consecutive), blocks large
/// enough to take several window chunks, and the in-place form. The reference is written by hand:
/// element i of the block rank r sends rank d is 1000 r + 10 d + i, so that is what d must find in
/// its block r.
/// </summary>
public class NodeSlicesAlltoallTests
{
    // Ranks 0, 2 and 4 on host 0, ranks 1, 3 and 5 on host 1.
    private static readonly int[] DealtInTurn = [0, 1, 0, 1, 0, 1];

    // Three hosts of two, their ranks in no order.
    private static readonly int[] Scrambled = [0, 1, 2, 1, 0, 2];

    public static IEnumerable<TestCaseData> Layouts() =>
        from named in new[] { (Name: "dealt_in_turn", Hosts: DealtInTurn), (Name: "scrambled", Hosts: Scrambled) }
        from link in new[] { HostLink.InProcess, HostLink.SharedMemory }
        from block in new[] { 1, 3000 }
        select new TestCaseData(named.Hosts, link, block).SetName($"{{m}}_{named.Name}_{link}_blocks_of_{block}");

    [TestCaseSource(nameof(Layouts))]
    public Task Every_rank_receives_from_each_rank_the_block_that_rank_addressed_to_it(int[] hostOfRank, HostLink link, int block)
    {
        int size = hostOfRank.Length;

        return LocalJob.RunAsync(HostedJob.Create(new HostLayout(hostOfRank), link: link), async communicator =>
        {
            int[] receive = new int[size * block];

            await communicator.AlltoallAsync<int>(Blocks(size, block, destination => Element(communicator.Rank, destination)), receive, AlltoallAlgorithm.NodeSlices);

            Assert.That(receive, Is.EqualTo(Blocks(size, block, source => Element(source, communicator.Rank))), $"rank {communicator.Rank}");
        });
    }

    [Test]
    public Task In_place_every_rank_finds_in_its_buffer_each_ranks_block_for_it()
    {
        const int Block = 5000;
        int size = Scrambled.Length;

        return LocalJob.RunAsync(HostedJob.Create(new HostLayout(Scrambled), link: HostLink.SharedMemory), async communicator =>
        {
            int[] buffer = Blocks(size, Block, destination => Element(communicator.Rank, destination));

            await communicator.AlltoallAsync<int>(buffer, AlltoallAlgorithm.NodeSlices);

            Assert.That(buffer, Is.EqualTo(Blocks(size, Block, source => Element(source, communicator.Rank))), $"rank {communicator.Rank}");
        });
    }

    [Test]
    public void Forcing_it_for_AlltoallV_is_refused_saying_it_needs_equal_blocks()
    {
        Exception?[] failures = LocalJob.RunCollectingFailures(
            HostedJob.Create([2, 2]), communicator => communicator.AlltoallV<int>(new int[4], [1, 1, 1, 1], new int[4], [1, 1, 1, 1], AlltoallAlgorithm.NodeSlices));

        Assert.That(failures, Has.All.TypeOf<NotSupportedException>().With.Message.Contains("'node_slices' moves other ranks' blocks together and needs them all of one size"));
    }

    [Test]
    public void Forcing_it_on_hosts_of_different_sizes_is_refused_naming_the_layout()
    {
        Exception?[] failures = LocalJob.RunCollectingFailures(
            HostedJob.Create([3, 1]), communicator => communicator.Alltoall<int>(new int[8], new int[8], AlltoallAlgorithm.NodeSlices));

        Assert.That(failures, Has.All.TypeOf<NotSupportedException>()
            .With.Message.Contains("node_slices needs every host to run as many ranks").And.Message.Contains("2 hosts of 3, 1 ranks"));
    }

    // The blocks of one buffer, block j holding first(j) + i at element i.
    private static int[] Blocks(int size, int block, Func<int, int> first)
        => [.. Enumerable.Range(0, size * block).Select(index => first(index / block) + (index % block))];

    private static int Element(int source, int destination) => (1000 * source) + (10 * destination);
}
