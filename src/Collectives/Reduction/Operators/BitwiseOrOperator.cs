using System.Numerics;
using System.Numerics.Tensors;

namespace Collectives.Reduction.Operators;

/// <summary>Element-wise bitwise OR.</summary>
/// <typeparam name="T">An integer element type.</typeparam>
internal readonly struct BitwiseOrOperator<T> : IReductionOperator<T>
    where T : IBitwiseOperators<T, T, T>
{
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.BitwiseOr(x, y, destination);
}
