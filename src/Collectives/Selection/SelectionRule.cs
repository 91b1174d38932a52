using Collectives.Catalog;

namespace Collectives.Selection;

/// <summary>
/// One row of the selection table: for <see cref="Kind"/> with a message of
/// [<see cref="MinBytes"/>, <see cref="MaxBytes"/>) bytes on [<see cref="MinRanks"/>, <see cref="MaxRanks"/>] ranks
/// (on [<see cref="MinHosts"/>, <see cref="MaxHosts"/>] hosts, the most crowded running [<see cref="MinPerHost"/>, <see cref="MaxPerHost"/>] of them),
/// use <see cref="Algorithm"/> (when the communicator can run it).
/// </summary>
/// <param name="Kind">The collective.</param>
/// <param name="MinBytes">Smallest message size in bytes the rule covers.</param>
/// <param name="MaxBytes">Message sizes below this are covered; <see cref="long.MaxValue"/> for no limit.</param>
/// <param name="MinRanks">Smallest rank count covered.</param>
/// <param name="MaxRanks">Largest rank count covered.</param>
/// <param name="Algorithm">The algorithm, a row of <see cref="AlgorithmCatalog"/>.</param>
internal readonly record struct SelectionRule(CollectiveKind Kind, long MinBytes, long MaxBytes, int MinRanks, int MaxRanks, CollectiveAlgorithm Algorithm)
{
    /// <summary>Fewest hosts covered.</summary>
    public int MinHosts { get; init; } = 1;

    /// <summary>Most hosts covered.</summary>
    public int MaxHosts { get; init; } = int.MaxValue;

    /// <summary>Fewest ranks on the most crowded host covered.</summary>
    public int MinPerHost { get; init; } = 1;

    /// <summary>Most ranks on the most crowded host covered.</summary>
    public int MaxPerHost { get; init; } = int.MaxValue;

    /// <summary>Whether the rule covers the call.</summary>
    /// <param name="kind">The collective.</param>
    /// <param name="bytes">The bytes the call is selected by.</param>
    /// <param name="ranks">The communicator's size.</param>
    /// <param name="hosts">The hosts its ranks run on.</param>
    /// <param name="perHost">Its ranks on the most crowded host.</param>
    public bool Matches(CollectiveKind kind, long bytes, int ranks, int hosts, int perHost)
        => kind == Kind && bytes >= MinBytes && bytes < MaxBytes && ranks >= MinRanks && ranks <= MaxRanks
            && hosts >= MinHosts && hosts <= MaxHosts && perHost >= MinPerHost && perHost <= MaxPerHost;
}
