using Collectives.Transport;

namespace Collectives.PointToPoint;

/// <summary>
/// A point-to-point receive read a collective's message off the stream: the source called a
/// collective this rank has not called (yet). The communicator turns it into a
/// <see cref="CollectiveMismatchException"/> naming both calls.
/// </summary>
/// <param name="tag">The collective message's tag.</param>
internal sealed class UnexpectedCollectiveMessageException(MessageTag tag)
    : Exception("A collective's message arrived where a point-to-point message was expected.")
{
    /// <summary>The collective message's tag, from which its call's signature is read.</summary>
    public MessageTag Tag => tag;
}
