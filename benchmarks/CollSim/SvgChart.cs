using Collectives.Charts;

namespace Collectives.CollSim;

/// <summary>
/// A line chart of mean tc (µs) against whichever of nodes, bytes and fan-in the sweep varies
/// most, one line per combination of everything else (offload lines dashed). Nodes, and sizes
/// over a wide range, are spaced logarithmically. Drawn by the benchmarks' shared chart writer.
/// </summary>
internal static class SvgChart
{
    public static void Write(string path, IReadOnlyList<StudyPoint> points)
    {
        (string axis, Func<StudyPoint, int> x) = ChooseAxis(points);
        // Node counts and wide size ranges are spaced logarithmically, so small values do not crowd.
        int smallest = points.Min(x);
        bool logarithmic = axis == "nodes" || (smallest > 0 && points.Max(x) >= 16 * smallest);
        bool severalNodes = points.Select(point => point.Nodes).Distinct().Count() > 1;
        bool severalBytes = points.Select(point => point.Bytes).Distinct().Count() > 1;
        List<ChartSeries> series = [.. points.GroupBy(point => SeriesName(point, axis, severalNodes, severalBytes)).Select(line => new ChartSeries(
            line.Key,
            [.. line.OrderBy(x).Select(point => ((double)x(point), point.MeanNs / 1000))])
        {
            Dashed = line.First().Path != StudyPath.Software,
        })];
        // A node count or size every line shares goes in the title, not in each legend entry.
        string fixedPart = string.Join(", ", new[]
        {
            severalNodes || axis == "nodes" ? null : $"{points[0].Nodes} nodes",
            severalBytes || axis == "bytes" ? null : $"{points[0].Bytes} B",
        }.OfType<string>());
        string title = $"Completion time tc (µs) against {axis}" + (fixedPart.Length > 0 ? $" ({fixedPart})" : string.Empty);
        var chart = new LineChart(title, axis + (logarithmic ? " (log scale)" : string.Empty), "tc (µs)", series)
        {
            LogX = logarithmic,
            LogY = false,
        };
        SvgLineChartWriter.Write(path, chart);
    }

    private static (string Axis, Func<StudyPoint, int> X) ChooseAxis(IReadOnlyList<StudyPoint> points)
    {
        int nodes = points.Select(point => point.Nodes).Distinct().Count();
        int bytes = points.Select(point => point.Bytes).Distinct().Count();
        int fanIns = points.Select(point => point.FanIn).Distinct().Count();
        if (fanIns > nodes && fanIns > bytes)
        {
            return ("fan-in", point => point.FanIn);
        }

        return bytes > nodes ? ("bytes", point => point.Bytes) : ("nodes", point => point.Nodes);
    }

    private static string SeriesName(StudyPoint point, string axis, bool severalNodes, bool severalBytes)
    {
        var parts = new List<string> { point.Collective.ToString().ToLowerInvariant(), point.Type.ToString().ToLowerInvariant(), ResultTable.Column(point) };
        if (axis != "nodes" && severalNodes)
        {
            parts.Add($"{point.Nodes} nodes");
        }

        if (axis != "bytes" && severalBytes)
        {
            parts.Add($"{point.Bytes} B");
        }

        return string.Join(' ', parts);
    }
}
