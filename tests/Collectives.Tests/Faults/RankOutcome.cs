namespace Collectives.Tests.Faults;

/// <summary>What one rank of a <see cref="FaultJob"/> did: how many of its calls returned, and how the next one failed.</summary>
/// <param name="Rank">The rank.</param>
/// <param name="CompletedCalls">How many of the rank's calls returned normally.</param>
/// <param name="Failure">The exception of the first call that threw, or null when every call returned.</param>
/// <param name="Elapsed">Time from the start of the job until the rank finished or threw.</param>
internal sealed record RankOutcome(int Rank, int CompletedCalls, Exception? Failure, TimeSpan Elapsed)
{
    /// <summary>The 1-based number of the call that threw, or null.</summary>
    public int? FailedCall => Failure is null ? null : CompletedCalls + 1;

    public override string ToString() => Failure is null
        ? $"rank {Rank}: all {CompletedCalls} calls returned"
        : $"rank {Rank}: call {FailedCall} threw {Failure.GetType().Name}: {Failure.Message}";
}
