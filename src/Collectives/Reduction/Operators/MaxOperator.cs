using System.Numerics;
using System.Numerics.Tensors;

namespace Collectives.Reduction.Operators;

/// <summary>
/// Element-wise maximum. For floating types this is IEEE 754-2019 <c>maximum</c> (TensorPrimitives.Max):
/// a NaN input gives NaN, and +0 is greater than -0, so the sign of a zero result does not depend on order.
/// </summary>
/// <typeparam name="T">A numeric element type.</typeparam>
internal readonly struct MaxOperator<T> : IReductionOperator<T>
    where T : INumber<T>
{
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Max(x, y, destination);
}
