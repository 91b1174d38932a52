using System.Globalization;
using Collectives.Catalog;

namespace Collectives.Selection;

/// <summary>
/// Parses the selection syntax, modelled on UCC's score strings:
/// <c>collective:bytes[:p=ranks][:hosts=hosts][:ppn=ranks]:algorithm</c> entries separated by <c>;</c> (or <c>#</c>).
/// <list type="bullet">
/// <item><c>collective</c>: <c>allreduce</c>, <c>reduce</c>, <c>broadcast</c> (or <c>bcast</c>), <c>allgather</c>, <c>reduce_scatter</c> or <c>barrier</c>.</item>
/// <item><c>bytes</c> (of one rank's buffer; for allgather and reduce_scatter, of one rank's block): <c>from-to</c>, from inclusive, to exclusive, with optional <c>k</c>, <c>m</c>, <c>g</c> (binary) suffixes and <c>inf</c>; or <c>*</c> for every size.</item>
/// <item><c>p=ranks</c> (optional): <c>n</c> or <c>from-to</c>, both inclusive; <c>to</c> may be <c>inf</c>.</item>
/// <item><c>hosts=hosts</c> (optional): how many hosts the communicator's ranks run on, as <c>p=</c> (1 when it does not know its layout).</item>
/// <item><c>ppn=ranks</c> (optional): how many ranks run on its most crowded host, as <c>p=</c> (all of them when it does not know its layout).</item>
/// <item><c>algorithm</c>: a name from <see cref="AlgorithmCatalog"/> for that collective (README, "Algorithms and how they are chosen", lists them).</item>
/// </list>
/// A rule naming an algorithm the communicator cannot run (a shared-memory one across hosts, the
/// offload engine without one or for a call it does not take) is passed over.
/// Example: <c>allreduce:0-4k:recursive_doubling;allreduce:4k-inf:p=3-inf:ring</c>.
/// </summary>
internal static class SelectionTable
{
    public static IReadOnlyList<SelectionRule> Parse(string text, string origin)
    {
        var rules = new List<SelectionRule>();
        foreach (string raw in text.Split([';', '#'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            rules.Add(ParseEntry(raw, origin));
        }

        return rules;
    }

    private static SelectionRule ParseEntry(string entry, string origin)
    {
        string[] parts = entry.Split(':', StringSplitOptions.TrimEntries);
        if (parts.Length is < 3 or > 6)
        {
            throw Error(entry, origin, "expected collective:bytes[:p=ranks][:hosts=hosts][:ppn=ranks]:algorithm");
        }

        CollectiveKind kind = AlgorithmCatalog.CollectiveNamed(parts[0])
            ?? throw Error(entry, origin, $"unknown collective '{parts[0]}' (known: {string.Join(", ", AlgorithmCatalog.Collectives.Select(collective => collective.Name))})");

        (long minBytes, long maxBytes) = ParseRange(parts[1], entry, origin, inclusiveUpper: false);
        var ranges = new Dictionary<string, (long From, long To)>(StringComparer.OrdinalIgnoreCase);
        foreach (string qualifier in parts[2..^1])
        {
            int equals = qualifier.IndexOf('=', StringComparison.Ordinal);
            string key = equals > 0 ? qualifier[..equals].ToLowerInvariant() : qualifier;
            if (key is not ("p" or "hosts" or "ppn"))
            {
                throw Error(entry, origin, $"expected a range such as p=2-8, hosts=2-inf or ppn=2-inf, not '{qualifier}'");
            }

            if (!ranges.TryAdd(key, ParseRange(qualifier[(equals + 1)..], entry, origin, inclusiveUpper: true)))
            {
                throw Error(entry, origin, $"{key}= is given twice");
            }
        }

        CollectiveAlgorithm algorithm = AlgorithmCatalog.Find(kind, parts[^1])
            ?? throw Error(entry, origin, $"unknown {AlgorithmCatalog.NameOf(kind)} algorithm '{parts[^1]}' (known: {string.Join(", ", AlgorithmCatalog.Of(kind).Select(row => row.Name))})");

        (int minRanks, int maxRanks) = Counts(ranges, "p");
        (int minHosts, int maxHosts) = Counts(ranges, "hosts");
        (int minPerHost, int maxPerHost) = Counts(ranges, "ppn");
        return new SelectionRule(kind, minBytes, maxBytes, minRanks, maxRanks, algorithm)
        {
            MinHosts = minHosts,
            MaxHosts = maxHosts,
            MinPerHost = minPerHost,
            MaxPerHost = maxPerHost,
        };
    }

    // A count range as given, or every count from 1.
    private static (int From, int To) Counts(Dictionary<string, (long From, long To)> ranges, string key)
        => ranges.TryGetValue(key, out (long From, long To) range)
            ? ((int)Math.Min(range.From, int.MaxValue), (int)Math.Min(range.To, int.MaxValue))
            : (1, int.MaxValue);

    private static (long From, long To) ParseRange(string text, string entry, string origin, bool inclusiveUpper)
    {
        if (text == "*")
        {
            return (0, long.MaxValue);
        }

        string[] bounds = text.Split('-');
        long from = ParseSize(bounds[0], entry, origin);
        long to = bounds.Length switch
        {
            1 => inclusiveUpper ? from : throw Error(entry, origin, $"expected a size range such as 0-4k, not '{text}'"),
            2 => ParseSize(bounds[1], entry, origin),
            _ => throw Error(entry, origin, $"bad range '{text}'"),
        };
        if (to < from)
        {
            throw Error(entry, origin, $"range '{text}' ends before it starts");
        }

        return (from, to);
    }

    private static long ParseSize(string text, string entry, string origin)
    {
        if (text.Equals("inf", StringComparison.OrdinalIgnoreCase))
        {
            return long.MaxValue;
        }

        long multiplier = 1;
        string digits = text;
        if (text.Length > 0 && char.IsLetter(text[^1]))
        {
            multiplier = char.ToLowerInvariant(text[^1]) switch
            {
                'k' => 1L << 10,
                'm' => 1L << 20,
                'g' => 1L << 30,
                _ => throw Error(entry, origin, $"unknown size suffix in '{text}'"),
            };
            digits = text[..^1];
        }

        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
        {
            throw Error(entry, origin, $"'{text}' is not a size");
        }

        if (value > long.MaxValue / multiplier)
        {
            throw Error(entry, origin, $"'{text}' is too large");
        }

        return value * multiplier;
    }

    private static FormatException Error(string entry, string origin, string problem)
        => new($"Bad algorithm selection entry '{entry}' in {origin}: {problem}.");
}
