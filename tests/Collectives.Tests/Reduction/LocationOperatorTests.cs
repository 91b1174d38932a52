using System.Runtime.InteropServices;

namespace Collectives.Tests.Reduction;

/// <summary>MinLoc and MaxLoc pick a value with its index; every tie is settled the same way in either operand order.</summary>
public class LocationOperatorTests
{
    [TestCase(ReduceOp.MinLoc, 3f, 0, 2f, 5, 2f, 5)]
    [TestCase(ReduceOp.MaxLoc, 3f, 0, 2f, 5, 3f, 0)]
    [TestCase(ReduceOp.MinLoc, float.NegativeInfinity, 4, -1e30f, 1, float.NegativeInfinity, 4)]
    [TestCase(ReduceOp.MaxLoc, float.PositiveInfinity, 4, 1e30f, 1, float.PositiveInfinity, 4)]
    public void The_winning_value_keeps_its_index(ReduceOp op, float xValue, int xIndex, float yValue, int yIndex, float value, int index)
    {
        Assert.That(Describe(KernelApply.ApplyBothWays(op, Pair(xValue, xIndex), Pair(yValue, yIndex))), Is.All.EqualTo(Describe(value, index)));
    }

    [TestCase(ReduceOp.MinLoc, 2f, 5, 1)]
    [TestCase(ReduceOp.MaxLoc, 2f, 5, 1)]
    [TestCase(ReduceOp.MinLoc, -7f, 0, -3)]
    [TestCase(ReduceOp.MaxLoc, -7f, 0, -3)]
    public void Equal_values_go_to_the_lower_index(ReduceOp op, float value, int oneIndex, int otherIndex)
    {
        int lower = Math.Min(oneIndex, otherIndex);

        Assert.That(Describe(KernelApply.ApplyBothWays(op, Pair(value, oneIndex), Pair(value, otherIndex))), Is.All.EqualTo(Describe(value, lower)));
    }

    [TestCase(ReduceOp.MinLoc, long.MaxValue, 9, 2L, 9, 2L, 9)]
    [TestCase(ReduceOp.MinLoc, -1L, 5, 1L, 0, -1L, 5)]
    [TestCase(ReduceOp.MaxLoc, long.MinValue, 9, 3L, 3, 3L, 3)]
    [TestCase(ReduceOp.MaxLoc, -1L, 9, -1L, -2, -1L, -2)]
    public void Long_values_and_indices_compare_as_signed(ReduceOp op, long xValue, int xIndex, long yValue, int yIndex, long value, int index)
    {
        ValueIndex<long>[] results = KernelApply.ApplyBothWays(op, new ValueIndex<long>(xValue, xIndex), new ValueIndex<long>(yValue, yIndex));

        Assert.That(results, Is.All.EqualTo(new ValueIndex<long>(value, index)));
    }

    [Test]
    public void Unsigned_values_compare_as_unsigned()
    {
        ValueIndex<ulong>[] results = KernelApply.ApplyBothWays(ReduceOp.MaxLoc, new ValueIndex<ulong>(ulong.MaxValue, 1), new ValueIndex<ulong>(1, 0));

        Assert.That(results, Is.All.EqualTo(new ValueIndex<ulong>(ulong.MaxValue, 1)));
    }

    [TestCase(1f)]
    [TestCase(float.PositiveInfinity)]
    [TestCase(float.NegativeInfinity)]
    public void MinLoc_prefers_any_number_to_NaN(float number)
    {
        Assert.That(Describe(KernelApply.ApplyBothWays(ReduceOp.MinLoc, Pair(float.NaN, 0), Pair(number, 7))), Is.All.EqualTo(Describe(number, 7)));
    }

    [TestCase(1f)]
    [TestCase(float.PositiveInfinity)]
    [TestCase(float.NegativeInfinity)]
    public void MaxLoc_prefers_NaN_to_any_number(float number)
    {
        Assert.That(Describe(KernelApply.ApplyBothWays(ReduceOp.MaxLoc, Pair(float.NaN, 7), Pair(number, 0))), Is.All.EqualTo(Describe(float.NaN, 7)));
    }

    [TestCase(ReduceOp.MinLoc)]
    [TestCase(ReduceOp.MaxLoc)]
    public void Two_NaNs_go_to_the_lower_index(ReduceOp op)
    {
        float otherNaN = BitConverter.Int32BitsToSingle(0x7FC0_0001);

        Assert.That(Describe(KernelApply.ApplyBothWays(op, Pair(otherNaN, 3), Pair(float.NaN, 2))), Is.All.EqualTo(Describe(float.NaN, 2)));
    }

    [TestCase(ReduceOp.MinLoc)]
    [TestCase(ReduceOp.MaxLoc)]
    public void Zeros_of_both_signs_are_equal_values_so_the_lower_index_wins(ReduceOp op)
    {
        Assert.That(Describe(KernelApply.ApplyBothWays(op, Pair(0f, 1), Pair(-0f, 2))), Is.All.EqualTo(Describe(0f, 1)));
    }

    [TestCase(ReduceOp.MinLoc, -0d)]
    [TestCase(ReduceOp.MaxLoc, 0d)]
    public void Zeros_of_both_signs_with_the_same_index_resolve_as_in_Min_and_Max(ReduceOp op, double expected)
    {
        ValueIndex<double>[] results = KernelApply.ApplyBothWays(op, new ValueIndex<double>(0d, 4), new ValueIndex<double>(-0d, 4));

        Assert.That(results.Select(pair => (BitConverter.DoubleToInt64Bits(pair.Value), pair.Index)), Is.All.EqualTo((BitConverter.DoubleToInt64Bits(expected), 4)));
    }

    [TestCase(ReduceOp.MinLoc)]
    [TestCase(ReduceOp.MaxLoc)]
    public void Padding_after_the_index_of_8_byte_values_is_written_as_zero(ReduceOp op)
    {
        var x = new ValueIndex<double>[KernelApply.Copies];
        var y = new ValueIndex<double>[KernelApply.Copies];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = new ValueIndex<double>(i % 3, i);
            y[i] = new ValueIndex<double>(i % 5, -i);
        }

        // Garbage in the inputs' padding must not reach the result.
        MemoryMarshal.AsBytes(x.AsSpan()).Fill(0xAB);
        MemoryMarshal.AsBytes(y.AsSpan()).Fill(0xCD);
        byte[] result = MemoryMarshal.AsBytes(KernelApply.Apply(op, x, y).AsSpan()).ToArray();

        Assert.That(result.Chunk(16).Select(element => BitConverter.ToInt32(element, 12)), Is.All.Zero);
    }

    private static ValueIndex<float> Pair(float value, int index) => new(value, index);

    /// <summary>Value bits and index: equality of descriptions is equality of bits, telling -0 from +0.</summary>
    private static IEnumerable<string> Describe(IEnumerable<ValueIndex<float>> pairs) => pairs.Select(pair => Describe(pair.Value, pair.Index));

    private static string Describe(float value, int index) => $"({value} [{BitConverter.SingleToInt32Bits(value):X8}], {index})";
}
