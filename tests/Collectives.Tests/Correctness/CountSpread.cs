namespace Collectives.Tests.Correctness;

/// <summary>How an AllgatherV's counts are spread over the ranks.</summary>
public enum CountSpread
{
    /// <summary>1 to 70 elements each, all different; a 256-byte segment holds 64.</summary>
    Uneven,

    /// <summary>Every third rank (from rank 1) sends nothing.</summary>
    SomeEmpty,

    /// <summary>The middle rank sends 300 elements, the others nothing.</summary>
    OneRankHasAll,

    /// <summary>Nobody sends anything.</summary>
    AllEmpty,

    /// <summary>1 500 elements and 700 more per rank: several 4 KiB window chunks, a different number per rank.</summary>
    Large,
}

/// <summary>The counts each <see cref="CountSpread"/> gives the ranks.</summary>
public static class CountSpreads
{
    /// <summary>Every rank's count under <paramref name="spread"/> on <paramref name="ranks"/> ranks.</summary>
    /// <param name="spread">The spread.</param>
    /// <param name="ranks">Number of ranks.</param>
    /// <returns>One count per rank.</returns>
    public static int[] CountsOn(this CountSpread spread, int ranks) =>
    [
        .. Enumerable.Range(0, ranks).Select(rank => spread switch
        {
            CountSpread.Uneven => ((rank * 37) + 11) % 70 + 1,
            CountSpread.SomeEmpty => rank % 3 == 1 ? 0 : rank + 1,
            CountSpread.OneRankHasAll => rank == ranks / 2 ? 300 : 0,
            CountSpread.AllEmpty => 0,
            _ => 1500 + (700 * rank),
        }),
    ];
}
