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
    /// After a failure, the threads of the rank's process still runnable in nearly every sample of
    /// 300 ms once its communicator was disposed ("BUSY" line: count, then names); null if it
    /// printed none (it succeeded, or died first).
    /// </summary>
    public string? BusyThreads { get; init; }

    /// <summary>From <paramref name="since"/> (a <see cref="Stopwatch"/> timestamp) to this rank's end, if it ended.</summary>
    public TimeSpan? EndedAfter(long since) => EndedAt is { } ended ? Stopwatch.GetElapsedTime(since, ended) : null;

    public override string ToString() => $"rank {Rank}: exit {ExitCode}, {Outcome ?? "no result"} {Detail}{(BusyThreads is { } busy ? $" [busy threads: {busy}]" : string.Empty)}";
}
