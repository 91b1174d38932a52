namespace Collectives.Tests.Faults;

/// <summary>
/// Bad arguments are rejected at the call with the usual argument exceptions, before anything is
/// sent, so they do not break the communicator. Calls overlapping on one communicator are refused.
/// </summary>
public class InvalidArgumentTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public static IEnumerable<TestCaseData> BadCalls()
    {
        yield return Case("Broadcast with a negative root", typeof(ArgumentOutOfRangeException), "root", communicator => communicator.Broadcast(new int[4].AsSpan(), root: -1));
        yield return Case("Broadcast with a root beyond the ranks", typeof(ArgumentOutOfRangeException), "root", communicator => communicator.Broadcast(new int[4].AsSpan(), root: 3));
        yield return Case("BroadcastAsync with a root beyond the ranks", typeof(ArgumentOutOfRangeException), "root", communicator => _ = communicator.BroadcastAsync(new int[4].AsMemory(), root: 3));
        yield return Case("Reduce with a negative root", typeof(ArgumentOutOfRangeException), "root", communicator => communicator.Reduce(new int[4].AsSpan(), ReduceOp.Sum, root: -1));
        yield return Case("Reduce with a root beyond the ranks", typeof(ArgumentOutOfRangeException), "root", communicator => communicator.Reduce(new int[4].AsSpan(), ReduceOp.Sum, root: 3));
        yield return Case("ReduceAsync with a root beyond the ranks", typeof(ArgumentOutOfRangeException), "root", communicator => _ = communicator.ReduceAsync(new int[4].AsMemory(), ReduceOp.Sum, root: 3));
        yield return Case("Allreduce with a shorter receive buffer", typeof(ArgumentException), "receive", communicator => communicator.Allreduce(new int[4], new int[3].AsSpan(), ReduceOp.Sum));
        yield return Case("Allreduce with a longer receive buffer", typeof(ArgumentException), "receive", communicator => communicator.Allreduce(new int[4], new int[5].AsSpan(), ReduceOp.Sum));
        yield return Case("AllreduceAsync with a shorter receive buffer", typeof(ArgumentException), "receive", communicator => _ = communicator.AllreduceAsync(new int[4], new int[3].AsMemory(), ReduceOp.Sum));
        yield return Case("Reduce with a receive buffer shorter than the send buffer at the root (every rank its own root)", typeof(ArgumentException), "receive", communicator => communicator.Reduce(new int[4], new int[3].AsSpan(), ReduceOp.Sum, root: communicator.Rank));
        yield return Case("Allgather with a receive buffer one block short", typeof(ArgumentException), "receive", communicator => communicator.Allgather(new int[4], new int[8].AsSpan()));
        yield return Case("Allgather with a receive buffer one element long", typeof(ArgumentException), "receive", communicator => communicator.Allgather(new int[4], new int[13].AsSpan()));
        yield return Case("Allgather with a receive buffer the size of the send buffer", typeof(ArgumentException), "receive", communicator => communicator.Allgather(new int[4], new int[4].AsSpan()));
        yield return Case("AllgatherAsync with a receive buffer one block short", typeof(ArgumentException), "receive", communicator => _ = communicator.AllgatherAsync(new int[4], new int[8].AsMemory()));
        yield return Case("Allgather in place on a buffer that is not one block per rank", typeof(ArgumentException), "buffer", communicator => communicator.Allgather(new int[7].AsSpan()));
        yield return Case("AllgatherAsync in place on a buffer that is not one block per rank", typeof(ArgumentException), "buffer", communicator => _ = communicator.AllgatherAsync(new int[7].AsMemory()));
        yield return Case("Allgather with an undefined algorithm", typeof(ArgumentOutOfRangeException), "algorithm", communicator => communicator.Allgather(new int[4], new int[12].AsSpan(), (AllgatherAlgorithm)99));
        yield return Case("AllgatherV with a count per rank missing", typeof(ArgumentException), "counts", communicator => communicator.AllgatherV(new int[1], new int[3].AsSpan(), [1, 2]));
        yield return Case("AllgatherV with a negative count", typeof(ArgumentException), "counts", communicator => communicator.AllgatherV(new int[1], new int[1].AsSpan(), [1, -1, 1]));
        yield return Case("AllgatherV with a send buffer longer than this rank's count", typeof(ArgumentException), "send", communicator => communicator.AllgatherV(new int[2], new int[3].AsSpan(), [1, 1, 1]));
        yield return Case("AllgatherV with a receive buffer shorter than the counts' total", typeof(ArgumentException), "receive", communicator => communicator.AllgatherV(new int[1], new int[2].AsSpan(), [1, 1, 1]));
        yield return Case("AllgatherVAsync with a receive buffer longer than the counts' total", typeof(ArgumentException), "receive", communicator => _ = communicator.AllgatherVAsync(new int[1], new int[4].AsMemory(), new[] { 1, 1, 1 }));
        yield return Case("AllgatherV in place on a buffer other than the counts' total", typeof(ArgumentException), "buffer", communicator => communicator.AllgatherV(new int[4].AsSpan(), [1, 1, 1]));
        yield return Case("AllgatherVAsync in place with too many counts", typeof(ArgumentException), "counts", communicator => _ = communicator.AllgatherVAsync(new int[4].AsMemory(), new[] { 1, 1, 1, 1 }));
        yield return Case("ReduceScatter with a send buffer one block short", typeof(ArgumentException), "send", communicator => communicator.ReduceScatter(new int[8], new int[4].AsSpan(), ReduceOp.Sum));
        yield return Case("ReduceScatter with a send buffer one element long", typeof(ArgumentException), "send", communicator => communicator.ReduceScatter(new int[13], new int[4].AsSpan(), ReduceOp.Sum));
        yield return Case("ReduceScatterAsync with a send buffer the size of the receive buffer", typeof(ArgumentException), "send", communicator => _ = communicator.ReduceScatterAsync(new int[4], new int[4].AsMemory(), ReduceOp.Sum));
        yield return Case("ReduceScatter with a receive buffer overlapping the send buffer off its own block", typeof(ArgumentException), "receive", communicator =>
        {
            int[] shared = new int[12];
            communicator.ReduceScatter(shared, shared.AsSpan(communicator.Rank == 0 ? 1 : 0, 4), ReduceOp.Sum);
        });
        yield return Case("ReduceScatter in place on a buffer that is not one block per rank", typeof(ArgumentException), "buffer", communicator => communicator.ReduceScatter(new int[7].AsSpan(), ReduceOp.Sum));
        yield return Case("ReduceScatterAsync in place on a buffer that is not one block per rank", typeof(ArgumentException), "buffer", communicator => _ = communicator.ReduceScatterAsync(new int[7].AsMemory(), ReduceOp.Sum));
        yield return Case("ReduceScatter with an undefined algorithm", typeof(ArgumentOutOfRangeException), "algorithm", communicator => communicator.ReduceScatter(new int[12], new int[4].AsSpan(), ReduceOp.Sum, (ReduceScatterAlgorithm)99));
        yield return Case("ReduceScatterV with a count per rank missing", typeof(ArgumentException), "counts", communicator => communicator.ReduceScatterV(new int[3], new int[1].AsSpan(), [1, 2], ReduceOp.Sum));
        yield return Case("ReduceScatterV with a negative count", typeof(ArgumentException), "counts", communicator => communicator.ReduceScatterV(new int[1], new int[1].AsSpan(), [1, -1, 1], ReduceOp.Sum));
        yield return Case("ReduceScatterV with a send buffer shorter than the counts' total", typeof(ArgumentException), "send", communicator => communicator.ReduceScatterV(new int[2], new int[1].AsSpan(), [1, 1, 1], ReduceOp.Sum));
        yield return Case("ReduceScatterV with a receive buffer longer than this rank's count", typeof(ArgumentException), "receive", communicator => communicator.ReduceScatterV(new int[3], new int[2].AsSpan(), [1, 1, 1], ReduceOp.Sum));
        yield return Case("ReduceScatterVAsync with a send buffer longer than the counts' total", typeof(ArgumentException), "send", communicator => _ = communicator.ReduceScatterVAsync(new int[4], new int[1].AsMemory(), new[] { 1, 1, 1 }, ReduceOp.Sum));
        yield return Case("ReduceScatterV in place on a buffer other than the counts' total", typeof(ArgumentException), "buffer", communicator => communicator.ReduceScatterV(new int[4].AsSpan(), [1, 1, 1], ReduceOp.Sum));
        yield return Case("ReduceScatterVAsync in place with too many counts", typeof(ArgumentException), "counts", communicator => _ = communicator.ReduceScatterVAsync(new int[4].AsMemory(), new[] { 1, 1, 1, 1 }, ReduceOp.Sum));
        yield return Case("Gather with a root beyond the ranks", typeof(ArgumentOutOfRangeException), "root", communicator => communicator.Gather(new int[4], new int[12].AsSpan(), root: 3));
        yield return Case("Gather in place with a negative root", typeof(ArgumentOutOfRangeException), "root", communicator => communicator.Gather(new int[4].AsSpan(), root: -1));
        yield return Case("Gather with a receive buffer one block short at the root (every rank its own root)", typeof(ArgumentException), "receive", communicator => communicator.Gather(new int[4], new int[8].AsSpan(), root: communicator.Rank));
        yield return Case("GatherAsync in place on a buffer that is not one block per rank at the root", typeof(ArgumentException), "buffer", communicator => _ = communicator.GatherAsync(new int[7].AsMemory(), root: communicator.Rank));
        yield return Case("Gather with an undefined algorithm", typeof(ArgumentOutOfRangeException), "algorithm", communicator => communicator.Gather(new int[4], new int[12].AsSpan(), 0, (GatherAlgorithm)99));
        yield return Case("GatherV with a send buffer longer than this rank's count", typeof(ArgumentException), "send", communicator => communicator.GatherV(new int[2], new int[3].AsSpan(), [1, 1, 1], root: 0));
        yield return Case("GatherV with a receive buffer shorter than the counts' total at the root", typeof(ArgumentException), "receive", communicator => communicator.GatherV(new int[1], new int[2].AsSpan(), [1, 1, 1], root: communicator.Rank));
        yield return Case("GatherVAsync with a count per rank missing", typeof(ArgumentException), "counts", communicator => _ = communicator.GatherVAsync(new int[1], new int[3].AsMemory(), new[] { 1, 2 }, root: 0));
        yield return Case("Scatter with a root beyond the ranks", typeof(ArgumentOutOfRangeException), "root", communicator => communicator.Scatter(new int[12], new int[4].AsSpan(), root: 3));
        yield return Case("Scatter with a send buffer one block short at the root (every rank its own root)", typeof(ArgumentException), "send", communicator => communicator.Scatter(new int[8], new int[4].AsSpan(), root: communicator.Rank));
        yield return Case("ScatterAsync in place on a buffer that is not one block per rank at the root", typeof(ArgumentException), "buffer", communicator => _ = communicator.ScatterAsync(new int[7].AsMemory(), root: communicator.Rank));
        yield return Case("Scatter with an undefined algorithm", typeof(ArgumentOutOfRangeException), "algorithm", communicator => communicator.Scatter(new int[12], new int[4].AsSpan(), 0, (ScatterAlgorithm)99));
        yield return Case("ScatterV with a receive buffer longer than this rank's count", typeof(ArgumentException), "receive", communicator => communicator.ScatterV(new int[3], new int[2].AsSpan(), [1, 1, 1], root: 0));
        yield return Case("ScatterV with a negative count", typeof(ArgumentException), "counts", communicator => communicator.ScatterV(new int[1], new int[1].AsSpan(), [1, -1, 1], root: 0));
        yield return Case("ScatterVAsync in place on a buffer other than the counts' total at the root", typeof(ArgumentException), "buffer", communicator => _ = communicator.ScatterVAsync(new int[4].AsMemory(), new[] { 1, 1, 1 }, root: communicator.Rank));
        yield return Case("Alltoall with a send buffer that is not one block per rank", typeof(ArgumentException), "send", communicator => communicator.Alltoall(new int[7], new int[7].AsSpan()));
        yield return Case("Alltoall with a receive buffer one block short", typeof(ArgumentException), "receive", communicator => communicator.Alltoall(new int[6], new int[4].AsSpan()));
        yield return Case("AlltoallAsync in place on a buffer that is not one block per rank", typeof(ArgumentException), "buffer", communicator => _ = communicator.AlltoallAsync(new int[7].AsMemory()));
        yield return Case("Alltoall with an undefined algorithm", typeof(ArgumentOutOfRangeException), "algorithm", communicator => communicator.Alltoall(new int[6], new int[6].AsSpan(), (AlltoallAlgorithm)99));
        yield return Case("AlltoallV with a send count per rank missing", typeof(ArgumentException), "sendCounts", communicator => communicator.AlltoallV<int>(new int[2], [1, 1], new int[3], [1, 1, 1]));
        yield return Case("AlltoallV with a negative receive count", typeof(ArgumentException), "receiveCounts", communicator => communicator.AlltoallV<int>(new int[3], [1, 1, 1], new int[1], [1, -1, 1]));
        yield return Case("AlltoallV with a send buffer longer than the send counts' total", typeof(ArgumentException), "send", communicator => communicator.AlltoallV<int>(new int[4], [1, 1, 1], new int[3], [1, 1, 1]));
        yield return Case("AlltoallVAsync with a receive buffer shorter than the receive counts' total", typeof(ArgumentException), "receive", communicator => _ = communicator.AlltoallVAsync<int>(new int[3], new[] { 1, 1, 1 }, new int[2], new[] { 1, 1, 1 }));
        yield return Case("Allreduce with an undefined algorithm", typeof(ArgumentOutOfRangeException), "algorithm", communicator => communicator.Allreduce(new int[4].AsSpan(), ReduceOp.Sum, (AllreduceAlgorithm)99));
        yield return Case("Broadcast with an undefined algorithm", typeof(ArgumentOutOfRangeException), "algorithm", communicator => communicator.Broadcast(new int[4].AsSpan(), 0, (BroadcastAlgorithm)99));
        yield return Case("Reduce with an undefined algorithm", typeof(ArgumentOutOfRangeException), "algorithm", communicator => communicator.Reduce(new int[4].AsSpan(), ReduceOp.Sum, 0, (ReduceAlgorithm)99));
    }

    [TestCaseSource(nameof(BadCalls))]
    public void A_bad_argument_throws_the_argument_exception_naming_the_parameter(Type exceptionType, string parameter, Action<Communicator> badCall)
    {
        using var job = new FaultJob(3, Timeout);

        RankOutcome[] outcomes = job.Run(rank => badCall);

        Assert.That(outcomes.Select(outcome => outcome.Failure), Has.All.TypeOf(exceptionType)
            .With.Property(nameof(ArgumentException.ParamName)).EqualTo(parameter));
    }

    [TestCaseSource(nameof(BadCalls))]
    public void A_bad_argument_does_not_break_the_communicator(Type exceptionType, string parameter, Action<Communicator> badCall)
    {
        using var job = new FaultJob(3, Timeout);
        job.Run(rank => badCall);

        RankOutcome[] outcomes = job.Run(rank => RankCall.Allreduce<int>(4).Invoke);

        Assert.That(outcomes.Select(outcome => outcome.Failure), Has.All.Null);
    }

    [Test]
    public void Reduce_ignores_the_receive_buffer_of_ranks_other_than_the_root()
    {
        using var job = new FaultJob(3, Timeout);
        int[] atRoot = new int[2];

        RankOutcome[] outcomes = job.Run(rank => communicator =>
            communicator.Reduce(new[] { rank, 1 }, rank == 0 ? atRoot.AsSpan() : Span<int>.Empty, ReduceOp.Sum, root: 0));

        Assert.That(outcomes.Select(outcome => outcome.Failure), Has.All.Null);
        Assert.That(atRoot, Is.EqualTo(new[] { 3, 3 }));
    }

    [Test]
    public async Task A_call_while_another_is_in_progress_on_the_same_communicator_throws_InvalidOperationException()
    {
        Communicator[] ranks = Communicator.CreateLocal(2, new CommunicatorOptions { Timeout = Timeout });
        try
        {
            ValueTask first = ranks[0].AllreduceAsync(new int[4].AsMemory(), ReduceOp.Sum);
            Assert.That(first.IsCompleted, Is.False, "the first call should wait for rank 1");

            Assert.That(() => ranks[0].Barrier(), Throws.TypeOf<InvalidOperationException>());
            Assert.That(async () => await ranks[0].BroadcastAsync(new int[4].AsMemory(), root: 0), Throws.TypeOf<InvalidOperationException>());

            await Task.Run(() => ranks[1].Allreduce(new int[4].AsSpan(), ReduceOp.Sum));
            Assert.That(async () => await first, Throws.Nothing, "the refused calls did not disturb the one in progress");
        }
        finally
        {
            foreach (Communicator rank in ranks)
            {
                await rank.DisposeAsync();
            }
        }
    }

    private static TestCaseData Case(string name, Type exceptionType, string parameter, Action<Communicator> call)
        => new TestCaseData(exceptionType, parameter, call).SetArgDisplayNames(name);
}
