using Collectives.Tests.NodeAware;
using Collectives.Tests.Support;

namespace Collectives.Tests.SubCommunicators;

/// <summary>
/// A child of a job whose ranks share one shared-memory segment works in windows of its own (a
/// segment its rank 0 creates during the split), apart from its parent's; over TCP a window
/// algorithm forced on it is refused, saying why.
/// </summary>
[Category("SharedMemory")]
[Platform("Linux")]
public class ChildAlgorithmTests
{
    [Test]
    public void A_child_of_a_shared_memory_job_runs_window_algorithms_in_a_segment_of_its_own()
    {
        // Ranks 1, 2 and 4 of five form the child; each contributes its parent rank + 1.
        var results = new float[5][];
        LocalJob.Run(5, options: null, parent =>
        {
            using Communicator? child = parent.Split(parent.Rank is 1 or 2 or 4 ? 0 : Communicator.NoColor, parent.Rank);
            if (child is not null)
            {
                float[] buffer = [parent.Rank + 1, 10 * (parent.Rank + 1)];
                child.Allreduce(buffer.AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.SharedMemoryFlat);
                results[parent.Rank] = buffer;
            }
        }, TestTransport.SharedMemory);

        Assert.That(new[] { results[1], results[2], results[4] }, Has.All.EqualTo(new float[] { 2 + 3 + 5, 20 + 30 + 50 }));
    }

    [Test]
    public void Window_calls_of_a_parent_and_its_children_interleave_without_waiting_on_each_other()
    {
        // Every rank steps in the job's segment, then in its half's, then in the job's again: the
        // sequence words of one segment never see the other's steps.
        var sums = new int[4][];
        LocalJob.Run(4, options: null, parent =>
        {
            using Communicator half = parent.Split(parent.Rank % 2, parent.Rank)!;
            int[] inParent = [1];
            int[] inHalf = [parent.Rank];
            for (int round = 0; round < 20; round++)
            {
                inParent[0] = 1;
                parent.Allreduce(inParent.AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.SharedMemoryFlat);
                inHalf[0] = parent.Rank;
                half.Allreduce(inHalf.AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.SharedMemoryFlat);
                half.Barrier(BarrierAlgorithm.SharedMemory);
            }

            sums[parent.Rank] = [inParent[0], inHalf[0]];
        }, TestTransport.SharedMemory);

        Assert.That(sums, Is.EqualTo(new[] { new[] { 4, 0 + 2 }, [4, 1 + 3], [4, 0 + 2], [4, 1 + 3] }));
    }

    [Test]
    public void Children_leave_no_segment_in_dev_shm()
    {
        string[] before = Directory.GetFiles("/dev/shm");
        LocalJob.Run(4, options: null, parent =>
        {
            using Communicator half = parent.Split(parent.Rank / 2, parent.Rank)!;
            using Communicator copy = half.Duplicate();
            copy.Barrier();
        }, TestTransport.SharedMemory);

        Assert.That(Directory.GetFiles("/dev/shm").Except(before), Is.Empty);
    }

    [Test]
    public async Task A_split_by_host_of_a_job_across_hosts_runs_window_algorithms_in_each_hosts_child()
    {
        // Hosts of 2 and 3 ranks, each with its shared-memory segment: a child per host works in
        // windows of its own; a child with a rank of each host spans them and passes messages.
        int[] ranksPerHost = [2, 3];
        var results = new int[5][];
        var refusals = new Exception?[5];
        await HostedJob.RunAsync(ranksPerHost, null, async parent =>
        {
            int host = parent.Rank < 2 ? 0 : 1;
            await using Communicator onHost = (await parent.SplitAsync(host, parent.Rank))!;
            int[] buffer = [parent.Rank];
            onHost.Allreduce(buffer.AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.SharedMemoryFlat);
            results[parent.Rank] = buffer;

            await using Communicator? acrossHosts = await parent.SplitAsync(parent.Rank is 1 or 2 ? 0 : Communicator.NoColor, parent.Rank);
            if (acrossHosts is not null)
            {
                refusals[parent.Rank] = Assert.Catch(() => acrossHosts.Barrier(BarrierAlgorithm.SharedMemory));
            }
        }, HostLink.SharedMemory);

        Assert.That(results, Is.EqualTo(new[] { new[] { 0 + 1 }, [0 + 1], [2 + 3 + 4], [2 + 3 + 4], [2 + 3 + 4] }));
        Assert.That(refusals[1..3], Has.All.InstanceOf<NotSupportedException>());
    }

    [Test]
    public void A_window_algorithm_forced_on_a_child_over_TCP_is_refused_saying_why()
    {
        var refusals = new Exception?[2];
        LocalJob.Run(2, options: null, parent =>
        {
            using Communicator child = parent.Duplicate();
            refusals[parent.Rank] = Assert.Catch(() => child.Allreduce(new float[4].AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.SharedMemoryFlat));
        }, TestTransport.Tcp);

        Assert.That(refusals, Has.All.InstanceOf<NotSupportedException>().With.Message.Contains("shared-memory segment"));
    }
}
