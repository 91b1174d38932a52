using System.Globalization;
using Spectre.Console;

namespace Collectives.CollBench;

/// <summary>The console table of a run's results.</summary>
internal static class ResultTable
{
    public static void Write(IReadOnlyList<PointResult> results, string transport, int ranks)
    {
        var table = new Table()
            .Title(Markup.Escape($"{results[0].Collective}, {ranks} ranks, {transport}{WhatMoves(results[0].Collective)}"))
            .AddColumn(new TableColumn("bytes").RightAligned())
            .AddColumn("algorithm")
            .AddColumn(new TableColumn("avg µs").RightAligned())
            .AddColumn(new TableColumn("min µs").RightAligned())
            .AddColumn(new TableColumn("max µs").RightAligned())
            .AddColumn(new TableColumn("GB/s").RightAligned());
        foreach (PointResult r in results)
        {
            table.AddRow(
                r.Bytes.ToString("N0", CultureInfo.InvariantCulture),
                Markup.Escape(r.Algorithm),
                Micros(r.AvgUs),
                Micros(r.MinUs),
                Micros(r.MaxUs),
                r.Bytes == 0 ? "-" : Bandwidth(r.Gbps));
        }

        AnsiConsole.Write(table);
    }

    /// <summary>What the calls carry, as in Open MPI's anchor: float32 Sum, root 0 (barrier carries nothing).</summary>
    private static string WhatMoves(string collective) => collective switch
    {
        "allreduce" => ", float32 sum",
        "reduce" => ", float32 sum, root 0",
        "broadcast" => ", root 0",
        _ => string.Empty,
    };

    /// <summary>Four significant digits: small messages move well under 0.001 GB/s, which F3 would print as zero.</summary>
    private static string Bandwidth(double gbps) => gbps.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>Two decimals for small latencies, whole microseconds with separators for large ones.</summary>
    private static string Micros(double us)
        => us < 1000 ? us.ToString("F2", CultureInfo.InvariantCulture) : us.ToString("N0", CultureInfo.InvariantCulture);
}
