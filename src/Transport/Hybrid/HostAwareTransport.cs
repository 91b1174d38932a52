namespace Collectives.Transport.Hybrid;

/// <summary>
/// A job's transport that also tells which host every rank runs on (the <see cref="HostLayout"/>
/// feature), so collectives can keep traffic inside a host where they can. Every rank of a job
/// that spans hosts gets one, also a rank alone on its host (whose transport is plain TCP):
/// algorithms are chosen by what the communicator offers, which must be the same on every rank.
/// </summary>
internal sealed class HostAwareTransport(ITransport transport, HostLayout layout) : ITransport
{
    /// <inheritdoc />
    public int Rank => transport.Rank;

    /// <inheritdoc />
    public int Size => transport.Size;

    /// <inheritdoc />
    public string Name => transport.Name;

    /// <inheritdoc />
    public ValueTask SendAsync(int destination, MessageTag tag, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        => transport.SendAsync(destination, tag, payload, cancellationToken);

    /// <inheritdoc />
    public ValueTask<ReceivedMessage> ReceiveAsync(int source, MessageTag expectedTag, Memory<byte> buffer, CancellationToken cancellationToken)
        => transport.ReceiveAsync(source, expectedTag, buffer, cancellationToken);

    /// <inheritdoc />
    public void Abort(ReadOnlySpan<byte> reason) => transport.Abort(reason);

    /// <inheritdoc />
    public TFeature? GetFeature<TFeature>() where TFeature : class
        => typeof(TFeature) == typeof(HostLayout) ? (TFeature)(object)layout : transport.GetFeature<TFeature>();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => transport.DisposeAsync();
}
