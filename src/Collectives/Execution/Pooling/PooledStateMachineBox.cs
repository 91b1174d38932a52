using System.Runtime.CompilerServices;
using Microsoft.Extensions.ObjectPool;

namespace Collectives.Execution.Pooling;

/// <summary>
/// A reusable home for the state machine of one <see cref="PooledValueTaskMethodBuilder"/> method
/// while it waits: the state machine itself, the <see cref="ExecutionContext"/> to resume it under,
/// a cached <see cref="Action"/> that resumes it, and (from the base) its completion.
/// </summary>
/// <remarks>
/// <para>Boxes come from one bounded pool per state-machine type. The pool must tolerate a box
/// rented on one thread and returned on another, and several boxes of one type out at once: a
/// rank's call starts on the rank's thread, resumes on whichever thread completed its receive,
/// and its result is read (which returns the box) on yet another. The runtime's
/// <see cref="PoolingAsyncValueTaskMethodBuilder"/> caches one box per thread and one per core, so
/// that pattern mostly misses it and allocates; <see cref="DefaultObjectPool{T}"/> (one
/// interlocked slot plus a <see cref="System.Collections.Concurrent.ConcurrentQueue{T}"/> bounded by
/// a counter) has no thread affinity and does not allocate once its queue has grown.</para>
/// </remarks>
/// <typeparam name="TStateMachine">The compiler-generated state machine of one async method.</typeparam>
internal sealed class PooledStateMachineBox<TStateMachine> : PooledValueTaskBox
    where TStateMachine : IAsyncStateMachine
{
    private static readonly ObjectPool<PooledStateMachineBox<TStateMachine>> Pool =
        new DefaultObjectPool<PooledStateMachineBox<TStateMachine>>(new Policy(), MaximumRetainedPerType);

    // One delegate for all boxes of the type, so running under a context allocates nothing.
    private static readonly ContextCallback MoveNextCallback =
        static state => ((PooledStateMachineBox<TStateMachine>)state!).StateMachine!.MoveNext();

    private PooledStateMachineBox() => MoveNextAction = MoveNext;

    /// <summary>The method's state machine, copied in at its first incomplete await.</summary>
    /// <remarks>A field, not a property: the struct is resumed in place, never copied again.</remarks>
    public TStateMachine? StateMachine;

    /// <summary>The context captured at the latest await; null when flow was suppressed.</summary>
    public ExecutionContext? Context;

    /// <summary>Resumes the state machine; handed to every awaiter, created once per box.</summary>
    public Action MoveNextAction { get; }

    /// <summary>A box from the pool (or a new one), with no state machine yet.</summary>
    public static PooledStateMachineBox<TStateMachine> Rent() => Pool.Get();

    protected override void Recycle()
    {
        // Drop the references the state machine and context hold (buffers, the communicator,
        // AsyncLocal values) so a pooled box keeps nothing alive.
        StateMachine = default;
        Context = null;
        ResetCompletion();
        Pool.Return(this);
    }

    private void MoveNext()
    {
        // Read the context first: once MoveNext completes the method, the reader may recycle this
        // box and another call may claim it before this frame unwinds.
        ExecutionContext? context = Context;
        if (context is null)
        {
            StateMachine!.MoveNext();
        }
        else
        {
            // Run restores the thread's own context afterwards, so AsyncLocal values the method
            // sets do not leak into whatever runs next on this thread.
            ExecutionContext.Run(context, MoveNextCallback, this);
        }
    }

    private sealed class Policy : PooledObjectPolicy<PooledStateMachineBox<TStateMachine>>
    {
        public override PooledStateMachineBox<TStateMachine> Create() => new();

        // Recycle has already reset the box; every returned box is fit for reuse.
        public override bool Return(PooledStateMachineBox<TStateMachine> obj) => true;
    }
}
