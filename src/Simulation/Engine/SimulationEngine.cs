namespace Collectives.Simulation.Engine;

/// <summary>
/// A discrete-event engine: a virtual clock in nanoseconds and a queue of actions due at given
/// times. Runs on the thread that calls <see cref="Run"/>; everything it drives (ranks' algorithm
/// code included) runs inline on that thread, so a run is deterministic.
/// </summary>
/// <remarks>
/// Events due at the same time run in the order they were scheduled (a sequence number breaks
/// ties), never in an order that depends on hashing, threads or the queue's internals.
/// </remarks>
public sealed class SimulationEngine
{
    private readonly PriorityQueue<Action, (long Time, long Sequence)> _queue = new();
    private long _sequence;

    /// <summary>The current virtual time in nanoseconds: the time of the event being run, or of the last one.</summary>
    public long Now { get; private set; }

    /// <summary>Number of events run so far.</summary>
    public long EventsRun { get; private set; }

    /// <summary>Number of events waiting.</summary>
    public int Pending => _queue.Count;

    /// <summary>Schedules <paramref name="action"/> at virtual time <paramref name="time"/>.</summary>
    /// <param name="time">When it runs; not before <see cref="Now"/>.</param>
    /// <param name="action">What runs.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="time"/> is in the past.</exception>
    public void At(long time, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (time < Now)
        {
            throw new ArgumentOutOfRangeException(nameof(time), time, $"An event cannot be scheduled in the past (now is {Now} ns).");
        }

        _queue.Enqueue(action, (time, _sequence++));
    }

    /// <summary>Moves the clock forward to <paramref name="time"/> while nothing is pending (between experiments).</summary>
    /// <param name="time">The new time; not before <see cref="Now"/>.</param>
    public void AdvanceTo(long time)
    {
        if (_queue.Count != 0)
        {
            throw new InvalidOperationException($"The clock can only be moved while no event is pending; {_queue.Count} are.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(time, Now);
        Now = time;
    }

    /// <summary>Runs events in time order until none is left.</summary>
    public void Run()
    {
        while (_queue.TryDequeue(out Action? action, out (long Time, long Sequence) key))
        {
            Now = key.Time;
            EventsRun++;
            action();
        }
    }
}
