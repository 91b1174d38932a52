using System.Globalization;
using Spectre.Console;

namespace Collectives.CollSim;

/// <summary>
/// The console tables: one per collective and element type, a row per (nodes, bytes), a column
/// of mean tc per path (and offload fan-in), and the speedup software / offload.
/// </summary>
internal static class ResultTable
{
    public static void Write(IReadOnlyList<StudyPoint> points)
    {
        foreach (var group in points.GroupBy(point => (point.Collective, point.Type)))
        {
            var columns = group.Select(Column).Distinct().ToList();
            bool hasSoftware = columns.Contains("software");
            var offloadColumns = columns.Where(column => column != "software").ToList();
            var table = new Table().Title(Markup.Escape($"{group.Key.Collective} of {group.Key.Type} (sum), tc in µs{Repetitions(group)}".ToLowerInvariant()))
                .AddColumn(new TableColumn("nodes").RightAligned())
                .AddColumn(new TableColumn("bytes").RightAligned());
            foreach (string column in columns)
            {
                table.AddColumn(new TableColumn(column).RightAligned());
            }

            if (hasSoftware)
            {
                foreach (string column in offloadColumns)
                {
                    table.AddColumn(new TableColumn($"speedup {column}").RightAligned());
                }
            }

            foreach (var row in group.GroupBy(point => (point.Nodes, point.Bytes)))
            {
                var byColumn = row.ToDictionary(Column, point => point.MeanNs);
                var cells = new List<string> { row.Key.Nodes.ToString(CultureInfo.InvariantCulture), row.Key.Bytes.ToString(CultureInfo.InvariantCulture) };
                cells.AddRange(columns.Select(column => byColumn.TryGetValue(column, out double ns) ? Micros(ns) : "-"));
                if (hasSoftware && byColumn.TryGetValue("software", out double software))
                {
                    cells.AddRange(offloadColumns.Select(column => byColumn.TryGetValue(column, out double offload) ? Ratio(software / offload) : "-"));
                }

                table.AddRow(cells.ToArray());
            }

            AnsiConsole.Write(table);
        }
    }

    /// <summary>The column a point belongs to: software, offload, or offload with a k-ary tree.</summary>
    public static string Column(StudyPoint point)
        => point.Path == StudyPath.Software ? "software" : point.FanIn == 0 ? "offload" : $"offload k={point.FanIn}";

    private static string Repetitions(IEnumerable<StudyPoint> points)
        => points.First().Repetitions > 1 ? $", mean of {points.First().Repetitions}" : string.Empty;

    private static string Micros(double ns) => (ns / 1000).ToString("F3", CultureInfo.InvariantCulture);

    private static string Ratio(double ratio) => ratio.ToString("F2", CultureInfo.InvariantCulture) + "x";
}
