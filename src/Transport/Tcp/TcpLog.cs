using System.Net;
using Microsoft.Extensions.Logging;

namespace Collectives.Transport.Tcp;

/// <summary>The TCP transport's log messages (source-generated, so disabled levels cost nothing).</summary>
internal static partial class TcpLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Rank {Rank} of {Size} listening on {EndPoint}, published as '{Published}'")]
    public static partial void Listening(ILogger logger, int rank, int size, EndPoint endPoint, string published);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Rank {Rank} connected to all {PeerCount} peers in {ElapsedMs:F1} ms")]
    public static partial void MeshReady(ILogger logger, int rank, int peerCount, double elapsedMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Rank {Rank} refused a connection from {Remote}: {Reason}")]
    public static partial void ConnectionRefused(ILogger logger, int rank, EndPoint? remote, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Rank {Rank}: peer rank {Peer} failed: {Reason}")]
    public static partial void PeerFailed(ILogger logger, int rank, int peer, string reason, Exception? exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "Rank {Rank}: peer rank {Peer} closed its transport")]
    public static partial void PeerClosed(ILogger logger, int rank, int peer);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Rank {Rank}: rank {Origin} aborted the job ({ReasonLength} reason bytes)")]
    public static partial void AbortReceived(ILogger logger, int rank, int origin, int reasonLength);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Rank {Rank} is aborting the job ({ReasonLength} reason bytes)")]
    public static partial void Aborting(ILogger logger, int rank, int reasonLength);

    [LoggerMessage(EventId = 8, Level = LogLevel.Debug, Message = "Rank {Rank}: rank {Peer} at {Address} is not reachable yet ({Error}); retrying")]
    public static partial void ConnectRetry(ILogger logger, int rank, int peer, string address, string error);

    [LoggerMessage(EventId = 9, Level = LogLevel.Error, Message = "Rank {Rank}: the listener stopped unexpectedly; later connections will not be answered")]
    public static partial void ListenerFailed(ILogger logger, int rank, Exception exception);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Rank {Rank} refused {Count} more connections in the last {Seconds:0.#} s (not logged one by one)")]
    public static partial void RefusedMore(ILogger logger, int rank, long count, double seconds);
}
