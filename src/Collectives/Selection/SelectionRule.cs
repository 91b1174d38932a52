using Collectives.Catalog;

namespace Collectives.Selection;

/// <summary>
/// One row of the selection table: for <see cref="Kind"/> with a message of
/// [<see cref="MinBytes"/>, <see cref="MaxBytes"/>) bytes on [<see cref="MinRanks"/>, <see cref="MaxRanks"/>] ranks, use <see cref="Algorithm"/>
/// (when the communicator can run it).
/// </summary>
/// <param name="Kind">The collective.</param>
/// <param name="MinBytes">Smallest message size in bytes the rule covers.</param>
/// <param name="MaxBytes">Message sizes below this are covered; <see cref="long.MaxValue"/> for no limit.</param>
/// <param name="MinRanks">Smallest rank count covered.</param>
/// <param name="MaxRanks">Largest rank count covered.</param>
/// <param name="Algorithm">The algorithm, a row of <see cref="AlgorithmCatalog"/>.</param>
internal readonly record struct SelectionRule(CollectiveKind Kind, long MinBytes, long MaxBytes, int MinRanks, int MaxRanks, CollectiveAlgorithm Algorithm)
{
    public bool Matches(CollectiveKind kind, long bytes, int ranks)
        => kind == Kind && bytes >= MinBytes && bytes < MaxBytes && ranks >= MinRanks && ranks <= MaxRanks;
}
