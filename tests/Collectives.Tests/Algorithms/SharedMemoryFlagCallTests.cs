using Collectives.Tests.Faults;
using Collectives.Tests.Support;
using Collectives.Transport;

namespace Collectives.Tests.Algorithms;

/// <summary>
/// What is particular to the flag protocol of <see cref="BroadcastAlgorithm.SharedMemoryTree"/>
/// (and <see cref="ScatterAlgorithm.SharedMemoryFlags"/>):
/// the root returns without waiting for anyone, so it runs calls ahead of the others and reuses
/// its buffers only once they are read; a disagreement may go unseen in the call itself and must
/// be caught by the next; ranks that wait for a parent that never comes, or died, still fail.
/// </summary>
[Category("SharedMemory")]
[Platform("Linux")]
public class SharedMemoryFlagCallTests
{
    private const BroadcastAlgorithm Tree = BroadcastAlgorithm.SharedMemoryTree;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The others start late, so the root runs ahead until its buffers are full; every 37th call is
    /// too large for a flag buffer (8 KiB windows: 832 bytes) and steps instead, and every 50th rank
    /// steps in an allreduce, so flag calls and step calls interleave.
    /// </summary>
    [Test]
    public void Ranks_that_run_many_calls_behind_the_root_get_every_call_s_data([Values(2, 3, 4, 8)] int size, [Values] bool rootMoves)
    {
        const int calls = 300;
        LocalJob.Run(size, new CommunicatorOptions { Timeout = TimeSpan.FromSeconds(30) }, communicator =>
        {
            if (communicator.Rank != 0)
            {
                Thread.Sleep(20 * communicator.Rank);
            }

            for (int call = 0; call < calls; call++)
            {
                int root = rootMoves ? call % size : 0;
                int count = call % 37 == 36 ? 1000 : 1 + (call % 40);
                int[] data = communicator.Rank == root ? Expected(call, count) : new int[count];
                communicator.Broadcast(data.AsSpan(), root, Tree);
                Assert.That(data, Is.EqualTo(Expected(call, count)), $"call {call} at rank {communicator.Rank}");
                if (call % 50 == 49)
                {
                    int[] one = [1];
                    communicator.Allreduce(one.AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.SharedMemoryFlat);
                    Assert.That(one[0], Is.EqualTo(size));
                }
            }
        }, TestTransport.SharedMemory);
    }

    /// <summary>Scatters from a moving root, the others late; every 37th call's blocks do not fit a flag buffer and step instead.</summary>
    [Test]
    public void Ranks_that_run_many_scatters_behind_the_root_get_their_own_blocks([Values(2, 4, 8)] int size)
    {
        const int calls = 200;
        LocalJob.Run(size, new CommunicatorOptions { Timeout = TimeSpan.FromSeconds(30) }, communicator =>
        {
            Thread.Sleep(10 * communicator.Rank);
            for (int call = 0; call < calls; call++)
            {
                int root = call % size;
                int count = call % 37 == 36 ? 500 : call % 20;
                int[] all = communicator.Rank == root ? Expected(call, count * size) : [];
                int[] mine = new int[count];
                communicator.Scatter<int>(all, mine, root, ScatterAlgorithm.SharedMemoryFlags);
                Assert.That(mine, Is.EqualTo(Expected(call, count * size).Skip(count * communicator.Rank).Take(count)), $"call {call} at rank {communicator.Rank}");
            }

            communicator.Barrier(BarrierAlgorithm.SharedMemory);
        }, TestTransport.SharedMemory);
    }

    [TestCase(2)]
    [TestCase(4)]
    [TestCase(8)]
    public void A_count_that_differs_at_a_child_is_caught_in_the_call(int size)
    {
        int last = size - 1;
        using var job = new FaultJob(TestJobs.Create(size, new CommunicatorOptions { Timeout = Timeout }, TestTransport.SharedMemory), Timeout);

        RankOutcome[] outcomes = job.Run(rank => [RankCall.Broadcast<int>(rank == last ? 5 : 4, 0, Tree).Invoke, WindowBarrier]);

        Assert.That(outcomes.Select(outcome => outcome.Failure), Has.All.TypeOf<CollectiveMismatchException>(), Describe(outcomes));
        Assert.That(outcomes[last].FailedCall, Is.EqualTo(1), Describe(outcomes));
    }

    /// <summary>
    /// The last rank believes it is the root: as the root it reads nobody's buffer, and nobody in the
    /// others' tree reads its own, so the call returns everywhere. The next call that uses the windows
    /// must catch it: a flag call (the last rank, reading its parent's previous signature) or a step
    /// (every rank, comparing every rank's last flag signature).
    /// </summary>
    [Test]
    public void A_rank_that_believes_it_is_the_root_is_caught_by_the_next_call([Values(3, 4, 8)] int size, [Values] NextCall next)
    {
        int last = size - 1;
        using var job = new FaultJob(TestJobs.Create(size, new CommunicatorOptions { Timeout = Timeout }, TestTransport.SharedMemory), Timeout);
        Action<Communicator> nextCall = next switch
        {
            NextCall.FlagBroadcast => RankCall.Broadcast<int>(4, 0, Tree).Invoke,
            NextCall.WindowBarrier => WindowBarrier,
            _ => RankCall.Allreduce<int>(4, AllreduceAlgorithm.RecursiveDoubling).Invoke,
        };

        RankOutcome[] outcomes = job.Run(rank => [RankCall.Broadcast<int>(4, rank == last ? last : 0, Tree).Invoke, nextCall, WindowBarrier]);

        Assert.That(outcomes.Select(outcome => outcome.Failure), Has.All.TypeOf<CollectiveMismatchException>(), Describe(outcomes));
        Assert.That(outcomes[last].FailedCall, Is.EqualTo(2), Describe(outcomes));
        var caught = (CollectiveMismatchException)outcomes[last].Failure!;
        Assert.That((caught.Local.Root, caught.Remote.Root), Is.EqualTo((last, 0)).Or.EqualTo((0, last)), caught.Message);
    }

    [TestCase(2)]
    [TestCase(4)]
    public void Ranks_waiting_for_a_root_that_never_calls_time_out_naming_it(int size)
    {
        using var job = new FaultJob(TestJobs.Create(size, new CommunicatorOptions { Timeout = Timeout }, TestTransport.SharedMemory), Timeout);

        RankOutcome[] outcomes = job.Run(rank => rank == 0 ? [] : [RankCall.Broadcast<int>(4, 0, Tree).Invoke]);

        Assert.That(outcomes.Skip(1).Select(outcome => outcome.Failure),
            Has.All.TypeOf<CollectiveTimeoutException>().With.Property(nameof(CollectiveTimeoutException.SilentRank)).EqualTo(0), Describe(outcomes));
    }

    /// <summary>
    /// The root fills its two buffers without waiting, and times out filling the first again, which
    /// the absent rank never read. The other child starts its third call a little later, so that its
    /// own deadline (waiting for the stuck root) passes after the root's, and the root's timeout is
    /// the one the job reports; their deadlines would otherwise be microseconds apart.
    /// </summary>
    [Test]
    public void A_root_runs_two_calls_ahead_of_a_child_that_never_calls_then_times_out_naming_it()
    {
        const int absent = 2;
        using var job = new FaultJob(TestJobs.Create(3, new CommunicatorOptions { Timeout = Timeout }, TestTransport.SharedMemory), Timeout);
        Action<Communicator> broadcast = RankCall.Broadcast<int>(4, 0, Tree).Invoke;

        RankOutcome[] outcomes = job.Run(rank => rank switch
        {
            absent => [],
            0 => [broadcast, broadcast, broadcast],
            _ => [broadcast, broadcast, _ => Thread.Sleep(Timeout / 4), broadcast],
        });

        Assert.That(outcomes[0].FailedCall, Is.EqualTo(3), Describe(outcomes));
        Assert.That(outcomes[0].Failure, Is.TypeOf<CollectiveTimeoutException>().With.Property(nameof(CollectiveTimeoutException.SilentRank)).EqualTo(absent), Describe(outcomes));
        Assert.That(outcomes[1].FailedCall, Is.EqualTo(4), Describe(outcomes));
    }

    /// <summary>The timeout is long: the waiting ranks must learn that the root closed its transport from the liveness checks, not from the deadline.</summary>
    [TestCase(2)]
    [TestCase(4)]
    public void Ranks_waiting_for_a_root_that_disposes_throw_PeerFailedException_naming_it(int size)
    {
        TimeSpan timeout = TimeSpan.FromSeconds(20);
        using var job = new FaultJob(TestJobs.Create(size, new CommunicatorOptions { Timeout = timeout }, TestTransport.SharedMemory), timeout);
        using var othersWaiting = new CountdownEvent(size - 1);

        RankOutcome[] outcomes = job.Run(rank => rank == 0
            ? [communicator => { othersWaiting.Wait(); Thread.Sleep(50); communicator.Dispose(); }]
            : [_ => othersWaiting.Signal(), RankCall.Broadcast<int>(4, 0, Tree).Invoke]);

        Assert.That(outcomes.Skip(1).Select(outcome => outcome.Failure),
            Has.All.TypeOf<PeerFailedException>().With.Property(nameof(PeerFailedException.Rank)).EqualTo(0), Describe(outcomes));
    }

    public enum NextCall
    {
        FlagBroadcast,
        WindowBarrier,
        MessageAllreduce,
    }

    private static void WindowBarrier(Communicator communicator) => communicator.Barrier(BarrierAlgorithm.SharedMemory);

    private static int[] Expected(int call, int count) => [.. Enumerable.Range(0, count).Select(index => (call * 1000) + index)];

    private static string Describe(IEnumerable<RankOutcome> outcomes) => string.Join("; ", outcomes);
}
