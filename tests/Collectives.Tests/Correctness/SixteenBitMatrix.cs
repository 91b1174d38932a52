namespace Collectives.Tests.Correctness;

/// <summary>
/// Half and BFloat16 through every algorithm: every reducing algorithm with Sum, Prod, Min and Max,
/// and every non-reducing one (which only moves the bytes), on rank counts with every fold shape,
/// with a count inside one 256-byte segment and one over two, both placements and both APIs.
/// The results are checked bit for bit against <see cref="Support.Reference"/>: the inputs make
/// every combine exact, so no combine order can change a bit (see <see cref="Support.ReductionInputs"/>).
/// </summary>
internal static class SixteenBitMatrix
{
    /// <summary>One rank, powers of two and not, and the largest.</summary>
    public static readonly IReadOnlyList<int> RankCounts = [1, 2, 3, 5, 8, 13];

    /// <summary>Shared-memory rank counts: a power of two and not.</summary>
    public static readonly IReadOnlyList<int> SharedMemoryRankCounts = [2, 5];

    /// <summary>7 (fewer elements than ranks for 8 and 13) and 300 (600 bytes: three 256-byte segments).</summary>
    public static readonly IReadOnlyList<int> Counts = [7, 300];

    private static readonly ElementPrimitive[] Elements = [ElementPrimitive.Half, ElementPrimitive.BFloat16];

    private static readonly ReduceOp[] Ops = [ReduceOp.Sum, ReduceOp.Prod, ReduceOp.Min, ReduceOp.Max];

    public static IEnumerable<TestCaseData> Cases() => Named(Product(CollectiveAlgorithm.All, RankCounts));

    public static IEnumerable<TestCaseData> SharedMemoryCases() => Named(Product(CollectiveAlgorithm.SharedMemory, SharedMemoryRankCounts));

    /// <summary>
    /// The product; the root is the last rank (so it is not rank 0 from two ranks on), and the
    /// placement and API follow the count, so each of the four forms meets every algorithm.
    /// </summary>
    private static IEnumerable<CollectiveCase> Product(IEnumerable<CollectiveAlgorithm> algorithms, IEnumerable<int> rankCounts) =>
        from algorithm in algorithms
        from element in Elements
        from op in algorithm.Reduces ? Ops : [ReduceOp.Sum]
        from ranks in rankCounts
        from count in Counts
        let placement = !algorithm.HasPlacements || (count == Counts[0]) == (ranks % 2 == 1) ? Placement.InPlace : Placement.OutOfPlace
        select new CollectiveCase(
            algorithm,
            element,
            op,
            ranks,
            count,
            algorithm.IsRooted ? ranks - 1 : -1,
            placement,
            count == Counts[0] ? ApiStyle.Blocking : ApiStyle.Async,
            PairwiseMatrix.SegmentSize);

    private static IEnumerable<TestCaseData> Named(IEnumerable<CollectiveCase> cases)
        => cases.Select(testCase => new TestCaseData(testCase).SetName(testCase.ToString()));
}
