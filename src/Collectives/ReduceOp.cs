namespace Collectives;

/// <summary>The element-wise operation a reduction applies. All of them are commutative and associative (up to floating-point rounding).</summary>
/// <remarks>
/// <para>
/// Integer <see cref="Sum"/> and <see cref="Prod"/> wrap on overflow (two's complement, unchecked),
/// as MPI does; they never throw.
/// </para>
/// <para>
/// Combining two buffers gives the same bits whichever is the left operand, with one exception for
/// the floating-point <see cref="Sum"/>, <see cref="Prod"/>, <see cref="Min"/> and <see cref="Max"/>:
/// when both operands of an element are NaNs with different bit patterns (sign or payload), the
/// result is one of the two NaNs and which one follows operand order (x86 returns the left
/// operand's NaN, and TensorPrimitives passes that through). The algorithms therefore combine each
/// pair in rank order, so every rank still gets the same bits. On one machine, NaNs produced by
/// arithmetic (0/0, ∞-∞) share one bit pattern, so this arises only from user-supplied NaNs of
/// different signs or payloads.
/// </para>
/// </remarks>
public enum ReduceOp : byte
{
    /// <summary>Sum of the elements; integer sums wrap on overflow.</summary>
    Sum = 1,

    /// <summary>Product of the elements; integer products wrap on overflow.</summary>
    Prod = 2,

    /// <summary>
    /// Minimum. For floating types this is IEEE 754-2019 <c>minimum</c> (as TensorPrimitives.Min):
    /// a NaN in any input gives NaN, and -0 counts as less than +0.
    /// </summary>
    Min = 3,

    /// <summary>
    /// Maximum. For floating types this is IEEE 754-2019 <c>maximum</c> (as TensorPrimitives.Max):
    /// a NaN in any input gives NaN, and +0 counts as greater than -0.
    /// </summary>
    Max = 4,

    /// <summary>
    /// Minimum value with its index, on <see cref="ValueIndex{TValue}"/> elements; ties go to the lower
    /// index. A NaN value counts as larger than every number (so it wins only when every value is
    /// NaN), and -0 equals +0. Pairs equal in value and index but different in bits (±0, or NaNs of
    /// different payloads) resolve to the value whose bits, read as a signed integer, are smaller:
    /// -0 rather than +0. For 8-byte values the 4 padding bytes after the index are written as zero.
    /// </summary>
    MinLoc = 5,

    /// <summary>
    /// Maximum value with its index, on <see cref="ValueIndex{TValue}"/> elements; ties go to the lower
    /// index. A NaN value counts as larger than every number (so any NaN wins), and -0 equals +0.
    /// Pairs equal in value and index but different in bits (±0, or NaNs of different payloads)
    /// resolve to the value whose bits, read as a signed integer, are larger: +0 rather than -0.
    /// For 8-byte values the 4 padding bytes after the index are written as zero.
    /// </summary>
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
