using System.Numerics;
using System.Numerics.Tensors;

namespace Collectives.Reduction.Operators;

// The bitwise operations of integer element types (ReductionKernels.Integer). TensorPrimitives has
// each of them, so each struct only names its method; they share a file to be read together.

/// <summary>Element-wise bitwise AND.</summary>
/// <typeparam name="T">An integer element type.</typeparam>
internal readonly struct BitwiseAndOperator<T> : IReductionOperator<T>
    where T : IBitwiseOperators<T, T, T>
{
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.BitwiseAnd(x, y, destination);
}

/// <summary>Element-wise bitwise OR.</summary>
/// <typeparam name="T">An integer element type.</typeparam>
internal readonly struct BitwiseOrOperator<T> : IReductionOperator<T>
    where T : IBitwiseOperators<T, T, T>
{
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.BitwiseOr(x, y, destination);
}

/// <summary>Element-wise bitwise XOR.</summary>
/// <typeparam name="T">An integer element type.</typeparam>
internal readonly struct BitwiseXorOperator<T> : IReductionOperator<T>
    where T : IBitwiseOperators<T, T, T>
{
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Xor(x, y, destination);
}
