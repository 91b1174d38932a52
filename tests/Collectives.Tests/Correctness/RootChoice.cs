namespace Collectives.Tests.Correctness;

/// <summary>A root rank described independently of the rank count, so that it can be a pairwise dimension.</summary>
internal enum RootChoice
{
    /// <summary>Rank 0.</summary>
    First,

    /// <summary>Rank p - 1.</summary>
    Last,

    /// <summary>Rank p / 2.</summary>
    Middle,

    /// <summary>Rank 1 (rank 0 when p = 1).</summary>
    Second,
}
