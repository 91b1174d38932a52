using System.Numerics;
using Collectives.Tests.Support;

namespace Collectives.Tests.Reduction;

/// <summary>
/// Every (operation, element type) the library promises, from the specification: Sum, Prod, Min and
/// Max on the six primitives and on the 16-bit floats Half and BFloat16; MinLoc and MaxLoc on value
/// and index pairs of the six; logical and bitwise operations on the four integer types.
/// </summary>
public static class KernelCases
{
    /// <summary>Lengths covering empty, scalar-only, and vector bodies with and without remainders.</summary>
    public static readonly int[] Lengths = [0, 1, 7, 33, 1000];

    public static IReadOnlyList<KernelCase> All { get; } =
    [
        .. Numeric<float>(),
        .. Numeric<double>(),
        .. Numeric<int>(),
        .. Numeric<long>(),
        .. Numeric<uint>(),
        .. Numeric<ulong>(),
        .. Location<float>(),
        .. Location<double>(),
        .. Location<int>(),
        .. Location<long>(),
        .. Location<uint>(),
        .. Location<ulong>(),
        .. Integer<int>(),
        .. Integer<long>(),
        .. Integer<uint>(),
        .. Integer<ulong>(),
        .. SixteenBit(TestValues.Half, SixteenBitFloats.Widen, SixteenBitFloats.ToHalf),
        .. SixteenBit(TestValues.BFloat16, SixteenBitFloats.Widen, SixteenBitFloats.ToBFloat16),
    ];

    public static IEnumerable<TestCaseData> AllWithLengths() =>
        from kernelCase in All
        from length in Lengths
        select new TestCaseData(kernelCase, length);

    public static IEnumerable<TestCaseData> AllKernels() => All.Select(kernelCase => new TestCaseData(kernelCase));

    private static IEnumerable<KernelCase> Numeric<T>()
        where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        Func<Random, T> next = TestValues.Numeric<T>;
        yield return new KernelCase<T>(ReduceOp.Sum, next, ScalarReference.Sum);
        yield return new KernelCase<T>(ReduceOp.Prod, next, ScalarReference.Prod);
        yield return new KernelCase<T>(ReduceOp.Min, next, ScalarReference.Min);
        yield return new KernelCase<T>(ReduceOp.Max, next, ScalarReference.Max);
    }

    /// <summary>
    /// A 16-bit float's operations as documented: each pair widened exactly, combined in double (exact
    /// for Half; for bfloat16 double's 53 bits make rounding twice the same as once), rounded once.
    /// </summary>
    private static IEnumerable<KernelCase> SixteenBit<T>(Func<Random, T> next, Func<T, double> widen, Func<double, T> round)
        where T : unmanaged
    {
        yield return new KernelCase<T>(ReduceOp.Sum, next, (x, y) => round(widen(x) + widen(y)));
        yield return new KernelCase<T>(ReduceOp.Prod, next, (x, y) => round(widen(x) * widen(y)));
        yield return new KernelCase<T>(ReduceOp.Min, next, (x, y) => round(ScalarReference.Min(widen(x), widen(y))));
        yield return new KernelCase<T>(ReduceOp.Max, next, (x, y) => round(ScalarReference.Max(widen(x), widen(y))));
    }

    private static IEnumerable<KernelCase> Location<T>()
        where T : unmanaged, INumber<T>
    {
        Func<Random, ValueIndex<T>> next = TestValues.Pair<T>;
        yield return new KernelCase<ValueIndex<T>>(ReduceOp.MinLoc, next, ScalarReference.MinLoc);
        yield return new KernelCase<ValueIndex<T>>(ReduceOp.MaxLoc, next, ScalarReference.MaxLoc);
    }

    private static IEnumerable<KernelCase> Integer<T>()
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        Func<Random, T> next = TestValues.Numeric<T>;
        yield return new KernelCase<T>(ReduceOp.LogicalAnd, next, ScalarReference.LogicalAnd);
        yield return new KernelCase<T>(ReduceOp.LogicalOr, next, ScalarReference.LogicalOr);
        yield return new KernelCase<T>(ReduceOp.LogicalXor, next, ScalarReference.LogicalXor);
        yield return new KernelCase<T>(ReduceOp.BitwiseAnd, next, ScalarReference.BitwiseAnd);
        yield return new KernelCase<T>(ReduceOp.BitwiseOr, next, ScalarReference.BitwiseOr);
        yield return new KernelCase<T>(ReduceOp.BitwiseXor, next, ScalarReference.BitwiseXor);
    }
}
