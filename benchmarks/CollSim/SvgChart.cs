using System.Globalization;
using System.Text;

namespace Collectives.CollSim;

/// <summary>
/// A line chart of mean tc (µs) against whichever of nodes, bytes and fan-in the sweep varies
/// most, one line per combination of everything else. Nodes, and sizes over a wide range, are
/// spaced logarithmically.
/// Hand-written SVG: no dependency, readable in any browser and on GitHub.
/// </summary>
internal static class SvgChart
{
    private const int Width = 900;
    private const int Height = 520;
    private const int Left = 70;
    private const int Right = 300;
    private const int Top = 40;
    private const int Bottom = 60;

    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    public static void Write(string path, IReadOnlyList<StudyPoint> points)
    {
        (string axis, Func<StudyPoint, int> x) = ChooseAxis(points);
        // Node counts and wide size ranges are spaced logarithmically, so small values do not crowd.
        int smallest = points.Min(x);
        bool logarithmic = axis == "nodes" || (smallest > 0 && points.Max(x) >= 16 * smallest);
        var series = points.GroupBy(point => SeriesName(point, axis)).ToList();
        double[] xs = [.. points.Select(point => Scale(x(point), logarithmic)).Distinct().Order()];
        double xMin = xs[0];
        double xMax = xs.Length > 1 ? xs[^1] : xs[0] + 1;
        double yMax = NiceCeiling(points.Max(point => point.MeanNs) / 1000);
        double plotWidth = Width - Left - Right;
        double plotHeight = Height - Top - Bottom;
        double X(double value) => Left + ((value - xMin) / (xMax - xMin) * plotWidth);
        double Y(double micros) => Top + plotHeight - (micros / yMax * plotHeight);

        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Invariant($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n"));
        svg.Append(Invariant($"<text x=\"{Left}\" y=\"22\" font-size=\"15\">Completion time tc (µs) against {axis}</text>\n"));
        for (int tick = 0; tick <= 5; tick++)
        {
            double value = yMax * tick / 5;
            svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Y(value):F1}\" x2=\"{Left + plotWidth}\" y2=\"{Y(value):F1}\" stroke=\"#ddd\"/>\n"));
            svg.Append(Invariant($"<text x=\"{Left - 8}\" y=\"{Y(value) + 4:F1}\" text-anchor=\"end\">{value:G4}</text>\n"));
        }

        foreach (int value in points.Select(x).Distinct().Order())
        {
            double position = X(Scale(value, logarithmic));
            svg.Append(Invariant($"<line x1=\"{position:F1}\" y1=\"{Top + plotHeight}\" x2=\"{position:F1}\" y2=\"{Top + plotHeight + 5}\" stroke=\"black\"/>\n"));
            svg.Append(Invariant($"<text x=\"{position:F1}\" y=\"{Top + plotHeight + 20}\" text-anchor=\"middle\">{value}</text>\n"));
        }

        svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Top + plotHeight}\" x2=\"{Left + plotWidth}\" y2=\"{Top + plotHeight}\" stroke=\"black\"/>\n"));
        svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Top + plotHeight}\" stroke=\"black\"/>\n"));
        svg.Append(Invariant($"<text x=\"{Left + (plotWidth / 2)}\" y=\"{Height - 15}\" text-anchor=\"middle\">{axis}{(logarithmic ? " (log scale)" : string.Empty)}</text>\n"));
        for (int i = 0; i < series.Count; i++)
        {
            string colour = Colours[i % Colours.Length];
            string dash = series[i].First().Path == StudyPath.Software ? string.Empty : " stroke-dasharray=\"6 3\"";
            string line = string.Join(' ', series[i].OrderBy(x).Select(point => Invariant($"{X(Scale(x(point), logarithmic)):F1},{Y(point.MeanNs / 1000):F1}")));
            svg.Append(Invariant($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{dash} points=\"{line}\"/>\n"));
            int legendY = Top + 10 + (i * 18);
            svg.Append(Invariant($"<line x1=\"{Width - Right + 15}\" y1=\"{legendY}\" x2=\"{Width - Right + 45}\" y2=\"{legendY}\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/>\n"));
            svg.Append(Invariant($"<text x=\"{Width - Right + 52}\" y=\"{legendY + 4}\">{System.Security.SecurityElement.Escape(series[i].Key)}</text>\n"));
        }

        svg.Append("</svg>\n");
        OutputFile.Write(path, svg.ToString());
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

    private static string SeriesName(StudyPoint point, string axis)
    {
        var parts = new List<string> { point.Collective.ToString().ToLowerInvariant(), point.Type.ToString().ToLowerInvariant(), ResultTable.Column(point) };
        if (axis != "nodes")
        {
            parts.Add($"{point.Nodes} nodes");
        }

        if (axis != "bytes")
        {
            parts.Add($"{point.Bytes} B");
        }

        return string.Join(' ', parts);
    }

    private static double Scale(int value, bool logarithmic) => logarithmic ? Math.Log2(value) : value;

    private static double NiceCeiling(double value)
    {
        if (value <= 0)
        {
            return 1;
        }

        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (double step in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (step * magnitude >= value)
            {
                return step * magnitude;
            }
        }

        return 10 * magnitude;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
