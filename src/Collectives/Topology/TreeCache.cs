using System.Collections.Concurrent;

namespace Collectives.Topology;

/// <summary>
/// The binomial trees one communicator uses. Trees are immutable, so they are shared by every
/// communicator of the process with the same size and root: a process hosting thousands of ranks
/// (in-process jobs, the network simulator) would otherwise build and hold one O(size) copy per
/// rank, which at 4096 ranks is gigabytes.
/// </summary>
internal sealed class TreeCache(int size)
{
    /// <summary>
    /// Most trees kept process-wide; beyond it the table is emptied and refilled on demand, so a
    /// process cycling through many sizes and roots holds a bounded amount.
    /// </summary>
    private const int MaximumShared = 256;

    private static readonly ConcurrentDictionary<(int Size, int Root), Tree> Shared = new();

    // A communicator almost always reduces and broadcasts to the same root; one slot spares the lookup.
    private Tree? _last;

    public Tree Binomial(int root)
    {
        Tree? last = _last;
        if (last is not null && last.Root == root)
        {
            return last;
        }

        if (Shared.Count >= MaximumShared)
        {
            Shared.Clear();
        }

        return _last = Shared.GetOrAdd((size, root), static key => Tree.Binomial(key.Size, key.Root));
    }
}
