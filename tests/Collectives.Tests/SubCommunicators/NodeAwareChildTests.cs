using Collectives.Catalog;
using Collectives.Tests.Correctness;
using Collectives.Tests.NodeAware;
using Collectives.Tests.Support;
using Collectives.Transport.Hybrid;
using CollectiveAlgorithm = Collectives.Tests.Correctness.CollectiveAlgorithm;

namespace Collectives.Tests.SubCommunicators;

/// <summary>
/// A communicator split off a job across hosts knows where its own ranks run: where they span hosts
/// and some host runs several, it runs the node-aware algorithms (its ranks on each host working in
/// a segment of their own when the host gives them shared memory) and they agree with the
/// sequential reference, whether its ranks keep the parent's order or interleave the hosts; where
/// it has one rank per host it refuses them, naming its layout.
/// </summary>
public class NodeAwareChildTests
{
    // The parent runs hosts of 3 ranks (0-2 and 3-5); rank 2 and rank 5 join no child.
    private static readonly int[] ParentHosts = [3, 3];

    public static IEnumerable<TestCaseData> Cases() =>
        from order in Enum.GetValues<ChildOrder>()
        let layout = ChildLayout(order)
        from row in AlgorithmCatalog.All
        where row.Model == ExecutionModel.NodeAware && row.Collective != CollectiveKind.Barrier && (!row.NeedsEvenHosts || layout.IsEven)
        let algorithm = new CollectiveAlgorithm(row.Collective, row.Value)
        from root in algorithm.IsRooted ? new[] { 0, 3 } : [-1]
        from count in new[] { 7, HeartMatrix.OverLargeSegmentCount }
        from link in Enum.GetValues<HostLink>()
        where link == HostLink.SharedMemory || order == ChildOrder.ParentOrder
        let segmentSize = count == HeartMatrix.OverLargeSegmentCount ? HeartMatrix.LargeSegmentSize : HeartMatrix.SmallSegmentSize
        let testCase = new CollectiveCase(algorithm, ElementPrimitive.Float, ReduceOp.Sum, layout.Size, count, root, Placement.OutOfPlace, ApiStyle.Async, segmentSize)
        select new TestCaseData(testCase, order, link).SetName($"{testCase}_in_a_child_in_{order}_linked_{link}");

    /// <summary>How the child's ranks are ordered against the parent's.</summary>
    public enum ChildOrder
    {
        /// <summary>Parent ranks 0, 1, 3, 4: the child's ranks 0-1 on one host, 2-3 on the other.</summary>
        ParentOrder,

        /// <summary>Parent ranks 0, 3, 1, 4: the child's ranks alternate between the hosts.</summary>
        Interleaved,
    }

    [TestCaseSource(nameof(Cases))]
    [Category("SharedMemory")]
    [Platform("Linux")]
    public async Task Node_aware_collective_in_a_child_spanning_hosts_matches_its_contract(CollectiveCase testCase, ChildOrder order, HostLink link)
    {
        float[][] inputs = CaseExecution.Inputs<float>(testCase);
        RankBuffers<float>[] buffers = [.. Enumerable.Range(0, testCase.Ranks).Select(rank => RankBuffers<float>.Prepare(testCase, rank, inputs[rank]))];
        var options = new CommunicatorOptions { SegmentSize = testCase.SegmentSize, Timeout = CaseRunner.CallTimeout };
        await HostedJob.RunAsync(ParentHosts, options, async parent =>
        {
            await using Communicator? child = await parent.SplitAsync(Color(parent.Rank), Key(parent.Rank, order));
            if (child is not null)
            {
                await CaseRunner.CallAsync(testCase, child, buffers[child.Rank]);
            }
        }, link);

        CaseVerifier.Verify(testCase, inputs, buffers);
    }

    [Test]
    public async Task A_duplicate_of_a_job_across_hosts_runs_the_node_aware_barrier()
    {
        int entered = 0;
        var seenOnLeaving = new int[6];
        await HostedJob.RunAsync(ParentHosts, new CommunicatorOptions { Timeout = CaseRunner.CallTimeout }, async parent =>
        {
            await using Communicator copy = await parent.DuplicateAsync();

            // The last rank enters late, so a barrier that let anyone through early would show it.
            await Task.Delay(copy.Rank == 5 ? 200 : 0);
            Interlocked.Increment(ref entered);
            await copy.BarrierAsync(BarrierAlgorithm.NodeLeaders);
            seenOnLeaving[copy.Rank] = Volatile.Read(ref entered);
        }, HostLink.SharedMemory);

        Assert.That(seenOnLeaving, Has.All.EqualTo(6));
    }

    [Test]
    public async Task A_child_with_one_rank_per_host_refuses_a_node_aware_algorithm_naming_its_layout()
    {
        var refusals = new Exception?[6];
        await HostedJob.RunAsync(ParentHosts, null, async parent =>
        {
            await using Communicator? child = await parent.SplitAsync(parent.Rank is 0 or 3 ? 0 : Communicator.NoColor, parent.Rank);
            if (child is not null)
            {
                refusals[parent.Rank] = Assert.Catch(() => child.Allreduce(new float[4].AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.NodeLeaders));
            }
        });

        Assert.That(new[] { refusals[0], refusals[3] }, Has.All.InstanceOf<NotSupportedException>().With.Message.Contains("run 2 hosts of 1, 1 ranks, one per host"));
    }

    [Test]
    [Category("SharedMemory")]
    [Platform("Linux")]
    public async Task Children_spanning_hosts_leave_no_segment_in_dev_shm()
    {
        string[] before = Directory.GetFiles("/dev/shm");
        await HostedJob.RunAsync(ParentHosts, null, async parent =>
        {
            await using Communicator? child = await parent.SplitAsync(Color(parent.Rank), parent.Rank);
            await using Communicator? grandchild = child is null ? null : await child.DuplicateAsync();
            grandchild?.Allreduce(new float[16].AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.NodeLeaders);
        }, HostLink.SharedMemory);

        Assert.That(Directory.GetFiles("/dev/shm").Except(before), Is.Empty);
    }

    private static int Color(int parentRank) => parentRank is 2 or 5 ? Communicator.NoColor : 0;

    private static int Key(int parentRank, ChildOrder order) => order == ChildOrder.ParentOrder ? parentRank : parentRank % 3 * 2 + parentRank / 3;

    private static HostLayout ChildLayout(ChildOrder order)
        => HostedJob.Layout(ParentHosts).Restrict(order == ChildOrder.ParentOrder ? [0, 1, 3, 4] : [0, 3, 1, 4]);
}
