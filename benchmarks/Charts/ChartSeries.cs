namespace Collectives.Charts;

/// <summary>One line of a chart: a name for the legend and its points, in x order.</summary>
/// <param name="Name">Legend text.</param>
/// <param name="Points">The (x, y) points; points with a non-positive coordinate on a log axis are left out.</param>
public sealed record ChartSeries(string Name, IReadOnlyList<(double X, double Y)> Points)
{
    /// <summary>Draws the line dashed, to set one family of lines (say, the offload path) apart.</summary>
    public bool Dashed { get; init; }

    /// <summary>
    /// A range around the line, such as the fastest and slowest rank at each x, drawn as a
    /// translucent band in the line's colour; null (the default) draws none.
    /// </summary>
    public IReadOnlyList<(double X, double Low, double High)>? Band { get; init; }
}
