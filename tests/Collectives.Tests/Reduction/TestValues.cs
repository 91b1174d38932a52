using System.Numerics;
using Collectives.Tests.Support;

namespace Collectives.Tests.Reduction;

/// <summary>
/// Random test inputs that hit the interesting cases often: zeros (for the logical operations),
/// extremes (for wrapping), and for floating types NaN, infinities, signed zeros and subnormals.
/// NaN is always <see cref="float.NaN"/>/<see cref="double.NaN"/>: NaNs of different payloads are the one
/// documented case where float operations depend on operand order (see ReduceOp).
/// </summary>
public static class TestValues
{
    private static readonly float[] FloatSpecials =
        [0f, -0f, 1f, -1f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue];

    private static readonly double[] DoubleSpecials =
        [0d, -0d, 1d, -1d, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue];

    /// <summary>0, -0, 1, -1, NaN (as float.NaN narrows), +inf, -inf, the smallest subnormals, the largest finite values.</summary>
    private static readonly ushort[] HalfSpecialBits = [0x0000, 0x8000, 0x3C00, 0xBC00, 0xFE00, 0x7C00, 0xFC00, 0x0001, 0x8001, 0x7BFF, 0xFBFF];

    /// <summary>The same values in bfloat16.</summary>
    private static readonly ushort[] BFloat16SpecialBits = [0x0000, 0x8000, 0x3F80, 0xBF80, 0xFFC0, 0x7F80, 0xFF80, 0x0001, 0x8001, 0x7F7F, 0xFF7F];

    /// <summary>Half values: specials (subnormals and the largest finite included), arbitrary bit patterns, and full-precision values near 1 whose sums and products round.</summary>
    public static Half Half(Random random) => random.Next(4) switch
    {
        0 => BitConverter.UInt16BitsToHalf(HalfSpecialBits[random.Next(HalfSpecialBits.Length)]),
        1 => BitConverter.UInt16BitsToHalf(SixteenBitFloats.Finite((ushort)random.Next(0x1_0000), SixteenBitFloats.HalfExponentMask)),
        _ => (Half)((random.NextDouble() * 8) - 4),
    };

    /// <summary>BFloat16 values, drawn as <see cref="Half(Random)"/> draws them.</summary>
    public static BFloat16 BFloat16(Random random) => random.Next(4) switch
    {
        0 => Collectives.BFloat16.FromBits(BFloat16SpecialBits[random.Next(BFloat16SpecialBits.Length)]),
        1 => Collectives.BFloat16.FromBits(SixteenBitFloats.Finite((ushort)random.Next(0x1_0000), SixteenBitFloats.BFloat16ExponentMask)),
        _ => (BFloat16)(float)((random.NextDouble() * 8) - 4),
    };

    public static T Numeric<T>(Random random)
        where T : INumber<T>, IMinMaxValue<T>
    {
        int pick = random.Next(8);
        if (typeof(T) == typeof(float))
        {
            return (T)(object)(pick < 2 ? FloatSpecials[random.Next(FloatSpecials.Length)] : (float)((random.NextDouble() * 2000) - 1000));
        }

        if (typeof(T) == typeof(double))
        {
            return (T)(object)(pick < 2 ? DoubleSpecials[random.Next(DoubleSpecials.Length)] : (random.NextDouble() * 2000) - 1000);
        }

        return pick switch
        {
            0 or 1 => T.Zero,
            2 => T.MaxValue,
            3 => T.MinValue,
            4 => T.One,
            _ => T.CreateTruncating(random.NextInt64(long.MinValue, long.MaxValue)),
        };
    }

    /// <summary>Pairs drawn from few values and few indices, so equal values and equal indices are common.</summary>
    public static ValueIndex<T> Pair<T>(Random random)
        where T : unmanaged, INumber<T>
    {
        T value = T.CreateTruncating(random.Next(-2, 3));
        if (random.Next(4) == 0 && typeof(T) == typeof(float))
        {
            value = (T)(object)FloatSpecials[random.Next(6)];
        }
        else if (random.Next(4) == 0 && typeof(T) == typeof(double))
        {
            value = (T)(object)DoubleSpecials[random.Next(6)];
        }

        return new ValueIndex<T>(value, random.Next(-1, 3));
    }
}
