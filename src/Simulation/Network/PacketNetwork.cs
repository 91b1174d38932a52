using Collectives.Simulation.Engine;

namespace Collectives.Simulation.Network;

/// <summary>
/// Moves messages between NICs over the links of a topology, packet by packet, in virtual time.
/// Cut-through: a packet's head leaves a switch <see cref="NetworkOptions.SwitchDelayNs"/> after it
/// arrived; a link carries one packet at a time, each for its serialization time, so packets that
/// share a link queue behind each other (first come, first served). A message is delivered when the
/// tail of its last packet reaches the destination NIC. NIC and host costs are not part of this.
/// </summary>
internal sealed class PacketNetwork
{
    private readonly SimulationEngine _engine;
    private readonly NetworkOptions _options;
    private readonly IRouting _routing;
    private readonly long[] _linkFreeAt;

    public PacketNetwork(SimulationEngine engine, NetworkOptions options, int nodes)
    {
        options.Validate();
        _engine = engine;
        _options = options;
        _routing = options.Topology == NetworkTopology.Crossbar
            ? new CrossbarRouting(nodes)
            : new FatTreeRouting(nodes, options.FatTreeArity);
        _linkFreeAt = new long[_routing.LinkCount];
    }

    public NetworkOptions Options => _options;

    /// <summary>Messages sent so far.</summary>
    public long Messages { get; private set; }

    /// <summary>Packets sent so far.</summary>
    public long Packets { get; private set; }

    /// <summary>Number of links between two nodes.</summary>
    public int Hops(int source, int destination) => _routing.Route(source, destination, stackalloc int[_routing.Diameter]);

    /// <summary>
    /// Sends <paramref name="payloadBytes"/> from <paramref name="source"/>'s NIC, whose first byte
    /// is ready at <paramref name="readyAt"/>; runs <paramref name="delivered"/> when the last byte
    /// has reached <paramref name="destination"/>'s NIC.
    /// </summary>
    public void Send(int source, int destination, int payloadBytes, long readyAt, Action delivered)
    {
        if (source == destination)
        {
            throw new ArgumentException($"Node {source} cannot send to itself over the network.", nameof(destination));
        }

        var route = new int[_routing.Diameter];
        int hops = _routing.Route(source, destination, route);
        int packets = Math.Max(1, (payloadBytes + _options.MtuBytes - 1) / _options.MtuBytes);
        var flight = new Flight(route, hops, packets, delivered);
        Messages++;
        Packets += packets;
        for (int packet = 0, remaining = payloadBytes; packet < packets; packet++, remaining -= _options.MtuBytes)
        {
            int wireBytes = Math.Min(remaining, _options.MtuBytes) + _options.HeaderBytes;
            _engine.At(readyAt, () => Cross(flight, 0, wireBytes));
        }
    }

    private void Cross(Flight flight, int hop, int wireBytes)
    {
        int link = flight.Route[hop];
        long start = Math.Max(_engine.Now, _linkFreeAt[link]);
        long serialization = _options.SerializationNs(wireBytes);
        _linkFreeAt[link] = start + serialization;
        if (hop == flight.Hops - 1)
        {
            _engine.At(start + _options.LinkLatencyNs + serialization, flight.PacketArrived);
        }
        else
        {
            _engine.At(start + _options.LinkLatencyNs + _options.SwitchDelayNs, () => Cross(flight, hop + 1, wireBytes));
        }
    }

    private sealed class Flight(int[] route, int hops, int packets, Action delivered)
    {
        private int _outstanding = packets;

        public int[] Route => route;

        public int Hops => hops;

        public void PacketArrived()
        {
            if (--_outstanding == 0)
            {
                delivered();
            }
        }
    }
}
