using Collectives.Catalog;
using Collectives.Offload;

namespace Collectives.Selection;

/// <summary>
/// Picks an algorithm for a call: the first rule that matches the call and names an algorithm the
/// communicator can run (see <see cref="AlgorithmAvailability"/>), looking at the user's overrides,
/// then the built-in offload, shared-memory, node-aware and message tables. Every rank must see the same
/// rules; a rank that picks differently is caught by the call signature (<see cref="CollectiveMismatchException"/>).
/// </summary>
internal sealed class AlgorithmSelector
{
    private static readonly IReadOnlyList<SelectionRule> Defaults = SelectionTable.Parse(DefaultSelection.Table, "the built-in table");
    private static readonly IReadOnlyList<SelectionRule> SharedMemoryDefaults = SelectionTable.Parse(DefaultSelection.SharedMemoryTable, "the built-in shared-memory table");
    private static readonly IReadOnlyList<SelectionRule> OffloadDefaults = SelectionTable.Parse(DefaultSelection.OffloadTable, "the built-in offload table");
    private static readonly IReadOnlyList<SelectionRule> NodeAwareDefaults = SelectionTable.Parse(DefaultSelection.NodeAwareTable, "the built-in node-aware table");
    private readonly SelectionRule[] _rules;

    public AlgorithmSelector(IEnumerable<SelectionRule> overrides) => _rules = [.. overrides, .. OffloadDefaults, .. SharedMemoryDefaults, .. NodeAwareDefaults, .. Defaults];

    /// <summary>The built-in tables alone, without any user's overrides: what the phases of a node-aware algorithm run.</summary>
    public static AlgorithmSelector BuiltIn { get; } = new([]);

    /// <summary>The algorithm for a call of <paramref name="bytes"/> bytes on <paramref name="ranks"/> ranks.</summary>
    /// <param name="kind">The collective.</param>
    /// <param name="bytes">Bytes of one rank's buffer.</param>
    /// <param name="ranks">The communicator's size.</param>
    /// <param name="availability">What the communicator can run; rules naming anything else are passed over.</param>
    /// <param name="request">The call, as an offload engine is asked whether it takes it.</param>
    public CollectiveAlgorithm Select(CollectiveKind kind, long bytes, int ranks, AlgorithmAvailability availability, in OffloadRequest request = default)
    {
        int hosts = availability.HostCount;
        int perHost = availability.LargestHost ?? ranks;
        foreach (SelectionRule rule in _rules)
        {
            if (rule.Matches(kind, bytes, ranks, hosts, perHost) && availability.Offers(rule.Algorithm, request))
            {
                return rule.Algorithm;
            }
        }

        throw new InvalidOperationException($"No algorithm selection rule covers {kind} of {bytes} bytes on {ranks} ranks.");
    }
}
