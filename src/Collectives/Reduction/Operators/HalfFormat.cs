using System.Numerics.Tensors;

namespace Collectives.Reduction.Operators;

/// <summary>
/// <see cref="Half"/> (IEEE binary16): TensorPrimitives has both conversions, vectorised, with the
/// IEEE rounding of the scalar casts.
/// </summary>
internal readonly struct HalfFormat : ISixteenBitFormat<Half>
{
    public static void Widen(ReadOnlySpan<Half> source, Span<float> destination) => TensorPrimitives.ConvertToSingle(source, destination);

    public static void Narrow(ReadOnlySpan<float> source, Span<Half> destination) => TensorPrimitives.ConvertToHalf(source, destination);
}
