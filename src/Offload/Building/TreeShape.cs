using Collectives.Topology;

namespace Collectives.Offload.Building;

/// <summary>
/// Which tree from <see cref="Tree"/> the descriptors follow: binomial (what the software tree
/// algorithms use) or k-ary with a fan-in of 2 to 8 (the NIC's receive queue holds the fan-in).
/// </summary>
public readonly record struct TreeShape
{
    /// <summary>The largest fan-in a k-ary shape may have.</summary>
    public const int MaxFanIn = 8;

    private TreeShape(int arity) => Arity = arity;

    /// <summary>The binomial tree (<see cref="Tree.Binomial"/>).</summary>
    public static TreeShape Binomial => default;

    /// <summary>0 for binomial, else the k of a k-ary tree.</summary>
    public int Arity { get; }

    /// <summary>Whether this is the binomial shape.</summary>
    public bool IsBinomial => Arity == 0;

    /// <summary>The k-ary tree (<see cref="Tree.KAry"/>) with fan-in <paramref name="fanIn"/>.</summary>
    /// <param name="fanIn">Children per inner node, 2 to <see cref="MaxFanIn"/>.</param>
    /// <returns>The shape.</returns>
    public static TreeShape KAry(int fanIn)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fanIn, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fanIn, MaxFanIn);
        return new TreeShape(fanIn);
    }

    /// <summary>Builds the tree over <paramref name="size"/> ranks rooted at <paramref name="root"/>.</summary>
    /// <param name="size">Number of ranks.</param>
    /// <param name="root">The root rank.</param>
    /// <returns>The tree.</returns>
    internal Tree Build(int size, int root) => IsBinomial ? Tree.Binomial(size, root) : Tree.KAry(size, root, Arity);

    /// <inheritdoc />
    public override string ToString() => IsBinomial ? "binomial" : $"{Arity}-ary";
}
