namespace Collectives.CollBench.Comparison;

/// <summary>
/// Measures every case on both sides, round after round, alternating which side goes first so
/// that neither always runs on the warmer (or noisier) machine; then pairs the points up.
/// </summary>
internal sealed class ComparisonSession(CompareSettings settings)
{
    private readonly PeerRunners _runners = new(settings);
    private readonly Dictionary<(ComparisonCase Case, long Bytes), (List<double> Ours, List<double> OpenMpi)> _figures = [];

    /// <summary>What went wrong in runs that produced no figures, for the report.</summary>
    public List<string> Failures { get; } = [];

    /// <summary>Number of program runs <see cref="RunAsync"/> makes, for progress.</summary>
    public int RunCount => settings.Rounds * settings.Cases.Count * 2;

    public async Task<List<ComparedPoint>> RunAsync(Action<string> onRun, CancellationToken cancellationToken)
    {
        for (int round = 0; round < settings.Rounds; round++)
        {
            foreach (ComparisonCase item in settings.Cases)
            {
                bool oursFirst = round % 2 == 0;
                for (int side = 0; side < 2; side++)
                {
                    bool ours = (side == 0) == oursFirst;
                    string run = $"round {round + 1}/{settings.Rounds}: {item} {(ours ? "collectives" : "openmpi")}";
                    try
                    {
                        List<MeasuredPoint> points = ours
                            ? await _runners.RunOursAsync(item, cancellationToken).ConfigureAwait(false)
                            : await _runners.RunOpenMpiAsync(item, cancellationToken).ConfigureAwait(false);
                        Record(item, points, ours);
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

        return [.. _figures.Select(entry => new ComparedPoint(entry.Key.Case, entry.Key.Bytes, entry.Value.Ours, entry.Value.OpenMpi))
            .OrderBy(p => p.Case.Collective, StringComparer.Ordinal)
            .ThenBy(p => p.Case.Transport, StringComparer.Ordinal)
            .ThenBy(p => p.Case.Ranks)
            .ThenBy(p => p.Bytes)];
    }

    private void Record(ComparisonCase item, List<MeasuredPoint> points, bool ours)
    {
        foreach (MeasuredPoint point in points.Where(p => p.Collective == item.Collective))
        {
            if (!_figures.TryGetValue((item, point.Bytes), out var figures))
            {
                figures = ([], []);
                _figures[(item, point.Bytes)] = figures;
            }

            (ours ? figures.Ours : figures.OpenMpi).Add(point.MaxUs);
        }
    }
}
