using Collectives.Offload.Descriptors;
using Collectives.Reduction;

namespace Collectives.Offload.Tests.Support;

/// <summary>Hand-made descriptors and packets for driving one NIC directly.</summary>
internal static class Packets
{
    /// <summary>A reduce descriptor of one int32 <paramref name="value"/> on <paramref name="port"/> at <paramref name="node"/>, waiting for <paramref name="threshold"/> packets, sent to <paramref name="destination"/>.</summary>
    public static Descriptor Reduce(int node, int destination, ushort port, int threshold, int value, ReduceOp op = ReduceOp.Sum, ElementType type = ElementType.Int32, uint sequence = 1)
    {
        Descriptor descriptor = default;
        descriptor.Kind = DescriptorKind.Reduce;
        descriptor.Flags = DescriptorFlags.Queue;
        descriptor.Op = op;
        descriptor.ElementType = type;
        descriptor.Width = Descriptor.WidthOf(type);
        descriptor.Count = 1;
        descriptor.Branch = 1;
        descriptor.Cp = port;
        descriptor.CpCnt = (ushort)threshold;
        descriptor.Sequence = sequence;
        descriptor.Source = node;
        descriptor.Destination = destination;
        System.Runtime.InteropServices.MemoryMarshal.Write(descriptor.Data, value);
        return descriptor;
    }

    /// <summary>A child's packet to <paramref name="node"/> on <paramref name="port"/>, in slot <paramref name="slot"/> of <paramref name="branch"/>.</summary>
    public static Descriptor From(int child, int node, ushort port, int slot, int branch, int value, uint sequence = 1)
    {
        Descriptor packet = Reduce(child, node, port, 0, value, sequence: sequence);
        packet.Slot = (byte)slot;
        packet.Branch = (byte)branch;
        return packet;
    }

    public static int Value(in Descriptor descriptor) => System.Runtime.InteropServices.MemoryMarshal.Read<int>(descriptor.Data);
}
