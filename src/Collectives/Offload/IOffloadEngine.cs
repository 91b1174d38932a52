namespace Collectives.Offload;

/// <summary>
/// Something that runs whole collectives for one rank off the host's thread, such as a NIC that
/// executes a reduction tree from triggered descriptors. A communicator configured with an offload
/// factory (<see cref="CommunicatorOptions.Offload"/>) hands it every call it supports and runs the
/// rest with its software algorithms. Calls come one at a time, in the same order on every rank.
/// </summary>
public interface IOffloadEngine : IAsyncDisposable
{
    /// <summary>Short name for metrics, for example <c>nic</c>.</summary>
    string Name { get; }

    /// <summary>
    /// The rank the current (or last failed) call was waiting for, or -1: read after a timeout to
    /// name the silent rank.
    /// </summary>
    int WaitingFor { get; }

    /// <summary>
    /// Whether the engine runs <paramref name="request"/> (its collective, operation, element type
    /// and size). Must give the same answer on every rank for the same call.
    /// </summary>
    /// <param name="request">The call.</param>
    /// <returns>Whether <see cref="RunAsync"/> may be given it.</returns>
    bool Supports(in OffloadRequest request);

    /// <summary>
    /// Runs the call: reads this rank's contribution from <paramref name="send"/> (the root's data,
    /// for Broadcast) and writes the result into <paramref name="receive"/> (on the ranks that get
    /// one). The result must be bitwise identical on every rank that gets it. The returned task
    /// completes when the result is written; the calling thread is free meanwhile. It may complete
    /// on the engine's own thread: the communicator runs only its own short bookkeeping there and
    /// moves asynchronous callers' continuations to the thread pool.
    /// </summary>
    /// <param name="request">A call for which <see cref="Supports"/> is true.</param>
    /// <param name="send">This rank's input bytes, pinned for the duration.</param>
    /// <param name="receive">Where the result goes, pinned for the duration; may be the same memory as <paramref name="send"/>.</param>
    /// <param name="cancellationToken">Fires on the call's timeout or the caller's cancellation.</param>
    /// <returns>Completes with the result in place.</returns>
    ValueTask RunAsync(OffloadRequest request, ReadOnlyMemory<byte> send, Memory<byte> receive, CancellationToken cancellationToken);
}
