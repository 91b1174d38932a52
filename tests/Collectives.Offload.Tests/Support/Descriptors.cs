using Collectives.Offload.Descriptors;
using Collectives.Reduction;

namespace Collectives.Offload.Tests.Support;

/// <summary>Well-formed descriptors to start tests from.</summary>
internal static class Descriptors
{
    /// <summary>A reduce descriptor of three int32 sums from node 2 to node 5.</summary>
    public static Descriptor IntSum(int count = 3)
    {
        Descriptor descriptor = default;
        descriptor.Kind = DescriptorKind.Reduce;
        descriptor.Flags = DescriptorFlags.Queue;
        descriptor.Op = ReduceOp.Sum;
        descriptor.ElementType = ElementType.Int32;
        descriptor.Width = 32;
        descriptor.Count = (byte)count;
        descriptor.Branch = 2;
        descriptor.Slot = 1;
        descriptor.Cp = 7;
        descriptor.CpCnt = 0;
        descriptor.Sequence = 11;
        descriptor.Source = 2;
        descriptor.Destination = 5;
        for (int i = 0; i < count; i++)
        {
            descriptor.Data[i * 4] = (byte)(i + 1);
        }

        return descriptor;
    }

    public static byte[] Encode(in Descriptor descriptor)
    {
        byte[] bytes = new byte[Descriptor.EncodedSize];
        descriptor.Encode(bytes);
        return bytes;
    }
}
