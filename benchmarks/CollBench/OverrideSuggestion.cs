using System.Globalization;

namespace Collectives.CollBench;

/// <summary>
/// Turns a sweep into a selection override: at each measured size the forced algorithm with the
/// lowest max-over-ranks latency wins, and runs of sizes with the same winner become one byte
/// range (from the first size it won to the next size another algorithm won), scoped to the rank
/// count measured.
/// </summary>
internal static class OverrideSuggestion
{
    public static string For(IReadOnlyList<PointResult> results, int ranks)
    {
        var forced = results.Where(r => r.Algorithm != "auto").ToList();
        if (forced.Count == 0)
        {
            return "(no forced algorithm was measured; run with --algorithms all)";
        }

        string collective = forced[0].Collective;
        var winners = forced.GroupBy(r => r.Bytes).OrderBy(g => g.Key)
            .Select(g => (Bytes: g.Key, Algorithm: g.MinBy(r => r.MaxUs)!.Algorithm))
            .ToList();
        if (collective == "barrier")
        {
            return $"barrier:*:p={ranks}:{winners[0].Algorithm}";
        }

        var entries = new List<string>();
        int start = 0;
        for (int i = 1; i <= winners.Count; i++)
        {
            if (i < winners.Count && winners[i].Algorithm == winners[start].Algorithm)
            {
                continue;
            }

            string from = start == 0 ? "0" : Size(winners[start].Bytes);
            string to = i == winners.Count ? "inf" : Size(winners[i].Bytes);
            entries.Add(string.Create(CultureInfo.InvariantCulture, $"{collective}:{from}-{to}:p={ranks}:{winners[start].Algorithm}"));
            start = i;
        }

        return string.Join(';', entries);
    }

    /// <summary>Bytes in the selection syntax: k, m or g when the size is a whole multiple.</summary>
    private static string Size(long bytes)
    {
        foreach ((long unit, char suffix) in new[] { (1L << 30, 'g'), (1L << 20, 'm'), (1L << 10, 'k') })
        {
            if (bytes % unit == 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{bytes / unit}{suffix}");
            }
        }

        return bytes.ToString(CultureInfo.InvariantCulture);
    }
}
