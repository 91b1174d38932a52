using System.Diagnostics;

namespace Collectives.Execution;

/// <summary>
/// How long this rank waited for its peers during one call: the sum of the time spent blocked in
/// receives and shared-memory steps, and the peer of the single longest wait. Measured only when
/// somebody listens (<see cref="Begin"/> says), so an unobserved call reads no clock for it.
/// One instance per communicator, shared by its message and window contexts, reset per call.
/// It also says whom the call waits for right now (<see cref="CurrentWait"/>), always: the flight
/// recorder reads it when a call fails or the process is asked to stop.
/// </summary>
internal sealed class WaitClock
{
    /// <summary><see cref="CurrentWait"/> when the call is not waiting.</summary>
    public const int NotWaiting = -2;

    /// <summary><see cref="CurrentWait"/> when the call waits for every rank (a shared-memory step).</summary>
    public const int AllRanks = -1;

    private int _currentWait = NotWaiting;

    /// <summary>The rank the current call waits for, <see cref="AllRanks"/>, or <see cref="NotWaiting"/>; read from any thread.</summary>
    public int CurrentWait => Volatile.Read(ref _currentWait);

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
        _currentWait = NotWaiting;
    }

    /// <summary>
    /// Starts a wait on <paramref name="peer"/> (<see cref="AllRanks"/> when it waits for all):
    /// returns a timestamp to pass to <see cref="Waited"/>, or 0 when waits are not measured.
    /// A wait that ends in an exception stays current, so a failure says whom it waited for.
    /// </summary>
    public long Start(int peer)
    {
        _currentWait = peer;
        return Enabled ? Stopwatch.GetTimestamp() : 0;
    }

    /// <summary>Ends the wait that began at <paramref name="start"/> (from <see cref="Start"/>) on <paramref name="peer"/> (-1 when unknown), and adds it up when measured.</summary>
    public void Waited(long start, int peer)
    {
        _currentWait = NotWaiting;
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
