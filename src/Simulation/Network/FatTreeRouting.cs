namespace Collectives.Simulation.Network;

/// <summary>
/// A k-ary n-tree (Petrini and Vanneschi): n levels of k^(n-1) switches, each with k ports down and
/// k up. Node p hangs off level-1 switch p / k. A level-l switch w covers the nodes whose digits
/// (base k) from l upwards equal w's digits from l-1 upwards; its up port c leads to the level-(l+1)
/// switch that is w with digit l-1 replaced by c. Packets climb to the lowest level that covers
/// both ends, choosing up ports by the destination's digits (d-mod-k routing, so distinct
/// destinations spread over the up links), then descend the unique way down.
/// </summary>
internal sealed class FatTreeRouting : IRouting
{
    private readonly int _arity;
    private readonly int _levels;
    private readonly int _switchesPerLevel;

    public FatTreeRouting(int nodes, int arity)
    {
        Nodes = nodes;
        _arity = arity;
        _levels = 1;
        long capacity = arity;
        while (capacity < nodes)
        {
            capacity *= arity;
            _levels++;
        }

        _switchesPerLevel = (int)(capacity / arity);
        LinkCount = checked((2 * nodes) + (2 * (_levels - 1) * _switchesPerLevel * arity));
    }

    public int Nodes { get; }

    public int LinkCount { get; }

    public int Diameter => 2 * _levels;

    public int Route(int source, int destination, Span<int> links)
    {
        int level = CommonLevel(source, destination);
        int count = 0;
        links[count++] = source;
        int current = source / _arity;
        for (int j = 1; j < level; j++)
        {
            int port = Digit(destination, j - 1);
            links[count++] = SwitchLink(j, current, port, up: true);
            current = WithDigit(current, j - 1, port);
        }

        for (int j = level - 1; j >= 1; j--)
        {
            int port = Digit(current, j - 1);
            int lower = WithDigit(current, j - 1, Digit(destination, j));
            links[count++] = SwitchLink(j, lower, port, up: false);
            current = lower;
        }

        links[count++] = Nodes + destination;
        return count;
    }

    private int CommonLevel(int source, int destination)
    {
        int level = 1;
        for (long span = _arity; source / span != destination / span; span *= _arity)
        {
            level++;
        }

        return level;
    }

    private int SwitchLink(int level, int lowerSwitch, int port, bool up)
    {
        int index = (2 * Nodes) + (2 * ((((level - 1) * _switchesPerLevel) + lowerSwitch) * _arity + port));
        return up ? index : index + 1;
    }

    private int Digit(int value, int position)
    {
        for (int i = 0; i < position; i++)
        {
            value /= _arity;
        }

        return value % _arity;
    }

    private int WithDigit(int value, int position, int digit)
    {
        int weight = 1;
        for (int i = 0; i < position; i++)
        {
            weight *= _arity;
        }

        return value - (Digit(value, position) * weight) + (digit * weight);
    }
}
