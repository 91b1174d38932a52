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
            Meanwhile = _ =>
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

    [Test]
    public async Task A_host_that_dies_mid_job_makes_every_surviving_rank_throw_a_collective_exception_within_the_bound()
    {
        EmulatedCluster.RequireRoot();
        using EmulatedCluster cluster = EmulatedCluster.Up(2);
        long killed = 0;
        var options = new ClusterJobOptions(Timeout)
        {
            Meanwhile = job =>
            {
                killed = Stopwatch.GetTimestamp();
                job.KillHost(1);
                return Task.CompletedTask;
            },
        };

        RankReport[] reports = await ClusterJob.RunAsync(cluster, [2, 2], options, "call-until-failure", int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture));

        RankReport[] survivors = reports[..2];
        Assert.That(survivors.Select(report => report.Outcome), Has.All.AnyOf(nameof(CollectiveTimeoutException), nameof(Transport.PeerFailedException)), ProcessJob.Describe(reports));
        Assert.That(survivors.Select(report => report.EndedAfter(killed)), Has.All.LessThan(3 * Timeout), ProcessJob.Describe(reports));
        Assert.That(survivors.Select(report => report.Detail), Has.All.Match("[Rr]ank [23]"), "a survivor's failure does not name a rank of the dead host" + ProcessJob.Describe(reports));
        Assert.That(cluster.SharedMemoryFiles(), Is.Empty, "segments left in the hosts' /dev/shm");
    }

    [Test]
    public async Task A_host_that_starts_ten_seconds_after_the_others_joins_the_job()
    {
        EmulatedCluster.RequireRoot();
        using EmulatedCluster cluster = EmulatedCluster.Up(2);
        var options = new ClusterJobOptions(TimeSpan.FromSeconds(40)) { LateHost = (1, TimeSpan.FromSeconds(10)) };

        RankReport[] reports = await ClusterJob.RunAsync(cluster, [2, 2], options, "matrix");

        Assert.That(reports.Select(report => report.Outcome), Has.All.EqualTo("OK"), ProcessJob.Describe(reports));
    }
}
