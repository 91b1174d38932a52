using Collectives.Tests.Support;

namespace Collectives.Tests.Correctness;

/// <summary>
/// The rest of the matrix, pairwise: every algorithm, element type, operation, rank count, count,
/// root, placement and API form, such that every valid pair of values of any two of these
/// dimensions is tested together at least once (<see cref="PairwiseGenerator"/>).
/// </summary>
/// <remarks>
/// A dimension that a collective ignores is pinned for it by the constraint, instead of being left
/// free: Allreduce always takes the "first" root, a broadcast is always "in place", and a broadcast's
/// op is only Sum (primitive elements) or MinLoc (<see cref="ValueIndex{TValue}"/> elements). Rows
/// then never spend a pair on a value that changes nothing, so for instance every (root, op) pair
/// is covered by a Reduce row, where the root matters.
/// </remarks>
internal static class PairwiseMatrix
{
    /// <summary>The segment size of every row: small, so that counts above 64 bytes take several segments.</summary>
    public const int SegmentSize = 256;

    public static readonly IReadOnlyList<CollectiveAlgorithm> Algorithms = CollectiveAlgorithm.All;

    public static readonly IReadOnlyList<ElementPrimitive> Elements = Enum.GetValues<ElementPrimitive>();

    public static readonly IReadOnlyList<ReduceOp> Ops = Enum.GetValues<ReduceOp>();

    public static readonly IReadOnlyList<int> RankCounts = HeartMatrix.RankCounts;

    /// <summary>As in the heart; 65 elements spill past one 256-byte segment for every element size.</summary>
    public static readonly IReadOnlyList<int> Counts = HeartMatrix.Counts;

    public static readonly IReadOnlyList<RootChoice> Roots = Enum.GetValues<RootChoice>();

    public static readonly IReadOnlyList<Placement> Placements = Enum.GetValues<Placement>();

    public static readonly IReadOnlyList<ApiStyle> Apis = Enum.GetValues<ApiStyle>();

    /// <summary>Number of values of each dimension, in <see cref="Axis"/> order.</summary>
    public static IReadOnlyList<int> DimensionSizes { get; } =
        [Algorithms.Count, Elements.Count, Ops.Count, RankCounts.Count, Counts.Count, Roots.Count, Placements.Count, Apis.Count];

    /// <summary>The dimensions, in the order of <see cref="DimensionSizes"/>.</summary>
    public enum Axis
    {
        Algorithm,
        Element,
        Op,
        Ranks,
        Count,
        Root,
        Placement,
        Api,
    }

    public static IEnumerable<TestCaseData> Cases()
    {
        // Two rows can differ only in a root choice that maps to the same rank (p = 2: "last",
        // "middle" and "second" are all rank 1); the suffix keeps their names apart.
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (CollectiveCase testCase in Rows().Select(ToCase))
        {
            string name = testCase.ToString();
            int occurrence = seen[name] = seen.GetValueOrDefault(name) + 1;
            yield return new TestCaseData(testCase).SetName(occurrence == 1 ? name : $"{name}_variant_{occurrence}");
        }
    }

    /// <summary>
    /// The same rows with each algorithm replaced by a shared-memory algorithm of the same
    /// collective (alternating where there are several), so every element type, operation, rank
    /// count, count, root, placement and API meets them.
    /// </summary>
    public static IEnumerable<TestCaseData> SharedMemoryCases()
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        int row = 0;
        foreach (CollectiveCase original in Rows().Select(ToCase))
        {
            CollectiveAlgorithm[] candidates = [.. CollectiveAlgorithm.SharedMemory.Where(algorithm => algorithm.Kind == original.Algorithm.Kind)];
            CollectiveCase testCase = original with { Algorithm = candidates[row++ % candidates.Length] };
            string name = testCase.ToString();
            int occurrence = seen[name] = seen.GetValueOrDefault(name) + 1;
            yield return new TestCaseData(testCase).SetName(occurrence == 1 ? name : $"{name}_variant_{occurrence}");
        }
    }

    public static IReadOnlyList<int[]> Rows() => PairwiseGenerator.Generate(DimensionSizes, IsValid);

    /// <summary>The pair constraint; see the remarks on <see cref="PairwiseMatrix"/>.</summary>
    public static bool IsValid(int firstDimension, int firstValue, int secondDimension, int secondValue)
        => ((Axis)firstDimension, (Axis)secondDimension) switch
        {
            (Axis.Element, Axis.Op) => Elements[firstValue].Supports(Ops[secondValue]),
            (Axis.Algorithm, Axis.Op) => Algorithms[firstValue].Reduces || Ops[secondValue] is ReduceOp.Sum or ReduceOp.MinLoc,
            (Axis.Algorithm, Axis.Root) => Algorithms[firstValue].IsRooted || Roots[secondValue] == RootChoice.First,
            (Axis.Algorithm, Axis.Placement) => Algorithms[firstValue].HasPlacements || Placements[secondValue] == Placement.InPlace,
            _ => true,
        };

    public static CollectiveCase ToCase(int[] row)
    {
        CollectiveAlgorithm algorithm = Algorithms[row[(int)Axis.Algorithm]];
        int ranks = RankCounts[row[(int)Axis.Ranks]];
        return new CollectiveCase(
            algorithm,
            Elements[row[(int)Axis.Element]],
            Ops[row[(int)Axis.Op]],
            ranks,
            Counts[row[(int)Axis.Count]],
            algorithm.IsRooted ? Roots[row[(int)Axis.Root]].RankIn(ranks) : -1,
            Placements[row[(int)Axis.Placement]],
            Apis[row[(int)Axis.Api]],
            SegmentSize);
    }
}
