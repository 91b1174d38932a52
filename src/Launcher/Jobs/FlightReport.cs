using System.Globalization;
using Collectives.Diagnostics;

namespace Collectives.Launcher.Jobs;

/// <summary>
/// What collrun prints when a job fails: every rank's last collective calls side by side, read
/// from the flight records the ranks wrote (on their failure, or when collrun stopped them),
/// so one sees at once which rank is where: the rank that never reached the call the others wait
/// in, or the one that called something else.
/// </summary>
internal static class FlightReport
{
    /// <summary>How many of the newest calls the table shows.</summary>
    public const int CallsShown = 8;

    /// <summary>
    /// The report's lines for the records in <paramref name="directory"/> of this collrun's
    /// <paramref name="ranks"/> of a <paramref name="size"/>-rank job; none when no rank wrote one.
    /// </summary>
    public static IReadOnlyList<string> For(string directory, int size, IEnumerable<int> ranks)
    {
        List<RankFlightRecord> records = [.. Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*.flight").Select(FlightRecordFile.Read).OfType<RankFlightRecord>()
            : []];

        // A rank holds one communicator of the job's size; others (a program's own smaller groups) are not the job's view.
        records = [.. records.Where(record => record.Size == size).GroupBy(record => record.Rank).Select(group => group.First()).OrderBy(record => record.Rank)];
        if (records.Count == 0)
        {
            return [];
        }

        ulong newest = records.Max(record => record.Calls.Count == 0 ? 0 : record.Calls[^1].Sequence);
        ulong oldest = newest > CallsShown ? newest - CallsShown + 1 : 1;
        var header = new List<string> { "call" };
        header.AddRange(records.Select(record => $"rank {record.Rank.ToString(CultureInfo.InvariantCulture)}"));
        var rows = new List<List<string>> { header };
        for (ulong sequence = oldest; sequence <= newest; sequence++)
        {
            rows.Add(Row(sequence, records));
        }

        var lines = new List<string> { "collrun: the ranks' last collective calls (flight records; '-' is a call the rank had not begun):" };
        lines.AddRange(Align(rows));
        int[] missing = [.. ranks.Where(rank => records.All(record => record.Rank != rank))];
        if (missing.Length > 0)
        {
            lines.Add($"  no record from rank {string.Join(", ", missing)}: it ended before it could write one (killed, or it never made a call).");
        }

        return lines;
    }

    /// <summary>One call: what the ranks agree it was, and each rank's state; a rank that called something else shows what.</summary>
    private static List<string> Row(ulong sequence, List<RankFlightRecord> records)
    {
        RecordedCall?[] calls = [.. records.Select(record => record.Calls.FirstOrDefault(call => call.Sequence == sequence))];
        string? common = calls.OfType<RecordedCall>().GroupBy(call => call.Call).OrderByDescending(group => group.Count()).FirstOrDefault()?.Key;
        var row = new List<string> { $"#{sequence.ToString(CultureInfo.InvariantCulture)} {common ?? "?"}" };
        foreach (RecordedCall? call in calls)
        {
            row.Add(call is null ? "-" : call.Call == common ? call.State : $"{call.State}: {call.Call}");
        }

        return row;
    }

    private static IEnumerable<string> Align(List<List<string>> rows)
    {
        int[] widths = [.. Enumerable.Range(0, rows[0].Count).Select(column => rows.Max(row => row[column].Length))];
        return rows.Select(row => "  " + string.Join("   ", row.Select((cell, column) => cell.PadRight(widths[column]))).TrimEnd());
    }
}
