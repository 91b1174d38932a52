using System.Numerics;
using System.Runtime.Intrinsics;

namespace Collectives.Reduction.Operators;

/// <summary>Element-wise logical XOR: 1 where exactly one input is non-zero, else 0.</summary>
/// <typeparam name="T">An integer element type.</typeparam>
/// <remarks>TensorPrimitives has no logical (C-style, 0 or 1) operations, hence the hand-written vectors.</remarks>
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
