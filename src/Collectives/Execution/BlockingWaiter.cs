namespace Collectives.Execution;

/// <summary>
/// Blocks the calling thread until a <see cref="ValueTask"/> completes, without allocating: a
/// reusable event and a cached continuation (the synchronous API's bridge to the async algorithms).
/// </summary>
internal sealed class BlockingWaiter : IDisposable
{
    private readonly ManualResetEventSlim _completed = new(false, spinCount: 200);
    private readonly Action _signal;

    public BlockingWaiter() => _signal = _completed.Set;

    public void Wait(ValueTask task)
    {
        if (!task.IsCompleted)
        {
            _completed.Reset();
            task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_signal);
            _completed.Wait();
        }

        task.GetAwaiter().GetResult();
    }

    public void Dispose() => _completed.Dispose();
}
