using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Collectives.Transport.Diagnostics;
using Collectives.Transport.Security;
using Microsoft.Extensions.Logging;

namespace Collectives.Transport.Rendezvous;

/// <summary>
/// Serves one accepted connection of a <see cref="RendezvousServer"/>: the handshake, then
/// requests in order. A reader task decodes frames while this connection answers them, so a GET
/// waiting for its key still notices at once when the client goes away (a 0-byte read) and stops
/// waiting rather than holding the connection until the server stops.
/// </summary>
internal sealed class RendezvousConnection
{
    // A well-behaved client has one request in flight; a few more are buffered before reading
    // pauses, so a client that floods requests gets TCP backpressure, not server memory.
    private const int MaxQueuedRequests = 4;

    // After a bad request the server stops sending and discards what the client still sends for
    // at most this long, so its error reply is not lost to a reset caused by unread bytes.
    private static readonly TimeSpan LingerTime = TimeSpan.FromSeconds(1);

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly EndPoint? _remote;
    private readonly JobCredentials _credentials;
    private readonly InMemoryRendezvousStore _store;
    private readonly ILogger _logger;
    private readonly RefusalThrottle _refusals;
    private readonly TimeSpan _handshakeTimeout;

    public RendezvousConnection(Socket socket, JobCredentials credentials, InMemoryRendezvousStore store, ILogger logger, RefusalThrottle refusals, TimeSpan handshakeTimeout)
    {
        _refusals = refusals;
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _remote = socket.RemoteEndPoint;
        _credentials = credentials;
        _store = store;
        _logger = logger;
        _handshakeTimeout = handshakeTimeout;
    }

    /// <summary>Serves the connection until the client leaves, breaks the protocol, or the server stops. Never throws.</summary>
    public async Task ServeAsync(CancellationToken serverStopping)
    {
        await using (_stream.ConfigureAwait(false))
        {
            try
            {
                if (await AuthenticateAsync(serverStopping).ConfigureAwait(false))
                {
                    await ServeRequestsAsync(serverStopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (serverStopping.IsCancellationRequested)
            {
                // The server is stopping: nothing to report.
            }
            catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
            {
                RendezvousServerLog.ConnectionLost(_logger, _remote, exception);
            }
        }
    }

    private async Task<bool> AuthenticateAsync(CancellationToken serverStopping)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(serverStopping);
        deadline.CancelAfter(_handshakeTimeout);
        try
        {
            await Handshake.AcceptAsync(_stream, _credentials, HandshakePurpose.Rendezvous, acceptorRank: -1, deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (ProtocolException exception)
        {
            Refuse(exception.Message);
        }
        catch (OperationCanceledException) when (!serverStopping.IsCancellationRequested)
        {
            Refuse($"it did not complete the handshake within {_handshakeTimeout.TotalSeconds:0.###} s");
        }
        catch (Exception exception) when (exception is IOException or SocketException)
        {
            Refuse($"the connection failed during the handshake ({exception.Message})");
        }

        return false;
    }

    private void Refuse(string reason) => _refusals.Refused(() => RendezvousServerLog.Refused(_logger, _remote, reason));

    private async Task ServeRequestsAsync(CancellationToken serverStopping)
    {
        // Cancelled when the client is gone or the server stops: ends waiting GETs.
        using var clientGone = CancellationTokenSource.CreateLinkedTokenSource(serverStopping);
        var requests = Channel.CreateBounded<RendezvousRequest>(new BoundedChannelOptions(MaxQueuedRequests) { SingleReader = true, SingleWriter = true });
        Task reading = ReadRequestsAsync(requests.Writer, clientGone);
        try
        {
            await AnswerRequestsAsync(requests.Reader, clientGone.Token).ConfigureAwait(false);
        }
        finally
        {
            // Answering can end first (a bad request, a failed write): stop the reader too.
            await clientGone.CancelAsync().ConfigureAwait(false);
            await reading.ConfigureAwait(false);
        }
    }

    private async Task ReadRequestsAsync(ChannelWriter<RendezvousRequest> writer, CancellationTokenSource clientGone)
    {
        try
        {
            while (true)
            {
                byte[]? body = await RendezvousProtocol.ReadFrameAsync(_stream, RendezvousProtocol.MaxRequestBodyBytes, "The client", clientGone.Token).ConfigureAwait(false);
                if (body is null)
                {
                    RendezvousServerLog.Disconnected(_logger, _remote);
                    await clientGone.CancelAsync().ConfigureAwait(false);
                    return;
                }

                RendezvousRequest request = RendezvousProtocol.DecodeRequest(body);
                await writer.WriteAsync(request, clientGone.Token).ConfigureAwait(false);
                if (request.Error is not null)
                {
                    return;
                }
            }
        }
        catch (ProtocolException exception)
        {
            // Truncated or oversized: answered (if the client still listens) and logged in order.
            await QueueRefusalAsync(writer, exception.Message, clientGone.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The answering side stopped, or the server is stopping.
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
        {
            RendezvousServerLog.ConnectionLost(_logger, _remote, exception);
            await clientGone.CancelAsync().ConfigureAwait(false);
        }
        finally
        {
            writer.TryComplete();
        }
    }

    private static async Task QueueRefusalAsync(ChannelWriter<RendezvousRequest> writer, string reason, CancellationToken clientGone)
    {
        try
        {
            await writer.WriteAsync(RendezvousRequest.Invalid(reason), clientGone).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The answering side already stopped; nobody is left to send the refusal.
        }
    }

    private async Task AnswerRequestsAsync(ChannelReader<RendezvousRequest> reader, CancellationToken clientGone)
    {
        // Not reading with clientGone: a SET the client sent just before closing is still applied.
        await foreach (RendezvousRequest request in reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (request.Error is { } reason)
            {
                RendezvousServerLog.BadRequest(_logger, _remote, reason);
                await RefuseAsync(reason).ConfigureAwait(false);
                return;
            }

            byte[] response;
            if (request.Opcode == RendezvousOpcode.Set)
            {
                try
                {
                    await _store.SetAsync(request.Key, request.Value, CancellationToken.None).ConfigureAwait(false);
                    RendezvousServerLog.KeySet(_logger, _remote, request.Key, request.Value.Length);
                    response = RendezvousProtocol.EncodeResponse(RendezvousStatus.Ok, []);
                }
                catch (InvalidOperationException exception)
                {
                    response = RendezvousProtocol.EncodeError(RendezvousStatus.KeyAlreadySet, exception.Message);
                }
            }
            else
            {
                byte[] value;
                try
                {
                    value = await _store.GetAsync(request.Key, clientGone).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                response = RendezvousProtocol.EncodeResponse(RendezvousStatus.Ok, value);
            }

            await _stream.WriteAsync(response, clientGone).ConfigureAwait(false);
        }
    }

    private async Task RefuseAsync(string reason)
    {
        try
        {
            using var linger = new CancellationTokenSource(LingerTime);
            await _stream.WriteAsync(RendezvousProtocol.EncodeError(RendezvousStatus.BadRequest, reason), linger.Token).ConfigureAwait(false);
            _socket.Shutdown(SocketShutdown.Send);
            byte[] discard = new byte[16 * 1024];
            while (await _stream.ReadAsync(discard, linger.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client left or kept sending: the reply was best effort.
        }
    }
}
