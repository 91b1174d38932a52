using Collectives.Tests.Support;

namespace Collectives.Tests.Correctness;

/// <summary>
/// The generated inputs do what the matrix relies on: they are reproducible, and for each
/// operation they make the interesting outcomes happen (wrap-around, ties decided by index, both
/// logical results, surviving bits), while floating results stay finite.
/// </summary>
public class ReductionInputsTests
{
    private const int Count = 1000;

    [Test]
    public void Inputs_are_the_same_on_every_call()
    {
        long[] first = ReductionInputs.For<long>(ReduceOp.Prod, 3, 7, Count);
        long[] second = ReductionInputs.For<long>(ReduceOp.Prod, 3, 7, Count);
        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void Ranks_contribute_different_inputs()
        => Assert.That(ReductionInputs.For<int>(ReduceOp.Sum, 1, 7, Count), Is.Not.EqualTo(ReductionInputs.For<int>(ReduceOp.Sum, 2, 7, Count)));

    [Test]
    public void Int_sums_overflow_so_wrap_around_is_exercised()
    {
        int[][] inputs = Inputs<int>(ReduceOp.Sum, 2);
        Assert.That(Enumerable.Range(0, Count).Count(i => (long)inputs[0][i] + inputs[1][i] is > int.MaxValue or < int.MinValue), Is.GreaterThan(Count / 10));
    }

    [TestCase(ReduceOp.Sum)]
    [TestCase(ReduceOp.Prod)]
    public void Float_sums_and_products_stay_finite_and_positive_on_13_ranks(ReduceOp op)
    {
        float[] result = Reference.Reduce(op, Inputs<float>(op, 13));
        Assert.That(result, Is.All.GreaterThan(0f).And.All.LessThan(float.MaxValue));
    }

    [TestCase(2)]
    [TestCase(5)]
    [TestCase(13)]
    public void MinLoc_inputs_tie_across_ranks_with_the_lowest_index_not_always_on_the_lowest_rank(int ranks)
    {
        ValueIndex<int>[][] inputs = Inputs<ValueIndex<int>>(ReduceOp.MinLoc, ranks);
        int decidedByIndexNotRank = 0;
        for (int i = 0; i < Count; i++)
        {
            int smallest = inputs.Min(input => input[i].Value);
            int[] tied = [.. Enumerable.Range(0, ranks).Where(rank => inputs[rank][i].Value == smallest)];
            int winner = tied.MinBy(rank => inputs[rank][i].Index);
            decidedByIndexNotRank += tied.Length > 1 && winner != tied[0] ? 1 : 0;
        }

        // A combination order that keeps whichever tied pair it saw first would get these wrong.
        Assert.That(decidedByIndexNotRank, Is.GreaterThan(Count / 20));
    }

    [TestCase(ReduceOp.LogicalAnd, 2)]
    [TestCase(ReduceOp.LogicalAnd, 13)]
    [TestCase(ReduceOp.LogicalOr, 2)]
    [TestCase(ReduceOp.LogicalOr, 13)]
    [TestCase(ReduceOp.LogicalXor, 2)]
    [TestCase(ReduceOp.LogicalXor, 13)]
    public void Logical_inputs_give_both_results(ReduceOp op, int ranks)
    {
        ulong[] result = Reference.Reduce(op, Inputs<ulong>(op, ranks));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result, Has.Some.EqualTo(0ul));
            Assert.That(result, Has.Some.EqualTo(1ul));
        }
    }

    [Test]
    public void Logical_inputs_include_true_values_with_a_zero_low_byte()
        => Assert.That(Inputs<uint>(ReduceOp.LogicalAnd, 5).SelectMany(input => input), Has.Some.Matches<uint>(value => value != 0 && (value & 0xFF) == 0));

    [Test]
    public void Bitwise_and_and_or_leave_bits_to_check_on_13_ranks()
    {
        uint[] and = Reference.Reduce(ReduceOp.BitwiseAnd, Inputs<uint>(ReduceOp.BitwiseAnd, 13));
        uint[] or = Reference.Reduce(ReduceOp.BitwiseOr, Inputs<uint>(ReduceOp.BitwiseOr, 13));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(and.Count(value => value != 0), Is.GreaterThan(Count / 2), "AND results with a bit set");
            Assert.That(or.Count(value => value != uint.MaxValue), Is.GreaterThan(Count / 2), "OR results with a bit clear");
        }
    }

    [TestCase(ReduceOp.Sum)]
    [TestCase(ReduceOp.Prod)]
    public void Half_sums_and_products_are_exact_so_every_combine_order_gives_the_same_bits(ReduceOp op)
    {
        double[][] widened = [.. Inputs<Half>(op, 13).Select(input => input.Select(value => (double)value).ToArray())];
        Half[] inRankOrder = Reference.Reduce(op, Inputs<Half>(op, 13));
        Half[] inReverseOrder = Reference.Reduce(op, [.. Inputs<Half>(op, 13).Reverse()]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(inReverseOrder, Is.EqualTo(inRankOrder));
            Assert.That(inRankOrder.Select(value => (double)value), Is.EqualTo(Exact(op, widened)), "the exact result in double");
        }
    }

    [TestCase(ReduceOp.Sum)]
    [TestCase(ReduceOp.Prod)]
    public void BFloat16_sums_and_products_are_exact_so_every_combine_order_gives_the_same_bits(ReduceOp op)
    {
        double[][] widened = [.. Inputs<BFloat16>(op, 13).Select(input => input.Select(value => (double)(float)value).ToArray())];
        BFloat16[] inRankOrder = Reference.Reduce(op, Inputs<BFloat16>(op, 13));
        BFloat16[] inReverseOrder = Reference.Reduce(op, [.. Inputs<BFloat16>(op, 13).Reverse()]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(inReverseOrder.Select(value => value.ToBits()), Is.EqualTo(inRankOrder.Select(value => value.ToBits())));
            Assert.That(inRankOrder.Select(value => (double)(float)value), Is.EqualTo(Exact(op, widened)), "the exact result in double");
        }
    }

    [Test]
    public void Half_min_and_max_inputs_include_subnormals_and_negative_values_and_no_NaN_or_infinity()
    {
        Half[] values = [.. Inputs<Half>(ReduceOp.Min, 13).SelectMany(input => input)];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(values, Has.Some.Matches<Half>(Half.IsSubnormal));
            Assert.That(values, Has.Some.Matches<Half>(Half.IsNegative));
            Assert.That(values, Has.None.Matches<Half>(value => !Half.IsFinite(value)));
        }
    }

    /// <summary>The element-wise sum or product in double, which holds these inputs' results exactly.</summary>
    private static double[] Exact(ReduceOp op, double[][] inputs)
        => [.. Enumerable.Range(0, Count).Select(i => inputs.Select(input => input[i]).Aggregate((a, b) => op == ReduceOp.Sum ? a + b : a * b))];

    private static T[][] Inputs<T>(ReduceOp op, int ranks)
        where T : unmanaged
        => [.. Enumerable.Range(0, ranks).Select(rank => ReductionInputs.For<T>(op, rank, ranks, Count))];
}
