using System.Net;
using Microsoft.Extensions.Logging;

namespace Collectives.Transport.Rendezvous;

/// <summary>What the rendezvous server logs; source-generated so a disabled level costs nothing.</summary>
internal static partial class RendezvousServerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Rendezvous server listening on {Endpoint} for job {JobId}")]
    public static partial void Listening(ILogger logger, IPEndPoint endpoint, string jobId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Rendezvous server refused a connection from {Remote}: {Reason}")]
    public static partial void Refused(ILogger logger, EndPoint? remote, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Rendezvous server closed the connection from {Remote} after a bad request: {Reason}")]
    public static partial void BadRequest(ILogger logger, EndPoint? remote, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Rendezvous client {Remote} disconnected")]
    public static partial void Disconnected(ILogger logger, EndPoint? remote);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "Rendezvous client {Remote} set key '{Key}' ({Length} bytes)")]
    public static partial void KeySet(ILogger logger, EndPoint? remote, string key, int length);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Rendezvous server could not accept a connection; retrying")]
    public static partial void AcceptFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "Rendezvous connection from {Remote} ended by an I/O error")]
    public static partial void ConnectionLost(ILogger logger, EndPoint? remote, Exception exception);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "Rendezvous server refused {Count} more connections in the last {Seconds:0.#} s (not logged one by one)")]
    public static partial void RefusedMore(ILogger logger, long count, double seconds);
}
