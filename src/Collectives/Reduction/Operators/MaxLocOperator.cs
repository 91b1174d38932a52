using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Collectives.Reduction.Operators;

/// <summary>
/// Element-wise MaxLoc on value and index pairs: the larger value wins, NaN counting as larger than
/// every number; equal values go to the lower index (see <see cref="ValueIndexOrder"/>).
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
/// <remarks>
/// A scalar loop: TensorPrimitives has no pair operations, the interleaved value and index lanes
/// with a three-level tie-break make a vector version intricate, and MaxLoc is used on short
/// buffers (one candidate per rank or per row), where the scalar loop is not the bottleneck.
/// </remarks>
internal readonly struct MaxLocOperator<T> : IReductionOperator<ValueIndex<T>>
    where T : unmanaged, INumber<T>
{
    public static void Invoke(ReadOnlySpan<ValueIndex<T>> x, ReadOnlySpan<ValueIndex<T>> y, Span<ValueIndex<T>> destination)
    {
        ElementwiseLoop.ValidateOperands(x, y, destination);
        ref ValueIndex<T> xRef = ref MemoryMarshal.GetReference(x);
        ref ValueIndex<T> yRef = ref MemoryMarshal.GetReference(y);
        ref ValueIndex<T> destinationRef = ref MemoryMarshal.GetReference(destination);
        for (nuint i = 0; i < (nuint)x.Length; i++)
        {
            ValueIndex<T> a = Unsafe.Add(ref xRef, i);
            ValueIndex<T> b = Unsafe.Add(ref yRef, i);
            ValueIndexOrder.Store(ref Unsafe.Add(ref destinationRef, i), SecondWins(a, b) ? b : a);
        }
    }

    private static bool SecondWins(ValueIndex<T> a, ValueIndex<T> b)
    {
        int byValue = ValueIndexOrder.CompareValues(b.Value, a.Value);
        return byValue > 0
            || (byValue == 0 && (b.Index < a.Index || (b.Index == a.Index && ValueIndexOrder.CompareBits(b.Value, a.Value) > 0)));
    }
}
