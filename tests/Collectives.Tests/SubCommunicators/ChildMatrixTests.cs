using Collectives.Tests.Correctness;
using Collectives.Tests.Support;

namespace Collectives.Tests.SubCommunicators;

/// <summary>
/// The heart of the correctness matrix on a child communicator (see <see cref="ChildCaseRunner"/>):
/// every message algorithm of every collective, at a few child sizes and counts, over every
/// transport, against the same sequential references.
/// </summary>
public class ChildMatrixTests
{
    private static readonly int[] ChildSizes = [1, 3, 4];
    private static readonly int[] Counts = [0, 65];

    public static IEnumerable<TestCaseData> Cases() =>
        from testCase in HeartMatrix.SmallSegmentCases()
        where ChildSizes.Contains(testCase.Ranks) && Counts.Contains(testCase.Count)
            && testCase.Element == ElementPrimitive.Int && (testCase.Root <= 0 || testCase.Root == testCase.Ranks - 1)
        from transport in Enum.GetValues<TestTransport>()
        select new TestCaseData(testCase, transport).SetName($"{testCase}_on_a_child_over_{transport}");

    /// <summary>The shared-memory window algorithms on children of a job over shared memory, which get a segment of their own.</summary>
    public static IEnumerable<TestCaseData> WindowCases() =>
        from algorithm in CollectiveAlgorithm.SharedMemory
        from ranks in ChildSizes
        from root in algorithm.IsRooted ? new[] { 0, ranks - 1 }.Distinct() : [-1]
        from count in Counts
        from placement in algorithm.HasPlacements ? new[] { Placement.InPlace, Placement.OutOfPlace } : [Placement.InPlace]
        let testCase = new CollectiveCase(algorithm, ElementPrimitive.Int, ReduceOp.Sum, ranks, count, root, placement, ApiStyle.Blocking, HeartMatrix.SmallSegmentSize)
        select new TestCaseData(testCase).SetName($"{testCase}_on_a_child_in_its_own_segment");

    [TestCaseSource(nameof(WindowCases))]
    public Task Window_algorithm_on_a_child_matches_its_contract(CollectiveCase testCase) => ChildCaseRunner.RunAndVerifyAsync(testCase, TestTransport.SharedMemory);

    [TestCaseSource(nameof(Cases))]
    public Task Collective_on_a_child_matches_its_contract(CollectiveCase testCase, TestTransport transport) => ChildCaseRunner.RunAndVerifyAsync(testCase, transport);

    [Test]
    public Task Asynchronous_float_ring_allreduce_on_a_child_of_five_matches_the_sequential_sum([Values] TestTransport transport)
        => ChildCaseRunner.RunAndVerifyAsync(
            new CollectiveCase(new CollectiveAlgorithm(CollectiveKind.Allreduce, (byte)AllreduceAlgorithm.Ring), ElementPrimitive.Float, ReduceOp.Sum, 5, 1000, -1, Placement.OutOfPlace, ApiStyle.Async, CommunicatorOptions.DefaultSegmentSize),
            transport);
}
