using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Collectives.Tests.Correctness;

/// <summary>
/// Compares result arrays element by element and describes the differences, for assertion messages
/// that say where a result went wrong rather than dumping thousands of numbers.
/// </summary>
internal static class ElementComparison
{
    /// <summary>
    /// Empty when <paramref name="actual"/> equals <paramref name="expected"/> bit for bit, else a
    /// description of the differences. For <see cref="ValueIndex{TValue}"/> elements with padding
    /// (a 64-bit value and a 32-bit index make 16 bytes) only the value and index bytes count:
    /// padding carries no data, and nothing obliges the library to copy it.
    /// </summary>
    public static string BitDifferences<T>(T[] actual, T[] expected)
        where T : unmanaged
        => Differences(actual, expected, (a, e) => MeaningfulBytes(a).SequenceEqual(MeaningfulBytes(e)));

    /// <summary>
    /// Empty when every element of <paramref name="actual"/> is within <paramref name="relativeTolerance"/>
    /// of <paramref name="expected"/> (|a - e| &lt;= tolerance * |e|), else a description. Floating types only.
    /// </summary>
    public static string ToleranceDifferences<T>(T[] actual, T[] expected, double relativeTolerance)
        where T : unmanaged
        => Differences(actual, expected, (a, e) => Math.Abs(ToDouble(a) - ToDouble(e)) <= relativeTolerance * Math.Abs(ToDouble(e)));

    private static string Differences<T>(T[] actual, T[] expected, Func<T, T, bool> equal)
        where T : unmanaged
    {
        if (actual.Length != expected.Length)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{actual.Length} elements where {expected.Length} were expected");
        }

        int first = -1;
        int differing = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            if (!equal(actual[i], expected[i]))
            {
                differing++;
                first = first < 0 ? i : first;
            }
        }

        return differing == 0
            ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $"{differing} of {actual.Length} elements differ; the first, [{first}], is {Show(actual[first])} where {Show(expected[first])} was expected");
    }

    private static ReadOnlySpan<byte> MeaningfulBytes<T>(in T value)
        where T : unmanaged
    {
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value));

        // ValueIndex<TValue> is laid out sequentially: the value (half the pair's size), then the index.
        return typeof(T).IsGenericType ? bytes[..((bytes.Length / 2) + sizeof(int))] : bytes;
    }

    private static double ToDouble<T>(T value)
        where T : unmanaged
        => typeof(T) == typeof(float) ? Unsafe.As<T, float>(ref value)
            : typeof(T) == typeof(double) ? Unsafe.As<T, double>(ref value)
            : throw new ArgumentException($"A tolerance applies to floating types only, not {typeof(T).Name}.");

    private static string Show<T>(T value)
        where T : unmanaged
        => string.Create(CultureInfo.InvariantCulture, $"{value} (bytes {Convert.ToHexString(MeaningfulBytes(value))})");
}
