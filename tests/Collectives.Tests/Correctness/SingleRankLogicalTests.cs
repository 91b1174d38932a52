namespace Collectives.Tests.Correctness;

/// <summary>
/// Logical operations on a single rank. The contract says LogicalAnd/Or/Xor give exactly 1 or 0,
/// but with one rank there is nothing to combine, so an implementation that only normalises inside
/// its kernel hands back the raw input (5 instead of 1). The pairwise matrix holds each (1 rank,
/// logical op) pair only once, on whatever algorithm the generator picked, so this edge gets its
/// own small product: every reduction algorithm, every logical op, both placements and API forms.
/// </summary>
public class SingleRankLogicalTests
{
    public static IEnumerable<TestCaseData> Cases() =>
        from algorithm in CollectiveAlgorithm.All.Where(a => a.Reduces)
        from op in new[] { ReduceOp.LogicalAnd, ReduceOp.LogicalOr, ReduceOp.LogicalXor }
        from element in new[] { ElementPrimitive.Int, ElementPrimitive.ULong }
        from placement in Enum.GetValues<Placement>()
        from api in Enum.GetValues<ApiStyle>()
        let testCase = new CollectiveCase(algorithm, element, op, 1, 65, algorithm.IsRooted ? 0 : -1, placement, api, PairwiseMatrix.SegmentSize)
        select new TestCaseData(testCase).SetName(testCase.ToString());

    [TestCaseSource(nameof(Cases))]
    public Task Collective_matches_its_contract(CollectiveCase testCase) => CaseExecution.RunAndVerifyAsync(testCase);
}
