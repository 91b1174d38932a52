using Collectives.Tests.MultiProcess;
using Collectives.Tests.Shared.MultiHost;

namespace Collectives.Tests.MultiHost;

/// <summary>
/// Jobs whose ranks span several hosts of an emulated cluster (tools/cluster) agree with the
/// sequential reference on every case of the process matrix: the hybrid transport carries shared
/// memory inside each host and TCP between hosts. Ranks are started as torchrun starts them
/// (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR naming the first host).
/// </summary>
[Parallelizable(ParallelScope.None)]
[Category("MultiHost")]
public class MultiHostCorrectnessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [TestCase(new[] { 2, 2 }, TestName = "2 hosts x 2 ranks")]
    [TestCase(new[] { 1, 2, 3 }, TestName = "3 hosts of 1, 2 and 3 ranks")]
    public async Task Every_rank_of_a_job_across_hosts_matches_the_reference_in_every_matrix_case(int[] ranksPerHost)
    {
        EmulatedCluster.RequireRoot();
        using EmulatedCluster cluster = EmulatedCluster.Up(ranksPerHost.Length);

        RankReport[] reports = await ClusterJob.RunAsync(cluster, ranksPerHost, new ClusterJobOptions(Timeout), "matrix");

        Assert.That(reports.Select(report => report.Outcome), Has.All.EqualTo("OK"), ProcessJob.Describe(reports));

        // A rank with host mates reaches them through shared memory; a rank alone on its host has only TCP.
        string[] expected = [.. ranksPerHost.SelectMany(ranks => Enumerable.Repeat(ranks > 1 ? "shm+tcp" : "tcp", ranks)).Select(transport => $"over {transport} on {ranksPerHost.Sum()} ranks")];
        Assert.That(reports.Select(report => report.Detail[report.Detail.IndexOf("over ", StringComparison.Ordinal)..]), Is.EqualTo(expected), ProcessJob.Describe(reports));
        Assert.That(cluster.SharedMemoryFiles(), Is.Empty, "segments left in the hosts' /dev/shm");
    }

    [Test]
    public async Task Ranks_started_as_srun_starts_them_find_the_rendezvous_on_the_first_node_of_the_step()
    {
        EmulatedCluster.RequireRoot();
        using EmulatedCluster cluster = EmulatedCluster.Up(2);

        RankReport[] reports = await ClusterJob.RunAsync(cluster, [2, 2], new ClusterJobOptions(Timeout) { Style = LaunchStyle.Slurm }, "matrix");

        Assert.That(reports.Select(report => report.Outcome), Has.All.EqualTo("OK"), ProcessJob.Describe(reports));
    }

    [TestCase("COLLECTIVES_SOCKET_IFNAME=eth")]
    [TestCase("COLLECTIVES_SOCKET_IFNAME=^lo")]
    public async Task Where_hosts_cannot_resolve_each_others_names_ranks_that_advertise_their_interfaces_address_meet(string variable)
    {
        // As Kubernetes pods: a host resolves only its own name, so an advertised host name is of no use to its peers.
        EmulatedCluster.RequireRoot();
        using EmulatedCluster cluster = EmulatedCluster.Up(2, names: false);
        var options = new ClusterJobOptions(Timeout) { MasterAddress = cluster.Address(0), Environment = [variable] };

        RankReport[] reports = await ClusterJob.RunAsync(cluster, [1, 1], options, "matrix");

        Assert.That(reports.Select(report => report.Outcome), Has.All.EqualTo("OK"), ProcessJob.Describe(reports));
    }

    [Test]
    public async Task Where_hosts_cannot_resolve_each_others_names_ranks_that_publish_names_fail_naming_the_name_and_the_remedy()
    {
        EmulatedCluster.RequireRoot();
        using EmulatedCluster cluster = EmulatedCluster.Up(2, names: false);
        var options = new ClusterJobOptions(TimeSpan.FromSeconds(5)) { MasterAddress = cluster.Address(0) };

        RankReport[] reports = await ClusterJob.RunAsync(cluster, [1, 1], options, "matrix");

        Assert.That(reports.Select(report => report.Outcome), Has.All.EqualTo(nameof(Transport.PeerFailedException)), ProcessJob.Describe(reports));
        Assert.That(reports[1].Detail, Does.Contain("the host name it published, 'node0', did not resolve on rank 1").And.Contain("COLLECTIVES_SOCKET_IFNAME"), ProcessJob.Describe(reports));
    }
}
