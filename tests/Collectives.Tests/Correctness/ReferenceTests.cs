using Collectives.Tests.Support;

namespace Collectives.Tests.Correctness;

/// <summary>
/// The sequential reference on tiny examples worked out by hand, one per rule of the contract, so
/// that the matrix's expected values are themselves known to be right for every operation,
/// including those the library does not implement yet.
/// </summary>
public class ReferenceTests
{
    [Test]
    public void Sum_of_ints_wraps_around_on_overflow()
        => Assert.That(Reference.Reduce(ReduceOp.Sum, [[int.MaxValue, 1], [1, 2], [0, -5]]), Is.EqualTo(new[] { int.MinValue, -2 }));

    [Test]
    public void Sum_of_uints_wraps_around_on_overflow()
        => Assert.That(Reference.Reduce(ReduceOp.Sum, [[uint.MaxValue, 3u], [2u, 4u]]), Is.EqualTo(new[] { 1u, 7u }));

    [Test]
    public void Sum_of_floats_adds_in_rank_order()
        => Assert.That(Reference.Reduce(ReduceOp.Sum, [[0.5f, 1f], [0.25f, -1f], [2f, 0f]]), Is.EqualTo(new[] { 2.75f, 0f }));

    [Test]
    public void Sum_of_halves_rounds_after_every_combine_in_rank_order()
    {
        // 2048 + 1 is halfway between 2048 and 2050 and rounds to the even 2048, twice; the exact sum, 2050, is a Half too.
        Half[] result = Reference.Reduce(ReduceOp.Sum, [[(Half)2048], [(Half)1], [(Half)1]]);

        Assert.That(result, Is.EqualTo(new[] { (Half)2048 }));
    }

    [Test]
    public void Prod_of_bfloat16s_rounds_after_every_combine_to_nearest_even()
    {
        // 7 x 37 = 259 is halfway between 258 and 260 (bfloat16 spacing 2 above 256): the even 260. Times 1 changes nothing.
        BFloat16[] result = Reference.Reduce(ReduceOp.Prod, [[(BFloat16)7f], [(BFloat16)37f], [(BFloat16)1f]]);

        Assert.That(result.Select(value => (float)value), Is.EqualTo(new[] { 260f }));
    }

    [Test]
    public void Min_and_max_of_bfloat16s_order_negative_zero_below_positive_zero()
    {
        BFloat16[][] inputs = [[(BFloat16)0f, (BFloat16)(-2.5f)], [(BFloat16)(-0f), (BFloat16)3f]];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Reference.Reduce(ReduceOp.Min, inputs).Select(value => value.ToBits()), Is.EqualTo(new ushort[] { 0x8000, 0xC020 }));
            Assert.That(Reference.Reduce(ReduceOp.Max, inputs).Select(value => value.ToBits()), Is.EqualTo(new ushort[] { 0x0000, 0x4040 }));
        }
    }

    [Test]
    public void Bitwise_operations_are_not_defined_on_halves()
        => Assert.That(() => Reference.Reduce(ReduceOp.BitwiseOr, [[(Half)1]]), Throws.ArgumentException);

    [Test]
    public void Prod_of_longs_wraps_around_on_overflow()
        => Assert.That(Reference.Reduce(ReduceOp.Prod, [[long.MaxValue, -3L], [2L, 5L]]), Is.EqualTo(new[] { -2L, -15L }));

    [Test]
    public void Prod_of_ulongs_wraps_around_on_overflow()
        => Assert.That(Reference.Reduce(ReduceOp.Prod, [[1ul << 63, 6ul], [2ul, 7ul], [5ul, 1ul]]), Is.EqualTo(new[] { 0ul, 42ul }));

    [Test]
    public void Prod_of_doubles_multiplies()
        => Assert.That(Reference.Reduce(ReduceOp.Prod, [[0.5, 3.0], [1.5, 0.25]]), Is.EqualTo(new[] { 0.75, 0.75 }));

    [Test]
    public void Min_and_max_of_ints_compare_signed()
    {
        int[][] inputs = [[-3, 5, 0], [2, -7, 0], [int.MinValue, int.MaxValue, 0]];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Reference.Reduce(ReduceOp.Min, inputs), Is.EqualTo(new[] { int.MinValue, -7, 0 }));
            Assert.That(Reference.Reduce(ReduceOp.Max, inputs), Is.EqualTo(new[] { 2, int.MaxValue, 0 }));
        }
    }

    [Test]
    public void Min_and_max_of_uints_compare_unsigned()
    {
        uint[][] inputs = [[0x8000_0000u, 1u], [5u, uint.MaxValue]];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Reference.Reduce(ReduceOp.Min, inputs), Is.EqualTo(new[] { 5u, 1u }));
            Assert.That(Reference.Reduce(ReduceOp.Max, inputs), Is.EqualTo(new[] { 0x8000_0000u, uint.MaxValue }));
        }
    }

    [Test]
    public void Min_and_max_of_floats_propagate_NaN_and_order_negative_zero_first()
    {
        float[][] inputs = [[1f, float.NaN, 0f], [float.NaN, 2f, -0f]];
        float[] min = Reference.Reduce(ReduceOp.Min, inputs);
        float[] max = Reference.Reduce(ReduceOp.Max, inputs);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(min[0], Is.NaN);
            Assert.That(min[1], Is.NaN);
            Assert.That(max[0], Is.NaN);
            Assert.That(max[1], Is.NaN);
            Assert.That(float.IsNegative(min[2]), Is.True, "min(+0, -0) is -0");
            Assert.That(float.IsNegative(max[2]), Is.False, "max(+0, -0) is +0");
        }
    }

    [Test]
    public void MinLoc_takes_the_smallest_value_and_on_ties_the_lowest_index()
    {
        ValueIndex<double>[][] inputs = [[new(2, 5), new(1, 9)], [new(1, 9), new(1, 8)], [new(1, 3), new(4, 0)], [new(4, 0), new(1, 10)]];
        Assert.That(Reference.Reduce(ReduceOp.MinLoc, inputs), Is.EqualTo(new ValueIndex<double>[] { new(1, 3), new(1, 8) }));
    }

    [Test]
    public void MaxLoc_takes_the_largest_value_and_on_ties_the_lowest_index()
    {
        ValueIndex<long>[][] inputs = [[new(7, 4), new(-1, 0)], [new(7, 2), new(-1, 1)], [new(3, 0), new(-2, 0)]];
        Assert.That(Reference.Reduce(ReduceOp.MaxLoc, inputs), Is.EqualTo(new ValueIndex<long>[] { new(7, 2), new(-1, 0) }));
    }

    [Test]
    public void MinLoc_and_MaxLoc_compare_signed_and_unsigned_values_by_their_type()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Reference.Reduce(ReduceOp.MaxLoc, [[new ValueIndex<int>(-1, 0)], [new ValueIndex<int>(1, 5)]]), Is.EqualTo(new[] { new ValueIndex<int>(1, 5) }));
            Assert.That(Reference.Reduce(ReduceOp.MinLoc, [[new ValueIndex<uint>(0x8000_0000u, 0)], [new ValueIndex<uint>(1u, 1)]]), Is.EqualTo(new[] { new ValueIndex<uint>(1u, 1) }));
        }
    }

    [Test]
    public void LogicalAnd_is_1_when_every_input_is_non_zero()
        => Assert.That(Reference.Reduce(ReduceOp.LogicalAnd, [[5, 0, -1, 256], [2, 3, int.MinValue, 0]]), Is.EqualTo(new[] { 1, 0, 1, 0 }));

    [Test]
    public void LogicalOr_is_1_when_any_input_is_non_zero()
        => Assert.That(Reference.Reduce(ReduceOp.LogicalOr, [[0L, 0L, 256L], [0L, 7L, 0L]]), Is.EqualTo(new[] { 0L, 1L, 1L }));

    [Test]
    public void LogicalXor_is_1_when_an_odd_number_of_inputs_are_non_zero()
        => Assert.That(Reference.Reduce(ReduceOp.LogicalXor, [[1u, 1u, 0u, 9u], [2u, 0u, 0u, 9u], [3u, 0u, 0u, 0u]]), Is.EqualTo(new[] { 1u, 1u, 0u, 0u }));

    [Test]
    public void Logical_ops_on_one_rank_still_give_1_or_0()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Reference.Reduce(ReduceOp.LogicalOr, [[7ul, 0ul]]), Is.EqualTo(new[] { 1ul, 0ul }));
            Assert.That(Reference.Reduce(ReduceOp.LogicalAnd, [[-4, 0]]), Is.EqualTo(new[] { 1, 0 }));
            Assert.That(Reference.Reduce(ReduceOp.LogicalXor, [[256u, 0u]]), Is.EqualTo(new[] { 1u, 0u }));
        }
    }

    [Test]
    public void Bitwise_ops_combine_bits()
    {
        uint[][] inputs = [[0b1100u], [0b1010u], [0b1001u]];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Reference.Reduce(ReduceOp.BitwiseAnd, inputs), Is.EqualTo(new[] { 0b1000u }));
            Assert.That(Reference.Reduce(ReduceOp.BitwiseOr, inputs), Is.EqualTo(new[] { 0b1111u }));
            Assert.That(Reference.Reduce(ReduceOp.BitwiseXor, inputs), Is.EqualTo(new[] { 0b1111u }));
        }
    }

    [Test]
    public void One_rank_reduces_to_a_copy_of_its_input()
    {
        int[] input = [4, -2];
        int[] result = Reference.Reduce(ReduceOp.Sum, [input]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result, Is.EqualTo(input));
            Assert.That(result, Is.Not.SameAs(input));
        }
    }

    [Test]
    public void Operations_undefined_on_a_type_are_refused()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => Reference.Reduce(ReduceOp.LogicalAnd, [[1f]]), Throws.ArgumentException);
            Assert.That(() => Reference.Reduce(ReduceOp.BitwiseOr, [[1.0]]), Throws.ArgumentException);
            Assert.That(() => Reference.Reduce(ReduceOp.MinLoc, [[1]]), Throws.ArgumentException);
            Assert.That(() => Reference.Reduce(ReduceOp.Sum, [[new ValueIndex<int>(1, 0)]]), Throws.ArgumentException);
        }
    }
}
