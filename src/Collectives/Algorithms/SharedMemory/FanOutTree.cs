namespace Collectives.Algorithms.SharedMemory;

/// <summary>
/// A tree over <paramref name="Size"/> ranks rooted at <paramref name="Root"/> in which each rank
/// has up to <paramref name="FanOut"/> children: rank r is node (r - root) mod size, node v's parent
/// is (v - 1) / fan-out and its children are v * fan-out + 1 onwards. A fan-out of size - 1 is flat:
/// every rank is the root's child. The default value has no ranks, so no rank has children.
/// </summary>
internal readonly record struct FanOutTree(int Size, int Root, int FanOut)
{
    /// <summary>The parent of <paramref name="rank"/> (not the root).</summary>
    public int Parent(int rank) => RankOf((NodeOf(rank) - 1) / FanOut);

    /// <summary>How many children <paramref name="rank"/> has.</summary>
    public int ChildCount(int rank)
    {
        if (Size == 0)
        {
            return 0;
        }

        long first = ((long)NodeOf(rank) * FanOut) + 1;
        return (int)Math.Clamp(Size - first, 0, FanOut);
    }

    /// <summary>Child <paramref name="index"/> (from 0) of <paramref name="rank"/>.</summary>
    public int Child(int rank, int index) => RankOf((NodeOf(rank) * FanOut) + 1 + index);

    private int NodeOf(int rank) => (rank - Root + Size) % Size;

    private int RankOf(int node) => (node + Root) % Size;
}
