using System.Runtime.InteropServices;

namespace Collectives;

/// <summary>
/// A value with the index it came from: the element type of <see cref="ReduceOp.MinLoc"/> and
/// <see cref="ReduceOp.MaxLoc"/> (MPI's <c>MPI_FLOAT_INT</c>, <c>MPI_DOUBLE_INT</c>, ...).
/// <typeparamref name="TValue"/> is one of float, double, int, long, uint, ulong.
/// </summary>
/// <typeparam name="TValue">The value type.</typeparam>
/// <param name="value">The value compared by the reduction.</param>
/// <param name="index">Where the value came from (for example a rank or a global element index).</param>
[StructLayout(LayoutKind.Sequential)]
public struct ValueIndex<TValue>(TValue value, int index) : IEquatable<ValueIndex<TValue>>
    where TValue : unmanaged, IEquatable<TValue>
{
    /// <summary>The value compared by the reduction.</summary>
    public TValue Value = value;

    /// <summary>Where the value came from; ties between equal values go to the lower index.</summary>
    public int Index = index;

    /// <inheritdoc />
    public readonly bool Equals(ValueIndex<TValue> other) => Value.Equals(other.Value) && Index == other.Index;

    /// <inheritdoc />
    public override readonly bool Equals(object? obj) => obj is ValueIndex<TValue> other && Equals(other);

    /// <inheritdoc />
    public override readonly int GetHashCode() => HashCode.Combine(Value, Index);

    /// <inheritdoc />
    public override readonly string ToString() => $"({Value}, {Index})";

    /// <summary>Equality of value and index.</summary>
    /// <param name="left">First pair.</param>
    /// <param name="right">Second pair.</param>
    /// <returns>Whether both fields are equal.</returns>
    public static bool operator ==(ValueIndex<TValue> left, ValueIndex<TValue> right) => left.Equals(right);

    /// <summary>Inequality of value or index.</summary>
    /// <param name="left">First pair.</param>
    /// <param name="right">Second pair.</param>
    /// <returns>Whether either field differs.</returns>
    public static bool operator !=(ValueIndex<TValue> left, ValueIndex<TValue> right) => !left.Equals(right);
}
