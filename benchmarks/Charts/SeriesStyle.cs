namespace Collectives.Charts;

/// <summary>
/// How one series is drawn: a colour and a dash pattern. Ten colours first; past them the same
/// colours come back with another dash pattern, so every series of a chart looks different (up to
/// 40 solid and 40 dashed series). Dashed series (<see cref="ChartSeries.Dashed"/>) take their
/// patterns from a set solid series never use, so the two families stay apart.
/// </summary>
/// <param name="Colour">The stroke and fill colour.</param>
/// <param name="DashArray">The SVG stroke-dasharray, or null for a solid line.</param>
internal sealed record SeriesStyle(string Colour, string? DashArray)
{
    private static readonly string[] Palette =
        ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>Patterns of solid series: solid first, then dotted and dash-dot variants that read as "solid family".</summary>
    private static readonly string?[] SolidPatterns = [null, "2 2", "8 2 2 2", "1 4"];

    /// <summary>Patterns of dashed series, none of them in <see cref="SolidPatterns"/>.</summary>
    private static readonly string[] DashedPatterns = ["6 3", "12 3 3 3", "12 6", "6 3 2 3 2 3"];

    /// <summary>The styles of <paramref name="series"/>, in order: each family counts through colours, then patterns.</summary>
    public static IReadOnlyList<SeriesStyle> For(IReadOnlyList<ChartSeries> series)
    {
        int solid = 0, dashed = 0;
        var styles = new List<SeriesStyle>(series.Count);
        foreach (ChartSeries line in series)
        {
            int index = line.Dashed ? dashed++ : solid++;
            string?[] patterns = line.Dashed ? DashedPatterns : SolidPatterns;
            styles.Add(new SeriesStyle(Palette[index % Palette.Length], patterns[(index / Palette.Length) % patterns.Length]));
        }

        return styles;
    }
}
