using System.Diagnostics;

namespace Collectives.Execution;

/// <summary>
/// How long this rank waited for its peers during one call: the sum of the time spent blocked in
/// receives and shared-memory steps, and the peer of the single longest wait. Measured only when
/// somebody listens (<see cref="Begin"/> says), so an unobserved call reads no clock for it.
/// One instance per communicator, shared by its message and window contexts, reset per call.
/// </summary>
internal sealed class WaitClock
{
    /// <summary>True while the current call's waits are being measured.</summary>
    public bool Enabled { get; private set; }

    /// <summary>Stopwatch ticks spent waiting in the current call.</summary>
    public long TotalTicks { get; private set; }

    /// <summary>Ticks of the longest single wait of the current call.</summary>
    public long LongestTicks { get; private set; }

    /// <summary>The rank of the longest single wait, or -1 when the call waited on no known rank.</summary>
    public int LongestPeer { get; private set; } = -1;

    /// <summary>Seconds spent waiting in the current call.</summary>
    public double TotalSeconds => (double)TotalTicks / Stopwatch.Frequency;

    /// <summary>Starts a call: forgets the last call's waits and measures this one's when <paramref name="enabled"/>.</summary>
    public void Begin(bool enabled)
    {
        Enabled = enabled;
        TotalTicks = 0;
        LongestTicks = 0;
        LongestPeer = -1;
    }

    /// <summary>A timestamp to pass to <see cref="Waited"/>, or 0 when waits are not measured.</summary>
    public long Start() => Enabled ? Stopwatch.GetTimestamp() : 0;

    /// <summary>Adds the wait that began at <paramref name="start"/> (from <see cref="Start"/>) on <paramref name="peer"/> (-1 when unknown).</summary>
    public void Waited(long start, int peer)
    {
        if (start == 0)
        {
            return;
        }

        long ticks = Stopwatch.GetTimestamp() - start;
        TotalTicks += ticks;
        if (ticks > LongestTicks)
        {
            LongestTicks = ticks;
            LongestPeer = peer;
        }
    }
}
