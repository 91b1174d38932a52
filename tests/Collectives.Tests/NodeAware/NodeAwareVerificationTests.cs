using Collectives.Tests.Support;
using Collectives.Transport;

namespace Collectives.Tests.NodeAware;

/// <summary>
/// A node-aware call whose ranks disagree throws <see cref="CollectiveMismatchException"/> in that
/// call on every rank, never a hang or a wrong result: a broadcast, reduce, gather or scatter (whose
/// root or leaves could finish without hearing from every rank) runs a barrier by host leaders
/// under the call's signature first; an allreduce by leaders is checked by its own phases.
/// </summary>
public class NodeAwareVerificationTests
{
    private static readonly CommunicatorOptions ShortTimeout = new() { Timeout = TimeSpan.FromSeconds(5) };

    private static readonly object[] Layouts = [new[] { 2, 2 }, new[] { 3, 1 }, new[] { 1, 2, 2, 1 }];

    [TestCaseSource(nameof(Layouts))]
    public void Broadcasts_naming_different_roots_throw_a_mismatch_on_every_rank(int[] ranksPerHost)
    {
        // The last rank names itself the root: its host's leader is then another rank, so the
        // trees disagree and, unverified, the first root would return with its own data.
        int size = ranksPerHost.Sum();
        Exception?[] failures = RunOnBothLinks(ranksPerHost, communicator =>
            communicator.Broadcast(new float[8], root: communicator.Rank == size - 1 ? size - 1 : 0, BroadcastAlgorithm.NodeLeaders));

        Assert.That(failures, Has.All.TypeOf<CollectiveMismatchException>());
    }

    [TestCaseSource(nameof(Layouts))]
    public void A_reduce_whose_leaf_gives_another_count_throws_a_mismatch_on_every_rank(int[] ranksPerHost)
    {
        int size = ranksPerHost.Sum();
        Exception?[] failures = RunOnBothLinks(ranksPerHost, communicator =>
        {
            var data = new float[communicator.Rank == size - 1 ? 9 : 8];
            communicator.Reduce(data, ReduceOp.Sum, root: 0, ReduceAlgorithm.NodeLeaders);
        });

        Assert.That(failures, Has.All.TypeOf<CollectiveMismatchException>());
    }

    [TestCaseSource(nameof(Layouts))]
    public void A_small_allreduce_by_leaders_with_another_operation_on_one_rank_throws_a_mismatch_on_every_rank(int[] ranksPerHost)
    {
        // Two elements, fewer than the ranks: checked by the leaders' recursive doubling and the host phases alone.
        int size = ranksPerHost.Sum();
        Exception?[] failures = RunOnBothLinks(ranksPerHost, communicator =>
            communicator.Allreduce(new float[2], communicator.Rank == size - 1 ? ReduceOp.Max : ReduceOp.Sum, AllreduceAlgorithm.NodeLeaders));

        Assert.That(failures, Has.All.TypeOf<CollectiveMismatchException>());
    }

    [TestCaseSource(nameof(Layouts))]
    public void A_small_allreduce_by_leaders_reaches_every_rank_bitwise_alike(int[] ranksPerHost)
    {
        int size = ranksPerHost.Sum();
        float expected = Enumerable.Range(0, size).Sum(rank => rank + 0.5f);
        var results = new float[size][];
        LocalJob.RunAsync(HostedJob.Create(ranksPerHost, ShortTimeout, HostLink.SharedMemory), communicator =>
        {
            var data = new[] { communicator.Rank + 0.5f, -(communicator.Rank + 0.5f) };
            communicator.Allreduce(data, ReduceOp.Sum, AllreduceAlgorithm.NodeLeaders);
            results[communicator.Rank] = data;
            return Task.CompletedTask;
        }).GetAwaiter().GetResult();

        Assert.That(results, Has.All.EqualTo(new[] { expected, -expected }));
    }

    /// <summary>Runs the job with the hosts' ranks linked in memory, then through shared memory, and returns every rank's failure of both.</summary>
    private static Exception?[] RunOnBothLinks(int[] ranksPerHost, Action<Communicator> body)
        => [.. LocalJob.RunCollectingFailures(HostedJob.Create(ranksPerHost, ShortTimeout, HostLink.InProcess), body),
            .. LocalJob.RunCollectingFailures(HostedJob.Create(ranksPerHost, ShortTimeout, HostLink.SharedMemory), body)];
}
