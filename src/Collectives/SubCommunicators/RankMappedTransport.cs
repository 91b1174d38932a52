using Collectives.Reduction;
using Collectives.Transport;
using Collectives.Transport.Hybrid;
using Collectives.Transport.SharedMemory;

namespace Collectives.SubCommunicators;

/// <summary>
/// A sub-communicator's view of the job's transport: its ranks are some of the transport's, in
/// the order the split chose, and a message to or from one of them is a message to or from the
/// transport's rank it maps to. Nothing else is added: the view shares the transport's ordered
/// streams with every other communicator over it, and the communicator identity in each message's
/// tag (<see cref="CollectiveSignature.CommunicatorId"/>) is what tells their messages apart.
/// </summary>
/// <remarks>
/// Closing the view closes only its own shared-memory segment, if it has one: the transport
/// belongs to its <see cref="TransportOwner"/>, which closes it once every communicator over it is disposed. An abort is the transport's:
/// once one communicator's call failed, the shared streams may hold messages nobody will take,
/// so every communicator over the transport is broken alike.
/// </remarks>
internal sealed class RankMappedTransport : ITransport
{
    private readonly ITransport _transport;
    private readonly int[] _transportRanks;
    private readonly SharedMemoryTransport? _segment;
    private readonly ISharedMemoryWindows? _windowsFeature;
    private readonly HostWindows? _hostWindows;
    private HostLayout? _layout;

    /// <param name="transport">The job's transport (never another view: views of views are flattened).</param>
    /// <param name="transportRanks">For each rank of the view, index = rank, the transport's rank it is.</param>
    /// <param name="rank">This rank in the view.</param>
    /// <param name="segment">A shared-memory segment of the view's own (see <see cref="ChildSegment"/>), which the view owns; null for none.</param>
    /// <param name="hostSharers">
    /// Null when <paramref name="segment"/> holds every rank of the view. Where the view spans hosts,
    /// the view's ranks on this host that share the segment, ascending (<see cref="ChildSegmentPlan.Sharers"/>):
    /// the view then offers the segment as <see cref="HostWindows"/>, for the phases of node-aware
    /// algorithms inside the host, rather than as windows of every rank.
    /// </param>
    public RankMappedTransport(ITransport transport, int[] transportRanks, int rank, SharedMemoryTransport? segment = null, int[]? hostSharers = null)
    {
        _transport = transport;
        _transportRanks = transportRanks;
        Rank = rank;
        _segment = segment;
        if (segment is null)
        {
            return;
        }

        if (hostSharers is not null)
        {
            // The segment's ranks are the sharers' places among them; HostWindows names the job's ranks.
            _hostWindows = new HostWindows(segment, [.. hostSharers.Select(sharer => transportRanks[sharer])]);
        }
        else
        {
            // The segment numbers its ranks as the view does; its failures must name the job's ranks, as every transport failure does.
            _windowsFeature = new JobRankedWindows(segment.GetFeature<ISharedMemoryWindows>()!, transportRanks);
        }
    }

    /// <inheritdoc />
    public int Rank { get; }

    /// <inheritdoc />
    public int Size => _transportRanks.Length;

    /// <summary>The transport's name: a sub-communicator's calls travel over it.</summary>
    public string Name => _transport.Name;

    /// <summary>The view's own shared-memory segment, or null.</summary>
    public ITransport? Segment => _segment;

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
    /// <remarks>Its own segment's ranks wait in its windows, where only that segment's abort reaches them.</remarks>
    public void Abort(ReadOnlySpan<byte> reason)
    {
        _transport.Abort(reason);
        _segment?.Abort(reason);
    }

    /// <summary>
    /// Capabilities that know nothing of ranks pass through (the combine observer of a simulated
    /// host); the job's host layout as the view's ranks see it (<see cref="HostLayout.Restrict"/>);
    /// and the windows of the view's own segment, as <see cref="ISharedMemoryWindows"/> when it
    /// holds every rank of the view, as <see cref="HostWindows"/> when it holds this host's. The job
    /// transport's windows do not pass: they are indexed by the transport's ranks, with one
    /// sequence per rank that every communicator would have to share.
    /// </summary>
    public TFeature? GetFeature<TFeature>() where TFeature : class
        => typeof(TFeature) == typeof(ICombineObserver) ? _transport.GetFeature<TFeature>()
            : typeof(TFeature) == typeof(ISharedMemoryWindows) ? (TFeature?)(object?)_windowsFeature
            : typeof(TFeature) == typeof(HostWindows) ? (TFeature?)(object?)_hostWindows
            : typeof(TFeature) == typeof(HostLayout) ? (TFeature?)(object?)Layout()
            : null;

    /// <summary>Closes the view's own segment, if any; see the remarks on the type.</summary>
    public ValueTask DisposeAsync() => _segment?.DisposeAsync() ?? ValueTask.CompletedTask;

    // Built on first asking: the views of a node-aware algorithm's phases never ask.
    private HostLayout? Layout() => _layout ??= _transport.GetFeature<HostLayout>()?.Restrict(_transportRanks);

    private int Map(int peer, string parameterName)
    {
        if ((uint)peer >= (uint)Size || peer == Rank)
        {
            throw new ArgumentOutOfRangeException(parameterName, peer, $"Peer must be a rank in [0, {Size}) other than this rank ({Rank}).");
        }

        return _transportRanks[peer];
    }
}
