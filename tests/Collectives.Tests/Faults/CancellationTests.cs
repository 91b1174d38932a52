using Collectives.Transport;

namespace Collectives.Tests.Faults;

/// <summary>
/// Cancelling a call's token: the cancelling rank throws <see cref="OperationCanceledException"/>;
/// the other ranks, whose halves of the call can no longer complete, throw
/// <see cref="ProtocolException"/> saying which rank cancelled; the communicator is broken everywhere.
/// </summary>
public class CancellationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public static IEnumerable<TestCaseData> AsyncCalls()
    {
        yield return Call("AllreduceAsync", (communicator, token) => communicator.AllreduceAsync(new int[4].AsMemory(), ReduceOp.Sum, token));
        yield return Call("ReduceAsync to a cancelling root", (communicator, token) => communicator.ReduceAsync(new int[4].AsMemory(), ReduceOp.Sum, root: 0, token));
        yield return Call("BroadcastAsync to a cancelling leaf", (communicator, token) => communicator.BroadcastAsync(new int[4].AsMemory(), root: 1, cancellationToken: token));
        yield return Call("BarrierAsync", (communicator, token) => communicator.BarrierAsync(token));
    }

    [TestCaseSource(nameof(AsyncCalls))]
    public void Cancelling_a_waiting_call_throws_OperationCanceledException_on_that_rank(Func<Communicator, CancellationToken, ValueTask> call)
    {
        RankOutcome[] outcomes = CancelRankZeroWhileWaiting(call);

        Assert.That(outcomes[0].Failure, Is.InstanceOf<OperationCanceledException>(), Describe(outcomes));
    }

    [TestCaseSource(nameof(AsyncCalls))]
    public void Cancelling_a_waiting_call_makes_the_other_ranks_throw_ProtocolException_naming_the_cancelling_rank(Func<Communicator, CancellationToken, ValueTask> call)
    {
        RankOutcome[] outcomes = CancelRankZeroWhileWaiting(call);

        Assert.That(outcomes.Skip(1).Select(outcome => outcome.Failure), Has.All.TypeOf<ProtocolException>()
            .With.Message.Contains("Rank 0 cancelled"), Describe(outcomes));
    }

    [Test]
    public void A_call_with_an_already_cancelled_token_throws_OperationCanceledException_and_the_others_ProtocolException()
    {
        using var job = new FaultJob(3, Timeout);

        RankOutcome[] outcomes = job.Run(rank => rank == 0
            ? communicator => communicator.AllreduceAsync(new int[4].AsMemory(), ReduceOp.Sum, new CancellationToken(true)).AsTask().GetAwaiter().GetResult()
            : RankCall.Allreduce<int>(4).Invoke);

        Assert.That(outcomes[0].Failure, Is.InstanceOf<OperationCanceledException>(), Describe(outcomes));
        Assert.That(outcomes.Skip(1).Select(outcome => outcome.Failure), Has.All.TypeOf<ProtocolException>(), Describe(outcomes));
    }

    [Test]
    public void After_a_cancelled_call_every_rank_s_later_calls_throw()
    {
        using var job = new FaultJob(3, Timeout);
        CancelRankZeroWhileWaiting((communicator, token) => communicator.AllreduceAsync(new int[4].AsMemory(), ReduceOp.Sum, token), job);

        RankOutcome[] later = job.Run(rank => RankCall.Allreduce<int>(4).Invoke);

        Assert.That(later.Select(outcome => outcome.Failure), Has.All.InstanceOf<CollectiveException>(), Describe(later));
    }

    [Test]
    public void A_token_cancelled_after_the_call_completed_changes_nothing()
    {
        using var job = new FaultJob(2, Timeout);
        using var cancellation = new CancellationTokenSource();

        RankOutcome[] outcomes = job.Run(rank => rank == 0
            ? [communicator => communicator.AllreduceAsync(new int[4].AsMemory(), ReduceOp.Sum, cancellation.Token).AsTask().GetAwaiter().GetResult(),
               _ => cancellation.Cancel(),
               RankCall.Allreduce<int>(4).Invoke]
            : [RankCall.Allreduce<int>(4).Invoke, RankCall.Allreduce<int>(4).Invoke]);

        Assert.That(outcomes.Select(outcome => outcome.Failure), Has.All.Null, Describe(outcomes));
    }

    /// <summary>
    /// Rank 0 starts the call, which must wait for the others; it is cancelled once rank 0 waits,
    /// and only after rank 0 has thrown do the other ranks make their half of the call.
    /// </summary>
    private static RankOutcome[] CancelRankZeroWhileWaiting(Func<Communicator, CancellationToken, ValueTask> call, FaultJob? existing = null)
    {
        using var owned = existing is null ? new FaultJob(3, Timeout) : null;
        FaultJob job = existing ?? owned!;
        using var rankZeroDone = new ManualResetEventSlim();
        return job.Run(rank => rank == 0
            ? communicator =>
            {
                using var cancellation = new CancellationTokenSource();
                try
                {
                    ValueTask pending = call(communicator, cancellation.Token);
                    Assert.That(pending.IsCompleted, Is.False, "rank 0's call should be waiting for the others");
                    cancellation.Cancel();
                    pending.AsTask().GetAwaiter().GetResult();
                }
                finally
                {
                    rankZeroDone.Set();
                }
            }
            : communicator =>
            {
                rankZeroDone.Wait();
                call(communicator, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            });
    }

    private static TestCaseData Call(string name, Func<Communicator, CancellationToken, ValueTask> call)
        => new TestCaseData(call).SetArgDisplayNames(name);

    private static string Describe(RankOutcome[] outcomes) => Environment.NewLine + string.Join(Environment.NewLine, outcomes.Select(outcome => outcome.ToString()));
}
