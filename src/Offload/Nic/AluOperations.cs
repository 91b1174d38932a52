using Collectives.Reduction;

namespace Collectives.Offload.Nic;

/// <summary>
/// The operations the NIC's ALU has, exactly the paper's: add, max/min (with or without location)
/// on 32- and 64-bit floats and signed and unsigned integers, and logical and bitwise and/or/xor
/// on integers. Anything else (Prod, for one, and every operation on 16-bit floats, which the
/// ALU has no width for) runs in software.
/// </summary>
internal static class AluOperations
{
    /// <summary>Whether the ALU can apply <paramref name="op"/> to elements of <paramref name="elementType"/>.</summary>
    /// <param name="op">The operation.</param>
    /// <param name="elementType">The element type (of the values, for MinLoc/MaxLoc).</param>
    /// <returns>Whether it is supported.</returns>
    public static bool Supports(ReduceOp op, ElementType elementType)
    {
        if (!HasWidthFor(elementType))
        {
            return false;
        }

        bool isInteger = elementType is not (ElementType.Float32 or ElementType.Float64);
        return op switch
        {
            ReduceOp.Sum or ReduceOp.Min or ReduceOp.Max or ReduceOp.MinLoc or ReduceOp.MaxLoc => true,
            ReduceOp.LogicalAnd or ReduceOp.LogicalOr or ReduceOp.LogicalXor => isInteger,
            ReduceOp.BitwiseAnd or ReduceOp.BitwiseOr or ReduceOp.BitwiseXor => isInteger,
            _ => false,
        };
    }

    /// <summary>
    /// Whether the ALU works on elements of <paramref name="elementType"/> at all: the paper's 32-
    /// and 64-bit types. 16-bit floats have no descriptor encoding; their calls run in software.
    /// </summary>
    /// <param name="elementType">The element type.</param>
    /// <returns>Whether descriptors can carry it.</returns>
    public static bool HasWidthFor(ElementType elementType)
        => Enum.IsDefined(elementType) && elementType is not (ElementType.Float16 or ElementType.BFloat16);

    /// <summary>Whether the ALU supports <paramref name="op"/> on host elements of <paramref name="dataType"/>.</summary>
    /// <param name="op">The operation.</param>
    /// <param name="dataType">The host element type; pairs for MinLoc/MaxLoc.</param>
    /// <returns>Whether it is supported.</returns>
    public static bool Supports(ReduceOp op, DataType dataType)
        => dataType.WithIndex == (op is ReduceOp.MinLoc or ReduceOp.MaxLoc) && Supports(op, dataType.Element);
}
