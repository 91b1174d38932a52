namespace Collectives.Tests.Support;

/// <summary>
/// The 16-bit float formats for the tests, independent of the library's conversions. Rounding is
/// written from IEEE 754: scale the value so the format's last significand bit is the units
/// digit, round that to an even integer (<see cref="MidpointRounding.ToEven"/>), scale back.
/// The runtime then converts the result, which the format represents exactly, without rounding.
/// </summary>
internal static class SixteenBitFloats
{
    /// <summary>The exact value of a bfloat16: its bits are the upper half of a float's.</summary>
    public static double Widen(BFloat16 value) => BitConverter.UInt32BitsToSingle((uint)value.ToBits() << 16);

    /// <summary>The exact value of a Half (the runtime's widening is exact).</summary>
    public static double Widen(Half value) => (double)value;

    /// <summary><paramref name="value"/> rounded to the nearest binary16, ties to even.</summary>
    public static Half ToHalf(double value) => (Half)Round(value, precision: 11, minExponent: -14, maxExponent: 15);

    /// <summary><paramref name="value"/> rounded to the nearest bfloat16, ties to even.</summary>
    public static BFloat16 ToBFloat16(double value)
        => BFloat16.FromBits((ushort)(BitConverter.SingleToUInt32Bits((float)Round(value, precision: 8, minExponent: -126, maxExponent: 127)) >> 16));

    /// <summary>Half exponent bits (binary16: 5 exponent bits, 10 significand bits).</summary>
    public const ushort HalfExponentMask = 0x7C00;

    /// <summary>BFloat16 exponent bits (8 exponent bits, 7 significand bits).</summary>
    public const ushort BFloat16ExponentMask = 0x7F80;

    /// <summary><paramref name="bits"/> made finite: an all-ones exponent (infinity or NaN) loses its top bit.</summary>
    public static ushort Finite(ushort bits, ushort exponentMask)
    {
        ushort topExponentBit = (ushort)(exponentMask & ~(exponentMask >> 1));
        return (bits & exponentMask) == exponentMask ? (ushort)(bits & ~topExponentBit) : bits;
    }

    /// <summary>
    /// <paramref name="value"/> rounded to a binary format with <paramref name="precision"/> significand
    /// bits and normal exponents from <paramref name="minExponent"/> to <paramref name="maxExponent"/>:
    /// subnormals share the smallest exponent's spacing, and a result beyond the largest finite value
    /// becomes infinity. NaN, infinities and zeros come back as they are.
    /// </summary>
    public static double Round(double value, int precision, int minExponent, int maxExponent)
    {
        if (!double.IsFinite(value) || value == 0)
        {
            return value;
        }

        int exponent = Math.Max(Math.ILogB(value), minExponent);
        int unitExponent = exponent - (precision - 1);
        double rounded = Math.ScaleB(Math.Round(Math.ScaleB(value, -unitExponent), MidpointRounding.ToEven), unitExponent);
        double largestFinite = Math.ScaleB(2 - Math.ScaleB(1, 1 - precision), maxExponent);
        return Math.Abs(rounded) > largestFinite ? double.CopySign(double.PositiveInfinity, value)
            : rounded == 0 ? double.CopySign(0, value)
            : rounded;
    }
}
