using System.Globalization;

namespace Collectives.CollSim;

/// <summary>Parses the sweep lists of the command line.</summary>
internal static class ListParser
{
    /// <summary>
    /// A comma list of integers or ranges: <c>a:b</c> is every power of two from a to b (a a power of
    /// two), <c>a:b:s</c> every s from a to b. Example: <c>16:256</c>, <c>8:56:8</c>, <c>1024,4096</c>.
    /// </summary>
    public static IReadOnlyList<int> Integers(string text, string option, int minimum)
    {
        var values = new List<int>();
        foreach (string item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] parts = item.Split(':');
            int[] numbers = [.. parts.Select(part => Integer(part, option))];
            switch (numbers.Length)
            {
                case 1:
                    values.Add(numbers[0]);
                    break;
                case 2:
                    for (long value = numbers[0]; value <= numbers[1]; value *= 2)
                    {
                        values.Add((int)value);
                    }

                    break;
                case 3 when numbers[2] > 0:
                    for (long value = numbers[0]; value <= numbers[1]; value += numbers[2])
                    {
                        values.Add((int)value);
                    }

                    break;
                default:
                    throw new FormatException($"{option}: '{item}' is not a number, a:b (powers of two) or a:b:step.");
            }
        }

        if (values.Count == 0 || values.Any(value => value < minimum))
        {
            throw new FormatException($"{option}: '{text}' must list at least one value, each at least {minimum}.");
        }

        return [.. values.Distinct()];
    }

    /// <summary>A comma list of enum names (case-insensitive), or <c>all</c>.</summary>
    public static IReadOnlyList<TEnum> Names<TEnum>(string text, string option)
        where TEnum : struct, Enum
    {
        if (text.Trim().Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return Enum.GetValues<TEnum>();
        }

        return [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(name =>
            Enum.TryParse(name, ignoreCase: true, out TEnum value) && Enum.IsDefined(value)
                ? value
                : throw new FormatException($"{option}: '{name}' is not one of {string.Join(", ", Enum.GetNames<TEnum>()).ToLowerInvariant()}."))
            .Distinct()];
    }

    private static int Integer(string text, string option)
        => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new FormatException($"{option}: '{text}' is not an integer.");
}
