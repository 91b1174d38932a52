namespace Collectives.Transport;

/// <summary>
/// Point-to-point messaging between the ranks of one job. A transport moves labelled byte
/// payloads; it knows nothing of collectives.
/// </summary>
/// <remarks>
/// <para>Ordering: messages from one sender to one receiver arrive in the order they were sent, and
/// each receive takes the next message from the named source. A caller keeps at most one receive
/// outstanding per source and at most one send outstanding per destination.</para>
/// <para>Failures surface as exceptions: <see cref="PeerFailedException"/> when a peer is gone,
/// <see cref="PeerAbortedException"/> when a peer (or this rank) aborted the job,
/// <see cref="ProtocolException"/> for malformed traffic, and <see cref="OperationCanceledException"/>
/// when the caller's token fires (which is how the layer above implements timeouts).</para>
/// </remarks>
public interface ITransport : IAsyncDisposable
{
    /// <summary>This rank, in [0, <see cref="Size"/>).</summary>
    int Rank { get; }

    /// <summary>Number of ranks in the job.</summary>
    int Size { get; }

    /// <summary>Short name for metrics and messages, for example <c>inprocess</c> or <c>tcp</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Sends <paramref name="payload"/> with <paramref name="tag"/> to <paramref name="destination"/>.
    /// Completes when the payload buffer may be reused (the data is buffered or delivered).
    /// </summary>
    /// <param name="destination">The receiving rank; not this rank.</param>
    /// <param name="tag">Label carried verbatim to the receiver.</param>
    /// <param name="payload">Bytes to send; may be empty.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the payload buffer may be reused.</returns>
    ValueTask SendAsync(int destination, MessageTag tag, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

    /// <summary>
    /// Receives the next message from <paramref name="source"/>. Its payload is written into
    /// <paramref name="buffer"/> only if its tag equals <paramref name="expectedTag"/> and its length
    /// equals the buffer's; see <see cref="ReceivedMessage"/>.
    /// </summary>
    /// <param name="source">The sending rank; not this rank.</param>
    /// <param name="expectedTag">The label the caller expects.</param>
    /// <param name="buffer">Destination of the payload; its length is the expected payload length.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The tag and length of the message that arrived.</returns>
    ValueTask<ReceivedMessage> ReceiveAsync(int source, MessageTag expectedTag, Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>
    /// Tells every peer that this rank gives up on the job, with an opaque reason, and fails this
    /// rank's own pending and future operations. Peers' pending and future operations fail with
    /// <see cref="PeerAbortedException"/> carrying the reason. Best effort: never throws.
    /// </summary>
    /// <param name="reason">Opaque bytes for the layer above (at most 64 KiB).</param>
    void Abort(ReadOnlySpan<byte> reason);

    /// <summary>
    /// Returns an optional capability of this transport (for example direct access to peers'
    /// buffers in shared memory), or <see langword="null"/> when it does not offer it.
    /// </summary>
    /// <typeparam name="TFeature">The capability interface.</typeparam>
    /// <returns>The capability, or <see langword="null"/>.</returns>
    TFeature? GetFeature<TFeature>() where TFeature : class;
}
