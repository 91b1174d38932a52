using Collectives.Transport;

namespace Collectives.Tests.Faults;

/// <summary>
/// A rank that disposes its communicator while the job goes on: the other ranks throw
/// <see cref="PeerFailedException"/> naming it, whether they wait for it directly or not.
/// </summary>
public class PeerFailureTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(8)]
    public void A_rank_that_disposes_between_calls_makes_the_others_next_call_throw_PeerFailedException_naming_it(int size)
    {
        using var job = new FaultJob(size, Timeout);
        const int leaving = 1;
        job.Run(rank => RankCall.Allreduce<int>(4).Invoke);

        RankOutcome[] outcomes = job.Run(rank => rank == leaving
            ? [communicator => communicator.Dispose()]
            : [RankCall.Allreduce<int>(4).Invoke]);

        Assert.That(outcomes.Where(outcome => outcome.Rank != leaving).Select(outcome => outcome.Failure),
            Has.All.TypeOf<PeerFailedException>().With.Property(nameof(PeerFailedException.Rank)).EqualTo(leaving), Describe(outcomes));
    }

    [TestCase(2)]
    [TestCase(8)]
    public void A_rank_that_disposes_while_the_others_wait_in_a_call_makes_them_throw_PeerFailedException_naming_it(int size)
    {
        using var job = new FaultJob(size, Timeout);
        const int leaving = 1;
        using var othersWaiting = new CountdownEvent(size - 1);

        RankOutcome[] outcomes = job.Run(rank => rank == leaving
            ? [communicator => { othersWaiting.Wait(); Thread.Sleep(50); communicator.Dispose(); }]
            : [_ => othersWaiting.Signal(), RankCall.Barrier().Invoke]);

        Assert.That(outcomes.Where(outcome => outcome.Rank != leaving).Select(outcome => outcome.Failure),
            Has.All.TypeOf<PeerFailedException>().With.Property(nameof(PeerFailedException.Rank)).EqualTo(leaving), Describe(outcomes));
    }

    [Test]
    public void A_later_call_on_a_communicator_broken_by_a_failed_peer_throws_PeerFailedException_again()
    {
        using var job = new FaultJob(3, Timeout);
        job.Run(rank => rank == 2 ? [communicator => communicator.Dispose()] : [RankCall.Barrier().Invoke]);

        RankOutcome[] later = job.Run(rank => rank == 2 ? [] : [RankCall.Barrier().Invoke]);

        Assert.That(later.Take(2).Select(outcome => outcome.Failure),
            Has.All.TypeOf<PeerFailedException>().With.Property(nameof(PeerFailedException.Rank)).EqualTo(2), Describe(later));
    }

    [Test]
    public void Calling_a_disposed_communicator_throws_ObjectDisposedException()
    {
        Communicator[] ranks = Communicator.CreateLocal(2);
        foreach (Communicator rank in ranks)
        {
            rank.Dispose();
        }

        Assert.That(() => ranks[0].Allreduce(new int[4].AsSpan(), ReduceOp.Sum), Throws.TypeOf<ObjectDisposedException>());
        Assert.That(() => ranks[0].Barrier(), Throws.TypeOf<ObjectDisposedException>());
    }

    [Test]
    public void Disposing_a_communicator_twice_is_harmless()
    {
        Communicator[] ranks = Communicator.CreateLocal(2);
        ranks[0].Dispose();

        Assert.That(() => ranks[0].Dispose(), Throws.Nothing);
        ranks[1].Dispose();
    }

    [Test]
    public async Task Disposing_a_communicator_during_its_own_call_ends_that_call_with_ObjectDisposedException()
    {
        // Rank 0 never calls, so rank 1's Allreduce waits until its own communicator is disposed.
        Communicator[] ranks = Communicator.CreateLocal(2, new CommunicatorOptions { Timeout = TimeSpan.FromSeconds(30) });
        Task pending = ranks[1].AllreduceAsync(new int[4].AsMemory(), ReduceOp.Sum).AsTask();
        await Task.Delay(100);

        await ranks[1].DisposeAsync();

        Task finished = await Task.WhenAny(pending, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.That(finished, Is.SameAs(pending), "the call was still pending 10 s after its communicator was disposed");
        Assert.That(() => pending, Throws.TypeOf<ObjectDisposedException>());
        await ranks[0].DisposeAsync();
    }

    [Test]
    public void Disposing_a_communicator_during_its_own_blocking_call_ends_that_call_with_ObjectDisposedException()
    {
        Communicator[] ranks = Communicator.CreateLocal(2, new CommunicatorOptions { Timeout = TimeSpan.FromSeconds(30) });
        Exception? failure = null;
        var caller = new Thread(() =>
        {
            try
            {
                ranks[1].Allreduce(new int[4].AsSpan(), ReduceOp.Sum);
            }
            catch (Exception exception)
            {
                failure = exception;
            }
        });
        caller.Start();
        Thread.Sleep(100);

        ranks[1].Dispose();

        Assert.That(caller.Join(TimeSpan.FromSeconds(10)), Is.True, "the blocking call was still running 10 s after its communicator was disposed");
        Assert.That(failure, Is.TypeOf<ObjectDisposedException>());
        ranks[0].Dispose();
    }

    private static string Describe(RankOutcome[] outcomes) => Environment.NewLine + string.Join(Environment.NewLine, outcomes.Select(outcome => outcome.ToString()));
}
