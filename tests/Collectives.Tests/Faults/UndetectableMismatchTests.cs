namespace Collectives.Tests.Faults;

/// <summary>
/// Disagreeing calls that leave every rank waiting for a message nobody sends. Call verification
/// (the default) still reports them as mismatches on every rank. Without it a disagreement is only
/// seen when some rank receives a message carrying the other call's signature, so here nothing
/// can be checked; the guarantee that remains is liveness: every rank throws
/// <see cref="CollectiveTimeoutException"/> within the timeout instead of hanging.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class UndetectableMismatchTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    public static IEnumerable<TestCaseData> Deadlocks()
    {
        yield return new TestCaseData(2, (Func<int, RankCall>)(rank => RankCall.Broadcast<int>(4, root: 1 - rank)))
            .SetArgDisplayNames("Broadcast where each of two ranks names the other as root");
        yield return new TestCaseData(2, (Func<int, RankCall>)(rank => RankCall.Reduce<int>(4, root: rank)))
            .SetArgDisplayNames("Reduce where each of two ranks names itself as root");
        yield return new TestCaseData(3, (Func<int, RankCall>)(rank => rank == 2 ? RankCall.Broadcast<int>(4, root: 0) : RankCall.Allreduce<int>(4)))
            .SetArgDisplayNames("Broadcast from 0 on rank 2 where ranks 0 and 1 call Allreduce");
    }

    [TestCaseSource(nameof(Deadlocks))]
    public void With_call_verification_calls_that_would_leave_every_rank_waiting_end_in_CollectiveMismatchException_on_every_rank(int size, Func<int, RankCall> callOf)
    {
        using var job = new FaultJob(size, Timeout);

        RankOutcome[] outcomes = job.Run(rank => callOf(rank).Invoke);

        Assert.That(outcomes.Select(outcome => outcome.Failure), Has.All.TypeOf<CollectiveMismatchException>(),
            string.Join(Environment.NewLine, outcomes.Select(outcome => outcome.ToString())));
    }

    [TestCaseSource(nameof(Deadlocks))]
    public void Without_call_verification_calls_that_leave_every_rank_waiting_end_in_CollectiveTimeoutException_on_every_rank(int size, Func<int, RankCall> callOf)
    {
        using var job = new FaultJob(size, Timeout, verifyCalls: false);

        RankOutcome[] outcomes = job.Run(rank => callOf(rank).Invoke);

        Assert.That(outcomes.Select(outcome => outcome.Failure), Has.All.TypeOf<CollectiveTimeoutException>(),
            string.Join(Environment.NewLine, outcomes.Select(outcome => outcome.ToString())));
        Assert.That(outcomes.Select(outcome => outcome.Elapsed), Has.All.LessThan(job.HangLimit));
    }
}
