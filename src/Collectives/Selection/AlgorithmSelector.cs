using Collectives.Diagnostics;

namespace Collectives.Selection;

/// <summary>
/// Picks an algorithm for a call: the first matching rule of the user's overrides, then of the
/// built-in table. Every rank must see the same rules; a rank that picks differently is caught by
/// the call signature (<see cref="CollectiveMismatchException"/>).
/// </summary>
internal sealed class AlgorithmSelector
{
    private static readonly IReadOnlyList<SelectionRule> Defaults = SelectionTable.Parse(DefaultSelection.Table, "the built-in table");
    private static readonly IReadOnlyList<SelectionRule> SharedMemoryDefaults = SelectionTable.Parse(DefaultSelection.SharedMemoryTable, "the built-in shared-memory table");
    private readonly SelectionRule[] _rules;
    private readonly SelectionRule[] _sharedMemoryRules;

    public AlgorithmSelector(IEnumerable<SelectionRule> overrides)
    {
        SelectionRule[] given = [.. overrides];
        _rules = [.. given.Where(rule => !CollectiveNames.IsSharedMemory(rule.Kind, rule.Algorithm)), .. Defaults];
        _sharedMemoryRules = [.. given, .. SharedMemoryDefaults, .. Defaults];
    }

    /// <summary>
    /// The algorithm for a call. Rules naming shared-memory algorithms apply only when
    /// <paramref name="sharedMemory"/> (the whole communicator shares one segment).
    /// </summary>
    public byte Select(CollectiveKind kind, long bytes, int ranks, bool sharedMemory = false)
    {
        foreach (SelectionRule rule in sharedMemory ? _sharedMemoryRules : _rules)
        {
            if (rule.Matches(kind, bytes, ranks))
            {
                return rule.Algorithm;
            }
        }

        throw new InvalidOperationException($"No algorithm selection rule covers {kind} of {bytes} bytes on {ranks} ranks.");
    }
}
