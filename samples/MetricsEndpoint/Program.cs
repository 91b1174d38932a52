// Every rank serves Prometheus /metrics (the library's meter, through OpenTelemetry) on
// port base + its local rank while the ranks run collectives in a loop, until Ctrl-C or SIGTERM
// (or --rounds); then all of them stop after the same round. docs/observability.md says how
// Prometheus, or a Kubernetes PodMonitor, scrapes it.
// Run with: collrun -n 4 -- samples/MetricsEndpoint [--metrics-port 9464] [--rounds N] [--interval-ms 100]
using Collectives;
using Collectives.Bootstrap;
using OpenTelemetry.Metrics;

// collrun passes a separating "--" through.
args = args is ["--", .. var rest] ? rest : args;
SampleSettings settings;
try
{
    settings = SampleSettings.Parse(args, Environment.GetEnvironmentVariable);
}
catch (FormatException exception)
{
    Console.Error.WriteLine($"MetricsEndpoint: {exception.Message}");
    Console.Error.WriteLine(SampleSettings.Usage);
    return 2;
}

// The local rank is known before connecting, so the endpoint is up (and counts the connect's own
// Barrier) before the job starts. One rank per pod (Kubernetes) serves on the base port itself.
LaunchInfo launch = LaunchEnvironment.Detect();
int port = settings.PortFor(launch.LocalRank);
using MeterProvider metrics = PrometheusEndpoint.Start(port);
using var stop = new StopSignal();
await using Communicator comm = await Communicator.ConnectAsync(launch);
Console.WriteLine($"rank {comm.Rank}: serving http://localhost:{port}/metrics (every interface) while running collectives over {comm.TransportName}; Ctrl-C stops");

long rounds = await CollectiveLoop.RunAsync(comm, settings, stop);
Console.WriteLine($"rank {comm.Rank}: stopped after {rounds} rounds");
return 0;
