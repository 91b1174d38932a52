namespace Collectives.Selection;

/// <summary>
/// Picks an algorithm for a call: the first matching rule of the user's overrides, then of the
/// built-in table. Every rank must see the same rules; a rank that picks differently is caught by
/// the call signature (<see cref="CollectiveMismatchException"/>).
/// </summary>
internal sealed class AlgorithmSelector
{
    private static readonly IReadOnlyList<SelectionRule> Defaults = SelectionTable.Parse(DefaultSelection.Table, "the built-in table");
    private readonly SelectionRule[] _rules;

    public AlgorithmSelector(IEnumerable<SelectionRule> overrides) => _rules = [.. overrides, .. Defaults];

    public byte Select(CollectiveKind kind, long bytes, int ranks)
    {
        foreach (SelectionRule rule in _rules)
        {
            if (rule.Matches(kind, bytes, ranks))
            {
                return rule.Algorithm;
            }
        }

        throw new InvalidOperationException($"No algorithm selection rule covers {kind} of {bytes} bytes on {ranks} ranks.");
    }
}
