namespace Collectives.Tests.MultiProcess;

/// <summary>
/// One multi-process job for <see cref="ProcessJob"/>: the ProcessWorker scenario every rank runs,
/// over which transport (COLLECTIVES_TRANSPORT: tcp, shm, auto or nic), with which collective
/// timeout (COLLECTIVES_TIMEOUT, also the connect timeout).
/// </summary>
/// <param name="Transport">COLLECTIVES_TRANSPORT for every rank.</param>
/// <param name="Size">Ranks in the job.</param>
/// <param name="Scenario">The ProcessWorker scenario.</param>
/// <param name="Timeout">The collective timeout.</param>
internal sealed record ProcessJobRun(string Transport, int Size, string Scenario, TimeSpan Timeout)
{
    /// <summary>The scenario's arguments.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The ranks started; null for all (a rank left out never joins).</summary>
    public IReadOnlyCollection<int>? StartedRanks { get; init; }

    /// <summary>How long the whole job may run before the test calls it hung.</summary>
    public TimeSpan Deadline { get; init; } = ProcessJob.JobDeadline;

    /// <summary>
    /// Ranks expected not to end on their own (stopped with SIGSTOP, or silent on purpose): once
    /// every other rank has ended, they are killed (SIGKILL) and reaped, so the job leaves no
    /// process behind.
    /// </summary>
    public IReadOnlyCollection<int> Lingering { get; init; } = [];

    /// <summary>Runs alongside the ranks (an intruder on the job's ports); the job is over when it and every rank are.</summary>
    public Func<RunningJob, Task>? Meanwhile { get; init; }
}
