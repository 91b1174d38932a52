using System.Threading.Tasks.Sources;

namespace Collectives.Tests.Support;

/// <summary>
/// An operation a test completes by hand, reusable and allocation-free: <see cref="WaitAsync"/>
/// arms it, <see cref="Complete"/> or <see cref="Fail"/> finish it and run the awaiting
/// continuation inline on the calling thread (like a transport completing a receive).
/// </summary>
internal sealed class ManualValueTaskSource : IValueTaskSource
{
    // Not readonly: the core is a mutable struct.
    private ManualResetValueTaskSourceCore<bool> _core;

    public ValueTask WaitAsync()
    {
        _core.Reset();
        return new ValueTask(this, _core.Version);
    }

    public void Complete() => _core.SetResult(true);

    public void Fail(Exception failure) => _core.SetException(failure);

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);
}
