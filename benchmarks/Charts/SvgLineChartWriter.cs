using System.Globalization;
using System.Net;
using System.Text;

namespace Collectives.Charts;

/// <summary>
/// Renders a <see cref="LineChart"/> as SVG: base-10 logarithmic or linear (from zero) y axis,
/// base-2 logarithmic or linear x axis, one polyline with markers per series (each with its own
/// colour and dash pattern, see <see cref="SeriesStyle"/>), a translucent band where a series has
/// one, and a legend whose entries do not repeat the title or each other (see <see cref="LegendText"/>).
/// Hand-written: a line chart is little code, and the charting packages our sources serve either
/// are not SVG-first or bring native assets (ScottPlot: about 155 MB of SkiaSharp natives).
/// </summary>
public static class SvgLineChartWriter
{
    private const double PlotWidth = 640, PlotHeight = 400;
    private const double Left = 75, Top = 45, Bottom = 55, Height = Top + PlotHeight + Bottom;

    /// <summary>Rough width of one legend character at the 12 px font, to size the legend column.</summary>
    private const double LegendCharacterWidth = 7;

    /// <summary>Opacity of a series' band, so lines and other bands show through.</summary>
    private const double BandOpacity = 0.15;

    /// <summary>Writes <paramref name="chart"/> to <paramref name="path"/>, creating its folder.</summary>
    /// <param name="path">Destination file.</param>
    /// <param name="chart">What to draw.</param>
    /// <exception cref="ArgumentException">The chart has no point that can be drawn.</exception>
    public static void Write(string path, LineChart chart)
    {
        ArgumentNullException.ThrowIfNull(path);
        string svg = Render(chart);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, svg);
    }

    /// <summary>Returns the SVG text of <paramref name="chart"/>.</summary>
    /// <param name="chart">What to draw.</param>
    /// <returns>A complete SVG document.</returns>
    /// <exception cref="ArgumentException">The chart has no point that can be drawn.</exception>
    public static string Render(LineChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        bool Drawable(double px, double py) => (!chart.LogY || py > 0) && (!chart.LogX || px > 0) && double.IsFinite(px) && double.IsFinite(py);
        var drawable = chart.Series
            .Select(s => s with
            {
                Points = [.. s.Points.Where(p => Drawable(p.X, p.Y))],
                Band = s.Band is null ? null : [.. s.Band.Where(b => Drawable(b.X, b.Low) && Drawable(b.X, b.High))],
            })
            .ToList();
        var all = drawable.SelectMany(s => s.Points)
            .Concat(drawable.SelectMany(s => s.Band ?? []).SelectMany(b => new[] { (b.X, Y: b.Low), (b.X, Y: b.High) }))
            .ToList();
        if (all.Count == 0)
        {
            throw new ArgumentException($"Chart '{chart.Title}' has no finite point (positive, on a log axis) to draw.", nameof(chart));
        }

        Axis x = chart.LogX ? Axis.Log(all.Min(p => p.X), all.Max(p => p.X), 2) : Axis.Linear(all.Min(p => p.X), all.Max(p => p.X));
        Axis y = chart.LogY ? Axis.Log(all.Min(p => p.Y), all.Max(p => p.Y), 10) : Axis.Linear(Math.Min(0, all.Min(p => p.Y)), all.Max(p => p.Y));

        (string title, IReadOnlyList<string> legend) = LegendText.Shorten(chart.Title, [.. drawable.Select(s => s.Name)]);
        IReadOnlyList<SeriesStyle> styles = SeriesStyle.For(drawable);
        double width = Left + PlotWidth + 60 + (LegendCharacterWidth * legend.Max(name => name.Length));
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:F0}\" height=\"{Height}\" viewBox=\"0 0 {width:F0} {Height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Invariant($"<rect width=\"{width:F0}\" height=\"{Height}\" fill=\"white\"/>\n"));
        svg.Append(Invariant($"<text x=\"{Left + PlotWidth / 2}\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">{Escape(title)}</text>\n"));
        DrawGrid(svg, chart, x, y);
        for (int i = 0; i < drawable.Count; i++)
        {
            // Bands first, so no band covers a line.
            DrawBand(svg, drawable[i], styles[i], x, y);
        }

        for (int i = 0; i < drawable.Count; i++)
        {
            DrawSeries(svg, drawable[i], legend[i], styles[i], i, x, y);
        }

        svg.Append(Invariant($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{PlotWidth}\" height=\"{PlotHeight}\" fill=\"none\" stroke=\"black\"/>\n"));
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void DrawGrid(StringBuilder svg, LineChart chart, Axis x, Axis y)
    {
        foreach (double tick in x.Ticks(maxLabels: 12))
        {
            double px = Left + x.Fraction(tick) * PlotWidth;
            svg.Append(Invariant($"<line x1=\"{px:F1}\" y1=\"{Top}\" x2=\"{px:F1}\" y2=\"{Top + PlotHeight}\" stroke=\"#e0e0e0\"/>\n"));
            svg.Append(Invariant($"<text x=\"{px:F1}\" y=\"{Top + PlotHeight + 16}\" text-anchor=\"middle\">{Escape(chart.XTickFormat(tick))}</text>\n"));
        }

        foreach (double tick in y.Ticks(maxLabels: 10))
        {
            double py = Top + (1 - y.Fraction(tick)) * PlotHeight;
            svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{py:F1}\" x2=\"{Left + PlotWidth}\" y2=\"{py:F1}\" stroke=\"#e0e0e0\"/>\n"));
            svg.Append(Invariant($"<text x=\"{Left - 6}\" y=\"{py + 4:F1}\" text-anchor=\"end\">{Escape(chart.YTickFormat(tick))}</text>\n"));
        }

        svg.Append(Invariant($"<text x=\"{Left + PlotWidth / 2}\" y=\"{Height - 14}\" text-anchor=\"middle\">{Escape(chart.XLabel)}</text>\n"));
        svg.Append(Invariant($"<text x=\"18\" y=\"{Top + PlotHeight / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 18 {Top + PlotHeight / 2})\">{Escape(chart.YLabel)}</text>\n"));
    }

    private static void DrawBand(StringBuilder svg, ChartSeries series, SeriesStyle style, Axis x, Axis y)
    {
        if (series.Band is not { Count: > 1 } band)
        {
            return;
        }

        var ordered = band.OrderBy(b => b.X).ToList();
        IEnumerable<(double X, double Y)> outline = ordered.Select(b => (b.X, b.High)).Concat(ordered.AsEnumerable().Reverse().Select(b => (b.X, b.Low)));
        svg.Append(Invariant($"<polygon fill=\"{style.Colour}\" fill-opacity=\"{BandOpacity}\" stroke=\"none\" points=\""));
        svg.AppendJoin(' ', outline.Select(p => Invariant($"{Left + x.Fraction(p.X) * PlotWidth:F1},{Top + (1 - y.Fraction(p.Y)) * PlotHeight:F1}")));
        svg.Append("\"/>\n");
    }

    private static void DrawSeries(StringBuilder svg, ChartSeries series, string legend, SeriesStyle style, int index, Axis x, Axis y)
    {
        string colour = style.Colour;
        string dash = style.DashArray is { } pattern ? Invariant($" stroke-dasharray=\"{pattern}\"") : string.Empty;
        var points = series.Points.OrderBy(p => p.X)
            .Select(p => (X: Left + x.Fraction(p.X) * PlotWidth, Y: Top + (1 - y.Fraction(p.Y)) * PlotHeight))
            .ToList();
        if (points.Count > 1)
        {
            svg.Append(Invariant($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{dash} points=\""));
            svg.AppendJoin(' ', points.Select(p => Invariant($"{p.X:F1},{p.Y:F1}")));
            svg.Append("\"/>\n");
        }

        foreach ((double px, double py) in points)
        {
            svg.Append(Invariant($"<circle cx=\"{px:F1}\" cy=\"{py:F1}\" r=\"3\" fill=\"{colour}\"/>\n"));
        }

        double legendY = Top + 10 + index * 18;
        double legendX = Left + PlotWidth + 15;
        svg.Append(Invariant($"<line x1=\"{legendX}\" y1=\"{legendY}\" x2=\"{legendX + 22}\" y2=\"{legendY}\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/>\n"));
        svg.Append(Invariant($"<text x=\"{legendX + 28}\" y=\"{legendY + 4}\">{Escape(legend)}</text>\n"));
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Maps data values to [0, 1] along one axis and chooses its ticks.</summary>
    private readonly record struct Axis(double Min, double Max, double LogBase)
    {
        public static Axis Log(double min, double max, double logBase)
        {
            double low = Math.Pow(logBase, Math.Floor(Math.Log(min, logBase)));
            double high = Math.Pow(logBase, Math.Ceiling(Math.Log(max, logBase)));
            return new Axis(low, high > low ? high : low * logBase, logBase);
        }

        public static Axis Linear(double min, double max)
        {
            double step = NiceStep((max - min) / 8);
            double low = Math.Floor(min / step) * step;
            double high = Math.Ceiling(max / step) * step;
            return new Axis(low, high > low ? high : low + step, 0);
        }

        public double Fraction(double value) => LogBase > 0
            ? Math.Log(value / Min) / Math.Log(Max / Min)
            : (value - Min) / (Max - Min);

        public IEnumerable<double> Ticks(int maxLabels)
        {
            if (LogBase > 0)
            {
                int decades = (int)Math.Round(Math.Log(Max / Min, LogBase));
                int stride = Math.Max(1, (int)Math.Ceiling((decades + 1) / (double)maxLabels));
                for (int i = 0; i <= decades; i += stride)
                {
                    yield return Min * Math.Pow(LogBase, i);
                }

                yield break;
            }

            double step = NiceStep((Max - Min) / (maxLabels - 1));
            for (double tick = Min; tick <= Max + step / 2; tick += step)
            {
                yield return tick;
            }
        }

        private static double NiceStep(double rough)
        {
            if (!(rough > 0))
            {
                return 1;
            }

            double magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
            double normalized = rough / magnitude;
            return (normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10) * magnitude;
        }
    }
}
