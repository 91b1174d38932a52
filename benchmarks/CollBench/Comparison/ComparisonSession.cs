namespace Collectives.CollBench.Comparison;

/// <summary>
/// Measures every case on every side, round after round, rotating which side goes first so that
/// none always runs on the warmer (or noisier) machine; then pairs the points up.
/// </summary>
internal sealed class ComparisonSession(CompareSettings settings)
{
    private readonly PeerRunners _runners = new(settings);
    private readonly Dictionary<(ComparisonCase Case, long Bytes), Dictionary<string, List<double>>> _figures = [];

    /// <summary>What went wrong in runs that produced no figures, for the report.</summary>
    public List<string> Failures { get; } = [];

    /// <summary>Number of program runs <see cref="RunAsync"/> makes, for progress.</summary>
    public int RunCount => settings.Rounds * settings.Cases.Sum(item => Sides(item).Count);

    public async Task<List<ComparedPoint>> RunAsync(Action<string> onRun, CancellationToken cancellationToken)
    {
        for (int round = 0; round < settings.Rounds; round++)
        {
            foreach (ComparisonCase item in settings.Cases)
            {
                List<ComparisonSide> sides = Sides(item);
                for (int turn = 0; turn < sides.Count; turn++)
                {
                    ComparisonSide side = sides[(round + turn) % sides.Count];
                    string run = $"round {round + 1}/{settings.Rounds}: {item} {side.Name}";
                    try
                    {
                        Record(item, side, await _runners.RunAsync(item, side, cancellationToken).ConfigureAwait(false));
                    }
                    catch (Exception exception) when (exception is InvalidOperationException or FormatException or IOException)
                    {
                        // One failing configuration (say, a transport this build lacks) leaves
                        // its cells empty; the rest of the session is still worth having.
                        Failures.Add($"{run}: {exception.Message}");
                        run += " FAILED";
                    }

                    onRun(run);
                }
            }
        }

        return [.. _figures.Select(entry => new ComparedPoint(
                entry.Key.Case, entry.Key.Bytes, entry.Value.ToDictionary(side => side.Key, side => (IReadOnlyList<double>)side.Value)))
            .OrderBy(p => p.Case.Collective, StringComparer.Ordinal)
            .ThenBy(p => p.Case.Transport, StringComparer.Ordinal)
            .ThenBy(p => p.Case.Ranks)
            .ThenBy(p => p.Bytes)];
    }

    /// <summary>The sides that can measure a case (Gloo sits out shared-memory cases).</summary>
    private List<ComparisonSide> Sides(ComparisonCase item) => [.. settings.Sides.Where(side => side.AppliesTo(item))];

    private void Record(ComparisonCase item, ComparisonSide side, List<MeasuredPoint> points)
    {
        foreach (MeasuredPoint point in points.Where(p => p.Collective == item.Collective))
        {
            if (!_figures.TryGetValue((item, point.Bytes), out var figures))
            {
                figures = [];
                _figures[(item, point.Bytes)] = figures;
            }

            if (!figures.TryGetValue(side.Name, out var values))
            {
                values = [];
                figures[side.Name] = values;
            }

            values.Add(point.MaxUs);
        }
    }
}
