namespace Collectives.Tests.Correctness;

/// <summary>
/// The heart of the correctness matrix, as a full product: every algorithm of Allreduce, Reduce and
/// Broadcast, on every rank count, for float and int Sum, over counts that hit the edge cases
/// (nothing, one element, fewer elements than ranks, one element past a segment, many segments),
/// in place and out of place, at every root.
/// </summary>
internal static class HeartMatrix
{
    /// <summary>A small segment, so that the multi-segment and pipelined paths run on small counts.</summary>
    public const int SmallSegmentSize = 256;

    /// <summary>1 to 9 (powers of two and not, every non-power-of-two fold shape) and 13 (a larger odd count).</summary>
    public static readonly IReadOnlyList<int> RankCounts = [1, 2, 3, 4, 5, 6, 7, 8, 9, 13];

    /// <summary>
    /// 0; 1; 7 (fewer elements than 8, 9 or 13 ranks, so some ranks' shares are empty); 65 (a 256-byte
    /// segment holds 64 four-byte elements: one element spills into a second segment); 1000 (16 segments).
    /// </summary>
    public static readonly IReadOnlyList<int> Counts = [0, 1, 7, 65, 1000];

    /// <summary>
    /// A large segment: the library's default before it grew to 1 MiB. The matrices' large cases
    /// run with it, so that a count over one segment stays small enough for the suite's time; the
    /// multi-segment paths are the same code whatever the segment's size.
    /// </summary>
    public const int LargeSegmentSize = 256 * 1024;

    /// <summary>A count over <see cref="LargeSegmentSize"/>: 70 000 four-byte elements is 280 000 bytes, over 256 KiB.</summary>
    public const int OverLargeSegmentCount = 70_000;

    /// <summary>Rank counts at which the large segment runs: a non-power of two, a power of two, and the largest.</summary>
    public static readonly IReadOnlyList<int> LargeSegmentRankCounts = [3, 8, 13];

    /// <summary>A count over <see cref="CommunicatorOptions.DefaultSegmentSize"/>: 270 000 four-byte elements is 1 080 000 bytes, over 1 MiB.</summary>
    public const int OverDefaultSegmentCount = 270_000;

    private static readonly ElementPrimitive[] Elements = [ElementPrimitive.Float, ElementPrimitive.Int];

    public static IEnumerable<TestCaseData> Cases()
        => SmallSegmentCases().Concat(LargeSegmentCases()).Concat(DefaultSegmentCases()).Select(testCase => new TestCaseData(testCase).SetName(testCase.ToString()));

    /// <summary>
    /// The full product with 256-byte segments. Every root for p &lt;= 9; for 13 ranks the first,
    /// second, middle and last. Measured on 2 cores: about 6.6 ms per case (starting the rank
    /// threads dominates), so the 3 540 cases take some 25 s once every algorithm runs; the root
    /// dimension therefore keeps every count instead of being trimmed.
    /// </summary>
    public static IEnumerable<CollectiveCase> SmallSegmentCases() =>
        from algorithm in CollectiveAlgorithm.All
        from ranks in RankCounts
        from root in Roots(algorithm, ranks)
        from element in Elements
        from count in Counts
        from placement in Placements(algorithm)
        select new CollectiveCase(algorithm, element, ReduceOp.Sum, ranks, count, root, placement, ApiStyle.Blocking, SmallSegmentSize);

    /// <summary>A large segment, with a count above it, at a few rank counts; first and last root.</summary>
    public static IEnumerable<CollectiveCase> LargeSegmentCases() =>
        from algorithm in CollectiveAlgorithm.All
        from ranks in LargeSegmentRankCounts
        from root in algorithm.IsRooted ? new[] { 0, ranks - 1 } : [-1]
        from element in Elements
        from placement in Placements(algorithm)
        select new CollectiveCase(algorithm, element, ReduceOp.Sum, ranks, OverLargeSegmentCount, root, placement, ApiStyle.Blocking, LargeSegmentSize);

    /// <summary>The real default segment size, with a count above it: 3 ranks, float, the last root.</summary>
    public static IEnumerable<CollectiveCase> DefaultSegmentCases() =>
        from algorithm in CollectiveAlgorithm.All
        from placement in Placements(algorithm)
        select new CollectiveCase(algorithm, ElementPrimitive.Float, ReduceOp.Sum, 3, OverDefaultSegmentCount, algorithm.IsRooted ? 2 : -1, placement, ApiStyle.Blocking, CommunicatorOptions.DefaultSegmentSize);

    /// <summary>
    /// The shared-memory algorithms: every rank count and count with 256-byte segments, and the
    /// count over the default segment size at a few rank counts; first and last root.
    /// </summary>
    public static IEnumerable<TestCaseData> SharedMemoryCases()
    {
        IEnumerable<CollectiveCase> small =
            from algorithm in CollectiveAlgorithm.SharedMemory
            from ranks in RankCounts
            from root in algorithm.IsRooted ? new[] { 0, ranks - 1 }.Distinct() : [-1]
            from element in Elements
            from count in Counts
            from placement in Placements(algorithm)
            select new CollectiveCase(algorithm, element, ReduceOp.Sum, ranks, count, root, placement, ApiStyle.Blocking, SmallSegmentSize);
        IEnumerable<CollectiveCase> large =
            from algorithm in CollectiveAlgorithm.SharedMemory
            from ranks in LargeSegmentRankCounts
            from root in algorithm.IsRooted ? new[] { 0, ranks - 1 } : [-1]
            from element in Elements
            from placement in Placements(algorithm)
            select new CollectiveCase(algorithm, element, ReduceOp.Sum, ranks, OverLargeSegmentCount, root, placement, ApiStyle.Blocking, LargeSegmentSize);
        return small.Concat(large).Select(testCase => new TestCaseData(testCase).SetName(testCase.ToString()));
    }

    // Gather and scatter move blocks to and from the root by the same tree as broadcast and reduce,
    // whose every root the heart covers: the first, the middle and the last root cover their
    // rotations (none, some, all) without tripling the heart's time; the pairwise rows add the rest.
    private static IEnumerable<int> Roots(CollectiveAlgorithm algorithm, int ranks)
        => !algorithm.IsRooted ? [-1]
            : algorithm.Kind is CollectiveKind.Gather or CollectiveKind.Scatter ? new[] { 0, ranks / 2, ranks - 1 }.Distinct()
            : ranks <= 9 ? Enumerable.Range(0, ranks)
            : [0, 1, ranks / 2, ranks - 1];

    private static IEnumerable<Placement> Placements(CollectiveAlgorithm algorithm)
        => algorithm.HasPlacements ? [Placement.InPlace, Placement.OutOfPlace] : [Placement.InPlace];
}
