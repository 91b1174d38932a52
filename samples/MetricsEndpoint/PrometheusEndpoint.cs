using OpenTelemetry;
using OpenTelemetry.Metrics;

/// <summary>docs/observability.md's wiring: the Collectives meter on the OpenTelemetry Prometheus HTTP listener.</summary>
internal static class PrometheusEndpoint
{
    /// <summary>Serves <c>http://&lt;any interface&gt;:<paramref name="port"/>/metrics</c> until the provider is disposed.</summary>
    public static MeterProvider Start(int port)
        => Sdk.CreateMeterProviderBuilder()
            .AddMeter("Collectives")
            .AddPrometheusHttpListener(options =>
            {
                options.Port = port;
                options.ConfigureHttpListener = static (options, listener) =>
                {
                    // Every interface, so that Prometheus can scrape the pod from outside.
                    listener.Prefixes.Clear();
                    listener.Prefixes.Add($"http://+:{options.Port}/metrics/");
                };
            })
            .Build();
}
