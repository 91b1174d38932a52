using System.Threading.Tasks.Sources;

namespace Collectives.Tests.Support;

/// <summary>
/// A dedicated thread that completes each <see cref="WaitAsync"/> once its awaiter has registered,
/// running the continuation on itself: an awaited operation that always yields and always resumes
/// on another thread, without allocating. It records its own allocation counter after each
/// completion so tests can check the resumed code allocates nothing either.
/// </summary>
/// <remarks>
/// Completing only after registration keeps the source's own completion-before-registration race
/// (which makes the core queue the continuation inside a new wrapper object) out of measurements
/// meant for the code under test. So the operation never completes unless it is awaited.
/// </remarks>
internal sealed class CompleterThread : IValueTaskSource, IDisposable
{
    private readonly SemaphoreSlim _requests = new(0);
    private readonly Thread _thread;

    // Not readonly: the core is a mutable struct.
    private ManualResetValueTaskSourceCore<bool> _core;
    private volatile bool _stopping;
    private long _completions;
    private long _allocatedBytes;

    public CompleterThread()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "completer" };
        _thread.Start();
    }

    /// <summary>Completions so far.</summary>
    public long Completions => Volatile.Read(ref _completions);

    /// <summary>An operation that this thread completes once awaited; await it before calling again.</summary>
    public ValueTask WaitAsync()
    {
        _core.Reset();
        return new ValueTask(this, _core.Version);
    }

    /// <summary>This thread's allocation counter once it has finished <paramref name="completions"/> completions.</summary>
    public long AllocatedBytesAfter(long completions)
    {
        var spin = default(SpinWait);
        while (Completions < completions)
        {
            spin.SpinOnce();
        }

        return Volatile.Read(ref _allocatedBytes);
    }

    public void Dispose()
    {
        _stopping = true;
        _requests.Release();
        _thread.Join();
        _requests.Dispose();
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        _core.OnCompleted(continuation, state, token, flags);
        _requests.Release();
    }

    private void Run()
    {
        while (true)
        {
            _requests.Wait();
            if (_stopping)
            {
                return;
            }

            // The continuation (and whatever it awaits next, if that is this thread again) runs here.
            _core.SetResult(true);
            Volatile.Write(ref _allocatedBytes, GC.GetAllocatedBytesForCurrentThread());
            Interlocked.Increment(ref _completions);
        }
    }
}
