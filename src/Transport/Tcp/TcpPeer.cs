using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Collectives.Transport.Tcp;

/// <summary>
/// This rank's one connection to one peer rank: the socket, its two halves, liveness clocks, and
/// the connection's single, final failure. Once failed (closed, reset, silent, broke the
/// protocol, or said goodbye), every operation on this peer fails with a
/// <see cref="PeerFailedException"/> naming it and the reason; other connections are unaffected.
/// </summary>
internal sealed class TcpPeer
{
    private readonly Socket _socket;
    private readonly Action<TcpPeer> _onReceiveParked;
    private FailureRecord? _failure;
    private long _lastReceived = Stopwatch.GetTimestamp();

    public TcpPeer(TcpRankState rankState, int rank, Socket socket, TcpPoller poller, Action<TcpPeer> onReceiveParked)
    {
        RankState = rankState;
        Rank = rank;
        _socket = socket;
        _onReceiveParked = onReceiveParked;

        // Non-blocking, so a polling receive and a send attempt return at once instead of waiting
        // in the kernel; waits go through the poller, never the socket's asynchronous operations.
        socket.NoDelay = rankState.Options.NoDelay;
        socket.Blocking = false;
        Inbound = new TcpInbound(this, socket, poller, rankState);
        Outbound = new TcpOutbound(this, socket, poller, rankState);
    }

    public TcpRankState RankState { get; }

    /// <summary>The peer's rank.</summary>
    public int Rank { get; }

    public TcpInbound Inbound { get; }

    public TcpOutbound Outbound { get; }

    public bool IsFailed => Volatile.Read(ref _failure) is not null;

    /// <summary>Raised when the peer sends an abort frame (wired to the transport, which fails every connection's operations).</summary>
    public Action<int, byte[]>? AbortReceived { get; init; }

    /// <summary>The exception for an operation on this peer, or null while the connection is healthy.</summary>
    public Exception? Failure()
        => Volatile.Read(ref _failure) is { } failure ? new PeerFailedException(Rank, failure.Reason, failure.Inner) : null;

    /// <summary>Starts watching the connection (call once the transport is fully built).</summary>
    public void Start() => Inbound.ArmIfIdle();

    public void MarkReceived() => Volatile.Write(ref _lastReceived, Stopwatch.GetTimestamp());

    /// <summary>Fails the connection once: logs, fails the waiting receive, closes the socket (which fails a send in flight).</summary>
    public void Fail(string reason, Exception? inner = null, bool orderly = false)
    {
        if (Interlocked.CompareExchange(ref _failure, new FailureRecord(reason, inner), null) is not null)
        {
            return;
        }

        if (orderly || RankState.IsDisposed)
        {
            TcpLog.PeerClosed(RankState.Logger, RankState.Rank, Rank);
        }
        else
        {
            TcpLog.PeerFailed(RankState.Logger, RankState.Rank, Rank, reason, inner);
        }

        Inbound.OnTerminal();
        _socket.Dispose();

        // The buffers are kept: frames that arrived complete before the end stay deliverable
        // (at most PauseThreshold bytes) until this rank closes its transport.
    }

    public void OnEndOfStream()
        => Fail("its connection closed without a goodbye (the process exited or was killed?)");

    public void OnGoodbye() => Fail("it closed its transport", orderly: true);

    public void OnAbortFrame(byte[] reason) => AbortReceived?.Invoke(Rank, reason);

    public void OnReceiveParked() => _onReceiveParked(this);

    /// <summary>
    /// Periodic upkeep: a heartbeat if nothing was sent for an interval, the background read
    /// re-armed if idle, and the silence check. A connection paused for backpressure is not
    /// silent (the peer waits on us), so its clock restarts instead.
    /// </summary>
    public void Tick(long now, long heartbeatTicks, long silenceTicks)
    {
        if (IsFailed)
        {
            return;
        }

        if (RankState.Options.SendHeartbeats && now - Outbound.LastSent >= heartbeatTicks)
        {
            Outbound.TrySendHeartbeat();
        }

        Inbound.ArmIfIdle();
        if (Inbound.IsPaused)
        {
            MarkReceived();
            return;
        }

        long silent = now - Volatile.Read(ref _lastReceived);
        if (silenceTicks > 0 && silent > silenceTicks)
        {
            Fail($"it sent nothing (no data, no heartbeat) for {Stopwatch.GetElapsedTime(0, silent).TotalSeconds:F1} s, more than the {RankState.Options.PeerSilenceTimeout.TotalSeconds:F1} s allowed (stopped, hung, or cut off?)");
        }
    }

    /// <summary>Orderly close: goodbye, end of our direction, then the socket. Operations on the peer fail afterwards.</summary>
    public async Task CloseAsync(TimeSpan timeout)
    {
        if (!IsFailed)
        {
            await Outbound.SendGoodbyeAsync(timeout).ConfigureAwait(false);
            try
            {
                _socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                // Already closed by a failure.
            }
        }

        Fail("this rank closed its transport", orderly: true);
        Inbound.ReleaseBuffers();
    }

    public static string Describe(SocketException exception) => Describe(exception.SocketErrorCode);

    public static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionReset => "its connection was reset (the process exited or was killed?)",
        SocketError.ConnectionAborted => "its connection was aborted",
        SocketError.TimedOut => "its connection timed out",
        SocketError.HostUnreachable or SocketError.NetworkUnreachable => "its host became unreachable",
        SocketError.Shutdown => "its connection was shut down",
        _ => $"its connection failed ({error})",
    };

    private sealed record FailureRecord(string Reason, Exception? Inner);
}
