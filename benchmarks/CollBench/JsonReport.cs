using System.Text.Json;
using System.Text.Json.Serialization;

namespace Collectives.CollBench;

/// <summary>Writes a run as JSON: what was measured, on what, and every point.</summary>
internal static class JsonReport
{
    public static void Write(string path, BenchSettings settings, string transport, int ranks, IReadOnlyList<PointResult> results)
    {
        var report = new Report(
            "collectives",
            settings.Collective,
            transport,
            ranks,
            settings.VerifyCalls,
            settings.IterationsScale,
            settings.TimeBudget.TotalSeconds,
            Environment.MachineName,
            Environment.ProcessorCount,
            DateTimeOffset.UtcNow,
            [.. results.Select(r => new Point(r.Config, r.Algorithm, r.Bytes, r.Iterations, r.AvgUs, r.MinUs, r.MaxUs, r.Gbps))]);
        CsvReport.CreateDirectoryFor(path);
        File.WriteAllText(path, JsonSerializer.Serialize(report, ReportJsonContext.Default.Report));
    }

    internal sealed record Report(
        string Library,
        string Collective,
        string Transport,
        int Ranks,
        bool VerifyCalls,
        double IterationsScale,
        double TimeBudgetSeconds,
        string Machine,
        int ProcessorCount,
        DateTimeOffset Timestamp,
        IReadOnlyList<Point> Points);

    internal sealed record Point(string Config, string Algorithm, long Bytes, int Iterations, double AvgUs, double MinUs, double MaxUs, double Gbps);
}

/// <summary>Source-generated serializer, so the report needs no reflection.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(JsonReport.Report))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
