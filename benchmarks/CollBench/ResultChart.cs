using Collectives.Charts;

namespace Collectives.CollBench;

/// <summary>
/// The chart of one run: max-over-ranks latency against size, one line per algorithm, with a band
/// from the fastest to the slowest rank's average.
/// </summary>
internal static class ResultChart
{
    public static LineChart For(IReadOnlyList<PointResult> results, string transport, int ranks)
    {
        List<ChartSeries> series = [.. results.GroupBy(r => r.Config)
            .Select(g => new ChartSeries(g.Key, [.. g.OrderBy(r => r.Bytes).Select(r => ((double)r.Bytes, r.MaxUs))])
            {
                Band = [.. g.OrderBy(r => r.Bytes).Select(r => ((double)r.Bytes, r.MinUs, r.MaxUs))],
            })];
        return new LineChart($"{results[0].Collective}, {ranks} ranks over {transport}", "message size (bytes)", "latency (µs, max over ranks; band: min to max)", series)
        {
            XTickFormat = TickFormats.Bytes,
        };
    }
}
