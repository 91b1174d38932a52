using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace Collectives.Execution.Pooling;

/// <summary>
/// Async method builder for <see cref="ValueTask"/> methods whose waiting state lives in pooled,
/// reusable boxes (<see cref="PooledStateMachineBox{TStateMachine}"/>), so a call in steady state
/// allocates nothing however its awaits complete. Apply it with
/// <c>[AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]</c>.
/// </summary>
/// <remarks>
/// <para>Same contract as the runtime's builders: a method that completes synchronously returns a
/// completed <see cref="ValueTask"/> without touching the pool; one that awaits something
/// incomplete rents a box at that first await and the box is returned when the caller reads the
/// result. As with every pooled <see cref="ValueTask"/>, await the result exactly once.</para>
/// <para>Only the non-generic form exists because the library has no <c>async ValueTask&lt;T&gt;</c>
/// methods; add a generic twin (the box's core already carries a result) when one appears.</para>
/// </remarks>
[StructLayout(LayoutKind.Auto)]
internal struct PooledValueTaskMethodBuilder
{
    // Null while the method runs synchronously and after it completed synchronously with success;
    // the pooled box from the first incomplete await on; or a one-off failed box when the method
    // threw before any await.
    private PooledValueTaskBox? _box;

    /// <summary>The method's result: completed when it ran to completion synchronously, else over its box.</summary>
    public readonly ValueTask Task => _box is { } box ? new ValueTask(box, box.Version) : default;

    public static PooledValueTaskMethodBuilder Create() => default;

    /// <summary>Runs the method up to its first incomplete await (or to its end).</summary>
    /// <remarks>
    /// The caller's <see cref="ExecutionContext"/> and <see cref="SynchronizationContext"/> are put
    /// back afterwards, so AsyncLocal values (such as <see cref="System.Diagnostics.Activity.Current"/>,
    /// which <c>Communicator.ExecuteAsync</c> sets) assigned in the synchronous part do not leak to
    /// the caller. The runtime compares thread fields it keeps internal; <see cref="ExecutionContext.Capture"/>
    /// returns the same object until something changes the context, so comparing captures is the
    /// public equivalent. When the caller suppressed flow, Capture returns null and there is nothing
    /// to compare against; then the method's changes are not undone, a documented limit.
    /// </remarks>
    public readonly void Start<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine
    {
        if (stateMachine is null)
        {
            throw new ArgumentNullException(nameof(stateMachine));
        }

        ExecutionContext? callerContext = ExecutionContext.Capture();
        SynchronizationContext? callerSynchronizationContext = SynchronizationContext.Current;
        try
        {
            stateMachine.MoveNext();
        }
        finally
        {
            if (SynchronizationContext.Current != callerSynchronizationContext)
            {
                SynchronizationContext.SetSynchronizationContext(callerSynchronizationContext);
            }

            if (callerContext is not null && ExecutionContext.Capture() != callerContext)
            {
                ExecutionContext.Restore(callerContext);
            }
        }
    }

    /// <summary>Nothing to do: the box holds the state machine by value and resumes it itself.</summary>
    public readonly void SetStateMachine(IAsyncStateMachine stateMachine) => ArgumentNullException.ThrowIfNull(stateMachine);

    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion
        where TStateMachine : IAsyncStateMachine
    {
        PooledStateMachineBox<TStateMachine> box = BoxFor(ref stateMachine);
        try
        {
            awaiter.OnCompleted(box.MoveNextAction);
        }
        catch (Exception exception)
        {
            ThrowOnThreadPool(exception);
        }
    }

    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion
        where TStateMachine : IAsyncStateMachine
    {
        PooledStateMachineBox<TStateMachine> box = BoxFor(ref stateMachine);
        try
        {
            awaiter.UnsafeOnCompleted(box.MoveNextAction);
        }
        catch (Exception exception)
        {
            ThrowOnThreadPool(exception);
        }
    }

    public readonly void SetResult()
    {
        // Without a box the method finished synchronously and Task already reports success.
        // Nothing may touch this builder after box.SetResult: the continuation it runs inline may
        // read the result, recycling the box (and the state machine this builder lives in).
        _box?.SetResult();
    }

    public void SetException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (_box is { } box)
        {
            box.SetException(exception);
            return;
        }

        // Failed before any incomplete await: a one-off box (allocating is fine on a failure) gives
        // exactly what the asynchronous path gives: the original exception object and stack, and
        // IsCanceled for an OperationCanceledException.
        var failed = new SynchronousFailure();
        failed.SetException(exception);
        _box = failed;
    }

    /// <summary>
    /// The box of this call: at the first incomplete await a rented one, into which the state
    /// machine is copied; later the same one. Either way it records the current context, which
    /// the continuation will run under.
    /// </summary>
    private PooledStateMachineBox<TStateMachine> BoxFor<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine
    {
        ExecutionContext? context = ExecutionContext.Capture();
        if (_box is PooledStateMachineBox<TStateMachine> existing)
        {
            // Already running from inside the box (this builder is the box's copy).
            existing.Context = context;
            return existing;
        }

        PooledStateMachineBox<TStateMachine> box = PooledStateMachineBox<TStateMachine>.Rent();

        // Order matters: the builder is part of the state machine, so it must know its box before
        // the copy; the copy is the one that resumes and later calls SetResult, and the original
        // (still on the caller's stack) reports Task from the same box.
        _box = box;
        box.StateMachine = stateMachine;
        box.Context = context;
        return box;
    }

    // As the runtime does: an awaiter that throws from OnCompleted may or may not have registered
    // the continuation, so neither resuming nor failing the method is safe; surface it loudly
    // instead of leaving a call hanging silently.
    private static void ThrowOnThreadPool(Exception exception)
        => ThreadPool.UnsafeQueueUserWorkItem(static failure => failure.Throw(), ExceptionDispatchInfo.Capture(exception), preferLocal: false);

    /// <summary>The box of a method that threw before it ever waited; never pooled.</summary>
    private sealed class SynchronousFailure : PooledValueTaskBox
    {
        // Not pooled: the failure stays readable, like a faulted Task.
        protected override void Recycle()
        {
        }
    }
}
