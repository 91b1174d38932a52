namespace Collectives.Simulation.Network;

/// <summary>
/// Parameters of the simulated interconnect. The defaults resemble a 200 Gb/s InfiniBand HDR
/// (or HPE Slingshot-class) cluster; each says where its value comes from.
/// </summary>
public sealed record NetworkOptions
{
    /// <summary>Wiring; default <see cref="NetworkTopology.FatTree"/>.</summary>
    public NetworkTopology Topology { get; init; } = NetworkTopology.FatTree;

    /// <summary>
    /// Ports down (and up) per fat-tree switch, k of the k-ary n-tree; default 16 (a 32-port switch
    /// split half down, half up, so 256 nodes fit a 2-level tree and 4096 a 3-level one). The number
    /// of levels is the fewest that hold all nodes.
    /// </summary>
    public int FatTreeArity { get; init; } = 16;

    /// <summary>Propagation delay of one link (cable and PHY), ns; default 10 (about 2 m of cable at 5 ns/m).</summary>
    public long LinkLatencyNs { get; init; } = 10;

    /// <summary>Link bandwidth, Gbit/s per direction; default 200 (InfiniBand HDR, Slingshot).</summary>
    public double LinkBandwidthGbps { get; init; } = 200;

    /// <summary>Port-to-port latency of one switch (cut-through), ns; default 130 (NVIDIA Quantum HDR datasheet).</summary>
    public long SwitchDelayNs { get; init; } = 130;

    /// <summary>Largest payload of one packet, bytes; default 4096 (InfiniBand's largest MTU).</summary>
    public int MtuBytes { get; init; } = 4096;

    /// <summary>
    /// Bytes each packet carries besides its payload, default 64: InfiniBand's routing, transport
    /// and CRC headers (about 30 bytes) plus the 32-byte message tag the library sends with each message.
    /// </summary>
    public int HeaderBytes { get; init; } = 64;

    /// <summary>
    /// NIC time from the host's doorbell to the first byte on the wire (work-request fetch and
    /// payload read across PCIe), ns; default 250, about one PCIe round trip.
    /// </summary>
    public long NicSendNs { get; init; } = 250;

    /// <summary>NIC time from the last byte off the wire to the data and completion in host memory (a PCIe write), ns; default 200.</summary>
    public long NicReceiveNs { get; init; } = 200;

    /// <summary>Time to put <paramref name="bytes"/> bytes on a link, ns, rounded up.</summary>
    /// <param name="bytes">Bytes on the wire.</param>
    /// <returns>Serialization time.</returns>
    public long SerializationNs(int bytes) => (long)Math.Ceiling(bytes * 8 / LinkBandwidthGbps);

    /// <summary>Throws when a parameter is out of range, naming it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Topology))
        {
            throw new ArgumentOutOfRangeException(nameof(Topology), Topology, "Unknown topology.");
        }

        Require(FatTreeArity >= 2, nameof(FatTreeArity), FatTreeArity, "at least 2");
        Require(LinkLatencyNs >= 0, nameof(LinkLatencyNs), LinkLatencyNs, "not negative");
        Require(LinkBandwidthGbps > 0 && double.IsFinite(LinkBandwidthGbps), nameof(LinkBandwidthGbps), LinkBandwidthGbps, "positive");
        Require(SwitchDelayNs >= 0, nameof(SwitchDelayNs), SwitchDelayNs, "not negative");
        Require(MtuBytes >= 1, nameof(MtuBytes), MtuBytes, "at least 1");
        Require(HeaderBytes >= 0, nameof(HeaderBytes), HeaderBytes, "not negative");
        Require(NicSendNs >= 0, nameof(NicSendNs), NicSendNs, "not negative");
        Require(NicReceiveNs >= 0, nameof(NicReceiveNs), NicReceiveNs, "not negative");
    }

    internal static void Require(bool valid, string name, object value, string rule)
    {
        if (!valid)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be {rule}.");
        }
    }
}
