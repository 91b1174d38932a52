using System.Globalization;

/// <summary>The sample's command line: where to serve, how many rounds, how fast.</summary>
/// <param name="PortBase">Rank with local rank r serves on <c>PortBase + r</c>.</param>
/// <param name="Rounds">Rounds to run, or null to run until stopped.</param>
/// <param name="Interval">Pause between rounds.</param>
internal sealed record SampleSettings(int PortBase, long? Rounds, TimeSpan Interval)
{
    /// <summary>The port base when <c>--metrics-port</c> is not given (else 9464, the OpenTelemetry Prometheus exporter's port).</summary>
    public const string PortVariable = "METRICS_PORT";

    public const int DefaultPort = 9464;

    public const string Usage = "usage: MetricsEndpoint [--metrics-port <base, default $METRICS_PORT or 9464>] [--rounds <n, default until stopped>] [--interval-ms <ms, default 100>]";

    public static SampleSettings Parse(string[] args, Func<string, string?> environment)
    {
        string? port = environment(PortVariable);
        string? rounds = null;
        string interval = "100";
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : throw new FormatException($"'{args[i]}' needs a value.");
            switch (args[i])
            {
                case "--metrics-port":
                    port = value;
                    break;
                case "--rounds":
                    rounds = value;
                    break;
                case "--interval-ms":
                    interval = value;
                    break;
                default:
                    throw new FormatException($"'{args[i]}' is not an option.");
            }

            i++;
        }

        return new SampleSettings(
            port is null ? DefaultPort : Number(port, "the metrics port", 1, 65535),
            rounds is null ? null : Number(rounds, "--rounds", 1, long.MaxValue),
            TimeSpan.FromMilliseconds(Number(interval, "--interval-ms", 0, 3_600_000)));
    }

    /// <summary>The port of the rank with local rank <paramref name="localRank"/>.</summary>
    public int PortFor(int localRank)
        => PortBase + localRank <= 65535 ? PortBase + localRank
            : throw new ArgumentOutOfRangeException(nameof(localRank), localRank, $"Metrics port {PortBase} + local rank {localRank} is past 65535; pick a lower --metrics-port.");

    private static int Number(string text, string name, int min, int max) => (int)Number(text, name, min, (long)max);

    private static long Number(string text, string name, long min, long max)
        => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value >= min && value <= max
            ? value
            : throw new FormatException($"{name} is '{text}', not a whole number from {min} to {max}.");
}
