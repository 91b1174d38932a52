using System.Diagnostics;
using Collectives.Tests.MultiProcess;
using Collectives.Tests.Shared.MultiHost;

namespace Collectives.Tests.MultiHost;

/// <summary>
/// A host that drops off the network mid-job (its link cut, as a pulled cable: no reset, packets
/// just vanish) makes every rank of the job throw a typed exception within a bound of the timeout,
/// and leaves nothing in any host's /dev/shm.
/// </summary>
[Parallelizable(ParallelScope.None)]
[Category("MultiHost")]
public class MultiHostFaultTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(4);

    [Test]
    public async Task Cutting_a_hosts_link_mid_job_makes_every_rank_throw_a_collective_exception_within_the_bound()
    {
        EmulatedCluster.RequireRoot();
        using EmulatedCluster cluster = EmulatedCluster.Up(2);
        long cut = 0;

        var options = new ClusterJobOptions(Timeout)
        {
            Meanwhile = () =>
            {
                cut = Stopwatch.GetTimestamp();
                cluster.Cut(EmulatedCluster.HostName(1));
                return Task.CompletedTask;
            },
        };

        RankReport[] reports = await ClusterJob.RunAsync(cluster, [2, 2], options, "call-until-failure", int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Every rank is cut off from the other host's: each times out waiting for a rank it lost, or
        // learns from a host mate that one did.
        Assert.That(reports.Select(report => report.Outcome), Has.All.AnyOf(nameof(CollectiveTimeoutException), nameof(Transport.PeerFailedException)), ProcessJob.Describe(reports));
        Assert.That(reports.Select(report => report.EndedAfter(cut)), Has.All.LessThan(3 * Timeout), ProcessJob.Describe(reports));
        Assert.That(cluster.SharedMemoryFiles(), Is.Empty, "segments left in the hosts' /dev/shm");
    }
}
