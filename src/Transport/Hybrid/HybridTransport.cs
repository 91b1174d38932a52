using System.Runtime.CompilerServices;

namespace Collectives.Transport.Hybrid;

/// <summary>
/// Routes each peer to one of two transports: the ranks on this host through a local one (shared
/// memory), every other rank through a job-wide one (TCP). Owns both.
/// </summary>
internal sealed class HybridTransport : ITransport
{
    private readonly ITransport _wide;
    private readonly ITransport _local;
    private readonly int[] _localIndex;
    private readonly int[] _jobRanks;
    private readonly HostWindows? _hostWindows;

    /// <summary>Creates the router.</summary>
    /// <param name="wide">A transport connecting every rank of the job; its rank and size are this transport's.</param>
    /// <param name="local">A transport connecting the ranks listed in <paramref name="localRanks"/>, numbered by their index there.</param>
    /// <param name="localRanks">The job ranks <paramref name="local"/> connects, ascending; includes this rank.</param>
    public HybridTransport(ITransport wide, ITransport local, IReadOnlyList<int> localRanks)
    {
        ArgumentNullException.ThrowIfNull(wide);
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(localRanks);
        if (localRanks.Count != local.Size || localRanks.Count == 0 || localRanks[local.Rank] != wide.Rank)
        {
            throw new ArgumentException($"The local ranks must list the {local.Size} job ranks of the local transport, this rank ({wide.Rank}) at index {local.Rank}.", nameof(localRanks));
        }

        _wide = wide;
        _local = local;
        _jobRanks = [.. localRanks];
        _hostWindows = local is SharedMemory.SharedMemoryTransport segment ? new HostWindows(segment, _jobRanks) : null;
        _localIndex = new int[wide.Size];
        Array.Fill(_localIndex, -1);
        for (int index = 0; index < localRanks.Count; index++)
        {
            _localIndex[localRanks[index]] = index;
        }
    }

    /// <inheritdoc />
    public int Rank => _wide.Rank;

    /// <inheritdoc />
    public int Size => _wide.Size;

    /// <inheritdoc />
    public string Name => $"{_local.Name}+{_wide.Name}";

    /// <inheritdoc />
    public ValueTask SendAsync(int destination, MessageTag tag, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (Local(destination) is not int local)
        {
            return _wide.SendAsync(destination, tag, payload, cancellationToken);
        }

        ValueTask sending;
        try
        {
            sending = _local.SendAsync(local, tag, payload, cancellationToken);
        }
        catch (CollectiveException exception) when (InJobRanks(exception) is { } translated)
        {
            throw translated;
        }

        return sending.IsCompletedSuccessfully ? sending : InJobRanksAsync(sending);
    }

    /// <inheritdoc />
    public ValueTask<ReceivedMessage> ReceiveAsync(int source, MessageTag expectedTag, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (Local(source) is not int local)
        {
            return _wide.ReceiveAsync(source, expectedTag, buffer, cancellationToken);
        }

        ValueTask<ReceivedMessage> receiving;
        try
        {
            receiving = _local.ReceiveAsync(local, expectedTag, buffer, cancellationToken);
        }
        catch (CollectiveException exception) when (InJobRanks(exception) is { } translated)
        {
            throw translated;
        }

        return receiving.IsCompletedSuccessfully ? receiving : InJobRanksAsync(receiving);
    }

    /// <inheritdoc />
    public void Abort(ReadOnlySpan<byte> reason)
    {
        _wide.Abort(reason);
        _local.Abort(reason);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Only this host's windows, as <see cref="HostWindows"/>: a capability of one part does not
    /// cover the whole job, so nothing is offered as if it did.
    /// </remarks>
    public TFeature? GetFeature<TFeature>() where TFeature : class
        => typeof(TFeature) == typeof(HostWindows) ? (TFeature?)(object?)_hostWindows : null;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _local.DisposeAsync().ConfigureAwait(false);
        await _wide.DisposeAsync().ConfigureAwait(false);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask InJobRanksAsync(ValueTask pending)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (CollectiveException exception) when (InJobRanks(exception) is { } translated)
        {
            throw translated;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReceivedMessage> InJobRanksAsync(ValueTask<ReceivedMessage> pending)
    {
        try
        {
            return await pending.ConfigureAwait(false);
        }
        catch (CollectiveException exception) when (InJobRanks(exception) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>
    /// The local transport numbers its ranks by their place among this host's; a failure it
    /// reports must name the job's rank (<see cref="JobRankNaming"/>).
    /// </summary>
    private Exception? InJobRanks(CollectiveException exception) => JobRankNaming.InJobRanks(exception, _jobRanks);

    private int? Local(int peer)
    {
        if ((uint)peer >= (uint)_localIndex.Length || peer == Rank)
        {
            throw new ArgumentOutOfRangeException(nameof(peer), peer, $"Peer must be a rank in [0, {Size}) other than this rank ({Rank}).");
        }

        int local = _localIndex[peer];
        return local >= 0 ? local : null;
    }
}
