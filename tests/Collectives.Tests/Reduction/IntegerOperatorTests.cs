namespace Collectives.Tests.Reduction;

/// <summary>Integer arithmetic wraps like unchecked C#, and logical operations give 0 or 1, never other bits.</summary>
public class IntegerOperatorTests
{
    public static IEnumerable<TestCaseData> WrappingCases() =>
    [
        new TestCaseData(ReduceOp.Sum, int.MaxValue, 1, int.MinValue),
        new TestCaseData(ReduceOp.Sum, long.MinValue, -1L, long.MaxValue),
        new TestCaseData(ReduceOp.Sum, uint.MaxValue, 1u, 0u),
        new TestCaseData(ReduceOp.Sum, ulong.MaxValue, 2ul, 1ul),
        new TestCaseData(ReduceOp.Prod, int.MaxValue, 2, -2),
        new TestCaseData(ReduceOp.Prod, long.MaxValue, 3L, long.MaxValue - 2),
        new TestCaseData(ReduceOp.Prod, 0x8000_0000u, 2u, 0u),
        new TestCaseData(ReduceOp.Prod, 0xFFFF_FFFF_FFFF_FFFFul, 0xFFFF_FFFF_FFFF_FFFFul, 1ul),
    ];

    public static IEnumerable<TestCaseData> LogicalCases() =>
    [
        new TestCaseData(ReduceOp.LogicalAnd, 2, 4, 1),
        new TestCaseData(ReduceOp.LogicalAnd, 0, -9, 0),
        new TestCaseData(ReduceOp.LogicalAnd, 1L << 40, 1L << 20, 1L),
        new TestCaseData(ReduceOp.LogicalAnd, 1ul << 63, 1ul << 32, 1ul),
        new TestCaseData(ReduceOp.LogicalOr, 0, -5, 1),
        new TestCaseData(ReduceOp.LogicalOr, 0u, 0u, 0u),
        new TestCaseData(ReduceOp.LogicalOr, 0x8000_0000u, 0u, 1u),
        new TestCaseData(ReduceOp.LogicalXor, 5, 3, 0),
        new TestCaseData(ReduceOp.LogicalXor, 0L, 7L, 1L),
        new TestCaseData(ReduceOp.LogicalXor, 0ul, 0ul, 0ul),
    ];

    [TestCaseSource(nameof(WrappingCases))]
    public void Arithmetic_wraps_on_overflow<T>(ReduceOp op, T x, T y, T expected)
        where T : unmanaged
    {
        Assert.That(KernelApply.ApplyBothWays(op, x, y), Is.All.EqualTo(expected));
    }

    [TestCaseSource(nameof(LogicalCases))]
    public void Logical_operations_give_one_for_true_and_zero_for_false<T>(ReduceOp op, T x, T y, T expected)
        where T : unmanaged
    {
        Assert.That(KernelApply.ApplyBothWays(op, x, y), Is.All.EqualTo(expected));
    }
}
