using System.Numerics;

namespace Collectives.Reduction.Operators;

/// <summary>
/// Element-wise MaxLoc on value and index pairs: the larger value wins, NaN counting as larger than
/// every number; equal values go to the lower index (see <see cref="ValueIndexOrder"/>).
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
internal readonly struct MaxLocOperator<T> : IReductionOperator<ValueIndex<T>>
    where T : unmanaged, INumber<T>
{
    public static void Invoke(ReadOnlySpan<ValueIndex<T>> x, ReadOnlySpan<ValueIndex<T>> y, Span<ValueIndex<T>> destination)
        => ValueIndexOrder.SelectWinners(x, y, destination, preferred: 1);
}
