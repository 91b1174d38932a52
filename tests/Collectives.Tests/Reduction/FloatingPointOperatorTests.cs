namespace Collectives.Tests.Reduction;

/// <summary>Min and Max on floating types follow IEEE 754-2019 minimum and maximum, in either operand order.</summary>
public class FloatingPointOperatorTests
{
    [TestCase(ReduceOp.Min, -0f, 0f, -0f)]
    [TestCase(ReduceOp.Max, -0f, 0f, 0f)]
    public void Float_zeros_of_both_signs_order_negative_below_positive(ReduceOp op, float x, float y, float expected)
    {
        float[] results = KernelApply.ApplyBothWays(op, x, y);

        Assert.That(results.Select(BitConverter.SingleToInt32Bits), Is.All.EqualTo(BitConverter.SingleToInt32Bits(expected)));
    }

    [TestCase(ReduceOp.Min, -0d, 0d, -0d)]
    [TestCase(ReduceOp.Max, -0d, 0d, 0d)]
    public void Double_zeros_of_both_signs_order_negative_below_positive(ReduceOp op, double x, double y, double expected)
    {
        double[] results = KernelApply.ApplyBothWays(op, x, y);

        Assert.That(results.Select(BitConverter.DoubleToInt64Bits), Is.All.EqualTo(BitConverter.DoubleToInt64Bits(expected)));
    }

    [TestCase(ReduceOp.Min, 1f)]
    [TestCase(ReduceOp.Min, float.NegativeInfinity)]
    [TestCase(ReduceOp.Max, 1f)]
    [TestCase(ReduceOp.Max, float.PositiveInfinity)]
    public void Float_NaN_against_a_number_gives_NaN(ReduceOp op, float number)
    {
        float[] results = KernelApply.ApplyBothWays(op, float.NaN, number);

        Assert.That(results.Select(float.IsNaN), Is.All.True);
    }

    [TestCase(ReduceOp.Min, 1d)]
    [TestCase(ReduceOp.Min, double.NegativeInfinity)]
    [TestCase(ReduceOp.Max, 1d)]
    [TestCase(ReduceOp.Max, double.PositiveInfinity)]
    public void Double_NaN_against_a_number_gives_NaN(ReduceOp op, double number)
    {
        double[] results = KernelApply.ApplyBothWays(op, double.NaN, number);

        Assert.That(results.Select(double.IsNaN), Is.All.True);
    }
}
