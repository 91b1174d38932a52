namespace Collectives.Offload.Descriptors;

/// <summary>
/// The error vector: what the ALU saw while combining a value, accumulated up the tree and carried
/// down with the result, so every rank's host sees the same vector. The result itself is still the
/// one the software kernels compute (integers wrap, NaN propagates as IEEE says).
/// </summary>
[Flags]
public enum AluErrors : byte
{
    /// <summary>Nothing unusual.</summary>
    None = 0,

    /// <summary>A signed or unsigned integer addition wrapped around.</summary>
    IntegerOverflow = 1,

    /// <summary>A floating-point operand or result was NaN.</summary>
    NaN = 2,

    /// <summary>A floating-point addition of finite operands gave an infinity.</summary>
    FloatOverflow = 4,
}
