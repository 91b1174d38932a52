using System.Numerics;
using System.Runtime.CompilerServices;

namespace Collectives.Tests.Reduction;

/// <summary>
/// The specification of every operation, one element at a time, written for clarity rather than
/// speed and independently of the library's operators.
/// </summary>
public static class ScalarReference
{
    public static T Sum<T>(T x, T y)
        where T : INumber<T> => unchecked(x + y);

    public static T Prod<T>(T x, T y)
        where T : INumber<T> => unchecked(x * y);

    /// <summary>IEEE 754-2019 minimum: NaN propagates, -0 below +0.</summary>
    public static T Min<T>(T x, T y)
        where T : INumber<T>
    {
        if (T.IsNaN(x))
        {
            return x;
        }

        if (T.IsNaN(y))
        {
            return y;
        }

        if (x == y)
        {
            return T.IsNegative(x) ? x : y;
        }

        return x < y ? x : y;
    }

    /// <summary>IEEE 754-2019 maximum: NaN propagates, +0 above -0.</summary>
    public static T Max<T>(T x, T y)
        where T : INumber<T>
    {
        if (T.IsNaN(x))
        {
            return x;
        }

        if (T.IsNaN(y))
        {
            return y;
        }

        if (x == y)
        {
            return T.IsNegative(x) ? y : x;
        }

        return x > y ? x : y;
    }

    /// <summary>Smaller value (NaN above all numbers, ±0 equal), then lower index, then smaller signed bits.</summary>
    public static ValueIndex<T> MinLoc<T>(ValueIndex<T> x, ValueIndex<T> y)
        where T : unmanaged, INumber<T>
    {
        if (T.IsNaN(x.Value) != T.IsNaN(y.Value))
        {
            return T.IsNaN(x.Value) ? y : x;
        }

        if (!T.IsNaN(x.Value) && x.Value != y.Value)
        {
            return x.Value < y.Value ? x : y;
        }

        if (x.Index != y.Index)
        {
            return x.Index < y.Index ? x : y;
        }

        return SignedBits(x.Value) <= SignedBits(y.Value) ? x : y;
    }

    /// <summary>Larger value (NaN above all numbers, ±0 equal), then lower index, then larger signed bits.</summary>
    public static ValueIndex<T> MaxLoc<T>(ValueIndex<T> x, ValueIndex<T> y)
        where T : unmanaged, INumber<T>
    {
        if (T.IsNaN(x.Value) != T.IsNaN(y.Value))
        {
            return T.IsNaN(x.Value) ? x : y;
        }

        if (!T.IsNaN(x.Value) && x.Value != y.Value)
        {
            return x.Value > y.Value ? x : y;
        }

        if (x.Index != y.Index)
        {
            return x.Index < y.Index ? x : y;
        }

        return SignedBits(x.Value) >= SignedBits(y.Value) ? x : y;
    }

    public static T LogicalAnd<T>(T x, T y)
        where T : IBinaryInteger<T> => x != T.Zero && y != T.Zero ? T.One : T.Zero;

    public static T LogicalOr<T>(T x, T y)
        where T : IBinaryInteger<T> => x != T.Zero || y != T.Zero ? T.One : T.Zero;

    public static T LogicalXor<T>(T x, T y)
        where T : IBinaryInteger<T> => (x != T.Zero) != (y != T.Zero) ? T.One : T.Zero;

    public static T BitwiseAnd<T>(T x, T y)
        where T : IBinaryInteger<T> => x & y;

    public static T BitwiseOr<T>(T x, T y)
        where T : IBinaryInteger<T> => x | y;

    public static T BitwiseXor<T>(T x, T y)
        where T : IBinaryInteger<T> => x ^ y;

    private static long SignedBits<T>(T value)
        where T : unmanaged
        => Unsafe.SizeOf<T>() == 4 ? Unsafe.As<T, int>(ref value) : Unsafe.As<T, long>(ref value);
}
