using Collectives.Tests.Support;
using Collectives.Transport;

namespace Collectives.Tests.NodeAware;

/// <summary>
/// A node-aware call fails as any other: the rank that waited names the silent or disagreeing rank
/// by its rank in the communicator (not its place in the host or leader group the phase ran in),
/// and every other rank learns of the failure instead of waiting out its own timeout.
/// </summary>
public class NodeAwareFailureTests
{
    private static readonly CommunicatorOptions ShortTimeout = new() { Timeout = TimeSpan.FromSeconds(1) };

    [Test]
    public void A_rank_that_never_calls_is_named_by_its_communicator_rank_by_the_host_mate_waiting_for_it([Values] HostLink link)
    {
        // Only rank 2 calls, so no other rank's timeout can reach it first. Rank 3 is the second
        // rank of host 1: rank 2, its leader, waits for it in the host's reduce (a window step
        // inside a shared-memory host, a message elsewhere).
        Exception?[] failures = LocalJob.RunCollectingFailures(HostedJob.Create([2, 2], ShortTimeout, link), communicator =>
        {
            if (communicator.Rank == 2)
            {
                communicator.Allreduce(new float[16], ReduceOp.Sum, AllreduceAlgorithm.NodeLeaders);
            }
        });

        Assert.That(failures[2], Is.TypeOf<CollectiveTimeoutException>());
        var timeout = (CollectiveTimeoutException)failures[2]!;
        Assert.That((timeout.WaitingRank, timeout.SilentRank), Is.EqualTo((2, 3)));
    }

    [Test]
    public void A_rank_calling_with_another_count_is_named_by_its_communicator_rank([Values] HostLink link)
    {
        Exception?[] failures = LocalJob.RunCollectingFailures(HostedJob.Create([2, 2], ShortTimeout, link), communicator =>
            communicator.Allreduce(new float[communicator.Rank == 3 ? 17 : 16], ReduceOp.Sum, AllreduceAlgorithm.NodeLeaders));

        Assert.That(failures[2], Is.TypeOf<CollectiveMismatchException>());
        var mismatch = (CollectiveMismatchException)failures[2]!;
        Assert.That((mismatch.LocalRank, mismatch.RemoteRank, mismatch.Remote.Count), Is.EqualTo((2, 3, 17L)));
        Assert.That(failures, Has.All.InstanceOf<CollectiveException>());
    }
}
