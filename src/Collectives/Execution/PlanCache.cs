namespace Collectives.Execution;

/// <summary>
/// The last few plans of each collective on one communicator, by <see cref="CallShape"/>, so that
/// a repeated call skips the selection table and the kernel lookup (about 40 ns of a 300 ns call
/// in shared memory). Only for a communicator whose plans depend on nothing but the shape: the
/// caller does not cache calls with per-rank counts, nor on a communicator with an offload engine
/// (which may take one call and not another of the same collective).
/// </summary>
/// <remarks>
/// Plans are made before a call claims its communicator, so two threads may plan at once (one of
/// them then fails to start its call). Entries are immutable objects swapped in whole, so a reader
/// sees a whole entry, an old or a new one, without a lock or a fence. A new shape costs one small
/// allocation; a program that cycles through at most <see cref="ShapesPerCollective"/> shapes of
/// each collective allocates nothing once it has made each call once.
/// </remarks>
internal sealed class PlanCache
{
    /// <summary>Plans kept per collective; the oldest gives way to a new shape.</summary>
    public const int ShapesPerCollective = 4;

    /// <summary>The <see cref="CollectiveKind"/> values of collectives run from 1 to 9.</summary>
    private const int Collectives = 16;

    private readonly Entry?[] _entries = new Entry?[Collectives * ShapesPerCollective];
    private readonly int[] _nextReplaced = new int[Collectives];

    /// <summary>Finds a plan made for <paramref name="shape"/>.</summary>
    public bool TryGet(in CallShape shape, out CollectiveCall call)
    {
        int kind = (int)shape.Kind;
        if (kind < Collectives)
        {
            for (int index = kind * ShapesPerCollective; index < (kind + 1) * ShapesPerCollective; index++)
            {
                if (_entries[index] is { } entry && entry.Shape == shape)
                {
                    call = entry.Call;
                    return true;
                }
            }
        }

        call = default;
        return false;
    }

    /// <summary>Keeps <paramref name="call"/> as the plan of <paramref name="shape"/>, in place of its collective's oldest.</summary>
    public void Set(in CallShape shape, in CollectiveCall call)
    {
        int kind = (int)shape.Kind;
        if (kind >= Collectives)
        {
            return;
        }

        // Two threads planning at once may pick the same place: one plan is then kept, either right.
        int replaced = _nextReplaced[kind];
        _nextReplaced[kind] = (replaced + 1) % ShapesPerCollective;
        Volatile.Write(ref _entries[(kind * ShapesPerCollective) + replaced], new Entry(shape, call));
    }

    private sealed record Entry(CallShape Shape, CollectiveCall Call);
}
