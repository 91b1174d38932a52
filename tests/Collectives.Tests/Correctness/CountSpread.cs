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
