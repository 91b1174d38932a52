using System.Numerics;
using System.Runtime.InteropServices;
using Collectives.Reduction;

namespace Collectives.Benchmarks;

/// <summary>One (operation, element type) to benchmark, with its scalar baseline; shown as e.g. <c>Sum/Float32</c>.</summary>
public sealed class KernelBenchmarkCase
{
    private KernelBenchmarkCase(ReduceOp op, DataType dataType, ByteKernel scalarLoop, Action<Span<byte>, Random> fill)
    {
        Op = op;
        DataType = dataType;
        ScalarLoop = scalarLoop;
        Fill = fill;
    }

    /// <summary>The operation.</summary>
    public ReduceOp Op { get; }

    /// <summary>The element type.</summary>
    public DataType DataType { get; }

    /// <summary>The plain loop computing the same operation.</summary>
    public ByteKernel ScalarLoop { get; }

    /// <summary>Fills an operand with random elements of the case's type.</summary>
    public Action<Span<byte>, Random> Fill { get; }

    /// <summary>Sum and Max on every element type, and BitwiseXor on the integer types.</summary>
    /// <returns>The cases.</returns>
    public static IEnumerable<KernelBenchmarkCase> All() =>
    [
        .. Arithmetic<float>(),
        .. Arithmetic<double>(),
        .. Integer<int>(),
        .. Integer<long>(),
        .. Integer<uint>(),
        .. Integer<ulong>(),
    ];

    /// <inheritdoc />
    public override string ToString() => $"{Op}/{DataType}";

    private static IEnumerable<KernelBenchmarkCase> Arithmetic<T>()
        where T : unmanaged, INumber<T>
    {
        yield return new KernelBenchmarkCase(ReduceOp.Sum, DataTypeOf<T>(), ScalarLoops.Sum<T>, FillWithSmallValues<T>);
        yield return new KernelBenchmarkCase(ReduceOp.Max, DataTypeOf<T>(), ScalarLoops.Max<T>, FillWithSmallValues<T>);
    }

    private static IEnumerable<KernelBenchmarkCase> Integer<T>()
        where T : unmanaged, IBinaryInteger<T>
        => [.. Arithmetic<T>(), new KernelBenchmarkCase(ReduceOp.BitwiseXor, DataTypeOf<T>(), ScalarLoops.BitwiseXor<T>, FillWithSmallValues<T>)];

    private static DataType DataTypeOf<T>()
        where T : unmanaged
        => DataType.Of<T>() ?? throw new NotSupportedException($"{typeof(T)} is not a library element type.");

    // Small positive integers: valid in every element type, never subnormal, and sums that cannot
    // overflow, so no value-dependent slow path distorts the timing.
    private static void FillWithSmallValues<T>(Span<byte> operand, Random random)
        where T : unmanaged, INumber<T>
    {
        Span<T> elements = MemoryMarshal.Cast<byte, T>(operand);
        for (int i = 0; i < elements.Length; i++)
        {
            elements[i] = T.CreateTruncating(random.Next(1, 100));
        }
    }
}
