namespace Collectives.Simulation;

/// <summary>The outcome of one experiment in virtual time.</summary>
/// <param name="StartNs">When every rank entered (t0).</param>
/// <param name="FinishNs">When each rank finished, index = rank.</param>
/// <param name="Events">Events the engine ran.</param>
/// <param name="Messages">Network messages sent.</param>
public sealed record SimulationRun(long StartNs, IReadOnlyList<long> FinishNs, long Events, long Messages)
{
    /// <summary>Completion time tc: from t0 until the last rank finished, ns.</summary>
    public long CompletionNs => FinishNs.Max() - StartNs;
}
