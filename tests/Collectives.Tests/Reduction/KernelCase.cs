using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Collectives.Reduction;

namespace Collectives.Tests.Reduction;

/// <summary>
/// One registered (operation, element type) kernel with what the tests need to check it: random
/// inputs and a plain scalar reference. Works on bytes, as the kernels do, so one test body covers
/// every element type.
/// </summary>
public abstract class KernelCase
{
    public abstract ReduceOp Op { get; }

    public abstract DataType Type { get; }

    internal ReductionKernel Kernel => ReductionKernels.Get(Op, Type);

    /// <summary>Random elements, special values included; for pairs with padding, the padding is random garbage.</summary>
    public abstract byte[] RandomElements(int count, Random random);

    /// <summary>x op y computed one element at a time by the reference, padding written as zero.</summary>
    public abstract byte[] Reference(byte[] x, byte[] y);

    /// <summary>Each element as its value and its bytes, so comparing renderings compares bits and failures read well.</summary>
    public abstract string[] Render(byte[] elements);

    public override string ToString() => $"{Op}<{Type}>";
}

/// <summary>A kernel case on elements of <typeparamref name="T"/>.</summary>
public sealed class KernelCase<T>(ReduceOp op, Func<Random, T> next, Func<T, T, T> reference) : KernelCase
    where T : unmanaged
{
    // ValueIndex of an 8-byte value: 8 value bytes, 4 index bytes, 4 padding bytes.
    private static readonly int PaddingOffset = Unsafe.SizeOf<T>() == 16 && DataType.Of<T>()!.Value.WithIndex ? 12 : -1;

    public override ReduceOp Op { get; } = op;

    public override DataType Type { get; } = DataType.Of<T>() ?? throw new ArgumentException($"{typeof(T)} is not a supported element type.");

    public override byte[] RandomElements(int count, Random random)
    {
        var elements = new T[count];
        for (int i = 0; i < count; i++)
        {
            elements[i] = next(random);
        }

        byte[] bytes = MemoryMarshal.AsBytes(elements.AsSpan()).ToArray();
        ForEachPadding(bytes, padding => random.NextBytes(padding));
        return bytes;
    }

    public override byte[] Reference(byte[] x, byte[] y)
    {
        ReadOnlySpan<T> left = MemoryMarshal.Cast<byte, T>(x);
        ReadOnlySpan<T> right = MemoryMarshal.Cast<byte, T>(y);
        var result = new T[left.Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = reference(left[i], right[i]);
        }

        byte[] bytes = MemoryMarshal.AsBytes(result.AsSpan()).ToArray();
        ForEachPadding(bytes, padding => padding.Clear());
        return bytes;
    }

    public override string[] Render(byte[] elements)
    {
        int size = Unsafe.SizeOf<T>();
        ReadOnlySpan<T> values = MemoryMarshal.Cast<byte, T>(elements);
        var rendered = new string[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            rendered[i] = $"{values[i]} [{Convert.ToHexString(elements, i * size, size)}]";
        }

        return rendered;
    }

    private static void ForEachPadding(byte[] bytes, SpanAction padding)
    {
        if (PaddingOffset < 0)
        {
            return;
        }

        for (int offset = PaddingOffset; offset < bytes.Length; offset += 16)
        {
            padding(bytes.AsSpan(offset, 4));
        }
    }

    private delegate void SpanAction(Span<byte> span);
}
