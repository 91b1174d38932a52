namespace Collectives.Topology;

/// <summary>Binomial trees of one communicator, built once per root and reused by every call.</summary>
internal sealed class TreeCache(int size)
{
    private readonly Tree?[] _binomial = new Tree?[size];

    public Tree Binomial(int root) => _binomial[root] ??= Tree.Binomial(size, root);
}
