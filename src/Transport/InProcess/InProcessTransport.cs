namespace Collectives.Transport.InProcess;

/// <summary>
/// One rank of a job whose ranks are tasks or threads of this process. Sends never block: the
/// payload is copied into the receiver's buffer if it is waiting, else into a pooled queue entry.
/// The reference transport for tests.
/// </summary>
public sealed class InProcessTransport : ITransport
{
    private readonly InProcessFabric _fabric;

    private InProcessTransport(InProcessFabric fabric, int rank)
    {
        _fabric = fabric;
        Rank = rank;
    }

    /// <inheritdoc />
    public int Rank { get; }

    /// <inheritdoc />
    public int Size => _fabric.Size;

    /// <inheritdoc />
    public string Name => "inprocess";

    /// <summary>Creates the transports of an in-process job, one per rank, index = rank.</summary>
    /// <param name="size">Number of ranks, at least 1.</param>
    /// <returns>The ranks' transports.</returns>
    public static InProcessTransport[] CreateGroup(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var fabric = new InProcessFabric(size);
        var transports = new InProcessTransport[size];
        for (int rank = 0; rank < size; rank++)
        {
            transports[rank] = new InProcessTransport(fabric, rank);
        }

        return transports;
    }

    /// <inheritdoc />
    public ValueTask SendAsync(int destination, MessageTag tag, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        ValidatePeer(destination, nameof(destination));
        ObjectDisposedException.ThrowIf(_fabric.IsClosed(Rank), this);
        Exception? failure = _fabric.SendFailureFor(destination);
        if (failure is not null)
        {
            return ValueTask.FromException(failure);
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        _fabric.Mailbox(Rank, destination).Post(tag, payload.Span);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<ReceivedMessage> ReceiveAsync(int source, MessageTag expectedTag, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ValidatePeer(source, nameof(source));
        ObjectDisposedException.ThrowIf(_fabric.IsClosed(Rank), this);
        return _fabric.Mailbox(source, Rank).ReceiveAsync(expectedTag, buffer, cancellationToken);
    }

    /// <inheritdoc />
    public void Abort(ReadOnlySpan<byte> reason) => _fabric.Abort(Rank, reason.ToArray());

    /// <inheritdoc />
    public TFeature? GetFeature<TFeature>() where TFeature : class => null;

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _fabric.Close(Rank);
        return ValueTask.CompletedTask;
    }

    private void ValidatePeer(int peer, string parameterName)
    {
        if ((uint)peer >= (uint)Size || peer == Rank)
        {
            throw new ArgumentOutOfRangeException(parameterName, peer, $"Peer must be a rank in [0, {Size}) other than this rank ({Rank}).");
        }
    }
}
