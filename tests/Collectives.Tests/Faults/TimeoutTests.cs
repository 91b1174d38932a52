using System.Collections.Concurrent;

namespace Collectives.Tests.Faults;

/// <summary>
/// A rank that never makes a call makes every other rank throw <see cref="CollectiveTimeoutException"/>
/// within roughly the timeout (asserted as a liveness bound of three times the timeout).
/// </summary>
/// <remarks>
/// The exception names the rank that was waiting and the rank it waited for when its timer
/// expired. That is the silent rank only when the waiter depended on it directly: a rank waiting
/// for a live rank that is itself stuck on the silent one names the live rank, and the first rank
/// to expire decides what everybody reports. So beyond two ranks the tests check only that the
/// named ranks are real and distinct, except where every waiter waits on the silent rank directly.
/// </remarks>
[Parallelizable(ParallelScope.All)]
public class TimeoutTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    // Several tests check different facts of the same job; each job is run once.
    private static readonly ConcurrentDictionary<int, Lazy<RankOutcome[]>> LastRankNeverCalls = new();

    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(8)]
    public void A_rank_that_never_calls_Allreduce_makes_every_other_rank_time_out(int size)
    {
        int silent = size - 1;

        RankOutcome[] outcomes = RunWithLastRankSilent(size);

        RankOutcome[] waiting = outcomes.Where(outcome => outcome.Rank != silent).ToArray();
        Assert.That(waiting.Select(outcome => outcome.Failure), Has.All.TypeOf<CollectiveTimeoutException>(), Describe(outcomes));
        Assert.That(waiting.Select(outcome => outcome.Elapsed), Has.All.LessThan(3 * Timeout));
    }

    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(8)]
    public void The_timeout_names_a_waiting_rank_and_another_rank_it_waited_for(int size)
    {
        int silent = size - 1;

        RankOutcome[] outcomes = RunWithLastRankSilent(size);

        foreach (RankOutcome outcome in outcomes.Where(outcome => outcome.Rank != silent))
        {
            var timeout = (CollectiveTimeoutException)outcome.Failure!;
            Assert.That(timeout.WaitingRank, Is.InRange(0, size - 1).And.Not.EqualTo(silent), Describe(outcomes));
            Assert.That(timeout.SilentRank, Is.InRange(0, size - 1).And.Not.EqualTo(timeout.WaitingRank), Describe(outcomes));
        }
    }

    [Test]
    public void The_timeout_carries_the_call_and_the_timeout_in_force()
    {
        RankOutcome[] outcomes = RunWithLastRankSilent(2);

        Assert.That(outcomes[0].Failure, Is.TypeOf<CollectiveTimeoutException>());
        var timeout = (CollectiveTimeoutException)outcomes[0].Failure!;
        Assert.That((timeout.Call, timeout.Timeout), Is.EqualTo((RankCall.Allreduce<int>(4).SignatureAt(1), Timeout)));
    }

    [Test]
    public void With_two_ranks_the_timeout_names_the_rank_that_never_called()
    {
        RankOutcome[] outcomes = RunWithLastRankSilent(2);

        Assert.That(outcomes[0].Failure, Is.TypeOf<CollectiveTimeoutException>()
            .With.Property(nameof(CollectiveTimeoutException.SilentRank)).EqualTo(1)
            .And.Property(nameof(CollectiveTimeoutException.WaitingRank)).EqualTo(0));
    }

    [Test]
    public void When_every_waiter_waits_on_the_silent_rank_directly_every_rank_names_it()
    {
        // Dissemination barrier on three ranks: rank 0 first waits for rank 2, and rank 1 gets
        // rank 0's first signal and then waits for rank 2.
        using var job = new FaultJob(3, Timeout);

        RankOutcome[] outcomes = job.Run(rank => rank == 2 ? [] : [RankCall.Barrier().Invoke]);

        Assert.That(outcomes.Take(2).Select(outcome => outcome.Failure), Has.All.TypeOf<CollectiveTimeoutException>()
            .With.Property(nameof(CollectiveTimeoutException.SilentRank)).EqualTo(2), Describe(outcomes));
    }

    [TestCase(2)]
    [TestCase(4)]
    public void A_rank_that_never_calls_a_rooted_collective_it_must_feed_makes_the_others_time_out(int size)
    {
        // The silent rank is the broadcast root: everybody's data must come from it.
        using var job = new FaultJob(size, Timeout);

        RankOutcome[] outcomes = job.Run(rank => rank == 0 ? [] : [RankCall.Broadcast<int>(4, root: 0).Invoke]);

        Assert.That(outcomes.Skip(1).Select(outcome => outcome.Failure), Has.All.TypeOf<CollectiveTimeoutException>(), Describe(outcomes));
    }

    [TestCase(AllgatherAlgorithm.Ring)]
    [TestCase(AllgatherAlgorithm.RecursiveDoubling)]
    [TestCase(AllgatherAlgorithm.Bruck)]
    public void With_two_ranks_an_allgather_times_out_naming_the_rank_that_never_called(AllgatherAlgorithm algorithm)
    {
        using var job = new FaultJob(2, Timeout);

        RankOutcome[] outcomes = job.Run(rank => rank == 1 ? [] : [RankCall.Allgather<int>(4, algorithm).Invoke]);

        Assert.That(outcomes[0].Failure, Is.TypeOf<CollectiveTimeoutException>()
            .With.Property(nameof(CollectiveTimeoutException.SilentRank)).EqualTo(1)
            .And.Property(nameof(CollectiveTimeoutException.Call)).EqualTo(RankCall.Allgather<int>(4, algorithm).SignatureAt(1)), Describe(outcomes));
    }

    [TestCase(ReduceScatterAlgorithm.Ring)]
    [TestCase(ReduceScatterAlgorithm.RecursiveHalving)]
    public void With_two_ranks_a_reduce_scatter_times_out_naming_the_rank_that_never_called(ReduceScatterAlgorithm algorithm)
    {
        using var job = new FaultJob(2, Timeout);

        RankOutcome[] outcomes = job.Run(rank => rank == 1 ? [] : [RankCall.ReduceScatter<int>(4, algorithm).Invoke]);

        Assert.That(outcomes[0].Failure, Is.TypeOf<CollectiveTimeoutException>()
            .With.Property(nameof(CollectiveTimeoutException.SilentRank)).EqualTo(1)
            .And.Property(nameof(CollectiveTimeoutException.Call)).EqualTo(RankCall.ReduceScatter<int>(4, algorithm).SignatureAt(1)), Describe(outcomes));
    }

    [TestCase(GatherAlgorithm.BinomialTree)]
    [TestCase(GatherAlgorithm.Linear)]
    public void A_gather_root_times_out_naming_the_rank_that_never_called(GatherAlgorithm algorithm)
    {
        using var job = new FaultJob(2, Timeout);

        RankOutcome[] outcomes = job.Run(rank => rank == 1 ? [] : [RankCall.Gather<int>(4, 0, algorithm).Invoke]);

        Assert.That(outcomes[0].Failure, Is.TypeOf<CollectiveTimeoutException>()
            .With.Property(nameof(CollectiveTimeoutException.SilentRank)).EqualTo(1)
            .And.Property(nameof(CollectiveTimeoutException.Call)).EqualTo(RankCall.Gather<int>(4, 0, algorithm).SignatureAt(1)), Describe(outcomes));
    }

    [TestCase(ScatterAlgorithm.BinomialTree)]
    [TestCase(ScatterAlgorithm.Linear)]
    public void A_scatter_rank_times_out_naming_the_root_that_never_called(ScatterAlgorithm algorithm)
    {
        using var job = new FaultJob(2, Timeout);

        RankOutcome[] outcomes = job.Run(rank => rank == 0 ? [] : [RankCall.Scatter<int>(4, 0, algorithm).Invoke]);

        Assert.That(outcomes[1].Failure, Is.TypeOf<CollectiveTimeoutException>()
            .With.Property(nameof(CollectiveTimeoutException.SilentRank)).EqualTo(0)
            .And.Property(nameof(CollectiveTimeoutException.Call)).EqualTo(RankCall.Scatter<int>(4, 0, algorithm).SignatureAt(1)), Describe(outcomes));
    }

    [TestCase(AlltoallAlgorithm.Pairwise)]
    [TestCase(AlltoallAlgorithm.Bruck)]
    [TestCase(AlltoallAlgorithm.Scattered)]
    public void With_two_ranks_an_alltoall_times_out_naming_the_rank_that_never_called(AlltoallAlgorithm algorithm)
    {
        using var job = new FaultJob(2, Timeout);

        RankOutcome[] outcomes = job.Run(rank => rank == 1 ? [] : [RankCall.Alltoall<int>(4, algorithm).Invoke]);

        Assert.That(outcomes[0].Failure, Is.TypeOf<CollectiveTimeoutException>()
            .With.Property(nameof(CollectiveTimeoutException.SilentRank)).EqualTo(1)
            .And.Property(nameof(CollectiveTimeoutException.Call)).EqualTo(RankCall.Alltoall<int>(4, algorithm).SignatureAt(1)), Describe(outcomes));
    }

    [Test]
    public void A_later_call_on_a_communicator_broken_by_a_timeout_throws_the_timeout_again()
    {
        using var job = new FaultJob(2, Timeout);
        job.Run(rank => rank == 1 ? [] : [RankCall.Allreduce<int>(4).Invoke]);

        RankOutcome[] later = job.Run(rank => RankCall.Allreduce<int>(4).Invoke);

        Assert.That(later.Select(outcome => outcome.Failure), Has.All.TypeOf<CollectiveTimeoutException>(), Describe(later));
    }

    /// <summary>Every rank but the last calls Allreduce of 4 ints; the last never calls.</summary>
    private static RankOutcome[] RunWithLastRankSilent(int size) => LastRankNeverCalls.GetOrAdd(size, _ => new Lazy<RankOutcome[]>(() =>
    {
        using var job = new FaultJob(size, Timeout);
        return job.Run(rank => rank == size - 1 ? [] : [RankCall.Allreduce<int>(4).Invoke]);
    })).Value;

    private static string Describe(RankOutcome[] outcomes) => Environment.NewLine + string.Join(Environment.NewLine, outcomes.Select(outcome => outcome.ToString()));
}
