using System.Globalization;
using System.Numerics;

namespace Collectives.CollSim;

/// <summary>Parses the sweep lists of the command line.</summary>
internal static class ListParser
{
    /// <summary>The most values one list may expand to: a sweep is a table, not a flood of points.</summary>
    public const int MaxValues = 4096;

    /// <summary>
    /// A comma list of integers or ranges: <c>a:b</c> is every power of two from a to b (a a power of
    /// two), <c>a:b:s</c> every s from a to b. Example: <c>16:256</c>, <c>8:56:8</c>, <c>1024,4096</c>.
    /// </summary>
    /// <exception cref="FormatException">The text is not such a list, a value is below <paramref name="minimum"/>, or it expands to more than <see cref="MaxValues"/> values.</exception>
    public static IReadOnlyList<int> Integers(string text, string option, int minimum)
    {
        var values = new List<int>();
        foreach (string item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int[] numbers = [.. item.Split(':').Select(part => Integer(part, option))];
            if (numbers.Take(2).Any(number => number < minimum))
            {
                throw new FormatException($"{option}: '{item}' has a value below {minimum}.");
            }

            if (numbers.Length is 2 or 3 && numbers[0] > numbers[1])
            {
                throw new FormatException($"{option}: '{item}' is empty: {numbers[0]} > {numbers[1]}.");
            }

            switch (numbers.Length)
            {
                case 1:
                    values.Add(numbers[0]);
                    break;
                case 2 when numbers[0] > 0 && BitOperations.IsPow2(numbers[0]):
                    for (long value = numbers[0]; value <= numbers[1]; value *= 2)
                    {
                        values.Add((int)value);
                    }

                    break;
                case 2:
                    throw new FormatException($"{option}: '{item}' lists powers of two, so it must start at one ({numbers[0]} is not); use {numbers[0]}:{numbers[1]}:<step> for a fixed step.");
                case 3 when numbers[2] > 0:
                    if ((((long)numbers[1] - numbers[0]) / numbers[2]) + 1 + values.Count > MaxValues)
                    {
                        throw new FormatException($"{option}: '{item}' has more than {MaxValues} values.");
                    }

                    for (long value = numbers[0]; value <= numbers[1]; value += numbers[2])
                    {
                        values.Add((int)value);
                    }

                    break;
                case 3:
                    throw new FormatException($"{option}: '{item}' needs a positive step (got {numbers[2]}).");
                default:
                    throw new FormatException($"{option}: '{item}' is not a number, a:b (powers of two) or a:b:step.");
            }

            if (values.Count > MaxValues)
            {
                throw new FormatException($"{option}: '{text}' has more than {MaxValues} values.");
            }
        }

        if (values.Count == 0)
        {
            throw new FormatException($"{option}: '{text}' lists no value.");
        }

        return [.. values.Distinct()];
    }

    /// <summary>A comma list of enum names (case-insensitive), or <c>all</c>.</summary>
    /// <exception cref="FormatException">A name is not one of the enum's, or the list is empty.</exception>
    public static IReadOnlyList<TEnum> Names<TEnum>(string text, string option)
        where TEnum : struct, Enum
    {
        if (text.Trim().Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return Enum.GetValues<TEnum>();
        }

        TEnum[] names = [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(name =>
            Enum.TryParse(name, ignoreCase: true, out TEnum value) && Enum.IsDefined(value) && !int.TryParse(name, out _)
                ? value
                : throw new FormatException($"{option}: '{name}' is not one of {string.Join(", ", Enum.GetNames<TEnum>()).ToLowerInvariant()}."))
            .Distinct()];
        return names.Length > 0 ? names : throw new FormatException($"{option}: '{text}' names nothing; use one of {string.Join(", ", Enum.GetNames<TEnum>()).ToLowerInvariant()}, or all.");
    }

    private static int Integer(string text, string option)
        => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new FormatException($"{option}: '{text}' is not an integer.");
}
