using Collectives.Reduction;
using Collectives.Transport;

namespace Collectives.SubCommunicators;

/// <summary>
/// A sub-communicator's view of the job's transport: its ranks are some of the transport's, in
/// the order the split chose, and a message to or from one of them is a message to or from the
/// transport's rank it maps to. Nothing else is added: the view shares the transport's ordered
/// streams with every other communicator over it, and the communicator identity in each message's
/// tag (<see cref="CollectiveSignature.CommunicatorId"/>) is what tells their messages apart.
/// </summary>
/// <remarks>
/// Closing the view closes nothing: the transport belongs to its <see cref="TransportOwner"/>,
/// which closes it once every communicator over it is disposed. An abort is the transport's:
/// once one communicator's call failed, the shared streams may hold messages nobody will take,
/// so every communicator over the transport is broken alike.
/// </remarks>
internal sealed class RankMappedTransport : ITransport
{
    private readonly ITransport _transport;
    private readonly int[] _transportRanks;

    /// <param name="transport">The job's transport (never another view: views of views are flattened).</param>
    /// <param name="transportRanks">For each rank of the view, index = rank, the transport's rank it is.</param>
    /// <param name="rank">This rank in the view.</param>
    public RankMappedTransport(ITransport transport, int[] transportRanks, int rank)
    {
        _transport = transport;
        _transportRanks = transportRanks;
        Rank = rank;
    }

    /// <inheritdoc />
    public int Rank { get; }

    /// <inheritdoc />
    public int Size => _transportRanks.Length;

    /// <summary>The transport's name: a sub-communicator's calls travel over it.</summary>
    public string Name => _transport.Name;

    /// <summary>The job's transport this view maps onto.</summary>
    public ITransport Underlying => _transport;

    /// <summary>The transport's rank that rank <paramref name="rank"/> of the view is.</summary>
    public int TransportRank(int rank) => _transportRanks[rank];

    /// <inheritdoc />
    public ValueTask SendAsync(int destination, MessageTag tag, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        => _transport.SendAsync(Map(destination, nameof(destination)), tag, payload, cancellationToken);

    /// <inheritdoc />
    public ValueTask<ReceivedMessage> ReceiveAsync(int source, MessageTag expectedTag, Memory<byte> buffer, CancellationToken cancellationToken)
        => _transport.ReceiveAsync(Map(source, nameof(source)), expectedTag, buffer, cancellationToken);

    /// <inheritdoc />
    public void Abort(ReadOnlySpan<byte> reason) => _transport.Abort(reason);

    /// <summary>
    /// Only capabilities that know nothing of ranks pass through (the combine observer of a
    /// simulated host). Shared-memory windows do not: theirs are the whole job's, indexed by the
    /// transport's ranks, with one sequence per rank that every communicator would have to share.
    /// </summary>
    public TFeature? GetFeature<TFeature>() where TFeature : class
        => typeof(TFeature) == typeof(ICombineObserver) ? _transport.GetFeature<TFeature>() : null;

    /// <summary>Closes nothing; see the remarks on the type.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private int Map(int peer, string parameterName)
    {
        if ((uint)peer >= (uint)Size || peer == Rank)
        {
            throw new ArgumentOutOfRangeException(parameterName, peer, $"Peer must be a rank in [0, {Size}) other than this rank ({Rank}).");
        }

        return _transportRanks[peer];
    }
}
