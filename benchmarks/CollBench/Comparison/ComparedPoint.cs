namespace Collectives.CollBench.Comparison;

/// <summary>One (case, size) point with every round's figure from every side.</summary>
/// <param name="Case">The configuration.</param>
/// <param name="Bytes">Message size; 0 for barrier.</param>
/// <param name="Figures">Per side (<see cref="ComparisonSide.Name"/>), its max-over-ranks latency per round, µs.</param>
internal sealed record ComparedPoint(ComparisonCase Case, long Bytes, IReadOnlyDictionary<string, IReadOnlyList<double>> Figures)
{
    /// <summary>
    /// Above this max/min of a side's rounds, the machine changed under the measurement (another
    /// job, a frequency step) more than the libraries differ, so the cell's ratio is not to be trusted.
    /// </summary>
    public const double UnsteadySpread = 2;

    /// <summary>The median of a side's rounds; NaN when it has none (its runs failed).</summary>
    public double Median(string side) => Figures.TryGetValue(side, out var values) ? Median(values) : double.NaN;

    /// <summary>The fastest of a side's rounds; NaN when it has none.</summary>
    public double Min(string side) => Figures.TryGetValue(side, out var values) && values.Count > 0 ? values.Min() : double.NaN;

    /// <summary>The slowest of a side's rounds; NaN when it has none.</summary>
    public double Max(string side) => Figures.TryGetValue(side, out var values) && values.Count > 0 ? values.Max() : double.NaN;

    /// <summary>How many times slower a side's slowest round is than its fastest (1 when steady); NaN when it has none.</summary>
    public double Spread(string side) => Max(side) / Min(side);

    /// <summary>Whether a side's rounds differ by more than <see cref="UnsteadySpread"/> times.</summary>
    public bool IsUnsteady(string side) => Spread(side) > UnsteadySpread;

    /// <summary>The ratio of two sides' medians of the same session.</summary>
    public double Ratio(ComparisonRatio ratio) => Median(ratio.Numerator) / Median(ratio.Denominator);

    /// <summary>Rounds every side that applies to the case has a figure for.</summary>
    public int Rounds(IEnumerable<ComparisonSide> sides)
        => sides.Where(side => side.AppliesTo(Case)).Min(side => Figures.TryGetValue(side.Name, out var values) ? values.Count : 0);

    private static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        double[] sorted = [.. values.Order()];
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
