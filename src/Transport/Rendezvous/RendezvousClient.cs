using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Collectives.Transport.Security;

namespace Collectives.Transport.Rendezvous;

/// <summary>
/// A connection to a job's <see cref="RendezvousServer"/>, used as its <see cref="IRendezvousStore"/>.
/// Requests go one at a time over a single authenticated connection. A request that is cancelled
/// or fails drops the connection (its answer could otherwise arrive later and be taken for the
/// next request's); the next request reconnects, within the same connect timeout.
/// </summary>
internal sealed class RendezvousClient : IRendezvousStore
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMilliseconds(500);

    // Even when the connect deadline is close, give a started attempt this long to finish its
    // handshake, so a server that appears at the last moment is not raced out by the clock.
    private static readonly TimeSpan MinAttemptTime = TimeSpan.FromSeconds(1);

    private readonly JobCredentials _credentials;
    private readonly TimeSpan _connectTimeout;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private NetworkStream? _stream;
    private volatile bool _disposed;

    private RendezvousClient(EndPoint server, JobCredentials credentials, TimeSpan connectTimeout)
    {
        Server = server;
        _credentials = credentials;
        _connectTimeout = connectTimeout;
    }

    /// <summary>The server's address.</summary>
    public EndPoint Server { get; }

    /// <summary>
    /// Connects and authenticates to the server, retrying (with a growing pause up to 0.5 s) while
    /// nobody listens yet, because ranks may start before the rank or launcher that hosts the server.
    /// </summary>
    /// <param name="server">The server's address: an <see cref="IPEndPoint"/>, or a <see cref="DnsEndPoint"/> whose name is resolved on each attempt.</param>
    /// <param name="credentials">The job's credentials.</param>
    /// <param name="connectTimeout">How long to keep trying.</param>
    /// <param name="cancellationToken">Cancels the attempts.</param>
    /// <returns>The connected client.</returns>
    /// <exception cref="RendezvousUnavailableException">No connection could be made within <paramref name="connectTimeout"/>.</exception>
    /// <exception cref="ProtocolException">The server refused the handshake (another job, another secret, another version) or is not a rendezvous server; not retried.</exception>
    public static async Task<RendezvousClient> ConnectAsync(EndPoint server, JobCredentials credentials, TimeSpan connectTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(connectTimeout, TimeSpan.Zero);
        var client = new RendezvousClient(server, credentials, connectTimeout);
        client._stream = await client.OpenAsync(cancellationToken).ConfigureAwait(false);
        return client;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The key is empty or longer than 1 KiB of UTF-8, or the value is larger than 64 KiB.</exception>
    /// <exception cref="InvalidOperationException">The key already holds a value (keys are write-once).</exception>
    /// <exception cref="RendezvousUnavailableException">The connection was lost and could not be re-established.</exception>
    public async ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        byte[] keyBytes = RendezvousProtocol.EncodeKey(key);
        if (value.Length > RendezvousProtocol.MaxValueBytes)
        {
            throw new ArgumentException($"A rendezvous value is at most {RendezvousProtocol.MaxValueBytes} bytes; the one for '{key}' is {value.Length}.", nameof(value));
        }

        byte[] frame = RendezvousProtocol.EncodeRequest(RendezvousOpcode.Set, keyBytes, value.Span);
        (RendezvousStatus status, byte[] payload) = await ExchangeAsync(frame, $"SET '{key}'", cancellationToken).ConfigureAwait(false);
        if (status == RendezvousStatus.KeyAlreadySet)
        {
            throw new InvalidOperationException(RendezvousProtocol.DecodeMessage(payload));
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The key is empty or longer than 1 KiB of UTF-8.</exception>
    /// <exception cref="RendezvousUnavailableException">The connection was lost and could not be re-established.</exception>
    public async ValueTask<byte[]> GetAsync(string key, CancellationToken cancellationToken)
    {
        byte[] frame = RendezvousProtocol.EncodeRequest(RendezvousOpcode.Get, RendezvousProtocol.EncodeKey(key), []);
        (RendezvousStatus status, byte[] payload) = await ExchangeAsync(frame, $"GET '{key}'", cancellationToken).ConfigureAwait(false);
        if (status != RendezvousStatus.Ok)
        {
            throw new ProtocolException($"The rendezvous server answered GET '{key}' with status {status}.");
        }

        return payload;
    }

    /// <summary>Closes the connection; a request still waiting fails with <see cref="ObjectDisposedException"/>.</summary>
    /// <returns>Completes when closed.</returns>
    public ValueTask DisposeAsync()
    {
        _disposed = true;
        Interlocked.Exchange(ref _stream, null)?.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<(RendezvousStatus Status, byte[] Payload)> ExchangeAsync(byte[] frame, string what, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            NetworkStream stream = _stream ??= await OpenAsync(cancellationToken).ConfigureAwait(false);
            byte[]? body;
            try
            {
                await stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
                body = await RendezvousProtocol.ReadFrameAsync(stream, RendezvousProtocol.MaxResponseBodyBytes, "The rendezvous server", cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ProtocolException)
            {
                Drop(stream);
                ObjectDisposedException.ThrowIf(_disposed, this);
                throw;
            }
            catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
            {
                Drop(stream);
                ObjectDisposedException.ThrowIf(_disposed, this);
                throw new RendezvousUnavailableException(Server, $"the connection was lost during {what}.", exception);
            }

            if (body is null)
            {
                Drop(stream);
                throw new RendezvousUnavailableException(Server, $"the server closed the connection during {what}.");
            }

            try
            {
                return RendezvousProtocol.DecodeResponse(body, what);
            }
            catch (ProtocolException)
            {
                Drop(stream);
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Drop(NetworkStream stream)
    {
        Interlocked.CompareExchange(ref _stream, null, stream);
        stream.Dispose();
    }

    private async Task<NetworkStream> OpenAsync(CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        TimeSpan delay = FirstRetryDelay;
        Exception? lastFailure = null;
        for (int attempt = 1; ; attempt++)
        {
            TimeSpan remaining = _connectTimeout - Stopwatch.GetElapsedTime(start);
            if (remaining <= TimeSpan.Zero)
            {
                string last = lastFailure is null ? string.Empty : $"; last failure: {lastFailure.Message}";
                throw new RendezvousUnavailableException(Server, $"no connection within {_connectTimeout.TotalSeconds:0.###} s ({attempt - 1} attempts{last}).", lastFailure);
            }

            try
            {
                return await TryOpenOnceAsync(remaining < MinAttemptTime ? MinAttemptTime : remaining, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is SocketException or IOException
                || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Nobody listening yet, a reset, an unresolvable name (DNS records of a starting
                // pod appear late), or an attempt that ran out of time: try again.
                lastFailure = exception;
            }

            // Jittered, so the ranks of a job starting together do not knock in lockstep.
            remaining = _connectTimeout - Stopwatch.GetElapsedTime(start);
            TimeSpan pause = delay * (0.5 + Random.Shared.NextDouble());
            await Task.Delay(pause < remaining ? pause : remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            delay = delay * 2 < MaxRetryDelay ? delay * 2 : MaxRetryDelay;
        }
    }

    /// <summary>Whether a connect to a local port nobody listened on ended in a TCP self-connect (local end = remote end).</summary>
    internal static bool IsConnectedToItself(Socket socket)
        => socket.LocalEndPoint is IPEndPoint local && socket.RemoteEndPoint is IPEndPoint remote && local.Equals(remote);

    private async Task<NetworkStream> TryOpenOnceAsync(TimeSpan attemptTime, CancellationToken cancellationToken)
    {
        Socket socket = Server is IPEndPoint ip
            ? new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.NoDelay = true;
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(attemptTime);
        NetworkStream? stream = null;
        try
        {
            await socket.ConnectAsync(Server, attempt.Token).ConfigureAwait(false);
            if (IsConnectedToItself(socket))
            {
                // Rank 0 does not listen yet and the kernel gave this attempt the server's own
                // port as its local port: TCP joined the socket to itself. Holding it would keep
                // rank 0 from binding the port, so drop it and knock again, as for a refusal.
                throw new SocketException((int)SocketError.ConnectionRefused);
            }

            stream = new NetworkStream(socket, ownsSocket: true);
            try
            {
                await Handshake.ConnectAsync(stream, _credentials, HandshakePurpose.Rendezvous, connectorRank: -1, expectedAcceptorRank: -1, attempt.Token).ConfigureAwait(false);
            }
            catch (ProtocolException exception)
            {
                throw new ProtocolException($"The rendezvous handshake with {Server} failed: {exception.Message}", exception);
            }

            return stream;
        }
        catch
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                socket.Dispose();
            }

            throw;
        }
    }
}
