using System.Numerics;

namespace Collectives.Tests.Reduction;

/// <summary>
/// Random test inputs that hit the interesting cases often: zeros (for the logical operations),
/// extremes (for wrapping), and for floating types NaN, infinities, signed zeros and subnormals.
/// NaN is always <see cref="float.NaN"/>/<see cref="double.NaN"/>: NaNs of different payloads are the one
/// documented case where float operations depend on operand order (see ReduceOp).
/// </summary>
public static class TestValues
{
    private static readonly float[] FloatSpecials =
        [0f, -0f, 1f, -1f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue];

    private static readonly double[] DoubleSpecials =
        [0d, -0d, 1d, -1d, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue];

    public static T Numeric<T>(Random random)
        where T : INumber<T>, IMinMaxValue<T>
    {
        int pick = random.Next(8);
        if (typeof(T) == typeof(float))
        {
            return (T)(object)(pick < 2 ? FloatSpecials[random.Next(FloatSpecials.Length)] : (float)((random.NextDouble() * 2000) - 1000));
        }

        if (typeof(T) == typeof(double))
        {
            return (T)(object)(pick < 2 ? DoubleSpecials[random.Next(DoubleSpecials.Length)] : (random.NextDouble() * 2000) - 1000);
        }

        return pick switch
        {
            0 or 1 => T.Zero,
            2 => T.MaxValue,
            3 => T.MinValue,
            4 => T.One,
            _ => T.CreateTruncating(random.NextInt64(long.MinValue, long.MaxValue)),
        };
    }

    /// <summary>Pairs drawn from few values and few indices, so equal values and equal indices are common.</summary>
    public static ValueIndex<T> Pair<T>(Random random)
        where T : unmanaged, INumber<T>
    {
        T value = T.CreateTruncating(random.Next(-2, 3));
        if (random.Next(4) == 0 && typeof(T) == typeof(float))
        {
            value = (T)(object)FloatSpecials[random.Next(6)];
        }
        else if (random.Next(4) == 0 && typeof(T) == typeof(double))
        {
            value = (T)(object)DoubleSpecials[random.Next(6)];
        }

        return new ValueIndex<T>(value, random.Next(-1, 3));
    }
}
