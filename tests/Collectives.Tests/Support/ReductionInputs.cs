using System.Numerics;
using System.Runtime.CompilerServices;

namespace Collectives.Tests.Support;

/// <summary>
/// Deterministic pseudo-random contributions for collective tests, a pure function of (operation,
/// rank, rank count, element index), shaped per operation so that the reference is exact or the
/// tolerance is meaningful, and so that every interesting outcome of an operation actually occurs:
/// <list type="bullet">
/// <item>Integer Sum/Prod/Min/Max/BitwiseXor: arbitrary bits, so Sum and Prod wrap and Min/Max see both signs.</item>
/// <item>Floating Sum/Prod: in [0.5, 1.5): positive (no cancellation, so a relative tolerance is sound) and near 1 (a product of 13 stays finite).</item>
/// <item>Floating Min/Max: in [-1000, 1000), never NaN or -0.</item>
/// <item>BitwiseAnd: bits mostly set; BitwiseOr: mostly clear; so that some bits survive 13 ranks either way.</item>
/// <item>Logical ops: per element, all true, all false, one rank false, one rank true, or mixed, so every result occurs;
/// "true" is any non-zero value, including ones whose low byte is zero and the top bit alone.</item>
/// <item>MinLoc/MaxLoc: values from a palette of three (extremes of the type included), so ranks tie often, with
/// indices ordered differently from the ranks, so the lower-index rule decides ties, not the order of combination.</item>
/// <item>Half and BFloat16 Sum: multiples of 0.5 in [-4, 4]; Prod: ±0.5, ±1, ±2. Every partial result over
/// up to 13 ranks then fits both formats exactly (|sum| &lt;= 52 in steps of 0.5 needs 7 significand bits;
/// products are powers of two from 2^-13 to 2^13), so no combine rounds and the result is the same in
/// every combine order. The algorithms combine in different orders (tree, ring, recursive halving), so
/// this is what lets the matrix compare them bit for bit with the rank-order reference; the kernel tests
/// check the rounding itself.</item>
/// <item>Half and BFloat16 Min/Max: arbitrary finite bit patterns: subnormals, -0 and the extremes included.</item>
/// </list>
/// </summary>
internal static class ReductionInputs
{
    /// <summary>Rank <paramref name="rank"/>'s contribution to a reduction by <paramref name="op"/> over <paramref name="ranks"/> ranks.</summary>
    /// <typeparam name="T">A primitive element type, or <see cref="ValueIndex{TValue}"/> for MinLoc/MaxLoc.</typeparam>
    /// <param name="op">The operation.</param>
    /// <param name="rank">The contributing rank.</param>
    /// <param name="ranks">Number of ranks.</param>
    /// <param name="count">Number of elements.</param>
    /// <returns>A new array.</returns>
    public static T[] For<T>(ReduceOp op, int rank, int ranks, int count)
        where T : unmanaged
    {
        var values = new T[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = Element<T>(op, rank, ranks, i);
        }

        return values;
    }

    /// <summary>Arbitrary data of rank <paramref name="rank"/>, different on every rank (for broadcasts).</summary>
    /// <typeparam name="T">A primitive element type or <see cref="ValueIndex{TValue}"/> of one.</typeparam>
    /// <param name="rank">The rank.</param>
    /// <param name="count">Number of elements.</param>
    /// <returns>A new array.</returns>
    public static T[] Arbitrary<T>(int rank, int count)
        where T : unmanaged
    {
        // The operation only shapes the values; Min gives full-range integers and finite floats.
        ReduceOp shape = typeof(T).IsGenericType ? ReduceOp.MinLoc : ReduceOp.Min;
        var values = new T[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = Element<T>(shape, rank, rank + 1, i);
        }

        return values;
    }

    private static T Element<T>(ReduceOp op, int rank, int ranks, int index)
        where T : unmanaged
    {
        var random = new ElementRandom((ulong)op, rank, index);

        // Each MinLoc/MaxLoc palette holds a value that is negative (signed types) or has its top bit
        // set (unsigned types), so a comparison of the wrong signedness picks the wrong winner.
        return typeof(T) switch
        {
            _ when typeof(T) == typeof(float) => As<float, T>(Floating<float>(op, ref random)),
            _ when typeof(T) == typeof(double) => As<double, T>(Floating<double>(op, ref random)),
            _ when typeof(T) == typeof(int) => As<int, T>(Integer<int>(op, ref random, rank, ranks, index)),
            _ when typeof(T) == typeof(long) => As<long, T>(Integer<long>(op, ref random, rank, ranks, index)),
            _ when typeof(T) == typeof(uint) => As<uint, T>(Integer<uint>(op, ref random, rank, ranks, index)),
            _ when typeof(T) == typeof(ulong) => As<ulong, T>(Integer<ulong>(op, ref random, rank, ranks, index)),
            _ when typeof(T) == typeof(Half) => As<ushort, T>(SixteenBit(op, ref random, SixteenBitFloats.HalfExponentMask, SixteenBitFloats.ToHalf, BitConverter.HalfToUInt16Bits)),
            _ when typeof(T) == typeof(BFloat16) => As<ushort, T>(SixteenBit(op, ref random, SixteenBitFloats.BFloat16ExponentMask, SixteenBitFloats.ToBFloat16, value => value.ToBits())),
            _ when typeof(T) == typeof(ValueIndex<float>) => As<ValueIndex<float>, T>(Pair(ref random, rank, ranks, index, [-3e38f, 0.25f, 3e38f])),
            _ when typeof(T) == typeof(ValueIndex<double>) => As<ValueIndex<double>, T>(Pair(ref random, rank, ranks, index, [-1e300, -0.5, 1e300])),
            _ when typeof(T) == typeof(ValueIndex<int>) => As<ValueIndex<int>, T>(Pair(ref random, rank, ranks, index, [int.MinValue + 3, -1, int.MaxValue - 5])),
            _ when typeof(T) == typeof(ValueIndex<long>) => As<ValueIndex<long>, T>(Pair(ref random, rank, ranks, index, [long.MinValue + 7, 2, long.MaxValue - 1])),
            _ when typeof(T) == typeof(ValueIndex<uint>) => As<ValueIndex<uint>, T>(Pair(ref random, rank, ranks, index, [1u, 0x8000_0001u, uint.MaxValue])),
            _ when typeof(T) == typeof(ValueIndex<ulong>) => As<ValueIndex<ulong>, T>(Pair(ref random, rank, ranks, index, [0ul, 0x8000_0000_0000_0003ul, ulong.MaxValue - 2])),
            _ => throw new ArgumentException($"No inputs for element type {typeof(T).Name}."),
        };
    }

    private static TTo As<TFrom, TTo>(TFrom value) => Unsafe.As<TFrom, TTo>(ref value);

    private static T Floating<T>(ReduceOp op, ref ElementRandom random)
        where T : IFloatingPointIeee754<T>
    {
        double unit = random.NextUnit();
        return op is ReduceOp.Sum or ReduceOp.Prod
            ? T.CreateChecked(0.5 + unit)
            : T.CreateChecked(Math.Floor(unit * 2_000_000) / 1000 - 1000);
    }

    /// <summary>The bits of a 16-bit float input; see the class remarks for why Sum and Prod inputs are exact.</summary>
    private static ushort SixteenBit<T>(ReduceOp op, ref ElementRandom random, ushort exponentMask, Func<double, T> fromDouble, Func<T, ushort> bitsOf)
    {
        ReadOnlySpan<double> factors = [-2, -1, -0.5, 0.5, 1, 2];
        switch (op)
        {
            case ReduceOp.Sum:
                return bitsOf(fromDouble(((int)(random.Next() % 17) - 8) * 0.5));
            case ReduceOp.Prod:
                return bitsOf(fromDouble(factors[(int)(random.Next() % (ulong)factors.Length)]));
            default:
                return SixteenBitFloats.Finite((ushort)random.Next(), exponentMask);
        }
    }

    private static T Integer<T>(ReduceOp op, ref ElementRandom random, int rank, int ranks, int index)
        where T : IBinaryInteger<T>
    {
        return op switch
        {
            ReduceOp.BitwiseAnd => T.CreateTruncating(random.Next() | random.Next() | random.Next()),
            ReduceOp.BitwiseOr => T.CreateTruncating(random.Next() & random.Next() & random.Next()),
            ReduceOp.LogicalAnd or ReduceOp.LogicalOr or ReduceOp.LogicalXor => IsTrue(rank, ranks, index, ref random) ? NonZero<T>(ref random) : T.Zero,
            _ => T.CreateTruncating(random.Next()),
        };
    }

    /// <summary>Whether a rank contributes "true" to element <paramref name="index"/> of a logical reduction.</summary>
    private static bool IsTrue(int rank, int ranks, int index, ref ElementRandom random)
    {
        // The pattern is chosen per element, the same on every rank (it ignores the rank).
        var perElement = new ElementRandom(0x5EED, -1, index);
        ulong pattern = perElement.Next();
        int chosenRank = (int)(perElement.Next() % (ulong)ranks);
        return (pattern % 5) switch
        {
            0 => true,
            1 => false,
            2 => rank != chosenRank,
            3 => rank == chosenRank,
            _ => random.Next() % 2 == 0,
        };
    }

    private static T NonZero<T>(ref ElementRandom random)
        where T : IBinaryInteger<T>
    {
        int bits = Unsafe.SizeOf<T>() * 8;
        T value = (random.Next() % 4) switch
        {
            0 => T.One << (bits - 1),       // only the top bit: a kernel testing the low bits or the sign would miss it
            1 => T.One << 8,                // low byte zero: a kernel narrowing to a byte would miss it
            2 => T.AllBitsSet,
            _ => T.CreateTruncating(random.Next()),
        };
        return value == T.Zero ? T.One : value;
    }

    private static ValueIndex<T> Pair<T>(ref ElementRandom random, int rank, int ranks, int index, T[] palette)
        where T : unmanaged, IEquatable<T>
    {
        T value = palette[random.Next() % (ulong)palette.Length];

        // Indices are distinct across ranks for one element but rotated by a per-element amount, so the
        // lowest index sits on a different rank for each element; the multiple of the rank count makes
        // them global element numbers, as MPI programs use MinLoc.
        int rotation = (int)(new ElementRandom(0x10C, -1, index).Next() % (ulong)ranks);
        return new ValueIndex<T>(value, index * ranks + ((rank + rotation) % ranks));
    }

    /// <summary>SplitMix64 over a seed made of (stream, rank, index): cheap, stateless per element, and well mixed.</summary>
    private struct ElementRandom(ulong stream, int rank, int index)
    {
        private ulong _state = (stream * 0x9E37_79B9_7F4A_7C15ul) ^ ((ulong)(uint)rank << 32) ^ (uint)index;

        public ulong Next()
        {
            ulong z = _state += 0x9E37_79B9_7F4A_7C15ul;
            z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9ul;
            z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBul;
            return z ^ (z >> 31);
        }

        /// <summary>A double in [0, 1) from the top 53 bits.</summary>
        public double NextUnit() => (Next() >> 11) * (1.0 / (1ul << 53));
    }
}
