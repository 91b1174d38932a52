using System.Globalization;

namespace Collectives.CollBench;

/// <summary>Parses --sizes: a range "4:16M" (every power of two between the bounds) or a list "8,4096,1M".</summary>
internal static class SizeList
{
    /// <summary>Elements are float32, so every size must be a whole number of them.</summary>
    private const int ElementSize = sizeof(float);

    public static IReadOnlyList<long> Parse(string text)
    {
        List<long> sizes = [];
        if (text.Contains(':', StringComparison.Ordinal))
        {
            string[] bounds = text.Split(':');
            if (bounds.Length != 2)
            {
                throw new FormatException($"--sizes range must be <from>:<to> (got '{text}').");
            }

            long from = ParseSize(bounds[0]);
            long to = ParseSize(bounds[1]);
            if (from > to)
            {
                throw new FormatException($"--sizes range {text} is empty: {from} > {to}.");
            }

            // Start at the first power of two >= from, as OSU does, so the points line up with its tables.
            for (long size = (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)from); size <= to; size *= 2)
            {
                sizes.Add(size);
            }
        }
        else
        {
            sizes.AddRange(text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseSize));
        }

        if (sizes.Count == 0)
        {
            throw new FormatException($"--sizes '{text}' names no size.");
        }

        return sizes;
    }

    /// <summary>A byte count with an optional k, M or G suffix (binary multiples).</summary>
    public static long ParseSize(string text)
    {
        string trimmed = text.Trim();
        long multiplier = 1;
        if (trimmed.Length > 0)
        {
            multiplier = char.ToLowerInvariant(trimmed[^1]) switch
            {
                'k' => 1L << 10,
                'm' => 1L << 20,
                'g' => 1L << 30,
                _ => 1,
            };
        }

        string digits = multiplier == 1 ? trimmed : trimmed[..^1];
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long value) || value <= 0)
        {
            throw new FormatException($"'{text}' is not a positive byte count (examples: 8, 4k, 16M).");
        }

        long bytes = checked(value * multiplier);
        if (bytes % ElementSize != 0 || bytes / ElementSize > Array.MaxLength)
        {
            throw new FormatException($"{bytes} bytes is not a whole number of float32 elements that fits in one array.");
        }

        return bytes;
    }
}
