using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Collectives.Reduction;

/// <summary>
/// A type-erased element-wise reduction over raw bytes, as the algorithms see it (Gloo's reduce
/// function): the algorithms move bytes, the kernel knows the element type and the operation.
/// </summary>
internal abstract class ReductionKernel
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

    /// <summary>
    /// Brings a lone contribution into the form the operation yields when nothing is combined (a
    /// single rank): logical operations map non-zero to 1, MinLoc/MaxLoc write their pairs'
    /// padding as zero, the others leave it as it is.
    /// </summary>
    /// <param name="values">The contribution, rewritten in place.</param>
    public void Normalize(Span<byte> values)
    {
        switch (Op)
        {
            // x OR x is exactly "x is non-zero", as 1 or 0, whichever logical operation was asked for.
            case ReduceOp.LogicalAnd or ReduceOp.LogicalOr or ReduceOp.LogicalXor:
                ReductionKernels.Get(ReduceOp.LogicalOr, DataType).Apply(values, values, values);
                break;

            // A pair combined with itself is the pair (equal values, equal indices), written the way
            // every combine writes it: padding as zero.
            case ReduceOp.MinLoc or ReduceOp.MaxLoc:
                Apply(values, values, values);
                break;
        }
    }

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
    {
        // A cast to T would silently drop a partial trailing element; that is a caller bug, not data.
        if (x.Length % Unsafe.SizeOf<T>() != 0)
        {
            throw new ArgumentException($"{x.Length} bytes is not a whole number of {DataType} elements.", nameof(x));
        }

        TOperator.Invoke(MemoryMarshal.Cast<byte, T>(x), MemoryMarshal.Cast<byte, T>(y), MemoryMarshal.Cast<byte, T>(destination));
    }
}
