using System.Collections.Frozen;
using System.Numerics;
using Collectives.Reduction.Operators;

namespace Collectives.Reduction;

/// <summary>The table of every supported (operation, element type) kernel.</summary>
internal static class ReductionKernels
{
    private static readonly FrozenDictionary<(ReduceOp, DataType), ReductionKernel> Table = Build().ToFrozenDictionary(k => (k.Op, k.DataType));

    /// <summary>Every supported kernel.</summary>
    public static IEnumerable<ReductionKernel> All => Table.Values;

    /// <summary>Returns the kernel for <paramref name="op"/> on <paramref name="dataType"/>, or null if unsupported.</summary>
    /// <param name="op">The operation.</param>
    /// <param name="dataType">The element type.</param>
    /// <returns>The kernel or null.</returns>
    public static ReductionKernel? TryGet(ReduceOp op, DataType dataType) => Table.GetValueOrDefault((op, dataType));

    /// <summary>Returns the kernel for <paramref name="op"/> on <paramref name="dataType"/>.</summary>
    /// <param name="op">The operation.</param>
    /// <param name="dataType">The element type.</param>
    /// <returns>The kernel.</returns>
    /// <exception cref="NotSupportedException">The operation is not defined on that type; the message says why.</exception>
    public static ReductionKernel Get(ReduceOp op, DataType dataType)
        => TryGet(op, dataType) ?? throw new NotSupportedException(WhyUnsupported(op, dataType));

    private static string WhyUnsupported(ReduceOp op, DataType dataType)
    {
        if (!Enum.IsDefined(op))
        {
            return $"Unknown reduction operation {(int)op} (on {dataType}).";
        }

        if (!Enum.IsDefined(dataType.Element))
        {
            return $"{op} on unknown element type {(int)dataType.Element}: the library reduces float, double, int, long, uint, ulong, Half and BFloat16.";
        }

        if (dataType.PrimitiveSize == 2 && (dataType.WithIndex || op is ReduceOp.MinLoc or ReduceOp.MaxLoc))
        {
            return $"{op} on {dataType} is not supported: MinLoc and MaxLoc pair only 32- and 64-bit values with an index; 16-bit floats reduce with Sum, Prod, Min and Max.";
        }

        if (op is ReduceOp.MinLoc or ReduceOp.MaxLoc && !dataType.WithIndex)
        {
            return $"{op} needs ValueIndex<T> elements (value and index pairs), not {dataType}.";
        }

        if (dataType.WithIndex)
        {
            return $"{dataType} elements support only MinLoc and MaxLoc, not {op}.";
        }

        if (dataType.IsFloatingPoint && op >= ReduceOp.LogicalAnd)
        {
            return $"{op} is defined on integer types only, not on {dataType}.";
        }

        return $"{op} is not supported on {dataType}.";
    }

    // Data types come from DataType.Of<T>() so a registration cannot pair a kernel with the wrong type.
    private static IEnumerable<ReductionKernel> Build() =>
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
        .. Widened<Half, HalfFormat>(),
        .. Widened<BFloat16, BFloat16Format>(),
    ];

    private static IEnumerable<ReductionKernel> Numeric<T>()
        where T : unmanaged, INumber<T>
    {
        DataType type = Supported<T>();
        yield return new ReductionKernel<T, SumOperator<T>>(ReduceOp.Sum, type);
        yield return new ReductionKernel<T, ProdOperator<T>>(ReduceOp.Prod, type);
        yield return new ReductionKernel<T, MinOperator<T>>(ReduceOp.Min, type);
        yield return new ReductionKernel<T, MaxOperator<T>>(ReduceOp.Max, type);
    }

    /// <summary>The numeric operations of a 16-bit float type, computed in float (<see cref="WidenedOperator{T, TFormat, TFloatOperator}"/>).</summary>
    private static IEnumerable<ReductionKernel> Widened<T, TFormat>()
        where T : unmanaged
        where TFormat : ISixteenBitFormat<T>
    {
        DataType type = Supported<T>();
        yield return new ReductionKernel<T, WidenedOperator<T, TFormat, SumOperator<float>>>(ReduceOp.Sum, type);
        yield return new ReductionKernel<T, WidenedOperator<T, TFormat, ProdOperator<float>>>(ReduceOp.Prod, type);
        yield return new ReductionKernel<T, WidenedOperator<T, TFormat, MinOperator<float>>>(ReduceOp.Min, type);
        yield return new ReductionKernel<T, WidenedOperator<T, TFormat, MaxOperator<float>>>(ReduceOp.Max, type);
    }

    private static IEnumerable<ReductionKernel> Location<T>()
        where T : unmanaged, INumber<T>
    {
        DataType type = Supported<ValueIndex<T>>();
        yield return new ReductionKernel<ValueIndex<T>, MinLocOperator<T>>(ReduceOp.MinLoc, type);
        yield return new ReductionKernel<ValueIndex<T>, MaxLocOperator<T>>(ReduceOp.MaxLoc, type);
    }

    private static IEnumerable<ReductionKernel> Integer<T>()
        where T : unmanaged, IBinaryInteger<T>
    {
        DataType type = Supported<T>();
        yield return new ReductionKernel<T, LogicalAndOperator<T>>(ReduceOp.LogicalAnd, type);
        yield return new ReductionKernel<T, LogicalOrOperator<T>>(ReduceOp.LogicalOr, type);
        yield return new ReductionKernel<T, LogicalXorOperator<T>>(ReduceOp.LogicalXor, type);
        yield return new ReductionKernel<T, BitwiseAndOperator<T>>(ReduceOp.BitwiseAnd, type);
        yield return new ReductionKernel<T, BitwiseOrOperator<T>>(ReduceOp.BitwiseOr, type);
        yield return new ReductionKernel<T, BitwiseXorOperator<T>>(ReduceOp.BitwiseXor, type);
    }

    private static DataType Supported<T>()
        where T : unmanaged
        => DataType.Of<T>() ?? throw new InvalidOperationException($"{typeof(T)} has no DataType; the kernel table is inconsistent.");
}
