namespace Collectives.Topology;

/// <summary>
/// A spanning tree over the ranks of a communicator as plain data (MPICH's treealgo shape): for
/// every rank, its parent and its children. The software tree algorithms and the offload
/// descriptor builder consume the same trees, so a NIC executes exactly the tree the software would.
/// </summary>
internal sealed class Tree
{
    private readonly int[] _parents;
    private readonly int[][] _children;

    private Tree(int root, int[] parents, int[][] children)
    {
        Root = root;
        _parents = parents;
        _children = children;
    }

    /// <summary>Number of ranks.</summary>
    public int Size => _parents.Length;

    /// <summary>The root rank.</summary>
    public int Root { get; }

    /// <summary>The parent of <paramref name="rank"/>, or -1 for the root.</summary>
    /// <param name="rank">A rank.</param>
    /// <returns>Its parent.</returns>
    public int Parent(int rank) => _parents[rank];

    /// <summary>
    /// The children of <paramref name="rank"/>. In a binomial tree they are ordered from the
    /// largest subtree to the smallest, ties by the larger offset first (the order a pipelined
    /// broadcast sends in, so the deepest branch starts first).
    /// </summary>
    /// <param name="rank">A rank.</param>
    /// <returns>Its children.</returns>
    public ReadOnlySpan<int> Children(int rank) => _children[rank];

    /// <summary>Number of edges from <paramref name="rank"/> up to the root.</summary>
    /// <param name="rank">A rank.</param>
    /// <returns>Its depth; 0 for the root.</returns>
    public int Depth(int rank)
    {
        int depth = 0;
        for (int node = rank; _parents[node] >= 0; node = _parents[node])
        {
            depth++;
        }

        return depth;
    }

    /// <summary>
    /// The binomial tree rooted at <paramref name="root"/>: with ranks renumbered relative to the root,
    /// rank v's parent is v with its lowest set bit cleared, and its children are v + 2^j for every
    /// 2^j below v's lowest set bit. ceil(log2 size) levels.
    /// </summary>
    /// <param name="size">Number of ranks, at least 1.</param>
    /// <param name="root">The root, in [0, size).</param>
    /// <returns>The tree.</returns>
    public static Tree Binomial(int size, int root)
    {
        Validate(size, root);
        var parents = new int[size];
        var children = new int[size][];
        var buffer = new List<int>();
        for (int rank = 0; rank < size; rank++)
        {
            int relative = Relative(rank, root, size);
            int lowestBit = relative == 0 ? HighestPowerOfTwoCovering(size) : relative & -relative;
            parents[rank] = relative == 0 ? -1 : Absolute(relative - lowestBit, root, size);
            buffer.Clear();
            for (int mask = lowestBit >> 1; mask > 0; mask >>= 1)
            {
                if (relative + mask < size)
                {
                    buffer.Add(relative + mask);
                }
            }

            // Child c = v + 2^j heads min(2^j, size - c) ranks: when size is not a power of two a
            // large-offset child can head a cut-short subtree, so order by actual size (stable sort).
            children[rank] = [.. buffer
                .OrderByDescending(child => Math.Min(child & -child, size - child))
                .Select(child => Absolute(child, root, size))];
        }

        return new Tree(root, parents, children);
    }

    /// <summary>
    /// The k-ary tree rooted at <paramref name="root"/>: with ranks renumbered relative to the root,
    /// rank v's children are k*v + 1 .. k*v + k. Fan-in at most <paramref name="arity"/>.
    /// </summary>
    /// <param name="size">Number of ranks, at least 1.</param>
    /// <param name="root">The root, in [0, size).</param>
    /// <param name="arity">Children per inner node, at least 1.</param>
    /// <returns>The tree.</returns>
    public static Tree KAry(int size, int root, int arity)
    {
        Validate(size, root);
        ArgumentOutOfRangeException.ThrowIfLessThan(arity, 1);
        var parents = new int[size];
        var children = new int[size][];
        for (int rank = 0; rank < size; rank++)
        {
            int relative = Relative(rank, root, size);
            parents[rank] = relative == 0 ? -1 : Absolute((relative - 1) / arity, root, size);
            long first = (long)relative * arity + 1;
            int count = (int)Math.Clamp(size - first, 0, arity);
            children[rank] = new int[count];
            for (int i = 0; i < count; i++)
            {
                children[rank][i] = Absolute((int)first + i, root, size);
            }
        }

        return new Tree(root, parents, children);
    }

    private static void Validate(int size, int root)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if ((uint)root >= (uint)size)
        {
            throw new ArgumentOutOfRangeException(nameof(root), root, $"Root must be a rank in [0, {size}).");
        }
    }

    private static int Relative(int rank, int root, int size) => (rank - root + size) % size;

    private static int Absolute(int relative, int root, int size) => (relative + root) % size;

    private static int HighestPowerOfTwoCovering(int size)
    {
        int power = 1;
        while (power < size)
        {
            power <<= 1;
        }

        return power;
    }
}
