namespace Collectives.Reduction;

/// <summary>
/// One element-wise reduction operation on spans of <typeparamref name="T"/>, in the style of
/// TensorPrimitives' operator structs: a struct per operation, resolved at compile time, so the
/// driver (<see cref="ReductionKernel{T, TOperator}"/>) has no switch over operations inside a loop.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal interface IReductionOperator<T>
{
    /// <summary>
    /// destination[i] = x[i] op y[i]. The spans have equal lengths; <paramref name="destination"/>
    /// may be exactly the same memory as <paramref name="x"/> or <paramref name="y"/>.
    /// </summary>
    /// <param name="x">Left operands.</param>
    /// <param name="y">Right operands.</param>
    /// <param name="destination">Results.</param>
    static abstract void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination);
}
