using System.Text.RegularExpressions;
using Collectives.Tests.Shared.Network;

namespace Collectives.Tests.Samples;

/// <summary>
/// samples/MetricsEndpoint, run as two real rank processes: each serves Prometheus
/// <c>/metrics</c> on the base port plus its local rank while the ranks run collectives, and all
/// of them stop after the same round.
/// </summary>
[NonParallelizable]
[CancelAfter(120_000)]
public class MetricsEndpointSampleTests
{
    /// <summary>How long the ranks may take to start, join and run a first round on a loaded machine: not a claim about speed.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Test]
    public async Task Every_rank_serves_its_collectives_operations_on_the_base_port_plus_its_local_rank(CancellationToken cancellationToken)
    {
        int basePort = TestPorts.Free(count: 2);
        using SampleJob job = SampleJob.Start("MetricsEndpoint", 2, "--metrics-port", basePort.ToString(System.Globalization.CultureInfo.InvariantCulture));

        string[] scrapes = await Task.WhenAll(ScrapeOnceAllreducesAreCountedAsync(job, basePort, cancellationToken), ScrapeOnceAllreducesAreCountedAsync(job, basePort + 1, cancellationToken));

        Assert.That(scrapes, Has.All.Match("""(?m)^collectives_operations_total\{[^}]*collective="allreduce"[^}]*\} [1-9]\d*$"""), job.Output);
    }

    [Test]
    public async Task With_rounds_every_rank_stops_after_the_same_round_and_exits_cleanly(CancellationToken cancellationToken)
    {
        int basePort = TestPorts.Free(count: 2);
        using SampleJob job = SampleJob.Start("MetricsEndpoint", 2, "--metrics-port", basePort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--rounds", "5", "--interval-ms", "0");
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(Patience);

        int[] exitCodes = await job.ExitCodesAsync(patience.Token);

        Assert.That(exitCodes, Is.EqualTo(new[] { 0, 0 }), job.Output);
        Assert.That(job.Output, Does.Contain("[0] rank 0: stopped after 5 rounds").And.Contain("[1] rank 1: stopped after 5 rounds"));
    }

    /// <summary>Scrapes <c>http://localhost:port/metrics</c> until it counts an Allreduce (the ranks take a while to start), then returns that scrape.</summary>
    private static async Task<string> ScrapeOnceAllreducesAreCountedAsync(SampleJob job, int port, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var metrics = new Uri($"http://localhost:{port}/metrics");
        DateTime giveUp = DateTime.UtcNow + Patience;
        while (true)
        {
            string? scrape = null;
            try
            {
                scrape = await client.GetStringAsync(metrics, cancellationToken);
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (scrape is not null && Regex.IsMatch(scrape, """collectives_operations_total\{[^}]*collective="allreduce"""))
            {
                return scrape;
            }

            if (job.AnyExited || DateTime.UtcNow > giveUp)
            {
                Assert.Fail($"{metrics} served no Allreduce count{(job.AnyExited ? " and a rank exited" : $" within {Patience.TotalSeconds} s")}; last scrape:\n{scrape}\nranks:\n{job.Output}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }
}
