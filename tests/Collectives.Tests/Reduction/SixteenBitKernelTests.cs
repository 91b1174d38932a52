namespace Collectives.Tests.Reduction;

/// <summary>
/// The documented rounding of Half and BFloat16 reductions, on explicit values: each combine is
/// computed in float and rounded once to the nearest 16-bit value, ties to even, with IEEE
/// overflow, subnormals, infinities and NaN; in either operand order, on vector and scalar paths.
/// </summary>
public class SixteenBitKernelTests
{
    // Half has 11 significand bits: from 2048 to 4096 the spacing is 2, so an odd integer is a tie.
    [TestCase(ReduceOp.Sum, 2048.0, 1.0, 2048.0, TestName = "Half_sum_halfway_rounds_down_to_the_even_2048")]
    [TestCase(ReduceOp.Sum, 2050.0, 1.0, 2052.0, TestName = "Half_sum_halfway_rounds_up_to_the_even_2052")]
    [TestCase(ReduceOp.Sum, 2048.0, 1.0009765625, 2050.0, TestName = "Half_sum_just_past_halfway_rounds_up")]
    [TestCase(ReduceOp.Prod, 3.0, 683.0, 2048.0, TestName = "Half_product_2049_is_halfway_and_rounds_to_the_even_2048")]
    [TestCase(ReduceOp.Sum, 65504.0, 8.0, 65504.0, TestName = "Half_sum_below_the_overflow_threshold_stays_at_the_largest_finite")]
    [TestCase(ReduceOp.Sum, 65504.0, 16.0, double.PositiveInfinity, TestName = "Half_sum_at_the_overflow_threshold_becomes_infinity")]
    [TestCase(ReduceOp.Prod, -65504.0, 2.0, double.NegativeInfinity, TestName = "Half_product_past_the_largest_finite_becomes_negative_infinity")]
    [TestCase(ReduceOp.Sum, 5.9604644775390625E-08, 5.9604644775390625E-08, 1.1920928955078125E-07, TestName = "Half_sum_of_two_smallest_subnormals_is_exact")]
    [TestCase(ReduceOp.Prod, 5.9604644775390625E-08, 0.5, 0.0, TestName = "Half_product_halfway_below_the_smallest_subnormal_rounds_to_even_zero")]
    [TestCase(ReduceOp.Prod, 5.9604644775390625E-08, 0.75, 5.9604644775390625E-08, TestName = "Half_product_past_halfway_below_the_smallest_subnormal_rounds_up_to_it")]
    [TestCase(ReduceOp.Prod, 5.9604644775390625E-08, 1.5, 1.1920928955078125E-07, TestName = "Half_product_halfway_between_subnormals_rounds_to_the_even_one")]
    [TestCase(ReduceOp.Sum, double.PositiveInfinity, -65504.0, double.PositiveInfinity, TestName = "Half_infinity_plus_a_finite_value_is_infinity")]
    [TestCase(ReduceOp.Min, -0.0, 0.0, -0.0, TestName = "Half_min_of_zeros_is_negative_zero")]
    [TestCase(ReduceOp.Max, -0.0, 0.0, 0.0, TestName = "Half_max_of_zeros_is_positive_zero")]
    [TestCase(ReduceOp.Min, 5.9604644775390625E-08, -5.9604644775390625E-08, -5.9604644775390625E-08, TestName = "Half_min_compares_subnormals_exactly")]
    public void Half_combine_rounds_once_to_nearest_even(ReduceOp op, double x, double y, double expected)
    {
        Half[] results = KernelApply.ApplyBothWays(op, (Half)x, (Half)y);

        Assert.That(results.Select(BitConverter.HalfToUInt16Bits), Is.All.EqualTo(BitConverter.HalfToUInt16Bits((Half)expected)));
    }

    // BFloat16 has 8 significand bits: from 256 to 512 the spacing is 2.
    [TestCase(ReduceOp.Sum, 256f, 1f, 256f, TestName = "BFloat16_sum_halfway_rounds_down_to_the_even_256")]
    [TestCase(ReduceOp.Sum, 258f, 1f, 260f, TestName = "BFloat16_sum_halfway_rounds_up_to_the_even_260")]
    [TestCase(ReduceOp.Prod, 3f, 86f, 258f, TestName = "BFloat16_product_258_is_exact")]
    [TestCase(ReduceOp.Prod, 7f, 37f, 260f, TestName = "BFloat16_product_259_is_halfway_and_rounds_to_the_even_260")]
    [TestCase(ReduceOp.Prod, 3.3895314E+38f, 2f, float.PositiveInfinity, TestName = "BFloat16_product_past_the_largest_finite_becomes_infinity")]
    [TestCase(ReduceOp.Prod, 9.18355E-41f, 0.5f, 0f, TestName = "BFloat16_product_halfway_below_the_smallest_subnormal_rounds_to_even_zero")]
    [TestCase(ReduceOp.Prod, 9.18355E-41f, 1.5f, 1.83671E-40f, TestName = "BFloat16_product_halfway_between_subnormals_rounds_to_the_even_one")]
    [TestCase(ReduceOp.Sum, float.NegativeInfinity, 1f, float.NegativeInfinity, TestName = "BFloat16_negative_infinity_plus_a_finite_value_is_negative_infinity")]
    [TestCase(ReduceOp.Min, -0f, 0f, -0f, TestName = "BFloat16_min_of_zeros_is_negative_zero")]
    [TestCase(ReduceOp.Max, -0f, 0f, 0f, TestName = "BFloat16_max_of_zeros_is_positive_zero")]
    public void BFloat16_combine_rounds_once_to_nearest_even(ReduceOp op, float x, float y, float expected)
    {
        BFloat16[] results = KernelApply.ApplyBothWays(op, Exact(x), Exact(y));

        Assert.That(results.Select(value => value.ToBits()), Is.All.EqualTo(Exact(expected).ToBits()));
    }

    [TestCase(ReduceOp.Sum)]
    [TestCase(ReduceOp.Prod)]
    [TestCase(ReduceOp.Min)]
    [TestCase(ReduceOp.Max)]
    public void Half_NaN_against_a_number_gives_NaN(ReduceOp op)
        => Assert.That(KernelApply.ApplyBothWays(op, Half.NaN, (Half)1).Select(Half.IsNaN), Is.All.True);

    [TestCase(ReduceOp.Sum)]
    [TestCase(ReduceOp.Prod)]
    [TestCase(ReduceOp.Min)]
    [TestCase(ReduceOp.Max)]
    public void BFloat16_NaN_against_a_number_gives_NaN(ReduceOp op)
        => Assert.That(KernelApply.ApplyBothWays(op, (BFloat16)float.NaN, (BFloat16)1f).Select(value => float.IsNaN(value)), Is.All.True);

    [Test]
    public void Half_infinities_of_opposite_signs_sum_to_NaN()
        => Assert.That(KernelApply.ApplyBothWays(ReduceOp.Sum, Half.PositiveInfinity, Half.NegativeInfinity).Select(Half.IsNaN), Is.All.True);

    [Test]
    public void BFloat16_zero_times_infinity_is_NaN()
        => Assert.That(KernelApply.ApplyBothWays(ReduceOp.Prod, (BFloat16)0f, (BFloat16)float.PositiveInfinity).Select(value => float.IsNaN(value)), Is.All.True);

    /// <summary>The bfloat16 of a float the test names, which must be exactly representable (the top 16 bits only).</summary>
    private static BFloat16 Exact(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        Assert.That(bits & 0xFFFF, Is.Zero, $"{value} is not a bfloat16");
        return BFloat16.FromBits((ushort)(bits >> 16));
    }
}
