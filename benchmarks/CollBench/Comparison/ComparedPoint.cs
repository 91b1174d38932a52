namespace Collectives.CollBench.Comparison;

/// <summary>One (case, size) point with every round's figure from both sides.</summary>
/// <param name="Case">The configuration.</param>
/// <param name="Bytes">Message size; 0 for barrier.</param>
/// <param name="Ours">Collectives' max-over-ranks latency per round, µs.</param>
/// <param name="OpenMpi">Open MPI's max-over-ranks latency per round, µs.</param>
internal sealed record ComparedPoint(ComparisonCase Case, long Bytes, IReadOnlyList<double> Ours, IReadOnlyList<double> OpenMpi)
{
    public double OursMedian => Median(Ours);

    public double OpenMpiMedian => Median(OpenMpi);

    /// <summary>Ours over Open MPI's, medians of the same session; lower is better, 1.0 is parity.</summary>
    public double Ratio => OursMedian / OpenMpiMedian;

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
