using System.Globalization;
using Spectre.Console;

namespace Collectives.CollSim;

/// <summary>
/// The result tables: one per collective and element type, a row per (nodes, bytes), a column of
/// mean tc per path (and offload fan-in), and the speedup software / offload. Built once, drawn on
/// the console or written as Markdown.
/// </summary>
internal sealed record ResultTable(string Title, IReadOnlyList<string> Headers, IReadOnlyList<string[]> Rows)
{
    public static IReadOnlyList<ResultTable> Build(IReadOnlyList<StudyPoint> points)
    {
        var tables = new List<ResultTable>();
        foreach (var group in points.GroupBy(point => (point.Collective, point.Type)))
        {
            var columns = group.Select(Column).Distinct().ToList();
            bool hasSoftware = columns.Contains("software");
            var offloadColumns = columns.Where(column => column != "software").ToList();
            var headers = new List<string> { "nodes", "bytes" };
            headers.AddRange(columns.Select(column => $"{column} µs"));
            if (hasSoftware)
            {
                headers.AddRange(offloadColumns.Select(column => $"speedup {column}"));
            }

            var rows = new List<string[]>();
            foreach (var row in group.GroupBy(point => (point.Nodes, point.Bytes)))
            {
                var byColumn = row.ToDictionary(Column, point => point.MeanNs);
                var cells = new List<string> { row.Key.Nodes.ToString(CultureInfo.InvariantCulture), row.Key.Bytes.ToString(CultureInfo.InvariantCulture) };
                cells.AddRange(columns.Select(column => byColumn.TryGetValue(column, out double ns) ? Micros(ns) : "-"));
                if (hasSoftware)
                {
                    double software = byColumn.GetValueOrDefault("software");
                    cells.AddRange(offloadColumns.Select(column => software > 0 && byColumn.TryGetValue(column, out double offload) ? Ratio(software / offload) : "-"));
                }

                rows.Add([.. cells]);
            }

            string title = $"{group.Key.Collective} of {group.Key.Type} (sum), tc{Repetitions(group)}".ToLowerInvariant();
            tables.Add(new ResultTable(title, headers, rows));
        }

        return tables;
    }

    /// <summary>The column a point belongs to: software, offload, or offload with a k-ary tree.</summary>
    public static string Column(StudyPoint point)
        => point.Path == StudyPath.Software ? "software" : point.FanIn == 0 ? "offload" : $"offload k={point.FanIn}";

    public void WriteToConsole()
    {
        var table = new Table().Title(Markup.Escape(Title));
        foreach (string header in Headers)
        {
            table.AddColumn(new TableColumn(Markup.Escape(header)).RightAligned());
        }

        foreach (string[] row in Rows)
        {
            table.AddRow(row);
        }

        AnsiConsole.Write(table);
    }

    public string ToMarkdown()
        => $"**{Title}**\n\n| {string.Join(" | ", Headers)} |\n|{string.Concat(Headers.Select(_ => "---:|"))}\n"
            + string.Concat(Rows.Select(row => $"| {string.Join(" | ", row)} |\n"));

    private static string Repetitions(IEnumerable<StudyPoint> points)
        => points.First().Repetitions > 1 ? $", mean of {points.First().Repetitions} runs" : string.Empty;

    private static string Micros(double ns) => (ns / 1000).ToString("F3", CultureInfo.InvariantCulture);

    private static string Ratio(double ratio) => ratio.ToString("F2", CultureInfo.InvariantCulture) + "x";
}
