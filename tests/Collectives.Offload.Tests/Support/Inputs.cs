using System.Runtime.InteropServices;
using Collectives.Reduction;

namespace Collectives.Offload.Tests.Support;

/// <summary>Seeded per-rank inputs in host layout, with small value ranges so that MinLoc/MaxLoc meet ties.</summary>
internal static class Inputs
{
    public static byte[][] For(DataType dataType, ReduceOp op, int count, int ranks, int seed)
    {
        var random = new Random(seed);
        var inputs = new byte[ranks][];
        for (int rank = 0; rank < ranks; rank++)
        {
            inputs[rank] = new byte[count * dataType.Size];
            for (int i = 0; i < count; i++)
            {
                Span<byte> element = inputs[rank].AsSpan(i * dataType.Size, dataType.Size);
                WriteValue(dataType.Element, op, random, element);
                if (dataType.WithIndex)
                {
                    MemoryMarshal.Write(element[dataType.PrimitiveSize..], random.Next(0, 4));
                }
            }
        }

        return inputs;
    }

    private static void WriteValue(ElementType type, ReduceOp op, Random random, Span<byte> destination)
    {
        // Logical and bitwise operations see zeros and ones often; others a few values (ties) or wide ones.
        bool narrow = op is ReduceOp.MinLoc or ReduceOp.MaxLoc or >= ReduceOp.LogicalAnd;
        long integer = narrow ? random.Next(0, 3) : random.NextInt64(-1_000_000, 1_000_000);
        switch (type)
        {
            case ElementType.Float32:
                MemoryMarshal.Write(destination, narrow ? (float)integer : (float)(random.NextDouble() * 2e3 - 1e3));
                break;
            case ElementType.Float64:
                MemoryMarshal.Write(destination, narrow ? (double)integer : (random.NextDouble() * 2e3) - 1e3);
                break;
            case ElementType.Int32:
                MemoryMarshal.Write(destination, (int)integer);
                break;
            case ElementType.UInt32:
                MemoryMarshal.Write(destination, (uint)Math.Abs(integer));
                break;
            case ElementType.Int64:
                MemoryMarshal.Write(destination, integer * 1_000_003);
                break;
            default:
                MemoryMarshal.Write(destination, (ulong)Math.Abs(integer) * 1_000_003);
                break;
        }
    }
}
