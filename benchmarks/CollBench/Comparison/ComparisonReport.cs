using System.Globalization;
using System.Text;
using Collectives.Charts;
using Spectre.Console;

namespace Collectives.CollBench.Comparison;

/// <summary>
/// Presents compared points: per collective and transport, a table with one row per size and,
/// per rank count, our median, Open MPI's median and their ratio; as console tables, a Markdown
/// file (pasted into docs/performance.md), a CSV, and an SVG chart per table.
/// </summary>
internal static class ComparisonReport
{
    public static void Write(IReadOnlyList<ComparedPoint> points, CompareSettings settings)
    {
        Directory.CreateDirectory(settings.OutputDirectory);
        var markdown = new StringBuilder();
        foreach (var group in Groups(points))
        {
            int[] ranks = [.. group.Select(p => p.Case.Ranks).Distinct().Order()];
            long[] sizes = [.. group.Select(p => p.Bytes).Distinct().Order()];
            string title = $"{group.Key.Collective} over {group.Key.Transport}: ours / Open MPI (median of {settings.Rounds} interleaved rounds, max-over-ranks latency, µs)";
            WriteConsoleTable(title, group.ToList(), ranks, sizes);
            AppendMarkdownTable(markdown, title, group.ToList(), ranks, sizes);
        }

        File.WriteAllText(Path.Combine(settings.OutputDirectory, "comparison.md"), markdown.ToString());
        File.WriteAllText(Path.Combine(settings.OutputDirectory, "comparison.csv"), Csv(points));

        // A chart needs a size axis: barrier, which moves no data, has its table only.
        foreach (var group in Groups(points).Where(g => g.Any(p => p.Bytes > 0)))
        {
            int[] ranks = [.. group.Select(p => p.Case.Ranks).Distinct().Order()];
            string chart = Path.Combine(settings.OutputDirectory, $"{group.Key.Collective}-{group.Key.Transport}.svg");
            SvgLineChartWriter.Write(chart, Chart(group.Key.Collective, group.Key.Transport, group.ToList(), ranks));
        }

        AnsiConsole.WriteLine($"collbench compare: wrote comparison.md, comparison.csv and charts to {settings.OutputDirectory}");
    }

    private static IEnumerable<IGrouping<(string Collective, string Transport), ComparedPoint>> Groups(IReadOnlyList<ComparedPoint> points)
        => points.GroupBy(p => (p.Case.Collective, p.Case.Transport));

    private static void WriteConsoleTable(string title, List<ComparedPoint> points, int[] ranks, long[] sizes)
    {
        var table = new Table().Title(Markup.Escape(title)).AddColumn(new TableColumn("bytes").RightAligned());
        foreach (int n in ranks)
        {
            table.AddColumn(new TableColumn($"np{n} ours").RightAligned())
                .AddColumn(new TableColumn($"np{n} Open MPI").RightAligned())
                .AddColumn(new TableColumn($"np{n} ratio").RightAligned());
        }

        foreach (long bytes in sizes)
        {
            List<string> row = [bytes.ToString("N0", CultureInfo.InvariantCulture)];
            foreach (int n in ranks)
            {
                ComparedPoint? point = points.FirstOrDefault(p => p.Bytes == bytes && p.Case.Ranks == n);
                row.AddRange(point is null ? ["-", "-", "-"] : [Micros(point.OursMedian), Micros(point.OpenMpiMedian), Markup.Escape(Ratio(point.Ratio))]);
            }

            table.AddRow([.. row]);
        }

        AnsiConsole.Write(table);
    }

    private static void AppendMarkdownTable(StringBuilder markdown, string title, List<ComparedPoint> points, int[] ranks, long[] sizes)
    {
        markdown.Append("### ").AppendLine(title).AppendLine();
        markdown.Append("| bytes |");
        foreach (int n in ranks)
        {
            markdown.Append(CultureInfo.InvariantCulture, $" np{n} ours | np{n} Open MPI | np{n} ratio |");
        }

        markdown.AppendLine().Append("|---:|").AppendLine(string.Concat(Enumerable.Repeat("---:|---:|---:|", ranks.Length)));
        foreach (long bytes in sizes)
        {
            markdown.Append(CultureInfo.InvariantCulture, $"| {bytes} |");
            foreach (int n in ranks)
            {
                ComparedPoint? point = points.FirstOrDefault(p => p.Bytes == bytes && p.Case.Ranks == n);
                markdown.Append(point is null ? " - | - | - |" : $" {Micros(point.OursMedian)} | {Micros(point.OpenMpiMedian)} | {Ratio(point.Ratio)} |");
            }

            markdown.AppendLine();
        }

        markdown.AppendLine();
    }

    private static LineChart Chart(string collective, string transport, List<ComparedPoint> points, int[] ranks)
    {
        List<ChartSeries> series = [];
        foreach (int n in ranks)
        {
            var ofRanks = points.Where(p => p.Case.Ranks == n).OrderBy(p => p.Bytes).ToList();
            series.Add(new ChartSeries($"Collectives np{n}", [.. ofRanks.Select(p => ((double)p.Bytes, p.OursMedian))]));
            series.Add(new ChartSeries($"Open MPI np{n}", [.. ofRanks.Select(p => ((double)p.Bytes, p.OpenMpiMedian))]));
        }

        return new LineChart($"{collective} over {transport}: Collectives vs Open MPI", "message size (bytes)", "latency (µs, max over ranks)", series)
        {
            XTickFormat = TickFormats.Bytes,
        };
    }

    private static string Csv(IReadOnlyList<ComparedPoint> points)
    {
        var csv = new StringBuilder("collective,transport,ranks,bytes,rounds,ours_median_us,openmpi_median_us,ratio\n");
        foreach (ComparedPoint p in points)
        {
            csv.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{p.Case.Collective},{p.Case.Transport},{p.Case.Ranks},{p.Bytes},{Math.Min(p.Ours.Count, p.OpenMpi.Count)},{p.OursMedian:F3},{p.OpenMpiMedian:F3},{p.Ratio:F3}"));
        }

        return csv.ToString();
    }

    private static string Micros(double us) => double.IsNaN(us) ? "-"
        : us < 1000 ? us.ToString("F2", CultureInfo.InvariantCulture) : us.ToString("N0", CultureInfo.InvariantCulture);

    private static string Ratio(double ratio) => double.IsFinite(ratio) ? ratio.ToString("F2", CultureInfo.InvariantCulture) : "-";
}
