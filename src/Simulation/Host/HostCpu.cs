namespace Collectives.Simulation.Host;

/// <summary>
/// One simulated host CPU: a timeline on which work runs one piece at a time, interrupted by OS
/// detours when noise is on. The rank's algorithm code runs inline at event times, and its own clock
/// (<see cref="BusyUntil"/>) may run ahead of the engine's: whatever it does next starts no earlier.
/// </summary>
internal sealed class HostCpu
{
    private readonly NoiseOptions _noise;
    private readonly Random? _random;
    private long _detourStart = long.MaxValue;

    public HostCpu(NoiseOptions noise, int seed)
    {
        _noise = noise;
        if (noise.Enabled)
        {
            _random = new Random(seed);
            _detourStart = NextGap();
        }
    }

    /// <summary>When the CPU has finished everything given to it so far.</summary>
    public long BusyUntil { get; private set; }

    /// <summary>Time lost to OS detours inside work so far, ns.</summary>
    public long NoiseNs { get; private set; }

    /// <summary>
    /// Runs <paramref name="duration"/> ns of work that can start at <paramref name="earliest"/>
    /// (and not before the CPU is free), stretched by any detour it meets.
    /// </summary>
    /// <returns>When the work ends.</returns>
    public long Run(long earliest, long duration)
    {
        long time = Math.Max(earliest, BusyUntil);
        long remaining = duration;
        while (true)
        {
            // Detours that ended before now no longer matter.
            while (_detourStart + _noise.DetourNs <= time)
            {
                _detourStart += _noise.DetourNs + NextGap();
            }

            if (_detourStart <= time)
            {
                // In a detour already: the work waits for it to end.
                NoiseNs += _detourStart + _noise.DetourNs - time;
                time = _detourStart + _noise.DetourNs;
                continue;
            }

            if (time + remaining <= _detourStart)
            {
                BusyUntil = time + remaining;
                return BusyUntil;
            }

            remaining -= _detourStart - time;
            time = _detourStart;
        }
    }

    /// <summary>Brings an idle CPU's clock to <paramref name="time"/> (the start of an experiment).</summary>
    public void IdleUntil(long time) => BusyUntil = Math.Max(BusyUntil, time);

    private long NextGap()
    {
        if (_random is null)
        {
            return long.MaxValue / 4;
        }

        // Exponential gaps: a Poisson process of detours. 1 - NextDouble() is in (0, 1], so the log is finite.
        return Math.Max(1, (long)(-Math.Log(1 - _random.NextDouble()) * _noise.MeanIntervalNs));
    }
}
