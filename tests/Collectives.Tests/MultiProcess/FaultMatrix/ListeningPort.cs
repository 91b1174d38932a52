using System.Net;
using Collectives.Transport.Security;

namespace Collectives.Tests.MultiProcess.FaultMatrix;

/// <summary>A port a running job listens on: the rendezvous server's or a rank's (TCP jobs).</summary>
/// <param name="Name">"rendezvous" or "rank N", for messages.</param>
/// <param name="EndPoint">Where it listens.</param>
/// <param name="Purpose">What its handshake serves.</param>
/// <param name="OwnerRank">The listening rank; -1 for the rendezvous server.</param>
internal sealed record ListeningPort(string Name, IPEndPoint EndPoint, HandshakePurpose Purpose, int OwnerRank)
{
    public override string ToString() => $"{Name} port {EndPoint.Port}";
}
