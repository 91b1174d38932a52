namespace Collectives.Execution;

/// <summary>
/// The timer of a communicator's current call: its token fires when the call's timeout passes or
/// the caller cancels. One per communicator (calls never overlap), re-armed for every call without
/// allocating while no call has timed out.
/// </summary>
internal sealed class CallTimer : IDisposable
{
    private CancellationTokenSource _source = new();
    private CancellationTokenRegistration _caller;

    /// <summary>Whether the current call's token has fired (by the timeout or the caller).</summary>
    public bool Fired => _source.IsCancellationRequested;

    /// <summary>Starts timing a call; the token fires after <paramref name="timeout"/> or when <paramref name="caller"/> does.</summary>
    public CancellationToken Arm(TimeSpan timeout, CancellationToken caller)
    {
        _caller = caller.CanBeCanceled
            ? caller.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), _source)
            : default;
        _source.CancelAfter(timeout);
        return _source.Token;
    }

    /// <summary>Stops timing the call; a source that fired is replaced, since it cannot be reset.</summary>
    public void Disarm()
    {
        _caller.Dispose();
        _caller = default;
        if (!_source.TryReset())
        {
            _source.Dispose();
            _source = new CancellationTokenSource();
        }
    }

    public void Dispose() => _source.Dispose();
}
