using System.Threading.Tasks.Sources;

namespace Collectives.Execution.Pooling;

/// <summary>
/// The object behind a <see cref="ValueTask"/> returned by a <see cref="PooledValueTaskMethodBuilder"/>
/// method that did not complete synchronously: the completion (result or exception, continuation,
/// version) of one call. Derived boxes also hold the method's state machine and go back to a pool
/// once the result has been read.
/// </summary>
/// <remarks>
/// <para>The outcome, version and status live in a <see cref="ManualResetValueTaskSourceCore{TResult}"/>.
/// The continuation does not: when an awaiter registers just after the method completed (it saw
/// the task pending, then the method finished on another thread), the core queues the continuation
/// to the thread pool inside a new wrapper object. With several calls in flight that race is common
/// (it showed up in most 200-call windows of the allocation test), and the runtime's own boxes
/// escape it only through internal hooks. So the box keeps the continuation itself and, in that
/// race, queues itself (<see cref="IThreadPoolWorkItem"/>), which allocates nothing.</para>
/// <para>Continuations run synchronously on the thread that completes the method, as in the
/// runtime's async-method boxes (the core's <c>RunContinuationsAsynchronously</c> = false): the
/// awaiter decides where it resumes, and the awaiters here are <c>ConfigureAwait(false)</c>
/// continuations of other state machines, cheapest inline. A continuation registered after
/// completion is never run inline, so a loop cannot dive down the stack.</para>
/// </remarks>
internal abstract class PooledValueTaskBox : IValueTaskSource, IThreadPoolWorkItem
{
    private const int NoContinuation = 0;
    private const int ContinuationRegistered = 1;
    private const int Completed = 2;

    // Not readonly: the core is a mutable struct whose methods must act on this field, not a copy.
    private ManualResetValueTaskSourceCore<bool> _core;
    private int _continuationState;
    private Action<object?>? _continuation;
    private object? _continuationArgument;
    private ExecutionContext? _continuationContext;
    private object? _schedulingContext;

    /// <summary>
    /// The most boxes each state-machine type keeps for reuse: 4 per logical processor, at least 16.
    /// </summary>
    /// <remarks>
    /// One rank has at most a handful of boxes of one type outstanding at once (SendReceive holds a
    /// send and a receive), and a process typically runs a few ranks per core (tests run 2-16 in
    /// process, real jobs one per process), so this covers steady state with room to spare. Boxes
    /// beyond it are dropped for the GC, which bounds the memory a burst can pin: a box is one
    /// state machine (a few hundred bytes) plus its delegate.
    /// </remarks>
    public static int MaximumRetainedPerType { get; } = Math.Max(16, 4 * Environment.ProcessorCount);

    /// <summary>The token of the current use; a <see cref="ValueTask"/> over this box carries it.</summary>
    public short Version => _core.Version;

    public void SetResult()
    {
        _core.SetResult(true);
        SignalCompletion();
    }

    public void SetException(Exception exception)
    {
        _core.SetException(exception);
        SignalCompletion();
    }

    /// <summary>
    /// The status of the use <paramref name="token"/> names. Pending until <see cref="SignalCompletion"/>
    /// has claimed the continuation state, although the core already holds the outcome.
    /// </summary>
    /// <remarks>
    /// The completing thread touches the box after the core completes (it swaps the continuation
    /// state, and may run the continuation). A reader that saw "done" earlier could read the result,
    /// recycle the box and let the next call register its continuation, which the late swap would
    /// then run while that call is still pending. So completion becomes visible only once the swap
    /// is done, and from then on the completing thread touches the box only to run a continuation
    /// that was registered before it, whose awaiter reads the result only from inside it.
    /// </remarks>
    public ValueTaskSourceStatus GetStatus(short token)
    {
        // Read the state first: Completed is written after the core completed, so the core's status
        // read after it is final. The core's read also rejects a stale token.
        bool signalled = Volatile.Read(ref _continuationState) == Completed;
        ValueTaskSourceStatus status = _core.GetStatus(token);
        return signalled ? status : ValueTaskSourceStatus.Pending;
    }

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        ArgumentNullException.ThrowIfNull(continuation);

        // Throws InvalidOperationException for a stale token.
        _core.GetStatus(token);

        // The same contexts the core would capture.
        if ((flags & ValueTaskSourceOnCompletedFlags.FlowExecutionContext) != 0)
        {
            _continuationContext = ExecutionContext.Capture();
        }

        if ((flags & ValueTaskSourceOnCompletedFlags.UseSchedulingContext) != 0)
        {
            SynchronizationContext? synchronizationContext = SynchronizationContext.Current;
            if (synchronizationContext is not null && synchronizationContext.GetType() != typeof(SynchronizationContext))
            {
                _schedulingContext = synchronizationContext;
            }
            else if (TaskScheduler.Current != TaskScheduler.Default)
            {
                _schedulingContext = TaskScheduler.Current;
            }
        }

        _continuation = continuation;
        _continuationArgument = state;

        // The interlocked exchange publishes the fields above to the completing thread.
        int previous = Interlocked.CompareExchange(ref _continuationState, ContinuationRegistered, NoContinuation);
        if (previous == NoContinuation)
        {
            return;
        }

        if (previous == ContinuationRegistered)
        {
            throw new InvalidOperationException("A continuation is already registered; a pooled ValueTask may be awaited only once.");
        }

        // Completed before the continuation arrived: run it from the thread pool, never inline.
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
    }

    public void GetResult(short token)
    {
        // A stale token (the result was already read and the box may serve another call by now)
        // or a read before completion is misuse; reject it before the finally below could hand a
        // box that still belongs to a running call back to the pool. GetStatus throws
        // InvalidOperationException for a stale token.
        if (GetStatus(token) == ValueTaskSourceStatus.Pending)
        {
            throw new InvalidOperationException("The operation has not completed yet; await the ValueTask instead of reading its result.");
        }

        try
        {
            _core.GetResult(token);
        }
        finally
        {
            // The one reader has its outcome (or its exception is on its way up): nobody may use
            // this token again, so the box can serve the next call.
            Recycle();
        }
    }

    /// <summary>Runs a continuation that was registered after completion (see <see cref="OnCompleted"/>).</summary>
    void IThreadPoolWorkItem.Execute() => InvokeContinuation();

    /// <summary>Prepares the box for its next use: bumps the version and forgets outcome and continuation.</summary>
    protected void ResetCompletion()
    {
        _continuation = null;
        _continuationArgument = null;
        _continuationContext = null;
        _schedulingContext = null;
        _continuationState = NoContinuation;
        _core.Reset();
    }

    /// <summary>Called once the result has been read: reset and return to the pool, or do nothing.</summary>
    protected abstract void Recycle();

    private void SignalCompletion()
    {
        if (Interlocked.Exchange(ref _continuationState, Completed) == ContinuationRegistered)
        {
            InvokeContinuation();
        }
    }

    // Every field is read before the continuation starts: it reads the result, which recycles the
    // box, and another call may claim it at once.
    private void InvokeContinuation()
    {
        switch (_schedulingContext)
        {
            case SynchronizationContext synchronizationContext:
                synchronizationContext.Post(InvokeCapturedContinuation, CaptureContinuation());
                return;

            case TaskScheduler scheduler:
                _ = Task.Factory.StartNew(InvokeCapturedContinuation, CaptureContinuation(), CancellationToken.None, TaskCreationOptions.DenyChildAttach, scheduler);
                return;
        }

        ExecutionContext? context = _continuationContext;
        if (context is null)
        {
            _continuation!(_continuationArgument);
        }
        else
        {
            ExecutionContext.Run(context, static box => ((PooledValueTaskBox)box!).InvokeInCurrentContext(), this);
        }
    }

    private void InvokeInCurrentContext() => _continuation!(_continuationArgument);

    // Only for captured scheduling contexts (UI threads and the like), which allocate anyway.
    private (Action<object?> Continuation, object? Argument, ExecutionContext? Context) CaptureContinuation()
        => (_continuation!, _continuationArgument, _continuationContext);

    private static void InvokeCapturedContinuation(object? state)
    {
        var (continuation, argument, context) = ((Action<object?>, object?, ExecutionContext?))state!;
        if (context is null)
        {
            continuation(argument);
        }
        else
        {
            ExecutionContext.Run(context, static pair =>
            {
                var (innerContinuation, innerArgument) = ((Action<object?>, object?))pair!;
                innerContinuation(innerArgument);
            }, (continuation, argument));
        }
    }
}
