using System.Globalization;

namespace Collectives;

/// <summary>
/// A 16-bit "brain" floating-point number (bfloat16), the format ML accelerators train in: the
/// sign, the 8-bit exponent and the top 7 significand bits of a <see cref="float"/>. It has
/// float's range (up to about 3.4e38, subnormals and infinities included) with 8 bits of
/// precision (about 2.4 decimal digits). .NET 10 has no such type, so the library brings one;
/// collectives reduce it with Sum, Prod, Min and Max.
/// </summary>
/// <remarks>
/// Conversion to <see cref="float"/> (and so to <see cref="double"/>) is exact. Conversion from
/// <see cref="float"/> rounds to the nearest bfloat16, ties to the one with an even last bit
/// (IEEE round-to-nearest-even); values beyond the largest finite bfloat16's rounding range become
/// infinity, and a NaN stays a NaN (quiet, with its sign). A <see cref="double"/> converts through
/// <see cref="float"/>, so it is rounded twice; convert it to float yourself if that matters.
/// </remarks>
public readonly struct BFloat16 : IEquatable<BFloat16>
{
    private const uint SignlessMask = 0x7FFF_FFFF;
    private const uint FloatInfinityBits = 0x7F80_0000;
    private const ushort QuietBit = 0x0040;

    private readonly ushort _bits;

    private BFloat16(ushort bits) => _bits = bits;

    /// <summary>The bfloat16 with the bit pattern <paramref name="bits"/>.</summary>
    /// <param name="bits">Sign (bit 15), exponent (bits 14-7) and significand (bits 6-0).</param>
    /// <returns>The value.</returns>
    public static BFloat16 FromBits(ushort bits) => new(bits);

    /// <summary>The bit pattern of this value: sign (bit 15), exponent (bits 14-7) and significand (bits 6-0).</summary>
    /// <returns>The bits.</returns>
    public ushort ToBits() => _bits;

    /// <summary>The exact float value of <paramref name="value"/>: its bits are the float's upper half.</summary>
    /// <param name="value">The bfloat16.</param>
    public static implicit operator float(BFloat16 value) => BitConverter.UInt32BitsToSingle((uint)value._bits << 16);

    /// <summary>
    /// <paramref name="value"/> rounded to the nearest bfloat16, ties to even; overflow gives
    /// infinity of the same sign, and a NaN gives a quiet NaN of the same sign.
    /// </summary>
    /// <param name="value">The float.</param>
    public static explicit operator BFloat16(float value) => new(RoundToBits(BitConverter.SingleToUInt32Bits(value)));

    /// <summary>IEEE equality, as for float: NaN equals nothing, and +0 equals -0.</summary>
    /// <param name="left">First value.</param>
    /// <param name="right">Second value.</param>
    /// <returns>Whether the values are equal.</returns>
    public static bool operator ==(BFloat16 left, BFloat16 right) => (float)left == (float)right;

    /// <summary>IEEE inequality, as for float: a NaN differs from everything.</summary>
    /// <param name="left">First value.</param>
    /// <param name="right">Second value.</param>
    /// <returns>Whether the values differ.</returns>
    public static bool operator !=(BFloat16 left, BFloat16 right) => !(left == right);

    /// <summary>
    /// Value equality as <see cref="float.Equals(float)"/> defines it (so that a NaN equals itself in
    /// collections): equal values, or both NaN.
    /// </summary>
    /// <param name="other">The other value.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(BFloat16 other) => ((float)this).Equals((float)other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is BFloat16 other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => ((float)this).GetHashCode();

    /// <summary>The value as a float would print it, in the invariant culture.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => ((float)this).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The bfloat16 bits nearest the float with bits <paramref name="floatBits"/>: add just under half
    /// of the dropped part's unit (plus one when the kept part is odd, which breaks ties to even) and
    /// truncate. The carry rounds the largest finite values up to infinity, as IEEE rounding does.
    /// The vectorised narrowing in the kernels computes the same function.
    /// </summary>
    /// <param name="floatBits">A float's bits.</param>
    /// <returns>The bfloat16's bits.</returns>
    internal static ushort RoundToBits(uint floatBits)
    {
        if ((floatBits & SignlessMask) > FloatInfinityBits)
        {
            // Truncation alone could clear every significand bit left and make the NaN an infinity.
            return (ushort)((floatBits >> 16) | QuietBit);
        }

        return (ushort)((floatBits + 0x7FFF + ((floatBits >> 16) & 1)) >> 16);
    }
}
