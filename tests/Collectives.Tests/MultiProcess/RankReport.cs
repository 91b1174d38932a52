using System.Diagnostics;

namespace Collectives.Tests.MultiProcess;

/// <summary>What one rank process reported: its "RESULT rank outcome detail" line and exit code.</summary>
/// <param name="Rank">The rank.</param>
/// <param name="Outcome">OK, or the name of the exception type it ended with; null if it printed no result.</param>
/// <param name="Detail">The rest of the line (a summary or the exception message).</param>
/// <param name="ExitCode">The process's exit code.</param>
internal sealed record RankReport(int Rank, string? Outcome, string Detail, int ExitCode)
{
    /// <summary>When the rank's process started running its program ("STARTED" line, a <see cref="Stopwatch"/> timestamp).</summary>
    public long? StartedAt { get; init; }

    /// <summary>When the rank faulted itself ("FAULT" line, a <see cref="Stopwatch"/> timestamp), if it did.</summary>
    public long? FaultedAt { get; init; }

    /// <summary>When the rank's scenario returned or threw ("ENDED" line, a <see cref="Stopwatch"/> timestamp), if it got that far.</summary>
    public long? EndedAt { get; init; }

    /// <summary>
    /// After a failure, the threads of the rank's process still runnable in nearly every sample of every
    /// window of 300 ms (up to six) once its communicator was disposed ("BUSY" line: count, then names); null if it
    /// printed none (it succeeded, or died first).
    /// </summary>
    public string? BusyThreads { get; init; }

    /// <summary>From <paramref name="since"/> (a <see cref="Stopwatch"/> timestamp) to this rank's end, if it ended.</summary>
    public TimeSpan? EndedAfter(long since) => EndedAt is { } ended ? Stopwatch.GetElapsedTime(since, ended) : null;

    /// <summary>The report of a ProcessWorker rank from its output (see ProcessWorker/Program.cs for the lines it prints).</summary>
    public static RankReport Parse(int rank, string output, string errors, int exitCode)
    {
        string[] lines = [.. output.Split('\n').Select(l => l.Trim())];
        string? line = lines.LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        RankReport report;
        if (line is null)
        {
            report = new RankReport(rank, null, output + errors, exitCode);
        }
        else
        {
            string[] parts = line.Split(' ', 4);
            report = new RankReport(rank, parts[2], parts.Length > 3 ? parts[3] : string.Empty, exitCode);
        }

        return report with
        {
            StartedAt = Timestamp(lines, "STARTED "),
            FaultedAt = Timestamp(lines, "FAULT "),
            EndedAt = Timestamp(lines, "ENDED "),
            BusyThreads = lines.LastOrDefault(l => l.StartsWith("BUSY ", StringComparison.Ordinal)) is { } busy ? busy.Split(' ', 3)[2] : null,
        };
    }

    public override string ToString() => $"rank {Rank}: exit {ExitCode}, {Outcome ?? "no result"} {Detail}{(BusyThreads is { } busy ? $" [busy threads: {busy}]" : string.Empty)}";

    /// <summary>The timestamp of the line "&lt;marker&gt;&lt;rank&gt; &lt;timestamp&gt;", if the rank printed one.</summary>
    private static long? Timestamp(string[] lines, string marker)
        => lines.LastOrDefault(l => l.StartsWith(marker, StringComparison.Ordinal)) is { } line
            ? long.Parse(line.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture)
            : null;
}
