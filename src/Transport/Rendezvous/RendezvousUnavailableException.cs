using System.Net;

namespace Collectives.Transport.Rendezvous;

/// <summary>
/// The rendezvous server of the job could not be reached within the connect timeout, or the
/// connection to it was lost in the middle of a request.
/// </summary>
public sealed class RendezvousUnavailableException : CollectiveException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="server">The server's address.</param>
    /// <param name="reason">What happened.</param>
    /// <param name="innerException">The last underlying failure, if any.</param>
    public RendezvousUnavailableException(EndPoint server, string reason, Exception? innerException = null)
        : base($"Rendezvous server {server} is unavailable: {reason}", innerException)
    {
        Server = server;
    }

    /// <summary>The server's address.</summary>
    public EndPoint Server { get; }
}
