using System.Numerics;
using System.Runtime.InteropServices;

namespace Collectives.Reduction.Operators;

/// <summary>
/// <see cref="BFloat16"/>: a bfloat16 is the upper half of a float, so widening is a 16-bit shift
/// and narrowing is <see cref="BFloat16.RoundToBits"/>, here on whole vectors (TensorPrimitives
/// has no bfloat16). Both loops end with the scalar form for the last few elements, and the
/// vector form computes exactly the same function.
/// </summary>
internal readonly struct BFloat16Format : ISixteenBitFormat<BFloat16>
{
    public static void Widen(ReadOnlySpan<BFloat16> source, Span<float> destination)
    {
        ReadOnlySpan<ushort> narrow = MemoryMarshal.Cast<BFloat16, ushort>(source);
        Span<uint> wide = MemoryMarshal.Cast<float, uint>(destination[..source.Length]);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= narrow.Length - Vector<ushort>.Count; i += Vector<ushort>.Count)
            {
                Vector.Widen(new Vector<ushort>(narrow[i..]), out Vector<uint> low, out Vector<uint> high);
                (low << 16).CopyTo(wide[i..]);
                (high << 16).CopyTo(wide[(i + Vector<uint>.Count)..]);
            }
        }

        for (; i < narrow.Length; i++)
        {
            wide[i] = (uint)narrow[i] << 16;
        }
    }

    public static void Narrow(ReadOnlySpan<float> source, Span<BFloat16> destination)
    {
        ReadOnlySpan<uint> wide = MemoryMarshal.Cast<float, uint>(source);
        Span<ushort> narrow = MemoryMarshal.Cast<BFloat16, ushort>(destination[..source.Length]);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= wide.Length - Vector<ushort>.Count; i += Vector<ushort>.Count)
            {
                Vector<uint> low = RoundToBits(new Vector<uint>(wide[i..]));
                Vector<uint> high = RoundToBits(new Vector<uint>(wide[(i + Vector<uint>.Count)..]));
                Vector.Narrow(low, high).CopyTo(narrow[i..]);
            }
        }

        for (; i < wide.Length; i++)
        {
            narrow[i] = BFloat16.RoundToBits(wide[i]);
        }
    }

    /// <summary><see cref="BFloat16.RoundToBits"/> on each lane; the result is in each lane's low 16 bits.</summary>
    private static Vector<uint> RoundToBits(Vector<uint> floatBits)
    {
        Vector<uint> isNaN = Vector.GreaterThan(floatBits & new Vector<uint>(0x7FFF_FFFF), new Vector<uint>(0x7F80_0000));
        Vector<uint> rounded = (floatBits + new Vector<uint>(0x7FFF) + ((floatBits >> 16) & Vector<uint>.One)) >> 16;
        Vector<uint> quietNaN = (floatBits >> 16) | new Vector<uint>(0x0040);
        return Vector.ConditionalSelect(isNaN, quietNaN, rounded);
    }
}
