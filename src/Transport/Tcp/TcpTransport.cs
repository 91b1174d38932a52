using System.Diagnostics;
using System.Net;
using System.Text;
using Collectives.Transport.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Collectives.Transport.Tcp;

/// <summary>
/// One rank of a job whose ranks talk over TCP: one authenticated connection per pair of ranks,
/// a versioned little-endian frame format, heartbeats, and prompt failure reports. Works within
/// one machine (loopback, the default) or across machines (<see cref="TcpTransportOptions.BindAddress"/>).
/// </summary>
/// <remarks>
/// <para>Threads: one poller thread (it blocks in poll(2) on the sockets somebody waits on). A
/// waiting receive polls its socket on the caller's thread for up to
/// <see cref="TcpTransportOptions.ReceiveSpinBudget"/> (<see cref="TcpTransportOptions.OversubscribedReceiveSpinBudget"/>
/// when this host runs more ranks of the job than it has processors), then parks; the poller hands the read to
/// the thread pool when bytes arrive. Sends are written on the caller's thread; a send the socket
/// cannot take waits on the poller. A timer (every quarter heartbeat interval) sends heartbeats,
/// checks silence, and re-arms idle background reads. No socket of a connection ever uses the
/// runtime's asynchronous socket operations (see <see cref="TcpPoller"/>).</para>
/// <para>Copies: a received payload is copied once from the kernel into the receive's buffer when
/// the receive is already posted (large messages) or once more from pooled pipe memory when it
/// arrived first; a sent payload up to 16 KiB is copied next to its header (one system call),
/// larger ones are sent from the caller's memory.</para>
/// </remarks>
public sealed class TcpTransport : ITransport
{
    private readonly TcpRankState _rankState;
    private readonly TcpListenerLoop _listener;
    private readonly TcpPoller _poller;
    private readonly TcpPeer?[] _peers;
    private readonly Timer _ticker;
    private int _ticking;

    private TcpTransport(TcpRankState rankState, TcpListenerLoop listener, TcpPoller poller, System.Net.Sockets.Socket?[] sockets)
    {
        _rankState = rankState;
        _listener = listener;
        _poller = poller;
        _peers = new TcpPeer?[rankState.Size];
        rankState.SetLocalRanks(Math.Max(CountLocalRanks(sockets), rankState.Options.MachineRanks), Environment.ProcessorCount);
        if (rankState.IsOversubscribed)
        {
            rankState.Logger.LogDebug("Rank {Rank}: more ranks on this machine than its {Processors} processors; polling with the oversubscribed budget", rankState.Rank, Environment.ProcessorCount);
        }

        for (int peer = 0; peer < rankState.Size; peer++)
        {
            if (sockets[peer] is { } socket)
            {
                _peers[peer] = new TcpPeer(rankState, peer, socket, poller, OnReceiveParked) { AbortReceived = OnAbortFrame };
            }
        }

        TimeSpan tick = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, rankState.Options.HeartbeatInterval.Ticks / 4));
        _ticker = new Timer(static state => ((TcpTransport)state!).Tick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        foreach (TcpPeer? peer in _peers)
        {
            peer?.Start();
        }

        _ticker.Change(tick, tick);
    }

    /// <inheritdoc />
    public int Rank => _rankState.Rank;

    /// <summary>Ranks of the job on this host, this one included (for tests).</summary>
    internal int LocalRanks => _rankState.LocalRanks;

    /// <summary>Whether polling uses <see cref="TcpTransportOptions.OversubscribedReceiveSpinBudget"/> (for tests).</summary>
    internal bool IsOversubscribed => _rankState.IsOversubscribed;

    /// <summary>
    /// This rank plus the peers on this host: connected over loopback, or to one of this rank's own
    /// addresses (the connection's two ends share an address).
    /// </summary>
    internal static int CountLocalRanks(System.Net.Sockets.Socket?[] sockets)
    {
        int local = 1;
        foreach (System.Net.Sockets.Socket? socket in sockets)
        {
            try
            {
                if (socket is { RemoteEndPoint: IPEndPoint remote, LocalEndPoint: IPEndPoint own }
                    && (IPAddress.IsLoopback(remote.Address) || remote.Address.Equals(own.Address)))
                {
                    local++;
                }
            }
            catch (Exception exception) when (exception is System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                // A connection already gone says nothing about where its peer runs; it fails on its own.
            }
        }

        return local;
    }

    /// <inheritdoc />
    public int Size => _rankState.Size;

    /// <inheritdoc />
    public string Name => "tcp";

    /// <summary>The address and port this rank listens on.</summary>
    public IPEndPoint LocalEndPoint => _listener.LocalEndPoint;

    /// <summary>
    /// Joins the job as <paramref name="rank"/>: listens, publishes <c>tcp/{rank}</c> =
    /// <c>host:port</c> in <paramref name="store"/>, connects to every lower rank and accepts every
    /// higher one, authenticating each connection with the job's credentials.
    /// </summary>
    /// <param name="rank">This rank, in [0, <paramref name="size"/>).</param>
    /// <param name="size">Number of ranks in the job.</param>
    /// <param name="credentials">The job's identity and secret; every rank must hold the same.</param>
    /// <param name="store">Where ranks publish and find each other's addresses.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels joining.</param>
    /// <returns>The connected transport.</returns>
    /// <exception cref="PeerFailedException">A peer did not join within <see cref="TcpTransportOptions.ConnectTimeout"/>, or its connection failed.</exception>
    /// <exception cref="ProtocolException">A peer refused this rank's handshake (wrong secret, job or version) or is not the rank it should be.</exception>
    public static async Task<TcpTransport> ConnectAsync(int rank, int size, JobCredentials credentials, IRendezvousStore store, TcpTransportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, size);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(store);
        options ??= new TcpTransportOptions();
        options.Validate();

        ILogger logger = options.LoggerFactory?.CreateLogger<TcpTransport>() ?? NullLogger<TcpTransport>.Instance;
        var rankState = new TcpRankState(rank, size, options, logger);
        var poller = new TcpPoller(rank);
        TcpListenerLoop? listener = null;
        try
        {
            listener = TcpListenerLoop.Start(rankState, credentials, poller);
            string published = TcpAddress.Advertised(options, listener.LocalEndPoint);
            TcpLog.Listening(logger, rank, size, listener.LocalEndPoint, published);
            await store.SetAsync(TcpMesh.Key(rank), Encoding.UTF8.GetBytes(published), cancellationToken).ConfigureAwait(false);
            System.Net.Sockets.Socket?[] sockets = await TcpMesh.BuildAsync(rankState, credentials, store, listener, poller, cancellationToken).ConfigureAwait(false);
            return new TcpTransport(rankState, listener, poller, sockets);
        }
        catch
        {
            listener?.Dispose();
            poller.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask SendAsync(int destination, MessageTag tag, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        => Peer(destination, nameof(destination)).Outbound.SendAsync(tag, payload, cancellationToken);

    /// <inheritdoc />
    public ValueTask<ReceivedMessage> ReceiveAsync(int source, MessageTag expectedTag, Memory<byte> buffer, CancellationToken cancellationToken)
        => Peer(source, nameof(source)).Inbound.ReceiveAsync(expectedTag, buffer, cancellationToken);

    /// <inheritdoc />
    public void Abort(ReadOnlySpan<byte> reason)
    {
        // The contract caps reasons at 64 KiB; a longer one is cut rather than thrown on.
        reason = reason[..Math.Min(reason.Length, FrameHeader.MaxAbortReason)];
        if (!_rankState.TryAbort(Rank, reason.ToArray()))
        {
            return;
        }

        TcpLog.Aborting(_rankState.Logger, Rank, reason.Length);
        foreach (TcpPeer? peer in _peers)
        {
            if (peer is { IsFailed: false })
            {
                peer.Outbound.SendAbort(reason);
            }
        }

        FailAllWaiters();
    }

    /// <inheritdoc />
    public TFeature? GetFeature<TFeature>() where TFeature : class => null;

    /// <summary>Says goodbye to every peer (what it sent before stays deliverable to them), closes the connections and the listener.</summary>
    /// <returns>Completes when every connection is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (!_rankState.TryDispose())
        {
            return;
        }

        await _ticker.DisposeAsync().ConfigureAwait(false);
        _listener.Dispose();
        FailAllWaiters();
        var closing = new List<Task>(Size);
        foreach (TcpPeer? peer in _peers)
        {
            if (peer is not null)
            {
                closing.Add(peer.CloseAsync(TimeSpan.FromSeconds(1)));
            }
        }

        await Task.WhenAll(closing).ConfigureAwait(false);
        _poller.Dispose();
    }

    /// <summary>Bytes from <paramref name="source"/> buffered without a receive to take them (tests of backpressure).</summary>
    internal long BufferedBytesFrom(int source) => Peer(source, nameof(source)).Inbound.BufferedBytes;

    private TcpPeer Peer(int rank, string parameterName)
    {
        if ((uint)rank >= (uint)Size || rank == Rank)
        {
            throw new ArgumentOutOfRangeException(parameterName, rank, $"Peer must be a rank in [0, {Size}) other than this rank ({Rank}).");
        }

        return _peers[rank]!;
    }

    private void OnAbortFrame(int origin, byte[] reason)
    {
        if (_rankState.TryAbort(origin, reason))
        {
            TcpLog.AbortReceived(_rankState.Logger, Rank, origin, reason.Length);
            FailAllWaiters();
        }
    }

    /// <summary>Fails every posted receive with the job's abort or disposal (sends in flight finish their frame).</summary>
    private void FailAllWaiters()
    {
        foreach (TcpPeer? peer in _peers)
        {
            if (peer is not null && _rankState.OperationFailure() is { } failure)
            {
                peer.Inbound.FailWaiter(failure);
            }
        }
    }

    private void OnReceiveParked(TcpPeer parked)
    {
        foreach (TcpPeer? peer in _peers)
        {
            if (peer is not null && peer != parked && !peer.IsFailed)
            {
                peer.Inbound.ArmIfIdle();
            }
        }
    }

    private void Tick()
    {
        // Timer callbacks can overlap when one runs long; one upkeep pass at a time is enough.
        if (Interlocked.Exchange(ref _ticking, 1) != 0)
        {
            return;
        }

        try
        {
            long now = Stopwatch.GetTimestamp();
            long heartbeat = (long)(_rankState.Options.HeartbeatInterval.TotalSeconds * Stopwatch.Frequency);
            long silence = _rankState.Options.PeerSilenceTimeout == Timeout.InfiniteTimeSpan ? 0 : (long)(_rankState.Options.PeerSilenceTimeout.TotalSeconds * Stopwatch.Frequency);
            foreach (TcpPeer? peer in _peers)
            {
                peer?.Tick(now, heartbeat, silence);
            }
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }
    }
}
