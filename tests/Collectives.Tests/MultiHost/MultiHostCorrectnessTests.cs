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

        RankReport[] reports = await ClusterJob.RunAsync(cluster, ranksPerHost, Timeout, meanwhile: null, "matrix");

        Assert.That(reports.Select(report => report.Outcome), Has.All.EqualTo("OK"), ProcessJob.Describe(reports));

        // A rank with host mates reaches them through shared memory; a rank alone on its host has only TCP.
        string[] expected = [.. ranksPerHost.SelectMany(ranks => Enumerable.Repeat(ranks > 1 ? "shm+tcp" : "tcp", ranks)).Select(transport => $"over {transport} on {ranksPerHost.Sum()} ranks")];
        Assert.That(reports.Select(report => report.Detail[report.Detail.IndexOf("over ", StringComparison.Ordinal)..]), Is.EqualTo(expected), ProcessJob.Describe(reports));
        Assert.That(cluster.SharedMemoryFiles(), Is.Empty, "segments left in the hosts' /dev/shm");
    }
}
