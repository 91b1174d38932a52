using System.Net;
using System.Net.Sockets;
using Collectives.Transport.Diagnostics;
using Collectives.Transport.Security;

namespace Collectives.Transport.Tcp;

/// <summary>
/// The rank's listening socket and its accept loop. Every accepted connection must pass the
/// job's handshake within <see cref="TcpTransportOptions.HandshakeTimeout"/> and come from a
/// rank that is expected to connect here (a higher rank, not yet connected: the handshake asks
/// before it answers, so a duplicate gets its own verdict); anything else (garbage, a wrong
/// secret, a wrong job or version, a truncated or slow handshake, a duplicate) is refused, logged
/// with the reason (rate-limited: the first 5 of every 10 s one by one, then a count), and
/// closed, while the loop keeps serving and the connection a duplicate claims to replace is
/// left alone. The loop runs
/// for the transport's whole life, so a stray connection after start-up is refused too rather
/// than left hanging in the backlog.
/// </summary>
internal sealed class TcpListenerLoop : IDisposable
{
    private readonly Socket _listener;
    private readonly TcpRankState _rankState;
    private readonly JobCredentials _credentials;
    private readonly TcpPoller _poller;
    private readonly TaskCompletionSource<Socket>[] _incoming;
    private readonly int[] _claimed;
    private readonly RefusalThrottle _refusals;
    private readonly CancellationTokenSource _stop = new();

    private TcpListenerLoop(Socket listener, TcpRankState rankState, JobCredentials credentials, TcpPoller poller)
    {
        _listener = listener;
        _rankState = rankState;
        _credentials = credentials;
        _poller = poller;
        _incoming = new TaskCompletionSource<Socket>[rankState.Size];
        _claimed = new int[rankState.Size];
        _refusals = new RefusalThrottle((count, span) => TcpLog.RefusedMore(rankState.Logger, rankState.Rank, count, span.TotalSeconds), rankState.Options.Clock);
        for (int rank = 0; rank < rankState.Size; rank++)
        {
            _incoming[rank] = new TaskCompletionSource<Socket>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>The bound address and port.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>Binds, listens and starts accepting.</summary>
    public static TcpListenerLoop Start(TcpRankState rankState, JobCredentials credentials, TcpPoller poller)
    {
        IPAddress address = TcpAddress.BindAddress(rankState.Options);
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.Equals(IPAddress.IPv6Any))
            {
                listener.DualMode = true;
            }

            listener.Bind(new IPEndPoint(address, rankState.Options.Port));
            listener.Listen(rankState.Size + 16);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        var loop = new TcpListenerLoop(listener, rankState, credentials, poller);
        _ = loop.AcceptLoopAsync();
        return loop;
    }

    /// <summary>Completes with the authenticated connection from <paramref name="rank"/> (a higher rank).</summary>
    public Task<Socket> IncomingFrom(int rank) => _incoming[rank].Task;

    /// <summary>Closes connections that were accepted and authenticated (when building the mesh failed).</summary>
    public void DisposeAccepted()
    {
        foreach (TaskCompletionSource<Socket> slot in _incoming)
        {
            if (slot.Task.IsCompletedSuccessfully)
            {
                slot.Task.Result.Dispose();
            }
        }
    }

    /// <summary>Stops accepting; later connections are no longer answered.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        _refusals.Flush();
        foreach (TaskCompletionSource<Socket> slot in _incoming)
        {
            // Fails slots nobody filled; a filled slot's socket belongs to a peer (or was closed by DisposeAccepted).
            slot.TrySetCanceled();
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException exception) when (exception.SocketErrorCode is SocketError.ConnectionAborted or SocketError.ConnectionReset or SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable)
            {
                // One client's trouble (or a momentary shortage) must not stop the listener.
                await Task.Delay(10).ConfigureAwait(false);
                continue;
            }
            catch (SocketException exception)
            {
                TcpLog.ListenerFailed(_rankState.Logger, _rankState.Rank, exception);
                return;
            }

            _ = AdmitAsync(socket);
        }
    }

    /// <summary>Runs the handshake on one accepted connection and hands it to the mesh, or refuses it.</summary>
    private async Task AdmitAsync(Socket socket)
    {
        EndPoint? remote = null;
        string? refusal;
        int claimed = -1;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        try
        {
            remote = socket.RemoteEndPoint;
            socket.NoDelay = _rankState.Options.NoDelay;
            deadline.CancelAfter(_rankState.Options.HandshakeTimeout);
            int peer;
            await using (var stream = new PolledSocketStream(socket, _poller))
            {
                peer = await Handshake.AcceptAsync(stream, _credentials, HandshakePurpose.Transport, _rankState.Rank, rank => Claim(rank, ref claimed), deadline.Token).ConfigureAwait(false);
            }

            if (_incoming[peer].TrySetResult(socket))
            {
                return;
            }

            // Only when the listener stopped meanwhile (the slot was cancelled).
            refusal = null;
        }
        catch (ProtocolException exception)
        {
            refusal = exception.Message;
        }
        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
        {
            refusal = $"it did not complete the handshake within {_rankState.Options.HandshakeTimeout.TotalSeconds:0.###} s (slow, silent, or not a Collectives rank)";
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException && _stop.IsCancellationRequested)
        {
            refusal = null;
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
        {
            refusal = $"the connection failed during the handshake ({exception.Message})";
        }

        if (claimed >= 0)
        {
            // Claimed, but the verdict never reached the rank: its slot is free for a retry.
            Volatile.Write(ref _claimed[claimed], 0);
        }

        if (refusal is not null)
        {
            _refusals.Refused(() => TcpLog.ConnectionRefused(_rankState.Logger, _rankState.Rank, remote, refusal));
        }

        socket.Dispose();
    }

    /// <summary>Takes <paramref name="peer"/>'s slot for this connection unless the rank never connects here or already has one.</summary>
    private RankAdmission Claim(int peer, ref int claimed)
    {
        if (peer <= _rankState.Rank || peer >= _rankState.Size)
        {
            return RankAdmission.NotExpected;
        }

        if (Interlocked.CompareExchange(ref _claimed[peer], 1, 0) != 0)
        {
            return RankAdmission.AlreadyConnected;
        }

        claimed = peer;
        return RankAdmission.Admitted;
    }
}
