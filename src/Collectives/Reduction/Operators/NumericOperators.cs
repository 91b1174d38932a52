using System.Numerics;
using System.Numerics.Tensors;

namespace Collectives.Reduction.Operators;

// The operations every numeric element type has (ReductionKernels.Numeric). TensorPrimitives has
// each of them, so each struct only names its method; they share a file to be read together.

/// <summary>Element-wise sum; integer sums wrap on overflow (unchecked), as in MPI.</summary>
/// <typeparam name="T">A numeric element type.</typeparam>
internal readonly struct SumOperator<T> : IReductionOperator<T>
    where T : INumberBase<T>
{
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Add(x, y, destination);
}

/// <summary>Element-wise product; integer products wrap on overflow (unchecked), as in MPI.</summary>
/// <typeparam name="T">A numeric element type.</typeparam>
internal readonly struct ProdOperator<T> : IReductionOperator<T>
    where T : INumberBase<T>
{
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Multiply(x, y, destination);
}

/// <summary>
/// Element-wise minimum. For floating types this is IEEE 754-2019 <c>minimum</c> (TensorPrimitives.Min):
/// a NaN input gives NaN, and -0 is less than +0, so the sign of a zero result does not depend on order.
/// </summary>
/// <typeparam name="T">A numeric element type.</typeparam>
internal readonly struct MinOperator<T> : IReductionOperator<T>
    where T : INumber<T>
{
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Min(x, y, destination);
}

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
