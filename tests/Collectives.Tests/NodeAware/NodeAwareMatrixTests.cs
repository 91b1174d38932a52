using Collectives.Catalog;
using Collectives.Tests.Correctness;
using Collectives.Tests.Support;
using Collectives.Transport.Hybrid;
using CollectiveAlgorithm = Collectives.Tests.Correctness.CollectiveAlgorithm;

namespace Collectives.Tests.NodeAware;

/// <summary>
/// Every node-aware algorithm but the barrier's (Allreduce, Reduce, Broadcast, Allgather, ReduceScatter, Gather, Scatter), on jobs spread over hosts of
/// equal and unequal sizes (a host of one rank among them), agrees with the sequential reference
/// as the correctness matrix checks it: every Allreduce rank bitwise equal to rank 0, broadcasts
/// bitwise equal to the root's data. Roots include a rank that is not its host's lowest, so the
/// root leads its own host. Counts cover nothing, fewer elements than ranks (empty slices), one
/// element past a 256-byte segment, and many large (256 KiB) segments.
/// </summary>
public class NodeAwareMatrixTests
{
    private static readonly int[][] Layouts = [[2, 2], [1, 2, 3], [3, 1], [2, 2, 2]];
    private static readonly int[] Counts = [0, 1, 7, 65, HeartMatrix.OverLargeSegmentCount];

    public static IEnumerable<TestCaseData> Cases() =>
        from layout in Layouts
        let hosts = HostedJob.Layout(layout)
        from row in AlgorithmCatalog.All
        where row.Model == ExecutionModel.NodeAware && row.Collective != CollectiveKind.Barrier && (!row.NeedsEvenHosts || hosts.IsEven)
        let algorithm = new CollectiveAlgorithm(row.Collective, row.Value)
        from root in algorithm.IsRooted ? Roots(hosts) : [-1]
        from element in new[] { ElementPrimitive.Float, ElementPrimitive.Int }
        from count in Counts
        from placement in algorithm.HasPlacements ? new[] { Placement.InPlace, Placement.OutOfPlace } : [Placement.InPlace]
        let segmentSize = count == HeartMatrix.OverLargeSegmentCount ? HeartMatrix.LargeSegmentSize : HeartMatrix.SmallSegmentSize
        let api = count % 2 == 0 ? ApiStyle.Blocking : ApiStyle.Async
        from link in Enum.GetValues<HostLink>()

        // Inside shared-memory hosts the phases run in windows: the even layouts and the one with a lone rank cover them.
        where link == HostLink.InProcess || layout.Length == 2 && (element == ElementPrimitive.Float) == (count % 2 == 1) || layout[0] == 1
        let testCase = new CollectiveCase(algorithm, element, ReduceOp.Sum, hosts.Size, count, root, placement, api, segmentSize)
        select new TestCaseData(testCase, layout, link).SetName($"{testCase}_on_hosts_of_{string.Join("_", layout)}_ranks_linked_{link}");

    [TestCaseSource(nameof(Cases))]
    public Task Node_aware_collective_matches_its_contract(CollectiveCase testCase, int[] ranksPerHost, HostLink link) => testCase.Element switch
    {
        ElementPrimitive.Float => RunAndVerifyAsync<float>(testCase, ranksPerHost, link),
        _ => RunAndVerifyAsync<int>(testCase, ranksPerHost, link),
    };

    [TestCase(new[] { 2, 2 }, HostLink.InProcess)]
    [TestCase(new[] { 1, 2, 3 }, HostLink.InProcess)]
    [TestCase(new[] { 3, 1 }, HostLink.InProcess)]
    [TestCase(new[] { 1, 2, 3 }, HostLink.SharedMemory)]
    public async Task Node_aware_barrier_lets_no_rank_leave_before_every_rank_entered(int[] ranksPerHost, HostLink link)
    {
        int size = ranksPerHost.Sum();
        int entered = 0;
        var seenOnLeaving = new int[size];
        await HostedJob.RunAsync(ranksPerHost, new CommunicatorOptions { Timeout = CaseRunner.CallTimeout }, async communicator =>
        {
            // The last rank enters late, so a barrier that let anyone through early would show it.
            await Task.Delay(communicator.Rank == size - 1 ? 200 : 0);
            Interlocked.Increment(ref entered);
            await communicator.BarrierAsync(BarrierAlgorithm.NodeLeaders);
            seenOnLeaving[communicator.Rank] = Volatile.Read(ref entered);
        }, link);

        Assert.That(seenOnLeaving, Has.All.EqualTo(size));
    }

    // The first and last rank, and the first rank that is not its host's lowest.
    private static IEnumerable<int> Roots(HostLayout hosts)
        => new[] { 0, hosts.Size - 1, Enumerable.Range(0, hosts.Size).First(rank => hosts.LocalIndex(rank) > 0) }.Distinct();

    private static async Task RunAndVerifyAsync<T>(CollectiveCase testCase, int[] ranksPerHost, HostLink link)
        where T : unmanaged
    {
        T[][] inputs = CaseExecution.Inputs<T>(testCase);
        RankBuffers<T>[] buffers = [.. Enumerable.Range(0, testCase.Ranks).Select(rank => RankBuffers<T>.Prepare(testCase, rank, inputs[rank]))];
        var options = new CommunicatorOptions { SegmentSize = testCase.SegmentSize, Timeout = CaseRunner.CallTimeout };
        await HostedJob.RunAsync(ranksPerHost, options, async communicator =>
        {
            if (testCase.Api == ApiStyle.Blocking)
            {
                CaseRunner.CallBlocking(testCase, communicator, buffers[communicator.Rank]);
            }
            else
            {
                await CaseRunner.CallAsync(testCase, communicator, buffers[communicator.Rank]);
            }
        }, link);

        CaseVerifier.Verify(testCase, inputs, buffers);
    }
}
