using System.Numerics;

namespace Collectives.Tests.Support;

/// <summary>
/// Sequential reference results of a reduction: plain loops over the ranks' inputs, in rank
/// order, one element at a time. Written from the contract in <see cref="ReduceOp"/>'s
/// documentation and deliberately independent of the library's kernels, so that a wrong kernel
/// cannot make its own expected value.
/// </summary>
internal static class Reference
{
    /// <summary>The element-wise reduction of <paramref name="inputs"/> (one array per rank, equal lengths) by <paramref name="op"/>.</summary>
    /// <typeparam name="T">
    /// float, double, int, long, uint, ulong, or <see cref="ValueIndex{TValue}"/> of one of them (MinLoc/MaxLoc
    /// only); or Half or BFloat16, combined as documented: each pair widened, combined in double, rounded once
    /// to 16 bits (in rank order, which for the matrix's inputs is no different from any other order).
    /// </typeparam>
    /// <param name="op">The operation.</param>
    /// <param name="inputs">Each rank's contribution, index = rank; at least one.</param>
    /// <returns>A new array with the result.</returns>
    /// <exception cref="ArgumentException"><paramref name="op"/> is not defined on <typeparamref name="T"/>.</exception>
    public static T[] Reduce<T>(ReduceOp op, IReadOnlyList<T[]> inputs)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfZero(inputs.Count);
        int count = inputs[0].Length;
        if (inputs.Any(input => input.Length != count))
        {
            throw new ArgumentException("Every rank must contribute the same number of elements.", nameof(inputs));
        }

        // Each branch reinterprets the list as the concrete type it tests for; the casts cannot fail.
        return typeof(T) switch
        {
            _ when typeof(T) == typeof(float) => (T[])(object)Floating(op, (IReadOnlyList<float[]>)inputs),
            _ when typeof(T) == typeof(double) => (T[])(object)Floating(op, (IReadOnlyList<double[]>)inputs),
            _ when typeof(T) == typeof(int) => (T[])(object)Integer(op, (IReadOnlyList<int[]>)inputs),
            _ when typeof(T) == typeof(long) => (T[])(object)Integer(op, (IReadOnlyList<long[]>)inputs),
            _ when typeof(T) == typeof(uint) => (T[])(object)Integer(op, (IReadOnlyList<uint[]>)inputs),
            _ when typeof(T) == typeof(ulong) => (T[])(object)Integer(op, (IReadOnlyList<ulong[]>)inputs),
            _ when typeof(T) == typeof(Half) => (T[])(object)SixteenBit(op, (IReadOnlyList<Half[]>)inputs, SixteenBitFloats.Widen, SixteenBitFloats.ToHalf),
            _ when typeof(T) == typeof(BFloat16) => (T[])(object)SixteenBit(op, (IReadOnlyList<BFloat16[]>)inputs, SixteenBitFloats.Widen, SixteenBitFloats.ToBFloat16),
            _ when typeof(T) == typeof(ValueIndex<float>) => (T[])(object)Location(op, (IReadOnlyList<ValueIndex<float>[]>)inputs),
            _ when typeof(T) == typeof(ValueIndex<double>) => (T[])(object)Location(op, (IReadOnlyList<ValueIndex<double>[]>)inputs),
            _ when typeof(T) == typeof(ValueIndex<int>) => (T[])(object)Location(op, (IReadOnlyList<ValueIndex<int>[]>)inputs),
            _ when typeof(T) == typeof(ValueIndex<long>) => (T[])(object)Location(op, (IReadOnlyList<ValueIndex<long>[]>)inputs),
            _ when typeof(T) == typeof(ValueIndex<uint>) => (T[])(object)Location(op, (IReadOnlyList<ValueIndex<uint>[]>)inputs),
            _ when typeof(T) == typeof(ValueIndex<ulong>) => (T[])(object)Location(op, (IReadOnlyList<ValueIndex<ulong>[]>)inputs),
            _ => throw new ArgumentException($"No reference for element type {typeof(T).Name}.", nameof(inputs)),
        };
    }

    private static T[] Floating<T>(ReduceOp op, IReadOnlyList<T[]> inputs)
        where T : unmanaged, IFloatingPointIeee754<T>
        => op is ReduceOp.Sum or ReduceOp.Prod or ReduceOp.Min or ReduceOp.Max
            ? Fold(inputs, (a, b) => Arithmetic(op, a, b))
            : throw Undefined(op, typeof(T));

    private static T[] SixteenBit<T>(ReduceOp op, IReadOnlyList<T[]> inputs, Func<T, double> widen, Func<double, T> round)
        => op is ReduceOp.Sum or ReduceOp.Prod or ReduceOp.Min or ReduceOp.Max
            ? Fold(inputs, (a, b) => round(Arithmetic(op, widen(a), widen(b))))
            : throw Undefined(op, typeof(T));

    private static T[] Integer<T>(ReduceOp op, IReadOnlyList<T[]> inputs)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
        => op switch
        {
            ReduceOp.Sum or ReduceOp.Prod or ReduceOp.Min or ReduceOp.Max => Fold(inputs, (a, b) => Arithmetic(op, a, b)),
            ReduceOp.BitwiseAnd => Fold(inputs, (a, b) => a & b),
            ReduceOp.BitwiseOr => Fold(inputs, (a, b) => a | b),
            ReduceOp.BitwiseXor => Fold(inputs, (a, b) => a ^ b),
            ReduceOp.LogicalAnd or ReduceOp.LogicalOr or ReduceOp.LogicalXor => Logical(op, inputs),
            _ => throw Undefined(op, typeof(T)),
        };

    private static ValueIndex<T>[] Location<T>(ReduceOp op, IReadOnlyList<ValueIndex<T>[]> inputs)
        where T : unmanaged, INumber<T>
        => op switch
        {
            ReduceOp.MinLoc => Fold(inputs, (a, b) => b.Value < a.Value ? b : a.Value < b.Value ? a : LowerIndex(a, b)),
            ReduceOp.MaxLoc => Fold(inputs, (a, b) => b.Value > a.Value ? b : a.Value > b.Value ? a : LowerIndex(a, b)),
            _ => throw Undefined(op, typeof(ValueIndex<T>)),
        };

    /// <summary>Equal values (MPI's tie rule): the pair with the lower index wins.</summary>
    private static ValueIndex<T> LowerIndex<T>(ValueIndex<T> a, ValueIndex<T> b)
        where T : unmanaged, INumber<T>
        => b.Index < a.Index ? b : a;

    private static T Arithmetic<T>(ReduceOp op, T a, T b)
        where T : INumber<T>
        => op switch
        {
            // Integer Sum and Prod wrap around, as the library documents; floating ones round.
            ReduceOp.Sum => unchecked(a + b),
            ReduceOp.Prod => unchecked(a * b),
            ReduceOp.Min => Minimum(a, b),
            ReduceOp.Max => Maximum(a, b),
            _ => throw Undefined(op, typeof(T)),
        };

    // Min and Max: a NaN anywhere gives NaN (ReduceOp's contract), and -0 counts as below +0 (IEEE
    // 754-2019 minimum/maximum), so the reference is total even for inputs the tests avoid.
    private static T Minimum<T>(T a, T b)
        where T : INumber<T>
        => T.IsNaN(a) ? a : T.IsNaN(b) ? b : b < a || (b == a && T.IsNegative(b)) ? b : a;

    private static T Maximum<T>(T a, T b)
        where T : INumber<T>
        => T.IsNaN(a) ? a : T.IsNaN(b) ? b : b > a || (b == a && T.IsNegative(a)) ? b : a;

    /// <summary>
    /// C-style logical operations: non-zero is true, and the result is exactly 1 or 0, even for a
    /// single rank, whose raw input the contract also turns into 1 or 0.
    /// </summary>
    private static T[] Logical<T>(ReduceOp op, IReadOnlyList<T[]> inputs)
        where T : unmanaged, IBinaryInteger<T>
    {
        var result = new T[inputs[0].Length];
        for (int i = 0; i < result.Length; i++)
        {
            bool accumulator = inputs[0][i] != T.Zero;
            for (int rank = 1; rank < inputs.Count; rank++)
            {
                bool value = inputs[rank][i] != T.Zero;
                accumulator = op switch
                {
                    ReduceOp.LogicalAnd => accumulator && value,
                    ReduceOp.LogicalOr => accumulator || value,
                    _ => accumulator ^ value,
                };
            }

            result[i] = accumulator ? T.One : T.Zero;
        }

        return result;
    }

    private static T[] Fold<T>(IReadOnlyList<T[]> inputs, Func<T, T, T> combine)
    {
        var result = (T[])inputs[0].Clone();
        for (int rank = 1; rank < inputs.Count; rank++)
        {
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = combine(result[i], inputs[rank][i]);
            }
        }

        return result;
    }

    private static ArgumentException Undefined(ReduceOp op, Type type)
        => new($"{op} is not defined on {type.Name}.", nameof(op));
}
