namespace Collectives.Tests.MultiProcess;

/// <summary>A job <see cref="ProcessJob"/> ran to its end: every started rank's report, and when the job started.</summary>
/// <param name="Reports">One report per started rank, in the order they were started.</param>
/// <param name="StartedAt">When the first rank was started (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</param>
internal sealed record FinishedJob(RankReport[] Reports, long StartedAt);
