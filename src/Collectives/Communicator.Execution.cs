using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Collectives.Algorithms;
using Collectives.Algorithms.NodeAware;
using Collectives.Algorithms.SharedMemory;
using Collectives.Catalog;
using Collectives.Diagnostics;
using Collectives.Execution;
using Collectives.Execution.Pooling;
using Collectives.Offload;
using Collectives.Transport;
using Microsoft.Extensions.Logging;

namespace Collectives;

public sealed partial class Communicator
{
    /// <summary>The shared-memory barrier: the one window step that verifies a message algorithm's call.</summary>
    private static readonly CollectiveAlgorithm WindowVerification = AlgorithmCatalog.Find(CollectiveKind.Barrier, (byte)BarrierAlgorithm.SharedMemory)!;

    /// <summary>
    /// Runs a planned call on the attached buffers, whatever its execution model: numbers and
    /// signs it, traces and counts it, bounds it in time, and turns any failure into the exception
    /// every rank throws. The one path every call takes (a call in the windows by
    /// <see cref="ExecuteInWindows"/>, which a blocking call enters directly).
    /// </summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private async ValueTask ExecuteAsync(CollectiveCall call, CancellationToken cancellationToken)
    {
        if (call.Algorithm.Model == ExecutionModel.Windows)
        {
            ExecuteInWindows(call, cancellationToken);
            return;
        }

        long start = Stopwatch.GetTimestamp();
        CollectiveSignature signature = NextSignature(call);
        Activity? activity = BeginRecording(call, signature, start);
        string? errorType = null;
        try
        {
            CancellationToken callToken = _timer.Arm(_options.Timeout, cancellationToken);
            try
            {
                await (call.Algorithm.Model == ExecutionModel.Offload
                    ? RunOffloadedAsync(call, signature, callToken, cancellationToken)
                    : RunMessagesAsync(call, signature, start, callToken, cancellationToken)).ConfigureAwait(false);
            }
            finally
            {
                _timer.Disarm();
            }
        }
        catch (Exception exception)
        {
            ExceptionDispatchInfo.Throw(Failed(exception, signature, cancellationToken, activity, out errorType));
        }
        finally
        {
            EndRecording(call, start, errorType, activity);
        }
    }

    /// <summary>
    /// <see cref="ExecuteAsync"/> for a call whose algorithm works in the shared-memory windows:
    /// nothing to wait for but other ranks' memory writes, so this thread runs the call to its end,
    /// against a deadline checked while it waits; no timer is armed and no state machine or
    /// waiter is needed (a small call's whole cost is a few hundred nanoseconds).
    /// </summary>
    private void ExecuteInWindows(in CollectiveCall call, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        CollectiveSignature signature = NextSignature(call);
        Activity? activity = BeginRecording(call, signature, start);
        string? errorType = null;
        try
        {
            RunInWindows(call, signature, call.Algorithm, call.Verification == CallVerification.ByAlgorithm, start, cancellationToken);
        }
        catch (Exception exception)
        {
            ExceptionDispatchInfo.Throw(Failed(exception, signature, cancellationToken, activity, out errorType));
        }
        finally
        {
            EndRecording(call, start, errorType, activity);
        }
    }

    /// <summary>Runs a blocking call: one in the windows on this thread, any other through <see cref="ExecuteAsync"/> and the waiter.</summary>
    private void ExecuteBlocking(in CollectiveCall call)
    {
        if (call.Algorithm.Model == ExecutionModel.Windows)
        {
            ExecuteInWindows(call, CancellationToken.None);
        }
        else
        {
            _waiter.Wait(ExecuteAsync(call, CancellationToken.None));
        }
    }

    /// <summary>Enters a started call in the flight recorder, and starts its span and the timing of its waits; returns the span, if any.</summary>
    private Activity? BeginRecording(in CollectiveCall call, CollectiveSignature signature, long start)
    {
        _flights.Begin(signature, start);
        Activity? activity = StartActivity(call, signature);
        _waits.Begin(activity is not null || CollectivesTelemetry.WaitsObserved);
        return activity;
    }

    /// <summary>Marks a call completed in the flight recorder (unless it failed: <paramref name="errorType"/>), counts it, and ends its span.</summary>
    private void EndRecording(in CollectiveCall call, long start, string? errorType, Activity? activity)
    {
        if (errorType is null)
        {
            _flights.Complete();
        }

        Record(call, start, errorType, activity);
        activity?.Dispose();
    }

    /// <summary>The exception this rank throws for a call stopped by <paramref name="exception"/> (see <see cref="Fail"/>), marked on its span.</summary>
    private Exception Failed(Exception exception, CollectiveSignature signature, CancellationToken cancellationToken, Activity? activity, out string errorType)
    {
        Exception failure = Fail(exception, signature, cancellationToken, out errorType);
        MarkFailed(activity, failure, errorType);
        return failure;
    }

    /// <summary>Runs <paramref name="algorithm"/> in the shared-memory windows for the call, on this thread; its deadline counts from <paramref name="start"/>, the call's start.</summary>
    private void RunInWindows(in CollectiveCall call, CollectiveSignature signature, CollectiveAlgorithm algorithm, bool verify, long start, CancellationToken cancellationToken)
    {
        SharedMemoryContext shared = _shared!;
        shared.Begin(signature, call.Kernel, verify, _options.Timeout, start, cancellationToken);
        try
        {
            algorithm.Run(shared, call, _send.Memory.Span, _receive.Memory.Span);
        }
        finally
        {
            shared.End();
        }
    }

    /// <summary>Verifies the call as <see cref="CollectiveCall.Verification"/> says, then runs its message algorithm.</summary>
    private ValueTask RunMessagesAsync(CollectiveCall call, CollectiveSignature signature, long start, CancellationToken callToken, CancellationToken cancellationToken)
    {
        _context.Begin(signature, call.Kernel, call.ElementSize, _options.Timeout, callToken, cancellationToken);
        switch (call.Verification)
        {
            case CallVerification.WindowStep:
                RunInWindows(call, signature, WindowVerification, verify: true, start, cancellationToken);
                break;
            case CallVerification.DisseminationRound:
                return VerifyThenRunAsync(call);
            case CallVerification.SignatureExchange:
                return SignatureExchange.RunAsync(_context, call, _send.Memory, _receive.Memory);
            case CallVerification.HostLeadersBarrier:
                return VerifyByHostLeadersThenRunAsync(call);
        }

        return call.Algorithm.RunAsync(_context, call, _send.Memory, _receive.Memory);
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private async ValueTask VerifyThenRunAsync(CollectiveCall call)
    {
        await DisseminationBarrier.VerifyAsync(_context).ConfigureAwait(false);
        await call.Algorithm.RunAsync(_context, call, _send.Memory, _receive.Memory).ConfigureAwait(false);
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private async ValueTask VerifyByHostLeadersThenRunAsync(CollectiveCall call)
    {
        await NodeLeadersBarrier.VerifyAsync(_context, call).ConfigureAwait(false);
        await call.Algorithm.RunAsync(_context, call, _send.Memory, _receive.Memory).ConfigureAwait(false);
    }

    /// <summary>Hands the call to the offload engine; a timeout names the rank the engine was waiting for.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private async ValueTask RunOffloadedAsync(CollectiveCall call, CollectiveSignature signature, CancellationToken callToken, CancellationToken cancellationToken)
    {
        var request = new OffloadRequest(call.Kind, call.Op, call.DataType, call.Count, call.Root, signature.Sequence);
        try
        {
            await _offload!.RunAsync(request, _send.Memory, _receive.Memory, callToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_timer.Fired && !cancellationToken.IsCancellationRequested)
        {
            throw new CollectiveTimeoutException(Rank, _offload!.WaitingFor, _options.Timeout, signature);
        }
    }

    /// <summary>
    /// Turns whatever stopped a call into the exception this rank throws, and tells every other
    /// rank (by aborting the transport), passing on another rank's abort too. The
    /// flight recorder marks the call failed; a timeout or mismatch carries the recent calls, and
    /// the log and the flight-record file (under collrun) get them whatever the failure.
    /// </summary>
    private Exception Fail(Exception exception, CollectiveSignature signature, CancellationToken cancellationToken, out string errorType)
    {
        Exception failure = BreakOnFailure(exception, exception, signature, cancellationToken);
        errorType = CollectivesTelemetry.ErrorTypeOf(failure);
        IReadOnlyList<FlightRecord> recentCalls = RecordFailure(failure, errorType);
        _options.Logger.LogWarning(failure, "Rank {Rank} failed in {Signature}. Its last calls, oldest first:\n{RecentCalls}", Rank, signature, FlightRecorder.Format(recentCalls));
        return failure;
    }

    /// <summary>
    /// Breaks the communicator on every rank after a failed call: <paramref name="failure"/> (what
    /// this rank makes of <paramref name="cause"/>) becomes the peer's notice when another rank
    /// aborted, or names the call when the caller cancelled it; this rank aborts the transport so
    /// the others learn of it (an abort it heard of, it passes on).
    /// </summary>
    private Exception BreakOnFailure(Exception cause, Exception failure, CollectiveSignature signature, CancellationToken cancellationToken)
    {
        bool cancelled = cause is OperationCanceledException && cancellationToken.IsCancellationRequested;
        failure = cause switch
        {
            PeerAbortedException aborted => AbortNotice.Decode(aborted),
            _ when cancelled => new OperationCanceledException($"Rank {Rank} cancelled {signature}; the communicator is broken on every rank.", cause, cancellationToken),
            _ => failure,
        };

        // Every failure is passed on, also one another rank told of: that rank may have died before
        // its notice reached every peer, and a rank of a node-aware call hears only from a few
        // (a host mate waiting for this rank would otherwise learn only that this rank went away).
        if (Volatile.Read(ref _disposed) == 0)
        {
            Exception notice = cancelled ? new ProtocolException($"Rank {Rank} cancelled {signature}.") : failure;
            _owner.Abort(AbortNotice.Encode(notice));
        }

        return failure;
    }

    /// <summary>Marks the current call failed in the flight recorder, and hands the recent calls to the failure and the flight-record file.</summary>
    private IReadOnlyList<FlightRecord> RecordFailure(Exception failure, string errorType)
    {
        int currentWait = _waits.CurrentWait;
        int peer = failure is CollectiveTimeoutException timeout && timeout.WaitingRank == Rank ? timeout.SilentRank
            : currentWait >= 0 ? currentWait
            : -1;
        _flights.Fail(errorType, peer);
        FlightRecord[] recentCalls = _flights.Snapshot(currentWait);
        switch (failure)
        {
            case CollectiveTimeoutException timedOut:
                timedOut.RecentCalls = recentCalls;
                break;
            case CollectiveMismatchException mismatch:
                mismatch.RecentCalls = recentCalls;
                break;
        }

        _dumps?.Write(recentCalls);
        return recentCalls;
    }
}
