using Collectives.Simulation.Host;
using Collectives.Simulation.Network;

namespace Collectives.Simulation.Tests;

/// <summary>A model with round numbers, so closed forms are easy to write down: 8 Gbit/s is 1 ns per byte.</summary>
internal static class ModelOptions
{
    public const long SendOverhead = 300;
    public const long ReceiveOverhead = 400;
    public const long HostNsPerByte = 2;
    public const long LinkLatency = 7;
    public const long SwitchDelay = 100;
    public const long NicSend = 250;
    public const long NicReceive = 150;
    public const int Header = 40;
    public const long CombineOverhead = 30;
    public const long CombinePerElement = 3;

    public static SimulationOptions Crossbar(NoiseOptions noise = default, int seed = 1) => new()
    {
        Seed = seed,
        Network = new NetworkOptions
        {
            Topology = NetworkTopology.Crossbar,
            LinkBandwidthGbps = 8,
            LinkLatencyNs = LinkLatency,
            SwitchDelayNs = SwitchDelay,
            NicSendNs = NicSend,
            NicReceiveNs = NicReceive,
            HeaderBytes = Header,
            MtuBytes = 4096,
        },
        Host = new HostOptions
        {
            SendOverheadNs = SendOverhead,
            ReceiveOverheadNs = ReceiveOverhead,
            NsPerByte = HostNsPerByte,
            CombineOverheadNs = CombineOverhead,
            CombineNsPerElement = CombinePerElement,
            Noise = noise,
        },
    };

    /// <summary>From a send being posted to its data in the receiver's memory, on the crossbar: NIC, two links, one switch, one serialization, NIC.</summary>
    public static long Wire(int bytes) => NicSend + LinkLatency + SwitchDelay + LinkLatency + (bytes + Header) + NicReceive;

    public static long Send(int bytes) => SendOverhead + (HostNsPerByte * bytes);

    public static long Receive(int bytes) => ReceiveOverhead + (HostNsPerByte * bytes);

    public static long Combine(int elements) => CombineOverhead + (CombinePerElement * elements);
}
