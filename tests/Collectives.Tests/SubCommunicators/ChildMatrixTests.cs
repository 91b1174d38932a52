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

    [TestCaseSource(nameof(Cases))]
    public Task Collective_on_a_child_matches_its_contract(CollectiveCase testCase, TestTransport transport) => ChildCaseRunner.RunAndVerifyAsync(testCase, transport);

    [Test]
    public Task Asynchronous_float_ring_allreduce_on_a_child_of_five_matches_the_sequential_sum([Values] TestTransport transport)
        => ChildCaseRunner.RunAndVerifyAsync(
            new CollectiveCase(new CollectiveAlgorithm(CollectiveKind.Allreduce, (byte)AllreduceAlgorithm.Ring), ElementPrimitive.Float, ReduceOp.Sum, 5, 1000, -1, Placement.OutOfPlace, ApiStyle.Async, CommunicatorOptions.DefaultSegmentSize),
            transport);
}
