using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Collectives.Tests.Support;
using OpenTelemetry.Metrics;
using Collectives.Tests.Shared.Network;

namespace Collectives.Tests.Diagnostics;

/// <summary>
/// docs/observability.md's wiring, run: an OpenTelemetry MeterProvider with the <c>Collectives</c>
/// meter and the Prometheus HTTP listener serves the library's instruments on <c>/metrics</c>,
/// with the duration histogram in the buckets the library advises.
/// </summary>
[NonParallelizable]
[CancelAfter(60_000)]
public class PrometheusExportTests
{
    [Test]
    public async Task After_a_local_Allreduce_metrics_serves_collectives_operations_by_collective_and_size()
    {
        string scrape = await ScrapeAfterAllreduceAsync();

        Assert.That(scrape, Does.Match("""(?m)^collectives_operations_total\{[^}]*collective="allreduce"[^}]*collectives_message_size="<=1KiB"[^}]*\} 2$"""));
    }

    [Test]
    public async Task The_duration_histogram_is_served_in_the_advised_buckets()
    {
        string scrape = await ScrapeAfterAllreduceAsync();

        Assert.That(scrape, Does.Match("""(?m)^collectives_operation_duration_seconds_bucket\{[^}]*collective="allreduce"[^}]*le="1E-06"\} \d+$""")
            .And.Match("""(?m)^collectives_operation_duration_seconds_bucket\{[^}]*collective="allreduce"[^}]*le="10"\} 2$"""));
    }

    [Test]
    public async Task Every_series_the_grafana_dashboard_queries_is_served()
    {
        string scrape = await ScrapeAfterAllreduceAsync(alsoMismatch: true);
        using JsonDocument dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root(), "docs", "grafana", "collectives-dashboard.json")));

        string[] queried = [.. dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray())
            .SelectMany(target => Regex.Matches(target.GetProperty("expr").GetString()!, @"\bcollectives_[a-z_]+(?=\{|\[)").Select(match => match.Value))
            .Distinct()
            .Order(StringComparer.Ordinal)];

        Assert.That(queried, Is.EqualTo(new[]
        {
            "collectives_bytes_total", "collectives_failures_total", "collectives_operation_duration_seconds_bucket", "collectives_operations_total",
            "collectives_wait_duration_seconds_bucket", "collectives_wait_peer_time_seconds_total",
        }));
        Assert.That(queried, Has.All.Matches<string>(series => scrape.Contains($"\n{series}{{", StringComparison.Ordinal)));
    }

    /// <summary>Serves the metrics, runs a 2-rank Allreduce of 250 floats (and, when asked, a mismatched one), and scrapes.</summary>
    private static async Task<string> ScrapeAfterAllreduceAsync(bool alsoMismatch = false)
    {
        int port = TestPorts.Free();

        // docs/observability.md's snippet, as samples/MetricsEndpoint serves it (its file is compiled in here), on a free port instead of 9464.
        using MeterProvider metrics = PrometheusEndpoint.Start(port);

        LocalJob.Run(2, null, communicator => communicator.Allreduce(new float[250].AsSpan(), ReduceOp.Sum));
        if (alsoMismatch)
        {
            LocalJob.RunCollectingFailures(2, new CommunicatorOptions { Timeout = TimeSpan.FromSeconds(2) },
                communicator => communicator.Allreduce(new int[communicator.Rank + 1].AsSpan(), ReduceOp.Sum));
        }

        using var client = new HttpClient();
        string scrape = await client.GetStringAsync(new Uri($"http://localhost:{port}/metrics"));
        await TestContext.Out.WriteLineAsync(scrape);
        return scrape;
    }
}
