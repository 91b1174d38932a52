using System.Numerics;
using System.Runtime.InteropServices;
using Collectives.Offload.Descriptors;
using Collectives.Reduction;

namespace Collectives.Offload.Nic;

/// <summary>
/// The NIC's arithmetic unit. It applies the core library's reduction kernels (so its bits are
/// the software's bits) and, beside them, records in the error vector what it saw: integer
/// additions that wrapped, NaNs, float additions that overflowed to infinity.
/// </summary>
internal static class Alu
{
    /// <summary>accumulator = accumulator op input, element-wise, with the error vectors merged.</summary>
    /// <param name="accumulator">The intermediate-result register; its operation, type and count govern.</param>
    /// <param name="input">A packet or descriptor with the same operation, type and count.</param>
    public static void Combine(ref Descriptor accumulator, in Descriptor input)
    {
        int count = accumulator.Count;
        accumulator.Errors |= input.Errors;
        if (count == 0)
        {
            return;
        }

        var dataType = new DataType(accumulator.ElementType, accumulator.HasLocation);
        ReductionKernel kernel = ReductionKernels.Get(accumulator.Op, dataType);
        int length = accumulator.DataLength;
        if (!dataType.WithIndex)
        {
            Span<byte> before = stackalloc byte[Descriptor.MaxDataBytes];
            Span<byte> data = accumulator.Data[..length];
            data.CopyTo(before);
            kernel.Apply(data, input.Data[..length], data);
            accumulator.Errors |= Inspect(accumulator.Op, accumulator.ElementType, before[..length], input.Data[..length], data);
            return;
        }

        // The kernels work on host pairs (value, index); the descriptor keeps values and locations apart.
        Span<byte> x = stackalloc byte[Descriptor.MaxElements * 16];
        Span<byte> y = stackalloc byte[Descriptor.MaxElements * 16];
        x = x[..(count * dataType.Size)];
        y = y[..(count * dataType.Size)];
        x.Clear();
        y.Clear();
        Pack(accumulator, dataType, x);
        Pack(input, dataType, y);
        kernel.Apply(x, y, x);
        Unpack(x, dataType, ref accumulator);
        accumulator.Errors |= Inspect(accumulator.Op, accumulator.ElementType, accumulator.Data[..length], accumulator.Data[..length], accumulator.Data[..length]);
    }

    /// <summary>
    /// Gives a lone contribution the form the operation yields when nothing is combined (logical
    /// operations map non-zero to 1), as the software does for a single rank.
    /// </summary>
    /// <param name="descriptor">The descriptor whose data is normalised in place.</param>
    public static void Normalize(ref Descriptor descriptor)
    {
        if (descriptor.Count == 0 || descriptor.HasLocation)
        {
            return;
        }

        ReductionKernels.Get(descriptor.Op, new DataType(descriptor.ElementType, false)).Normalize(descriptor.Data[..descriptor.DataLength]);
    }

    /// <summary>Packs values and locations into host (value, index) pairs.</summary>
    /// <param name="descriptor">The source.</param>
    /// <param name="dataType">The pair type.</param>
    /// <param name="pairs">count x pair size bytes, zeroed.</param>
    public static void Pack(in Descriptor descriptor, DataType dataType, Span<byte> pairs)
    {
        int width = dataType.PrimitiveSize;
        for (int i = 0; i < descriptor.Count; i++)
        {
            Span<byte> pair = pairs.Slice(i * dataType.Size, dataType.Size);
            descriptor.Data.Slice(i * width, width).CopyTo(pair);
            MemoryMarshal.Write(pair[width..], descriptor.Location[i]);
        }
    }

    /// <summary>Unpacks host (value, index) pairs into values and locations.</summary>
    /// <param name="pairs">count x pair size bytes.</param>
    /// <param name="dataType">The pair type.</param>
    /// <param name="descriptor">The destination; its count governs.</param>
    public static void Unpack(ReadOnlySpan<byte> pairs, DataType dataType, ref Descriptor descriptor)
    {
        int width = dataType.PrimitiveSize;
        for (int i = 0; i < descriptor.Count; i++)
        {
            ReadOnlySpan<byte> pair = pairs.Slice(i * dataType.Size, dataType.Size);
            pair[..width].CopyTo(descriptor.Data.Slice(i * width, width));
            descriptor.Location[i] = MemoryMarshal.Read<int>(pair[width..]);
        }
    }

    private static AluErrors Inspect(ReduceOp op, ElementType type, ReadOnlySpan<byte> x, ReadOnlySpan<byte> y, ReadOnlySpan<byte> result) => type switch
    {
        ElementType.Float32 => InspectFloat<float>(op, x, y, result),
        ElementType.Float64 => InspectFloat<double>(op, x, y, result),
        _ when op != ReduceOp.Sum => AluErrors.None,
        ElementType.Int32 => InspectSum<int>(x, y, result),
        ElementType.Int64 => InspectSum<long>(x, y, result),
        ElementType.UInt32 => InspectSum<uint>(x, y, result),
        ElementType.UInt64 => InspectSum<ulong>(x, y, result),
        _ => AluErrors.None,
    };

    private static AluErrors InspectFloat<T>(ReduceOp op, ReadOnlySpan<byte> x, ReadOnlySpan<byte> y, ReadOnlySpan<byte> result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> a = MemoryMarshal.Cast<byte, T>(x);
        ReadOnlySpan<T> b = MemoryMarshal.Cast<byte, T>(y);
        ReadOnlySpan<T> r = MemoryMarshal.Cast<byte, T>(result);
        AluErrors errors = AluErrors.None;
        for (int i = 0; i < r.Length; i++)
        {
            if (T.IsNaN(a[i]) || T.IsNaN(b[i]) || T.IsNaN(r[i]))
            {
                errors |= AluErrors.NaN;
            }
            else if (op == ReduceOp.Sum && T.IsInfinity(r[i]) && T.IsFinite(a[i]) && T.IsFinite(b[i]))
            {
                errors |= AluErrors.FloatOverflow;
            }
        }

        return errors;
    }

    private static AluErrors InspectSum<T>(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y, ReadOnlySpan<byte> result)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
    {
        ReadOnlySpan<T> a = MemoryMarshal.Cast<byte, T>(x);
        ReadOnlySpan<T> b = MemoryMarshal.Cast<byte, T>(y);
        ReadOnlySpan<T> r = MemoryMarshal.Cast<byte, T>(result);
        bool signed = T.MinValue < T.Zero;
        for (int i = 0; i < r.Length; i++)
        {
            bool wrapped = signed
                ? (T.IsNegative(a[i]) == T.IsNegative(b[i])) && (T.IsNegative(r[i]) != T.IsNegative(a[i]))
                : r[i] < a[i];
            if (wrapped)
            {
                return AluErrors.IntegerOverflow;
            }
        }

        return AluErrors.None;
    }
}
