using Collectives.Tests.Support;

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

    // Nine hosts: more leaders than the signature exchange serves, so theirs is a dissemination round.
    private static readonly object[] Layouts = [new[] { 2, 2 }, new[] { 3, 1 }, new[] { 1, 2, 2, 1 }, new[] { 2, 1, 1, 1, 1, 1, 1, 1, 1 }];

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
    public void Scatters_naming_different_roots_throw_a_mismatch_on_every_rank(int[] ranksPerHost)
    {
        int size = ranksPerHost.Sum();
        Exception?[] failures = RunOnBothLinks(ranksPerHost, communicator =>
            communicator.Scatter(new float[2 * size], new float[2], root: communicator.Rank == size - 1 ? size - 1 : 0, ScatterAlgorithm.NodeLeaders));

        Assert.That(failures, Has.All.TypeOf<CollectiveMismatchException>());
    }

    [TestCaseSource(nameof(Layouts))]
    public void A_gather_whose_leaf_gives_another_count_throws_a_mismatch_on_every_rank(int[] ranksPerHost)
    {
        int size = ranksPerHost.Sum();
        int count = 2;
        Exception?[] failures = RunOnBothLinks(ranksPerHost, communicator =>
        {
            int own = communicator.Rank == size - 1 ? count + 1 : count;
            communicator.Gather(new float[own], new float[own * size], root: 0, GatherAlgorithm.NodeLeaders);
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
        Exception?[] failures = LocalJob.RunCollectingFailures(HostedJob.Create(ranksPerHost, ShortTimeout, HostLink.SharedMemory), communicator =>
        {
            var data = new[] { communicator.Rank + 0.5f, -(communicator.Rank + 0.5f) };
            communicator.Allreduce(data, ReduceOp.Sum, AllreduceAlgorithm.NodeLeaders);
            results[communicator.Rank] = data;
        });

        Assert.That(failures, Has.All.Null);
        Assert.That(results, Has.All.EqualTo(new[] { expected, -expected }));
    }

    [TestCaseSource(nameof(Layouts))]
    public void Unverified_broadcast_and_reduce_by_leaders_skip_the_check_and_still_deliver_the_result(int[] ranksPerHost)
    {
        int size = ranksPerHost.Sum();
        int root = size - 1;
        var broadcasts = new float[size][];
        var reduced = new float[3];
        float[] expectedSum = [.. Enumerable.Range(0, 3).Select(index => Enumerable.Range(0, size).Sum(rank => (float)(rank * 3 + index)))];
        Exception?[] failures = LocalJob.RunCollectingFailures(HostedJob.Create(ranksPerHost, new CommunicatorOptions { Timeout = ShortTimeout.Timeout, VerifyCalls = false }, HostLink.SharedMemory), communicator =>
        {
            float[] data = communicator.Rank == root ? [7.5f, -1f, 3f] : new float[3];
            communicator.Broadcast(data, root, BroadcastAlgorithm.NodeLeaders);
            broadcasts[communicator.Rank] = data;

            float[] contribution = [.. Enumerable.Range(0, 3).Select(index => (float)(communicator.Rank * 3 + index))];
            communicator.Reduce(contribution, ReduceOp.Sum, root, ReduceAlgorithm.NodeLeaders);
            if (communicator.Rank == root)
            {
                contribution.CopyTo(reduced, 0);
            }
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failures, Has.All.Null);
            Assert.That(broadcasts, Has.All.EqualTo(new[] { 7.5f, -1f, 3f }));
            Assert.That(reduced, Is.EqualTo(expectedSum));
        }
    }

    /// <summary>Runs the job with the hosts' ranks linked in memory, then through shared memory, and returns every rank's failure of both.</summary>
    private static Exception?[] RunOnBothLinks(int[] ranksPerHost, Action<Communicator> body)
        => [.. LocalJob.RunCollectingFailures(HostedJob.Create(ranksPerHost, ShortTimeout, HostLink.InProcess), body),
            .. LocalJob.RunCollectingFailures(HostedJob.Create(ranksPerHost, ShortTimeout, HostLink.SharedMemory), body)];
}
