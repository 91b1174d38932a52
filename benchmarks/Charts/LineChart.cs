namespace Collectives.Charts;

/// <summary>
/// A log-log line chart of a benchmark sweep (latency or completion time against message size or
/// node count), written as a self-contained SVG file by <see cref="SvgLineChartWriter"/>.
/// </summary>
/// <param name="Title">Heading above the plot.</param>
/// <param name="XLabel">Caption of the horizontal axis.</param>
/// <param name="YLabel">Caption of the vertical axis.</param>
/// <param name="Series">The lines to draw.</param>
public sealed record LineChart(string Title, string XLabel, string YLabel, IReadOnlyList<ChartSeries> Series)
{
    /// <summary>Formats a tick value on the horizontal axis; the default prints the number.</summary>
    public Func<double, string> XTickFormat { get; init; } = TickFormats.Number;

    /// <summary>Formats a tick value on the vertical axis; the default prints the number.</summary>
    public Func<double, string> YTickFormat { get; init; } = TickFormats.Number;

    /// <summary>Whether the horizontal axis is logarithmic (base 2 ticks), as for message sizes.</summary>
    public bool LogX { get; init; } = true;

    /// <summary>Whether the vertical axis is logarithmic (base 10 ticks), as for latencies spanning decades; otherwise it starts at zero.</summary>
    public bool LogY { get; init; } = true;
}
