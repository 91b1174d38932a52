using System.Numerics;

namespace Collectives.Reduction.Operators;

/// <summary>
/// Element-wise MinLoc on value and index pairs: the smaller value wins, NaN counting as larger than
/// every number; equal values go to the lower index (see <see cref="ValueIndexOrder"/>).
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
internal readonly struct MinLocOperator<T> : IReductionOperator<ValueIndex<T>>
    where T : unmanaged, INumber<T>
{
    public static void Invoke(ReadOnlySpan<ValueIndex<T>> x, ReadOnlySpan<ValueIndex<T>> y, Span<ValueIndex<T>> destination)
        => ValueIndexOrder.SelectWinners(x, y, destination, preferred: -1);
}
