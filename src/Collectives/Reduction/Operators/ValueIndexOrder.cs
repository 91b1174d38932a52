using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Collectives.Reduction.Operators;

/// <summary>
/// The ordering MinLoc and MaxLoc share. Values compare numerically with every NaN above every
/// number (so MinLoc avoids NaN and MaxLoc finds it) and -0 equal to +0; equal values go to the
/// lower index; pairs equal in both (only possible for ±0 or two NaNs with the same index) are
/// settled by the value's bits read as a signed integer, MinLoc keeping the smaller and MaxLoc the
/// larger (so -0 and +0 go as in Min and Max). That makes the order total, so the winner of a pair
/// does not depend on argument order, which is what keeps ranks bitwise identical.
/// </summary>
internal static class ValueIndexOrder
{
    /// <summary>
    /// destination[i] = the winner of x[i] and y[i]: the pair whose value compares with sign
    /// <paramref name="preferred"/> (-1 MinLoc, +1 MaxLoc), then the lower index, then by bits.
    /// </summary>
    /// <remarks>
    /// A scalar loop: TensorPrimitives has no pair operations, the interleaved value and index lanes
    /// with a three-level tie-break make a vector version intricate, and MinLoc/MaxLoc are used on
    /// short buffers (one candidate per rank or per row), where the loop is not the bottleneck.
    /// </remarks>
    public static void SelectWinners<T>(ReadOnlySpan<ValueIndex<T>> x, ReadOnlySpan<ValueIndex<T>> y, Span<ValueIndex<T>> destination, int preferred)
        where T : unmanaged, INumber<T>
    {
        ElementwiseLoop.ValidateOperands(x, y, destination);
        ref ValueIndex<T> xRef = ref MemoryMarshal.GetReference(x);
        ref ValueIndex<T> yRef = ref MemoryMarshal.GetReference(y);
        ref ValueIndex<T> destinationRef = ref MemoryMarshal.GetReference(destination);
        for (nuint i = 0; i < (nuint)x.Length; i++)
        {
            ValueIndex<T> a = Unsafe.Add(ref xRef, i);
            ValueIndex<T> b = Unsafe.Add(ref yRef, i);
            int byValue = CompareValues(b.Value, a.Value) * preferred;
            bool secondWins = byValue > 0
                || (byValue == 0 && (b.Index < a.Index || (b.Index == a.Index && CompareBits(b.Value, a.Value) * preferred > 0)));
            Store(ref Unsafe.Add(ref destinationRef, i), secondWins ? b : a);
        }
    }

    /// <summary>Sign of a - b, with NaN greater than everything and all NaNs equal.</summary>
    public static int CompareValues<T>(T a, T b)
        where T : INumber<T>
    {
        // For integer T, IsNaN is a constant false and this branch disappears.
        bool aIsNaN = T.IsNaN(a);
        bool bIsNaN = T.IsNaN(b);
        if (aIsNaN | bIsNaN)
        {
            return (aIsNaN ? 1 : 0) - (bIsNaN ? 1 : 0);
        }

        return a < b ? -1 : b < a ? 1 : 0;
    }

    /// <summary>Sign of bits(a) - bits(b), the bits read as a signed integer: -0 below +0, and NaNs in a fixed order.</summary>
    public static int CompareBits<T>(T a, T b)
        where T : unmanaged
    {
        return Unsafe.SizeOf<T>() == sizeof(int)
            ? Unsafe.BitCast<T, int>(a).CompareTo(Unsafe.BitCast<T, int>(b))
            : Unsafe.BitCast<T, long>(a).CompareTo(Unsafe.BitCast<T, long>(b));
    }

    /// <summary>
    /// Writes <paramref name="winner"/> to <paramref name="destination"/>, with the padding after the
    /// index of 8-byte values zeroed so that results are the same bytes whatever garbage the
    /// inputs' padding held.
    /// </summary>
    public static void Store<T>(ref ValueIndex<T> destination, ValueIndex<T> winner)
        where T : unmanaged, IEquatable<T>
    {
        if (Unsafe.SizeOf<ValueIndex<T>>() == Unsafe.SizeOf<T>() + sizeof(long))
        {
            Unsafe.As<int, long>(ref destination.Index) = 0;
        }

        destination.Value = winner.Value;
        destination.Index = winner.Index;
    }
}
