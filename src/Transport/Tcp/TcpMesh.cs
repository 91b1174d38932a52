using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Collectives.Transport.Security;

namespace Collectives.Transport.Tcp;

/// <summary>
/// Builds the job's full mesh from one rank's point of view: exactly one authenticated
/// connection per pair of ranks. The higher rank of a pair connects (to the address the lower
/// published under <c>tcp/{rank}</c>) and checks it reached the rank it meant to; the lower rank
/// accepts. Bounded by <see cref="TcpTransportOptions.ConnectTimeout"/>.
/// </summary>
internal static class TcpMesh
{
    /// <summary>The rendezvous key under which <paramref name="rank"/> publishes its address.</summary>
    public static string Key(int rank) => $"tcp/{rank}";

    /// <summary>Returns one connected, authenticated socket per peer (index = rank; null for this rank).</summary>
    public static async Task<Socket?[]> BuildAsync(TcpRankState rankState, JobCredentials credentials, IRendezvousStore store, TcpListenerLoop listener, TcpPoller poller, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        var tasks = new Task<Socket>[rankState.Size];
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(rankState.Options.ConnectTimeout);
        for (int peer = 0; peer < rankState.Size; peer++)
        {
            if (peer != rankState.Rank)
            {
                tasks[peer] = peer < rankState.Rank
                    ? ConnectToAsync(rankState, credentials, store, poller, peer, deadline.Token)
                    : listener.IncomingFrom(peer).WaitAsync(deadline.Token);
            }
        }

        Task<Socket>[] pending = [.. tasks.Where(task => task is not null)];
        try
        {
            await Task.WhenAll(pending).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            DisposeAll(pending);
            listener.DisposeAccepted();
            cancellationToken.ThrowIfCancellationRequested();
            Exception? first = pending.Select(task => task.Exception?.InnerException).FirstOrDefault(inner => inner is not null and not OperationCanceledException);
            if (first is not null)
            {
                throw first;
            }

            int[] missing = [.. Enumerable.Range(0, rankState.Size).Where(peer => tasks[peer] is { IsCompletedSuccessfully: false })];
            if (missing.Length == 0)
            {
                throw;
            }

            throw new PeerFailedException(missing[0], $"it did not join the job within {rankState.Options.ConnectTimeout.TotalSeconds:0.###} s (rank {rankState.Rank} is still waiting for rank(s) {string.Join(", ", missing)})", exception);
        }

        TcpLog.MeshReady(rankState.Logger, rankState.Rank, pending.Length, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        return [.. tasks.Select(task => task?.Result)];
    }

    private static async Task<Socket> ConnectToAsync(TcpRankState rankState, JobCredentials credentials, IRendezvousStore store, TcpPoller poller, int peer, CancellationToken cancellationToken)
    {
        string address = Encoding.UTF8.GetString(await store.GetAsync(Key(peer), cancellationToken).ConfigureAwait(false));
        (string host, int port) = TcpAddress.Parse(address);
        IPAddress[] addresses = await ResolveWithRetryAsync(rankState, peer, host, cancellationToken).ConfigureAwait(false);
        Socket socket = await ConnectWithRetryAsync(rankState, poller, peer, address, addresses, port, cancellationToken).ConfigureAwait(false);
        try
        {
            using var handshakeDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            handshakeDeadline.CancelAfter(rankState.Options.HandshakeTimeout);
            await using var stream = new PolledSocketStream(socket, poller);
            await Handshake.ConnectAsync(stream, credentials, HandshakePurpose.Transport, rankState.Rank, expectedAcceptorRank: peer, handshakeDeadline.Token).ConfigureAwait(false);
            return socket;
        }
        catch (ProtocolException exception)
        {
            socket.Dispose();
            throw new ProtocolException($"Rank {rankState.Rank} could not connect to rank {peer} at {address}: {exception.Message}", exception);
        }
        catch (Exception exception) when (exception is IOException or SocketException)
        {
            socket.Dispose();
            throw new PeerFailedException(peer, $"the connection from rank {rankState.Rank} to {address} failed during the handshake ({exception.Message})", exception);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Resolves a peer's published host, retrying a name that does not resolve yet (the DNS record
    /// of a pod that just started appears late) with a growing, jittered pause until the connect
    /// deadline; then the failure names the host and how to publish addresses instead of names.
    /// </summary>
    private static async Task<IPAddress[]> ResolveWithRetryAsync(TcpRankState rankState, int peer, string host, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            try
            {
                return await TcpAddress.ResolveAsync(host, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException exception) when (exception.SocketErrorCode is SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData)
            {
                TcpLog.ConnectRetry(rankState.Logger, rankState.Rank, peer, host, exception.SocketErrorCode.ToString());
                try
                {
                    // Jittered, so ranks waiting on the same late record do not ask in lockstep.
                    await Task.Delay(delay * (0.5 + Random.Shared.NextDouble()), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    throw new PeerFailedException(
                        peer,
                        $"the host name it published, '{host}', did not resolve on rank {rankState.Rank} within {rankState.Options.ConnectTimeout.TotalSeconds:0.###} s ({exception.Message}). "
                        + "Every rank must resolve the names the others publish; otherwise have ranks publish addresses: TcpTransportOptions.BindAddress or AdvertisedHost, or under Communicator.ConnectAsync COLLECTIVES_SOCKET_IFNAME or COLLECTIVES_BIND",
                        exception);
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
            }
        }
    }

    private static async Task<Socket> ConnectWithRetryAsync(TcpRankState rankState, TcpPoller poller, int peer, string address, IPAddress[] addresses, int port, CancellationToken cancellationToken)
    {
        // A published address is listening already, but a peer on another host may be behind a
        // slow network start; refused or unreachable is retried until the deadline.
        var delay = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            SocketException? last = null;
            foreach (IPAddress candidate in addresses)
            {
                try
                {
                    return await ConnectOnceAsync(rankState, poller, new IPEndPoint(candidate, port), cancellationToken).ConfigureAwait(false);
                }
                catch (SocketException exception) when (exception.SocketErrorCode is SocketError.ConnectionRefused or SocketError.TimedOut or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.TryAgain)
                {
                    last = exception;
                }
            }

            TcpLog.ConnectRetry(rankState.Logger, rankState.Rank, peer, address, last!.SocketErrorCode.ToString());
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
        }
    }

    /// <summary>A non-blocking connect whose wait goes through the poller (see <see cref="TcpPoller"/> for why).</summary>
    private static async Task<Socket> ConnectOnceAsync(TcpRankState rankState, TcpPoller poller, IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
        try
        {
            try
            {
                socket.Connect(endPoint);
            }
            catch (SocketException exception) when (exception.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
            {
                await poller.WritableAsync(socket, cancellationToken).ConfigureAwait(false);
                int error = (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
                if (error != 0)
                {
                    throw new SocketException(error);
                }
            }

            socket.NoDelay = rankState.Options.NoDelay;
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static void DisposeAll(Task<Socket>[] tasks)
    {
        foreach (Task<Socket> task in tasks)
        {
            if (task.IsCompletedSuccessfully)
            {
                task.Result.Dispose();
            }
        }
    }
}
