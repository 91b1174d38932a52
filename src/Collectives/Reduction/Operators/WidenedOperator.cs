using System.Runtime.CompilerServices;

namespace Collectives.Reduction.Operators;

/// <summary>
/// A 16-bit floating-point operation done in float: each pair is widened to float (exactly),
/// combined by <typeparamref name="TFloatOperator"/>, and the result rounded once back to 16 bits,
/// nearest, ties to even. Float's 24-bit significand has at least twice the bits of either 16-bit format's
/// plus two, so for Sum and Prod this double rounding equals the correctly rounded IEEE
/// 16-bit operation; Min and Max are exact. Elements go through a stack buffer in chunks, so a
/// call allocates nothing, and the result of an element does not depend on its neighbours.
/// </summary>
/// <typeparam name="T">The 16-bit element type.</typeparam>
/// <typeparam name="TFormat">Its conversions to and from float.</typeparam>
/// <typeparam name="TFloatOperator">The operation on floats.</typeparam>
internal readonly struct WidenedOperator<T, TFormat, TFloatOperator> : IReductionOperator<T>
    where T : unmanaged
    where TFormat : ISixteenBitFormat<T>
    where TFloatOperator : IReductionOperator<float>
{
    /// <summary>Floats per chunk: two buffers of 2 KiB on the stack.</summary>
    private const int ChunkLength = 512;

    [SkipLocalsInit]
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
    {
        ElementwiseLoop.ValidateOperands(x, y, destination);
        Span<float> left = stackalloc float[ChunkLength];
        Span<float> right = stackalloc float[ChunkLength];

        // A chunk of x and y is read completely before its results are written, so a destination
        // that is exactly x or y is safe.
        for (int start = 0; start < x.Length; start += ChunkLength)
        {
            int length = Math.Min(ChunkLength, x.Length - start);
            Span<float> a = left[..length];
            Span<float> b = right[..length];
            TFormat.Widen(x.Slice(start, length), a);
            TFormat.Widen(y.Slice(start, length), b);
            TFloatOperator.Invoke(a, b, a);
            TFormat.Narrow(a, destination.Slice(start, length));
        }
    }
}
