namespace Collectives.Transport.Diagnostics;

/// <summary>
/// Rate-limits the log lines of refused connections, so that a local client that connects in a
/// loop cannot flood the log (collrun's stderr): the first <see cref="Burst"/> refusals of each
/// <see cref="Window"/> are logged one by one; later ones are only counted, and the count is
/// logged as one summary line when the window is over — at the first refusal after it (so a
/// flood gives one summary per window) or when the listener stops (<see cref="Flush"/>).
/// </summary>
internal sealed class RefusalThrottle
{
    /// <summary>Refusals logged one by one per window: 5.</summary>
    public const int DefaultBurst = 5;

    /// <summary>The length of a window: 10 seconds.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(10);

    private readonly Action<long, TimeSpan> _summarize;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private long _windowStart;
    private int _logged;
    private long _suppressed;

    /// <summary>Creates the throttle.</summary>
    /// <param name="summarize">Logs "refused <c>count</c> more connections in the last <c>span</c>".</param>
    /// <param name="clock">The time source (tests pass a fake one); null for the system's.</param>
    /// <param name="burst">Refusals logged one by one per window.</param>
    /// <param name="window">The length of a window.</param>
    public RefusalThrottle(Action<long, TimeSpan> summarize, TimeProvider? clock = null, int burst = DefaultBurst, TimeSpan? window = null)
    {
        _summarize = summarize;
        _clock = clock ?? TimeProvider.System;
        Burst = burst;
        Window = window ?? DefaultWindow;
        _windowStart = _clock.GetTimestamp();
    }

    /// <summary>Refusals logged one by one per window.</summary>
    public int Burst { get; }

    /// <summary>The length of a window.</summary>
    public TimeSpan Window { get; }

    /// <summary>Records one refusal: runs <paramref name="log"/> if it is among the first of its window, else counts it.</summary>
    /// <param name="log">Logs the refusal with its reason.</param>
    public void Refused(Action log)
    {
        long summarized;
        TimeSpan span;
        bool logThis;
        lock (_gate)
        {
            long now = _clock.GetTimestamp();
            (summarized, span) = _clock.GetElapsedTime(_windowStart, now) >= Window ? CloseWindow(now) : (0, TimeSpan.Zero);
            logThis = _logged < Burst;
            if (logThis)
            {
                _logged++;
            }
            else
            {
                _suppressed++;
            }
        }

        if (summarized > 0)
        {
            _summarize(summarized, span);
        }

        if (logThis)
        {
            log();
        }
    }

    /// <summary>Logs the summary of the refusals counted but not logged yet, if any (when the listener stops).</summary>
    public void Flush()
    {
        long summarized;
        TimeSpan span;
        lock (_gate)
        {
            (summarized, span) = CloseWindow(_clock.GetTimestamp());
        }

        if (summarized > 0)
        {
            _summarize(summarized, span);
        }
    }

    private (long Suppressed, TimeSpan Span) CloseWindow(long now)
    {
        (long Suppressed, TimeSpan Span) closed = (_suppressed, _clock.GetElapsedTime(_windowStart, now));
        _windowStart = now;
        _logged = 0;
        _suppressed = 0;
        return closed;
    }
}
