namespace Collectives.Tests.MultiProcess;

/// <summary>What one rank process reported: its "RESULT rank outcome detail" line and exit code.</summary>
/// <param name="Rank">The rank.</param>
/// <param name="Outcome">OK, or the name of the exception type it ended with; null if it printed no result.</param>
/// <param name="Detail">The rest of the line (a summary or the exception message).</param>
/// <param name="ExitCode">The process's exit code.</param>
internal sealed record RankReport(int Rank, string? Outcome, string Detail, int ExitCode)
{
    public override string ToString() => $"rank {Rank}: exit {ExitCode}, {Outcome ?? "no result"} {Detail}";
}
