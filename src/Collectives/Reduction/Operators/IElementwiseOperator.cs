using System.Runtime.Intrinsics;

namespace Collectives.Reduction.Operators;

/// <summary>
/// An element-wise operation written once per vector width, for operations TensorPrimitives
/// does not have; <see cref="ElementwiseLoop"/> drives it over spans. Every overload must compute
/// the same function, so that a result does not depend on which width handled an element.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal interface IElementwiseOperator<T>
{
    static abstract T Invoke(T x, T y);

    static abstract Vector128<T> Invoke(Vector128<T> x, Vector128<T> y);

    static abstract Vector256<T> Invoke(Vector256<T> x, Vector256<T> y);

    static abstract Vector512<T> Invoke(Vector512<T> x, Vector512<T> y);
}
