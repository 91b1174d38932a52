namespace Collectives.Algorithms;

/// <summary>
/// Where the blocks of a binomial-tree gather or scatter lie. With ranks numbered relative to the
/// root (v = rank - root mod p), the subtree of v in the binomial tree is the relative ranks
/// [v, v + min(lowest set bit of v, p - v)): consecutive, so its blocks, taken in relative order
/// ("places": place i is block root + i mod p), are one contiguous run that travels as one
/// message. A rank works in a buffer that starts at its own place.
/// </summary>
internal readonly struct BinomialSubtree
{
    private readonly BlockLayout _blocks;
    private readonly int _root;

    /// <summary>The subtree headed by <paramref name="rank"/> in the binomial tree rooted at <paramref name="root"/>.</summary>
    public BinomialSubtree(BlockLayout blocks, int root, int rank)
    {
        _blocks = blocks;
        _root = root;
        int size = blocks.Size;
        Relative = (rank - root + size) % size;
        Extent = ExtentOf(Relative, size);
        Bytes = blocks.WrappedBytes(rank, Extent);
    }

    /// <summary>The head's rank relative to the root.</summary>
    public int Relative { get; }

    /// <summary>Number of ranks in the subtree, its head included.</summary>
    public int Extent { get; }

    /// <summary>Bytes of all the subtree's blocks.</summary>
    public int Bytes { get; }

    /// <summary>Where, in this subtree's buffer, the subtree of <paramref name="child"/> (a rank in it) lies.</summary>
    public Range Of(int child)
    {
        var subtree = new BinomialSubtree(_blocks, _root, child);
        int start = _blocks.WrappedBytes(_root + Relative, subtree.Relative - Relative);
        return start..(start + subtree.Bytes);
    }

    private static int ExtentOf(int relative, int size) => relative == 0 ? size : Math.Min(relative & -relative, size - relative);
}
