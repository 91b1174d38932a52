using System.Numerics;
using System.Runtime.Intrinsics;

namespace Collectives.Reduction.Operators;

// The logical (C-style: the result is 0 or 1) operations of integer element types
// (ReductionKernels.Integer). TensorPrimitives has none of them, hence the hand-written vectors,
// driven by ElementwiseLoop; each compares its inputs with zero and turns the masks into 0 or 1.

/// <summary>Element-wise logical AND: 1 where both inputs are non-zero, else 0.</summary>
/// <typeparam name="T">An integer element type.</typeparam>
internal readonly struct LogicalAndOperator<T> : IReductionOperator<T>, IElementwiseOperator<T>
    where T : unmanaged, IBinaryInteger<T>
{
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => ElementwiseLoop.Invoke<T, LogicalAndOperator<T>>(x, y, destination);

    public static T Invoke(T x, T y) => (x != T.Zero) & (y != T.Zero) ? T.One : T.Zero;

    // Equals marks the lanes where an input is zero; clearing One there leaves 1 where both are non-zero.
    public static Vector128<T> Invoke(Vector128<T> x, Vector128<T> y) => Vector128.AndNot(Vector128<T>.One, Vector128.Equals(x, Vector128<T>.Zero) | Vector128.Equals(y, Vector128<T>.Zero));

    public static Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => Vector256.AndNot(Vector256<T>.One, Vector256.Equals(x, Vector256<T>.Zero) | Vector256.Equals(y, Vector256<T>.Zero));

    public static Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => Vector512.AndNot(Vector512<T>.One, Vector512.Equals(x, Vector512<T>.Zero) | Vector512.Equals(y, Vector512<T>.Zero));
}

/// <summary>Element-wise logical OR: 1 where either input is non-zero, else 0.</summary>
/// <typeparam name="T">An integer element type.</typeparam>
internal readonly struct LogicalOrOperator<T> : IReductionOperator<T>, IElementwiseOperator<T>
    where T : unmanaged, IBinaryInteger<T>
{
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => ElementwiseLoop.Invoke<T, LogicalOrOperator<T>>(x, y, destination);

    public static T Invoke(T x, T y) => (x != T.Zero) | (y != T.Zero) ? T.One : T.Zero;

    // Lanes where both inputs are zero get 0, all others 1.
    public static Vector128<T> Invoke(Vector128<T> x, Vector128<T> y) => Vector128.AndNot(Vector128<T>.One, Vector128.Equals(x, Vector128<T>.Zero) & Vector128.Equals(y, Vector128<T>.Zero));

    public static Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => Vector256.AndNot(Vector256<T>.One, Vector256.Equals(x, Vector256<T>.Zero) & Vector256.Equals(y, Vector256<T>.Zero));

    public static Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => Vector512.AndNot(Vector512<T>.One, Vector512.Equals(x, Vector512<T>.Zero) & Vector512.Equals(y, Vector512<T>.Zero));
}

/// <summary>Element-wise logical XOR: 1 where exactly one input is non-zero, else 0.</summary>
/// <typeparam name="T">An integer element type.</typeparam>
internal readonly struct LogicalXorOperator<T> : IReductionOperator<T>, IElementwiseOperator<T>
    where T : unmanaged, IBinaryInteger<T>
{
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => ElementwiseLoop.Invoke<T, LogicalXorOperator<T>>(x, y, destination);

    public static T Invoke(T x, T y) => (x != T.Zero) ^ (y != T.Zero) ? T.One : T.Zero;

    // Zero-ness differs exactly where one input is zero and the other is not.
    public static Vector128<T> Invoke(Vector128<T> x, Vector128<T> y) => Vector128<T>.One & (Vector128.Equals(x, Vector128<T>.Zero) ^ Vector128.Equals(y, Vector128<T>.Zero));

    public static Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => Vector256<T>.One & (Vector256.Equals(x, Vector256<T>.Zero) ^ Vector256.Equals(y, Vector256<T>.Zero));

    public static Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => Vector512<T>.One & (Vector512.Equals(x, Vector512<T>.Zero) ^ Vector512.Equals(y, Vector512<T>.Zero));
}
