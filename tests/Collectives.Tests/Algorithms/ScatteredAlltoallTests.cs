using Collectives.Tests.NodeAware;
using Collectives.Tests.Support;
using Collectives.Transport.Hybrid;

namespace Collectives.Tests.Algorithms;

/// <summary>
/// The scattered alltoall where the matrix does not reach: more peers than it starts at once (so
/// it runs in batches), and peers behind two transports at once (a host's shared-memory segment and the job-wide one). The
/// reference is written by hand: element i of the block rank r sends rank d is 1000 r + 10 d + i,
/// so that is what d must find in its block r.
/// </summary>
public class ScatteredAlltoallTests
{
    private const AlltoallAlgorithm Algorithm = AlltoallAlgorithm.Scattered;

    [TestCase(18)]
    [TestCase(21)]
    public void With_more_peers_than_it_starts_at_once_every_rank_receives_from_each_rank_the_block_addressed_to_it(int size)
    {
        Assert.That(size - 1, Is.GreaterThan(global::Collectives.Algorithms.ScatteredAlltoall.Window), "the job must need more than one batch");
        const int block = 3;
        var receives = new int[size][];

        LocalJob.Run(size, AlgorithmCases.Options, communicator =>
        {
            int[] receive = new int[size * block];
            communicator.Alltoall<int>(Blocks(size, block, destination => Element(communicator.Rank, destination)), receive, Algorithm);
            receives[communicator.Rank] = receive;
        });

        for (int rank = 0; rank < size; rank++)
        {
            Assert.That(receives[rank], Is.EqualTo(Blocks(size, block, source => Element(source, rank))), $"rank {rank}");
        }
    }

    // Ranks 0, 2 and 5 on host 0, ranks 1 and 3 on host 1, rank 4 alone on host 2: every rank has
    // peers in shared memory and on other hosts, exchanged with at once.
    [TestCase(7)]
    [TestCase(3000)]
    public Task On_hosts_every_rank_receives_from_its_host_mates_and_the_other_hosts_the_blocks_addressed_to_it(int block)
    {
        int[] hosts = [0, 1, 0, 1, 2, 0];
        int size = hosts.Length;

        return LocalJob.RunAsync(HostedJob.Create(new HostLayout(hosts), link: HostLink.SharedMemory), async communicator =>
        {
            int[] receive = new int[size * block];

            await communicator.AlltoallAsync<int>(Blocks(size, block, destination => Element(communicator.Rank, destination)), receive, Algorithm);

            Assert.That(receive, Is.EqualTo(Blocks(size, block, source => Element(source, communicator.Rank))), $"rank {communicator.Rank}");
        });
    }

    // The blocks of one buffer, block j holding first(j) + i at element i.
    private static int[] Blocks(int size, int block, Func<int, int> first)
        => [.. Enumerable.Range(0, size * block).Select(index => first(index / block) + (index % block))];

    private static int Element(int source, int destination) => (1000 * source) + (10 * destination);
}
