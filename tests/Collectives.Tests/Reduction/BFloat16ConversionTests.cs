using Collectives.Reduction.Operators;
using Collectives.Tests.Support;

namespace Collectives.Tests.Reduction;

/// <summary>
/// <see cref="BFloat16"/> converts exactly to float, rounds floats to nearest even (IEEE), keeps
/// NaN a NaN, and compares like float; the kernels' vectorised narrowing rounds exactly as the
/// scalar conversion does.
/// </summary>
public class BFloat16ConversionTests
{
    /// <summary>
    /// Every high half of a float with low halves that sit below, at and above the rounding
    /// midpoint, and at both ends: every exponent, sign and significand meets every rounding case.
    /// </summary>
    private static readonly ushort[] LowHalves = [0x0000, 0x0001, 0x7FFF, 0x8000, 0x8001, 0xFFFF];

    [Test]
    public void Every_non_NaN_bit_pattern_converts_to_float_and_back_unchanged()
    {
        ushort[] changed = [.. Enumerable.Range(0, 0x1_0000).Select(bits => (ushort)bits)
            .Where(bits => !float.IsNaN(BFloat16.FromBits(bits)) && ((BFloat16)(float)BFloat16.FromBits(bits)).ToBits() != bits)];

        Assert.That(changed, Is.Empty);
    }

    [Test]
    public void Conversion_to_float_is_the_upper_half_of_the_float()
    {
        float[] wrong = [.. Enumerable.Range(0, 0x1_0000).Select(bits => (ushort)bits)
            .Where(bits => BitConverter.SingleToUInt32Bits(BFloat16.FromBits(bits)) != (uint)bits << 16)
            .Select(bits => (float)BFloat16.FromBits(bits))];

        Assert.That(wrong, Is.Empty);
    }

    [TestCase(1.00390625f, 1f, TestName = "Halfway_between_1_and_the_next_value_rounds_down_to_the_even_1")]
    [TestCase(1.01171875f, 1.015625f, TestName = "Halfway_above_an_odd_last_bit_rounds_up_to_the_even_neighbour")]
    [TestCase(1.0039064f, 1.0078125f, TestName = "Just_past_halfway_rounds_up")]
    [TestCase(-1.00390625f, -1f, TestName = "Negative_values_round_by_magnitude_like_positive_ones")]
    [TestCase(3.4028235E+38f, float.PositiveInfinity, TestName = "Float_MaxValue_is_past_the_overflow_threshold_and_becomes_infinity")]
    [TestCase(-3.4028235E+38f, float.NegativeInfinity, TestName = "Float_MinValue_becomes_negative_infinity")]
    [TestCase(3.3961773E+38f, 3.3895314E+38f, TestName = "Just_below_the_overflow_threshold_rounds_to_the_largest_finite")]
    [TestCase(1E-45f, 0f, TestName = "The_smallest_float_subnormal_rounds_to_zero")]
    [TestCase(float.PositiveInfinity, float.PositiveInfinity, TestName = "Infinity_stays_infinity")]
    public void Conversion_from_float_rounds_to_nearest_even(float value, float expected)
        => Assert.That(BitConverter.SingleToUInt32Bits((BFloat16)value), Is.EqualTo(BitConverter.SingleToUInt32Bits(expected)));

    [TestCase(0x7F80_0001u, TestName = "A_NaN_with_only_low_payload_bits_stays_NaN_not_infinity")]
    [TestCase(0xFFC0_0000u, TestName = "A_negative_quiet_NaN_stays_NaN")]
    [TestCase(0x7FFF_FFFFu, TestName = "A_NaN_with_every_payload_bit_does_not_carry_into_the_sign")]
    public void NaN_converts_to_a_NaN_of_the_same_sign(uint floatBits)
    {
        var value = (BFloat16)BitConverter.UInt32BitsToSingle(floatBits);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(float.IsNaN(value), Is.True);
            Assert.That(value.ToBits() >> 15, Is.EqualTo(floatBits >> 31));
        }
    }

    [Test]
    public void Conversion_from_float_matches_IEEE_rounding_for_every_exponent_and_midpoint()
    {
        float[] inputs = Floats();
        string[] wrong = [.. inputs.Where(value => !float.IsNaN(value) && ((BFloat16)value).ToBits() != SixteenBitFloats.ToBFloat16(value).ToBits()).Select(Describe)];

        Assert.That(wrong, Is.Empty);
    }

    [Test]
    public void Vectorised_narrowing_in_the_kernels_matches_the_scalar_conversion_bit_for_bit()
    {
        float[] inputs = Floats();
        var narrowed = new BFloat16[inputs.Length];

        BFloat16Format.Narrow(inputs, narrowed);

        string[] wrong = [.. Enumerable.Range(0, inputs.Length).Where(i => narrowed[i].ToBits() != ((BFloat16)inputs[i]).ToBits()).Select(i => Describe(inputs[i]))];
        Assert.That(wrong, Is.Empty);
    }

    [Test]
    public void Vectorised_widening_in_the_kernels_is_exact()
    {
        BFloat16[] inputs = [.. Enumerable.Range(0, 0x1_0000).Select(bits => BFloat16.FromBits((ushort)bits))];
        var widened = new float[inputs.Length];

        BFloat16Format.Widen(inputs, widened);

        Assert.That(Enumerable.Range(0, inputs.Length).Count(i => BitConverter.SingleToUInt32Bits(widened[i]) != (uint)inputs[i].ToBits() << 16), Is.Zero);
    }

    [Test]
    public void NaN_is_not_equal_to_itself_but_Equals_itself()
    {
        var nan = (BFloat16)float.NaN;
        BFloat16 sameNaN = nan;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(nan == sameNaN, Is.False);
            Assert.That(nan != sameNaN, Is.True);
            Assert.That(nan.Equals(sameNaN), Is.True);
        }
    }

    [Test]
    public void Zeros_of_both_signs_are_equal_with_equal_hash_codes()
    {
        var zero = (BFloat16)0f;
        var negativeZero = (BFloat16)(-0f);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(zero == negativeZero, Is.True);
            Assert.That(zero.Equals(negativeZero), Is.True);
            Assert.That(zero.GetHashCode(), Is.EqualTo(negativeZero.GetHashCode()));
        }
    }

    [Test]
    public void Values_print_as_their_float_in_the_invariant_culture()
        => Assert.That(((BFloat16)1.5f).ToString(), Is.EqualTo("1.5"));

    [Test]
    public void A_bfloat16_takes_two_bytes()
        => Assert.That(System.Runtime.CompilerServices.Unsafe.SizeOf<BFloat16>(), Is.EqualTo(2));

    /// <summary>Every high half with each of <see cref="LowHalves"/>: 393 216 floats, NaNs included.</summary>
    private static float[] Floats() =>
        [.. from high in Enumerable.Range(0, 0x1_0000)
            from low in LowHalves
            select BitConverter.UInt32BitsToSingle(((uint)high << 16) | low)];

    private static string Describe(float value) => $"{value:R} [{BitConverter.SingleToUInt32Bits(value):X8}]";
}
