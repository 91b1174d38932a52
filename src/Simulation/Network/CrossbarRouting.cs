namespace Collectives.Simulation.Network;

/// <summary>All nodes on one switch: node n's link up is 2n, its link down 2n + 1.</summary>
internal sealed class CrossbarRouting(int nodes) : IRouting
{
    public int Nodes => nodes;

    public int LinkCount => 2 * nodes;

    public int Diameter => 2;

    public int Route(int source, int destination, Span<int> links)
    {
        links[0] = 2 * source;
        links[1] = (2 * destination) + 1;
        return 2;
    }
}
