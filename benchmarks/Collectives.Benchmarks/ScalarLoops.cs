using System.Numerics;
using System.Runtime.InteropServices;

namespace Collectives.Benchmarks;

/// <summary>An element-wise kernel on raw bytes, the shape of <c>ReductionKernel.Apply</c>.</summary>
/// <param name="x">Left operands.</param>
/// <param name="y">Right operands.</param>
/// <param name="destination">Results.</param>
public delegate void ByteKernel(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y, Span<byte> destination);

/// <summary>
/// The baseline: the plain <c>for</c> loop a user would write without the library. The JIT does
/// not auto-vectorise these, so they show what the SIMD kernels buy.
/// </summary>
internal static class ScalarLoops
{
    public static void Sum<T>(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y, Span<byte> destination)
        where T : unmanaged, INumber<T>
    {
        ReadOnlySpan<T> left = MemoryMarshal.Cast<byte, T>(x);
        ReadOnlySpan<T> right = MemoryMarshal.Cast<byte, T>(y);
        Span<T> result = MemoryMarshal.Cast<byte, T>(destination);
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = left[i] + right[i];
        }
    }

    public static void Max<T>(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y, Span<byte> destination)
        where T : unmanaged, INumber<T>
    {
        ReadOnlySpan<T> left = MemoryMarshal.Cast<byte, T>(x);
        ReadOnlySpan<T> right = MemoryMarshal.Cast<byte, T>(y);
        Span<T> result = MemoryMarshal.Cast<byte, T>(destination);
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = T.Max(left[i], right[i]);
        }
    }

    public static void BitwiseXor<T>(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y, Span<byte> destination)
        where T : unmanaged, IBinaryInteger<T>
    {
        ReadOnlySpan<T> left = MemoryMarshal.Cast<byte, T>(x);
        ReadOnlySpan<T> right = MemoryMarshal.Cast<byte, T>(y);
        Span<T> result = MemoryMarshal.Cast<byte, T>(destination);
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = left[i] ^ right[i];
        }
    }
}
