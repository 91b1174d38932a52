using System.Numerics;
using System.Numerics.Tensors;

namespace Collectives.Reduction.Operators;

/// <summary>Element-wise product; integer products wrap on overflow (unchecked), as in MPI.</summary>
/// <typeparam name="T">A numeric element type.</typeparam>
internal readonly struct ProdOperator<T> : IReductionOperator<T>
    where T : INumberBase<T>
{
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Multiply(x, y, destination);
}
