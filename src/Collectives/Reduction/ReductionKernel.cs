using System.Runtime.InteropServices;

namespace Collectives.Reduction;

/// <summary>
/// A type-erased element-wise reduction over raw bytes, as the algorithms see it (Gloo's reduce
/// function): the algorithms move bytes, the kernel knows the element type and the operation.
/// </summary>
public abstract class ReductionKernel
{
    private protected ReductionKernel(ReduceOp op, DataType dataType)
    {
        Op = op;
        DataType = dataType;
    }

    /// <summary>The operation.</summary>
    public ReduceOp Op { get; }

    /// <summary>The element type.</summary>
    public DataType DataType { get; }

    /// <summary>
    /// destination = x op y, element-wise. All three spans have the same length, a multiple of the
    /// element size; <paramref name="destination"/> may be the same memory as an input.
    /// </summary>
    /// <param name="x">Left operands.</param>
    /// <param name="y">Right operands.</param>
    /// <param name="destination">Results.</param>
    public abstract void Apply(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y, Span<byte> destination);

    /// <inheritdoc />
    public override string ToString() => $"{Op}<{DataType}>";
}

/// <summary>The kernel of operation <typeparamref name="TOperator"/> on elements of <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TOperator">The operation.</typeparam>
internal sealed class ReductionKernel<T, TOperator> : ReductionKernel
    where T : unmanaged
    where TOperator : struct, IReductionOperator<T>
{
    public ReductionKernel(ReduceOp op, DataType dataType)
        : base(op, dataType)
    {
    }

    public override void Apply(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y, Span<byte> destination)
        => TOperator.Invoke(MemoryMarshal.Cast<byte, T>(x), MemoryMarshal.Cast<byte, T>(y), MemoryMarshal.Cast<byte, T>(destination));
}
