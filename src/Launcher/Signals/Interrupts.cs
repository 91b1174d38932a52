namespace Collectives.Launcher.Signals;

/// <summary>
/// The stop requests collrun received (SIGINT from Ctrl-C, SIGTERM), as signal numbers. Program
/// wires the real signals in; tests raise them directly. A request that arrives before the job
/// subscribes (while a project builds, say) is kept and replayed, and also cancels
/// <see cref="Requested"/> so the build stops.
/// </summary>
internal sealed class Interrupts : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<int> _pending = [];
    private readonly CancellationTokenSource _requested = new();
    private Action<int>? _handler;

    /// <summary>Cancelled at the first request.</summary>
    public CancellationToken Requested => _requested.Token;

    /// <summary>Records a request for <paramref name="signal"/> (a Unix signal number).</summary>
    public void Raise(int signal)
    {
        Action<int>? handler;
        lock (_lock)
        {
            handler = _handler;
            if (handler is null)
            {
                _pending.Add(signal);
            }
        }

        handler?.Invoke(signal);
        _requested.Cancel();
    }

    /// <summary>Sends every request, past and future, to <paramref name="handler"/>.</summary>
    public void Subscribe(Action<int> handler)
    {
        int[] replay;
        lock (_lock)
        {
            _handler = handler;
            replay = [.. _pending];
            _pending.Clear();
        }

        foreach (int signal in replay)
        {
            handler(signal);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _requested.Dispose();
}
