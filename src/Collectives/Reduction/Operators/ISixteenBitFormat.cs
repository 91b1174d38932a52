namespace Collectives.Reduction.Operators;

/// <summary>
/// A 16-bit floating-point format as the reduction kernels see it: widening to float, which is
/// exact, and narrowing back, which rounds to nearest, ties to even. <see cref="WidenedOperator{T, TFormat, TFloatOperator}"/>
/// combines such elements in float between the two.
/// </summary>
/// <typeparam name="T">The 16-bit element type.</typeparam>
internal interface ISixteenBitFormat<T>
    where T : unmanaged
{
    /// <summary>destination[i] = (float)source[i], exactly. The spans have equal lengths and do not overlap.</summary>
    static abstract void Widen(ReadOnlySpan<T> source, Span<float> destination);

    /// <summary>destination[i] = source[i] rounded to nearest, ties to even; NaN stays NaN. Equal lengths, no overlap.</summary>
    static abstract void Narrow(ReadOnlySpan<float> source, Span<T> destination);
}
