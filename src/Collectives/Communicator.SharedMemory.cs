using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Collectives.Algorithms.SharedMemory;
using Collectives.Diagnostics;
using Collectives.Execution;

namespace Collectives;

public sealed partial class Communicator
{
    /// <summary>
    /// Runs a call whose algorithm works in the shared-memory windows, synchronously on this
    /// thread (also for the async API: there is nothing to wait for but other ranks' memory
    /// writes). The timeout is a deadline checked while waiting, so no timer is armed per call.
    /// </summary>
    private void RunInWindows(in CollectiveCall call, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        CollectiveSignature signature = NextSignature(call);
        using Activity? activity = StartActivity(call, signature);
        SharedMemoryContext shared = _shared!;
        bool failed = false;
        try
        {
            shared.Begin(signature, call.Kernel, _options.VerifyCalls, _options.Timeout, cancellationToken);
            try
            {
                SharedMemoryDispatch.Run(shared, call, _send.Memory.Span, _receive.Memory.Span);
            }
            finally
            {
                shared.End();
            }
        }
        catch (Exception exception)
        {
            failed = true;
            Exception failure = Fail(exception, signature, cancellationToken);
            activity?.SetStatus(ActivityStatusCode.Error, failure.Message);
            ExceptionDispatchInfo.Throw(failure);
        }
        finally
        {
            Record(call, start, failed);
        }
    }

    /// <summary>Refuses a shared-memory algorithm on a communicator whose ranks do not share one segment.</summary>
    private void RequireWindowsFor(CollectiveKind kind, byte algorithm)
    {
        if (_shared is null && CollectiveNames.IsSharedMemory(kind, algorithm))
        {
            throw new NotSupportedException(
                $"The {CollectiveNames.Of(kind)} algorithm {CollectiveNames.Algorithm(kind, algorithm)} works in shared memory, but this communicator's ranks "
                + $"do not all share one shared-memory segment (its transport is {_transport.Name}); launch with --transport shm or auto on one host, or pick another algorithm.");
        }
    }
}
