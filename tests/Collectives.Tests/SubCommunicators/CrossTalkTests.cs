using Collectives.Tests.Support;

namespace Collectives.Tests.SubCommunicators;

/// <summary>
/// A sub-communicator shares its parent's transport, and the communicator's identity in every
/// message's tag keeps their calls apart: ranks that make a child's call and a parent's call in
/// different orders get a <see cref="CollectiveMismatchException"/> naming both communicators,
/// never each other's data; one rank making two calls at once is refused before anything is sent.
/// </summary>
public class CrossTalkTests
{
    private static readonly CommunicatorOptions Options = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Message transports: a shared-memory parent would run its call in windows, which see no tags (see the next test).</summary>
    [Test]
    public void A_child_call_and_a_parent_call_in_different_orders_mismatch([Values(TestTransport.InProcess, TestTransport.Tcp)] TestTransport transport, [Values(2, 3)] int size)
    {
        var firstCalls = new int[size][];
        Exception?[] failures = LocalJob.RunCollectingFailures(size, Options, parent =>
        {
            using Communicator child = parent.Duplicate();

            // The last rank calls the parent first; the others call the child first.
            (Communicator first, Communicator second) = parent.Rank == size - 1 ? (parent, child) : (child, parent);
            int[] data = [parent.Rank + 1, 100];
            firstCalls[parent.Rank] = data;
            first.Allreduce(data.AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.RecursiveDoubling);
            second.Allreduce(data.AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.RecursiveDoubling);
        }, transport);

        Assert.Multiple(() =>
        {
            Assert.That(failures, Has.All.InstanceOf<CollectiveMismatchException>());
            foreach (CollectiveMismatchException mismatch in failures.OfType<CollectiveMismatchException>())
            {
                Assert.That(mismatch.Local.CommunicatorId, Is.Not.EqualTo(mismatch.Remote.CommunicatorId), mismatch.Message);
            }

            // The ranks in the child's call may have combined each other's data, never the last rank's;
            // the last rank, alone in the parent's call, took nothing of the child's.
            Assert.That(firstCalls[size - 1][1], Is.EqualTo(100), "the last rank's data");
            Assert.That(firstCalls.Take(size - 1).Select(data => data[1]), Is.All.LessThanOrEqualTo(100 * (size - 1)), "the other ranks' data");
        });
    }

    [Test]
    public void Calls_on_a_parent_and_its_child_in_different_orders_over_shared_memory_fail_on_every_rank_without_mixing_data()
    {
        var firstCalls = new int[2][];
        Exception?[] failures = LocalJob.RunCollectingFailures(2, new CommunicatorOptions { Timeout = TimeSpan.FromSeconds(2) }, parent =>
        {
            using Communicator child = parent.Duplicate();
            (Communicator first, Communicator second) = parent.Rank == 1 ? (parent, child) : (child, parent);
            int[] data = [parent.Rank + 1, 100];
            firstCalls[parent.Rank] = data;
            first.Allreduce(data.AsSpan(), ReduceOp.Sum);
            second.Allreduce(data.AsSpan(), ReduceOp.Sum);
        }, TestTransport.SharedMemory);

        Assert.Multiple(() =>
        {
            Assert.That(failures, Has.All.InstanceOf<CollectiveMismatchException>().Or.InstanceOf<CollectiveTimeoutException>());
            Assert.That(firstCalls.Select(data => data[1]), Is.All.EqualTo(100));
        });
    }

    [Test]
    public void Two_splits_of_one_parent_used_in_different_orders_mismatch()
    {
        Exception?[] failures = LocalJob.RunCollectingFailures(2, Options, parent =>
        {
            using Communicator first = parent.Split(0, parent.Rank)!;
            using Communicator second = parent.Split(0, parent.Rank)!;
            (Communicator a, Communicator b) = parent.Rank == 0 ? (first, second) : (second, first);
            a.Barrier();
            b.Barrier();
        });

        Assert.That(failures, Has.All.InstanceOf<CollectiveMismatchException>());
    }

    [Test]
    public async Task A_call_on_a_child_while_its_parent_has_one_in_progress_is_refused_and_both_go_on_working()
    {
        var sums = new int[2][];
        Exception? refused = null;
        var attempted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await LocalJob.RunAsync(2, Options, async parent =>
        {
            await using Communicator child = await parent.DuplicateAsync();
            int[] parentData = [parent.Rank + 1];
            if (parent.Rank == 0)
            {
                // Rank 1 joins only once the child's call was tried, so the parent's call is still in progress here.
                ValueTask pending = parent.AllreduceAsync<int>(parentData, parentData, ReduceOp.Sum);
                refused = Assert.Catch(() => child.Barrier());
                attempted.SetResult();
                await pending;
            }
            else
            {
                await attempted.Task;
                await parent.AllreduceAsync<int>(parentData, parentData, ReduceOp.Sum);
            }

            int[] childData = [10 * (parent.Rank + 1)];
            await child.AllreduceAsync<int>(childData, childData, ReduceOp.Sum);
            sums[parent.Rank] = [parentData[0], childData[0]];
        });

        Assert.Multiple(() =>
        {
            Assert.That(refused, Is.InstanceOf<InvalidOperationException>());
            Assert.That(sums, Is.All.EqualTo(new[] { 3, 30 }));
        });
    }
}
