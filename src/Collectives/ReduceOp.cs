namespace Collectives;

/// <summary>The element-wise operation a reduction applies. All of them are commutative and associative (up to floating-point rounding).</summary>
public enum ReduceOp : byte
{
    /// <summary>Sum of the elements.</summary>
    Sum = 1,

    /// <summary>Product of the elements.</summary>
    Prod = 2,

    /// <summary>Minimum; for floating types a NaN in any input gives NaN.</summary>
    Min = 3,

    /// <summary>Maximum; for floating types a NaN in any input gives NaN.</summary>
    Max = 4,

    /// <summary>Minimum value with its index, on <see cref="ValueIndex{TValue}"/> elements; ties go to the lower index.</summary>
    MinLoc = 5,

    /// <summary>Maximum value with its index, on <see cref="ValueIndex{TValue}"/> elements; ties go to the lower index.</summary>
    MaxLoc = 6,

    /// <summary>Logical AND: 1 when every input is non-zero, else 0. Integer types only.</summary>
    LogicalAnd = 7,

    /// <summary>Logical OR: 1 when any input is non-zero, else 0. Integer types only.</summary>
    LogicalOr = 8,

    /// <summary>Logical XOR: 1 when an odd number of inputs are non-zero, else 0. Integer types only.</summary>
    LogicalXor = 9,

    /// <summary>Bitwise AND. Integer types only.</summary>
    BitwiseAnd = 10,

    /// <summary>Bitwise OR. Integer types only.</summary>
    BitwiseOr = 11,

    /// <summary>Bitwise XOR. Integer types only.</summary>
    BitwiseXor = 12,
}
