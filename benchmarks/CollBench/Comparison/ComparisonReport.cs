using System.Globalization;
using System.Text;
using Collectives.Charts;
using Spectre.Console;

namespace Collectives.CollBench.Comparison;

/// <summary>
/// Presents compared points: per collective and transport (or per collective, across hosts), a
/// table with one row per size and, per job shape, each side's median and the ratios between
/// them; as console tables, a Markdown file (pasted into docs/performance.md), a CSV, and per
/// table an SVG chart against size and, with several rank counts on one host, one against ranks.
/// </summary>
internal static class ComparisonReport
{
    /// <summary>Marks a cell whose rounds differ too much for its ratio to mean much.</summary>
    private const string UnsteadyMark = "!";

    public static void Write(IReadOnlyList<ComparedPoint> points, CompareSettings settings)
    {
        Directory.CreateDirectory(settings.OutputDirectory);
        var markdown = new StringBuilder();
        foreach (var group in Groups(points))
        {
            // A table shows only the sides that measure its cases: no empty Gloo columns over shared memory.
            List<ComparisonSide> sides = [.. settings.Sides.Where(side => side.AppliesTo(group.First().Case))];
            IReadOnlyList<ComparisonRatio> ratios = ComparisonRatio.Among(settings.Ratios, sides);
            string[] headings = [.. sides.Select(s => s.Heading), .. ratios.Select(r => r.Heading)];
            string[] shapes = [.. group.OrderBy(p => p.Case.Ranks).Select(p => p.Case.Shape).Distinct()];
            long[] sizes = [.. group.Select(p => p.Bytes).Distinct().Order()];
            string title = Title(group.First().Case, sides, settings);
            List<string[]> rows = [.. sizes.Select(bytes => Row(bytes, shapes, group.ToList(), sides, ratios))];
            string[] columns = [.. Columns(shapes, headings, group.First().Case)];
            List<string> unsteady = [.. Unsteady(group.OrderBy(p => p.Case.Ranks).ThenBy(p => p.Bytes), sides)];
            WriteConsoleTable(title, columns, rows, unsteady);
            AppendMarkdownTable(markdown, title, columns, rows, unsteady);
        }

        File.WriteAllText(Path.Combine(settings.OutputDirectory, "comparison.md"), markdown.ToString());
        File.WriteAllText(Path.Combine(settings.OutputDirectory, "comparison.csv"), Csv(points, settings.Sides, ComparisonRatio.Among(settings.Ratios, settings.Sides)));

        // A chart needs a size axis: barrier, which moves no data, has its table only.
        foreach (var group in Groups(points).Where(g => g.Any(p => p.Bytes > 0)))
        {
            List<ComparisonSide> sides = [.. settings.Sides.Where(side => side.AppliesTo(group.First().Case))];
            string chart = Path.Combine(settings.OutputDirectory, $"{group.Key.Collective}-{group.Key.Transport}.svg");
            SvgLineChartWriter.Write(chart, Chart(group.First().Case, group.ToList(), sides));
            if (RanksChart(group.First().Case, group.ToList(), sides) is { } growth)
            {
                SvgLineChartWriter.Write(Path.Combine(settings.OutputDirectory, $"{group.Key.Collective}-{group.Key.Transport}-ranks.svg"), growth);
            }
        }

        AnsiConsole.WriteLine($"collbench compare: wrote comparison.md, comparison.csv and charts to {settings.OutputDirectory}");
    }

    private static IEnumerable<IGrouping<(string Collective, string Transport), ComparedPoint>> Groups(IReadOnlyList<ComparedPoint> points)
        => points.GroupBy(p => (p.Case.Collective, p.Case.Transport));

    private static string Title(ComparisonCase item, IReadOnlyList<ComparisonSide> sides, CompareSettings settings)
    {
        string how = string.Create(CultureInfo.InvariantCulture, $"(median and, in parentheses, fastest–slowest of {settings.Rounds} interleaved rounds, max-over-ranks latency, µs)");
        return item.IsAcrossHosts
            ? string.Create(CultureInfo.InvariantCulture, $"{item.Collective} on {item.Hosts} emulated hosts x {item.RanksPerHost} ranks ({item.Shape}), links {(settings.Cluster?.Rate is { } rate ? "shaped to " + rate : "unshaped")}: ours and Open MPI {how}")
            : $"{item.Collective} over {item.Transport}: {string.Join(", ", sides.Where(side => !side.IsOurs).Select(side => "ours / " + side.Heading))}{(sides.Any(s => s.Program == SideProgram.Gloo) ? " (Gloo: its fastest algorithm at each size)" : string.Empty)} {how}";
    }

    /// <summary>A size's cells: its bytes, then per shape each side's median and each ratio.</summary>
    private static string[] Row(long bytes, string[] shapes, List<ComparedPoint> points, IReadOnlyList<ComparisonSide> sides, IReadOnlyList<ComparisonRatio> ratios)
    {
        List<string> row = [bytes.ToString(CultureInfo.InvariantCulture)];
        foreach (string shape in shapes)
        {
            ComparedPoint? point = points.FirstOrDefault(p => p.Bytes == bytes && p.Case.Shape == shape);
            row.AddRange(sides.Select(side => point is null ? "-" : Cell(point, side.Name)));
            row.AddRange(ratios.Select(ratio => point is null ? "-" : Ratio(point.Ratio(ratio))));
        }

        return [.. row];
    }

    /// <summary>
    /// A side's median, then its fastest–slowest round when it has several, then
    /// <see cref="UnsteadyMark"/> when those differ by more than <see cref="ComparedPoint.UnsteadySpread"/> times.
    /// </summary>
    private static string Cell(ComparedPoint point, string side)
    {
        double median = point.Median(side);
        if (double.IsNaN(median))
        {
            return "-";
        }

        string cell = Micros(median);
        if (point.Figures[side].Count > 1)
        {
            cell += $" ({Micros(point.Min(side))}–{Micros(point.Max(side))})";
        }

        return point.IsUnsteady(side) ? cell + " " + UnsteadyMark : cell;
    }

    /// <summary>The lines under a table that name its unsteady cells, so a reader need not hunt for the marks.</summary>
    private static IEnumerable<string> Unsteady(IEnumerable<ComparedPoint> points, IReadOnlyList<ComparisonSide> sides)
        => from point in points
           from side in sides
           where point.IsUnsteady(side.Name)
           select string.Create(
               CultureInfo.InvariantCulture,
               $"{UnsteadyMark} {point.Bytes} bytes {point.Case.Shape} {side.Heading}: rounds {Micros(point.Min(side.Name))}–{Micros(point.Max(side.Name))} µs, {point.Spread(side.Name):F1}x apart");

    /// <summary>
    /// Column headings after bytes: per shape, each side and ratio, named with the shape (np2 ours)
    /// on one host, where a table has several; a run across hosts has one shape, named in the title.
    /// </summary>
    private static IEnumerable<string> Columns(string[] shapes, string[] headings, ComparisonCase item)
        => item.IsAcrossHosts && shapes.Length == 1 ? headings : shapes.SelectMany(shape => headings.Select(h => $"{shape} {h}"));

    private static void WriteConsoleTable(string title, string[] columns, List<string[]> rows, List<string> unsteady)
    {
        var table = new Table().Title(Markup.Escape(title)).AddColumn(new TableColumn("bytes").RightAligned().NoWrap());
        foreach (string heading in columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(heading)).RightAligned());
        }

        foreach (string[] row in rows)
        {
            long bytes = long.Parse(row[0], CultureInfo.InvariantCulture);
            table.AddRow([bytes.ToString("N0", CultureInfo.InvariantCulture), .. row.Skip(1).Select(Markup.Escape)]);
        }

        AnsiConsole.Write(table);
        foreach (string line in unsteady)
        {
            AnsiConsole.WriteLine(line);
        }
    }

    private static void AppendMarkdownTable(StringBuilder markdown, string title, string[] columns, List<string[]> rows, List<string> unsteady)
    {
        markdown.Append("### ").AppendLine(title).AppendLine();
        markdown.Append("| bytes |");
        foreach (string heading in columns)
        {
            markdown.Append(' ').Append(heading).Append(" |");
        }

        markdown.AppendLine().Append("|---:|").AppendLine(string.Concat(Enumerable.Repeat("---:|", columns.Length)));
        foreach (string[] row in rows)
        {
            markdown.Append("| ").AppendJoin(" | ", row).AppendLine(" |");
        }

        markdown.AppendLine();
        if (unsteady.Count > 0)
        {
            markdown.AppendLine("Rounds more than 2x apart (ratios not to be trusted):").AppendLine();
            foreach (string line in unsteady)
            {
                markdown.Append("- ").AppendLine(line);
            }

            markdown.AppendLine();
        }
    }

    internal static LineChart Chart(ComparisonCase item, List<ComparedPoint> points, IReadOnlyList<ComparisonSide> sides)
    {
        List<ChartSeries> series = [];
        foreach (var ofShape in points.GroupBy(p => p.Case.Shape).OrderBy(g => g.First().Case.Ranks))
        {
            var ordered = ofShape.OrderBy(p => p.Bytes).ToList();
            series.AddRange(sides.Select(side => new ChartSeries($"{side.Series} {ofShape.Key}", [.. ordered.Select(p => ((double)p.Bytes, p.Median(side.Name)))])
            {
                Dashed = !side.IsOurs,
            }));
        }

        string where = item.IsAcrossHosts ? "across hosts" : "over " + item.Transport;
        return new LineChart($"{item.Collective} {where}: Collectives vs {string.Join(" and ", sides.Where(s => !s.IsOurs).Select(s => s.Series).Distinct())}", "message size (bytes)", "latency (µs, max over ranks)", series)
        {
            XTickFormat = TickFormats.Bytes,
        };
    }

    /// <summary>Sizes in the chart against rank count: few enough lines to read.</summary>
    private const int GrowthSizes = 4;

    /// <summary>
    /// How cost grows with the job: latency against rank count (log-log), one line per side at up
    /// to <see cref="GrowthSizes"/> sizes spread from the smallest to the largest measured (ours
    /// solid, peers dashed); null unless the table has at least two rank counts on one host.
    /// </summary>
    internal static LineChart? RanksChart(ComparisonCase item, List<ComparedPoint> points, IReadOnlyList<ComparisonSide> sides)
    {
        long[] sizes = [.. points.Select(p => p.Bytes).Where(b => b > 0).Distinct().Order()];
        if (item.IsAcrossHosts || points.Select(p => p.Case.Ranks).Distinct().Count() < 2 || sizes.Length == 0)
        {
            return null;
        }

        int shown = Math.Min(GrowthSizes, sizes.Length);
        long[] picked = [.. Enumerable.Range(0, shown).Select(i => sizes[shown == 1 ? 0 : i * (sizes.Length - 1) / (shown - 1)]).Distinct()];
        List<ChartSeries> series = [];
        foreach (long bytes in picked)
        {
            var ordered = points.Where(p => p.Bytes == bytes).OrderBy(p => p.Case.Ranks).ToList();
            series.AddRange(sides.Select(side => new ChartSeries($"{side.Series} {TickFormats.Bytes(bytes)}B", [.. ordered.Select(p => ((double)p.Case.Ranks, p.Median(side.Name)))])
            {
                Dashed = !side.IsOurs,
            }));
        }

        return new LineChart($"{item.Collective} over {item.Transport}: latency against ranks", "ranks", "latency (µs, max over ranks)", series);
    }

    /// <summary>
    /// One row per point. On one host: collective, transport, ranks; across hosts: collective,
    /// hosts, ranks per host. Then the bytes, the rounds every side has, each side's median, fastest
    /// and slowest round, each ratio, and whether any side's rounds are unsteady (1) or not (0).
    /// </summary>
    private static string Csv(IReadOnlyList<ComparedPoint> points, IReadOnlyList<ComparisonSide> sides, IReadOnlyList<ComparisonRatio> ratios)
    {
        bool acrossHosts = points.Any(p => p.Case.IsAcrossHosts);
        string[] header =
        [
            "collective", acrossHosts ? "hosts" : "transport", acrossHosts ? "ranks_per_host" : "ranks", "bytes", "rounds",
            .. sides.SelectMany(s => (string[])[$"{s.Name}_median_us", $"{s.Name}_min_us", $"{s.Name}_max_us"]), .. ratios.Select(r => r.Name), "unsteady",
        ];
        var csv = new StringBuilder().AppendJoin(',', header).Append('\n');
        foreach (ComparedPoint p in points)
        {
            string[] fields =
            [
                p.Case.Collective,
                acrossHosts ? p.Case.Hosts.ToString(CultureInfo.InvariantCulture) : p.Case.Transport,
                (acrossHosts ? p.Case.RanksPerHost : p.Case.Ranks).ToString(CultureInfo.InvariantCulture),
                p.Bytes.ToString(CultureInfo.InvariantCulture),
                p.Rounds(sides).ToString(CultureInfo.InvariantCulture),
                .. sides.SelectMany(s => new[] { p.Median(s.Name), p.Min(s.Name), p.Max(s.Name) }.Select(us => us.ToString("F3", CultureInfo.InvariantCulture))),
                .. ratios.Select(r => p.Ratio(r).ToString("F3", CultureInfo.InvariantCulture)),
                sides.Any(s => p.IsUnsteady(s.Name)) ? "1" : "0",
            ];
            csv.AppendJoin(',', fields).Append('\n');
        }

        return csv.ToString();
    }

    private static string Micros(double us) => double.IsNaN(us) ? "-"
        : us < 1000 ? us.ToString("F2", CultureInfo.InvariantCulture) : us.ToString("N0", CultureInfo.InvariantCulture);

    private static string Ratio(double ratio) => double.IsFinite(ratio) ? ratio.ToString("F2", CultureInfo.InvariantCulture) : "-";
}
