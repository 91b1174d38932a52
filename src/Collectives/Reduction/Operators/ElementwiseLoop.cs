using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Collectives.Reduction.Operators;

/// <summary>
/// The one driver for hand-written element-wise operators: widest accelerated vectors first, then
/// narrower ones for what is left, then scalars, so at most a few elements go through the scalar path.
/// </summary>
internal static class ElementwiseLoop
{
    public static void Invoke<T, TOperator>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where TOperator : IElementwiseOperator<T>
    {
        ValidateOperands(x, y, destination);
        ref T xRef = ref MemoryMarshal.GetReference(x);
        ref T yRef = ref MemoryMarshal.GetReference(y);
        ref T destinationRef = ref MemoryMarshal.GetReference(destination);
        nuint length = (nuint)x.Length;
        nuint i = 0;

        // Each vector is loaded completely before its store, so a destination that is exactly x or y
        // is safe; overlapping tails are never re-read, which keeps the in-place case correct.
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            for (; i + (nuint)Vector512<T>.Count <= length; i += (nuint)Vector512<T>.Count)
            {
                TOperator.Invoke(Vector512.LoadUnsafe(ref xRef, i), Vector512.LoadUnsafe(ref yRef, i)).StoreUnsafe(ref destinationRef, i);
            }
        }

        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            for (; i + (nuint)Vector256<T>.Count <= length; i += (nuint)Vector256<T>.Count)
            {
                TOperator.Invoke(Vector256.LoadUnsafe(ref xRef, i), Vector256.LoadUnsafe(ref yRef, i)).StoreUnsafe(ref destinationRef, i);
            }
        }

        if (Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported)
        {
            for (; i + (nuint)Vector128<T>.Count <= length; i += (nuint)Vector128<T>.Count)
            {
                TOperator.Invoke(Vector128.LoadUnsafe(ref xRef, i), Vector128.LoadUnsafe(ref yRef, i)).StoreUnsafe(ref destinationRef, i);
            }
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref destinationRef, i) = TOperator.Invoke(Unsafe.Add(ref xRef, i), Unsafe.Add(ref yRef, i));
        }
    }

    /// <summary>
    /// The same checks TensorPrimitives makes, so every operator rejects bad spans alike: equal
    /// input lengths, a long enough destination, and no overlap other than exact aliasing (a shifted
    /// overlap would read results as inputs).
    /// </summary>
    public static void ValidateOperands<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"The inputs must have the same length; x has {x.Length} elements and y {y.Length}.", nameof(y));
        }

        if (destination.Length < x.Length)
        {
            throw new ArgumentException($"The destination has {destination.Length} elements but the inputs {x.Length}.", nameof(destination));
        }

        if (OverlapsShifted(x, destination) || OverlapsShifted(y, destination))
        {
            throw new ArgumentException("The destination overlaps an input without being exactly the same memory.", nameof(destination));
        }
    }

    private static bool OverlapsShifted<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> destination)
        => input.Overlaps(destination, out int offset) && offset != 0;
}
