using System.Collections.Frozen;
using Collectives.Reduction.Operators;

namespace Collectives.Reduction;

/// <summary>The table of every supported (operation, element type) kernel.</summary>
public static class ReductionKernels
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
            return $"Unknown reduction operation {(int)op}.";
        }

        if (op is ReduceOp.MinLoc or ReduceOp.MaxLoc)
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

    private static IEnumerable<ReductionKernel> Build()
    {
        yield return new ReductionKernel<float, SumOperator<float>>(ReduceOp.Sum, new(ElementType.Float32, false));
        yield return new ReductionKernel<double, SumOperator<double>>(ReduceOp.Sum, new(ElementType.Float64, false));
        yield return new ReductionKernel<int, SumOperator<int>>(ReduceOp.Sum, new(ElementType.Int32, false));
        yield return new ReductionKernel<long, SumOperator<long>>(ReduceOp.Sum, new(ElementType.Int64, false));
        yield return new ReductionKernel<uint, SumOperator<uint>>(ReduceOp.Sum, new(ElementType.UInt32, false));
        yield return new ReductionKernel<ulong, SumOperator<ulong>>(ReduceOp.Sum, new(ElementType.UInt64, false));
    }
}
