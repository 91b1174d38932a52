using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Collectives.Transport.Diagnostics;
using Collectives.Transport.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Collectives.Transport.Rendezvous;

/// <summary>
/// The rendezvous store of a job, served over TCP: hosted by <c>collrun</c>, or by rank 0 when
/// another launcher started the job. Every connection must first pass the job's handshake
/// (<see cref="HandshakePurpose.Rendezvous"/>); anything else (garbage, a wrong secret, job or
/// version, a truncated or oversized request) is refused, logged with the reason, and the server
/// goes on serving the others. Refusals before the handshake completes are rate-limited in the log
/// (the first 5 of every 10 s one by one, then a count), so a client connecting in a loop cannot
/// flood it. Keys are write-once; a GET waits server-side until its key is set
/// or its client goes away. Clients connect with <see cref="RendezvousClient"/>.
/// </summary>
internal sealed class RendezvousServer : IAsyncDisposable
{
    /// <summary>How long a new connection has to complete the handshake before it is dropped: 10 seconds.</summary>
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    // Ranks connect in a burst at start-up; a deep backlog keeps the kernel from refusing them.
    private const int ListenBacklog = 512;

    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly Socket _listener;
    private readonly JobCredentials _credentials;
    private readonly ILogger _logger;
    private readonly TimeSpan _handshakeTimeout;
    private readonly RefusalThrottle _refusals;
    private readonly InMemoryRendezvousStore _store = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private Task _acceptLoop = Task.CompletedTask;
    private long _nextConnectionId;
    private int _disposed;

    private RendezvousServer(Socket listener, JobCredentials credentials, ILogger logger, TimeSpan handshakeTimeout, TimeProvider? clock)
    {
        _listener = listener;
        _credentials = credentials;
        _logger = logger;
        _handshakeTimeout = handshakeTimeout;
        _refusals = new RefusalThrottle((count, span) => RendezvousServerLog.RefusedMore(logger, count, span.TotalSeconds), clock);
        Endpoint = (IPEndPoint)listener.LocalEndPoint!;
    }

    /// <summary>The address the server actually listens on (with the port chosen when 0 was asked for).</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>Binds <paramref name="bind"/> and starts serving.</summary>
    /// <param name="bind">Address and port to listen on; port 0 picks a free port (see <see cref="Endpoint"/>).
    /// <see cref="IPAddress.IPv6Any"/> also accepts IPv4 clients.</param>
    /// <param name="credentials">The job's credentials; only clients that hold them are served.</param>
    /// <param name="loggerFactory">Where refused connections and bad requests are logged; null logs nothing.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop.</returns>
    /// <exception cref="SocketException">The address cannot be bound (already in use, or not an address of this host).</exception>
    public static Task<RendezvousServer> StartAsync(IPEndPoint bind, JobCredentials credentials, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
        => StartAsync(bind, credentials, loggerFactory, HandshakeTimeout, cancellationToken);

    /// <summary>As the public overload, with a shorter handshake timeout and a fake clock (for the refusal log's windows) for tests.</summary>
    internal static Task<RendezvousServer> StartAsync(
        IPEndPoint bind, JobCredentials credentials, ILoggerFactory? loggerFactory, TimeSpan handshakeTimeout, CancellationToken cancellationToken, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(bind);
        ArgumentNullException.ThrowIfNull(credentials);
        cancellationToken.ThrowIfCancellationRequested();

        var listener = new Socket(bind.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (bind.Address.Equals(IPAddress.IPv6Any))
            {
                listener.DualMode = true;
            }

            listener.Bind(bind);
            listener.Listen(ListenBacklog);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        ILogger logger = loggerFactory?.CreateLogger<RendezvousServer>() ?? NullLogger<RendezvousServer>.Instance;
        var server = new RendezvousServer(listener, credentials, logger, handshakeTimeout, clock);
        RendezvousServerLog.Listening(logger, server.Endpoint, credentials.JobId);
        server._acceptLoop = Task.Run(server.AcceptLoopAsync, CancellationToken.None);
        return Task.FromResult(server);
    }

    /// <summary>Stops listening, closes every connection (ending waiting GETs) and waits for them.</summary>
    /// <returns>Completes when everything is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        await Task.WhenAll(_connections.Values).ConfigureAwait(false);
        _refusals.Flush();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        CancellationToken stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException exception)
            {
                // For example too many open files: back off instead of spinning, keep serving.
                RendezvousServerLog.AcceptFailed(_logger, exception);
                try
                {
                    await Task.Delay(AcceptRetryDelay, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            socket.NoDelay = true;
            var connection = new RendezvousConnection(socket, _credentials, _store, _logger, _refusals, _handshakeTimeout);
            long id = Interlocked.Increment(ref _nextConnectionId);
            Task serving = Task.Run(() => connection.ServeAsync(stopping), CancellationToken.None);
            _connections[id] = serving;
            _ = serving.ContinueWith(_ => _connections.TryRemove(id, out Task? _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
