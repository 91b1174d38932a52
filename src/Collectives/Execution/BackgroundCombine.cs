using System.Threading.Tasks.Sources;

namespace Collectives.Execution;

/// <summary>
/// The one combine a context has on the thread pool at a time (<see cref="CollectiveContext.CombineInBackground"/>),
/// reused for every segment and call: a work item and the awaitable of its end in one object, so
/// overlapping receives and combines allocates nothing per segment, as every steady-state call.
/// </summary>
internal sealed class BackgroundCombine(CollectiveContext context) : IThreadPoolWorkItem, IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _core;
    private ReadOnlyMemory<byte> _lower;
    private ReadOnlyMemory<byte> _higher;
    private Memory<byte> _destination;

    /// <summary>Queues <c>destination = lower op higher</c>; the caller awaits the result before it starts another.</summary>
    public ValueTask Start(ReadOnlyMemory<byte> lower, ReadOnlyMemory<byte> higher, Memory<byte> destination)
    {
        _core.Reset();
        _lower = lower;
        _higher = higher;
        _destination = destination;
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        return new ValueTask(this, _core.Version);
    }

    void IThreadPoolWorkItem.Execute()
    {
        try
        {
            context.Combine(_lower.Span, _higher.Span, _destination.Span);
            Release();
            _core.SetResult(true);
        }
        catch (Exception exception)
        {
            Release();
            _core.SetException(exception);
        }
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    // The caller's buffers are not held past the combine.
    private void Release()
    {
        _lower = default;
        _higher = default;
        _destination = default;
    }
}
