using System.Numerics;
using System.Numerics.Tensors;

namespace Collectives.Reduction.Operators;

/// <summary>Element-wise sum; integer sums wrap on overflow (unchecked), as in MPI.</summary>
/// <typeparam name="T">A numeric element type.</typeparam>
internal readonly struct SumOperator<T> : IReductionOperator<T>
    where T : INumberBase<T>
{
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Add(x, y, destination);
}
