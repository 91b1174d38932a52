using System.Runtime.CompilerServices;

namespace Collectives.Execution;

/// <summary>
/// An awaitable that resumes the awaiting method on a thread-pool thread, without allocating: one
/// instance per communicator (calls never overlap), queued to the pool as itself. An offload engine
/// completes its calls on its own thread; asynchronous callers hop off it so their code never
/// runs there (and never stalls the engine).
/// </summary>
internal sealed class ThreadPoolHop : ICriticalNotifyCompletion, IThreadPoolWorkItem
{
    private Action? _continuation;

    public bool IsCompleted => false;

    public ThreadPoolHop GetAwaiter() => this;

    public void GetResult()
    {
    }

    public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);

    public void UnsafeOnCompleted(Action continuation)
    {
        _continuation = continuation;
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    void IThreadPoolWorkItem.Execute()
    {
        Action continuation = _continuation!;
        _continuation = null;
        continuation();
    }
}
