namespace Collectives.Simulation.Host;

/// <summary>
/// Operating-system noise on each host: at random moments (exponentially distributed gaps, so a
/// Poisson process, independent per host) the OS takes the CPU for a fixed time. Work the host was
/// doing, or was about to do, waits until the detour ends. Disabled when either value is 0.
/// </summary>
/// <param name="MeanIntervalNs">Mean time between detours on one host, ns; for example 1,000,000 (1 kHz, a timer tick).</param>
/// <param name="DetourNs">Length of each detour, ns; for example 25,000.</param>
public readonly record struct NoiseOptions(long MeanIntervalNs, long DetourNs)
{
    /// <summary>No noise.</summary>
    public static NoiseOptions None => default;

    /// <summary>Whether noise is on.</summary>
    public bool Enabled => MeanIntervalNs > 0 && DetourNs > 0;

    /// <summary>Fraction of the CPU the detours take on average.</summary>
    public double Fraction => Enabled ? (double)DetourNs / (MeanIntervalNs + DetourNs) : 0;
}
