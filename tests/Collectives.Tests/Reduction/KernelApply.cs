using System.Runtime.InteropServices;
using Collectives.Reduction;

namespace Collectives.Tests.Reduction;

/// <summary>Runs a library kernel on typed arrays, for tests that state a rule with explicit values.</summary>
internal static class KernelApply
{
    /// <summary>
    /// 64 + 3: whole vectors at every width and element type (2 to 16 lanes), then 3 elements for
    /// the scalar remainder, so an explicit example checks both paths.
    /// </summary>
    public const int Copies = 67;

    public static T[] Apply<T>(ReduceOp op, T[] x, T[] y)
        where T : unmanaged
    {
        var destination = new T[x.Length];
        Kernel<T>(op).Apply(MemoryMarshal.AsBytes(x.AsSpan()), MemoryMarshal.AsBytes(y.AsSpan()), MemoryMarshal.AsBytes(destination.AsSpan()));
        return destination;
    }

    /// <summary>
    /// <paramref name="x"/> op <paramref name="y"/> and <paramref name="y"/> op <paramref name="x"/>,
    /// each computed on <see cref="Copies"/> copies: every result, for asserting that all are the same.
    /// </summary>
    public static T[] ApplyBothWays<T>(ReduceOp op, T x, T y)
        where T : unmanaged
    {
        T[] xs = Enumerable.Repeat(x, Copies).ToArray();
        T[] ys = Enumerable.Repeat(y, Copies).ToArray();
        return [.. Apply(op, xs, ys), .. Apply(op, ys, xs)];
    }

    public static ReductionKernel Kernel<T>(ReduceOp op)
        where T : unmanaged
        => ReductionKernels.Get(op, DataType.Of<T>() ?? throw new ArgumentException($"{typeof(T)} is not supported."));
}
