using Collectives.Transport;

namespace Collectives.PointToPoint;

/// <summary>
/// What a point-to-point message is, sent ahead of its payload as a message of its own with no
/// payload: the communicator, sender, user tag, element type and count. A receiver learns from it
/// how long the payload is and whether this receive wants it, before the payload arrives, so a
/// message meant for a later receive (or one too long for the buffer) can be set aside whole
/// instead of being lost.
/// </summary>
/// <param name="CommunicatorId">The communicator it was sent on (0 for a communicator that is not a sub-communicator).</param>
/// <param name="Sender">The sender's rank in that communicator.</param>
/// <param name="Tag">The user's tag, at least 0.</param>
/// <param name="DataType">The element type's code (<see cref="Reduction.DataType.Code"/>).</param>
/// <param name="Length">The payload's length in bytes.</param>
internal readonly record struct MessageEnvelope(uint CommunicatorId, int Sender, int Tag, byte DataType, int Length)
{
    /// <summary>
    /// The low byte of a tag's second word: where collectives put their <see cref="CollectiveKind"/>
    /// (small values), so a collective that meets an envelope on a stream it shares with
    /// point-to-point messages knows it for one.
    /// </summary>
    private const byte Marker = 0xF0;

    /// <summary>The label of the envelope message (<paramref name="payload"/> false) or of the payload message that follows it.</summary>
    public MessageTag ToTag(bool payload) => new(
        0,
        Marker | ((ulong)DataType << 16) | ((ulong)(uint)Tag << 32),
        (uint)Length | ((ulong)CommunicatorId << 32),
        (uint)Sender | (payload ? 1UL << 32 : 0));

    /// <summary>Reads a tag made by <see cref="ToTag"/>; false for any other tag.</summary>
    public static bool TryRead(MessageTag tag, out MessageEnvelope envelope, out bool payload)
    {
        payload = (tag.Word3 >> 32) == 1;
        envelope = new MessageEnvelope((uint)(tag.Word2 >> 32), (int)(uint)tag.Word3, (int)(uint)(tag.Word1 >> 32), (byte)(tag.Word1 >> 16), (int)(uint)tag.Word2);
        return tag.Word0 == 0 && (byte)tag.Word1 == Marker && (tag.Word3 >> 32) <= 1 && envelope.Tag >= 0 && envelope.Length >= 0 && envelope.Sender >= 0;
    }

    /// <summary>Whether <paramref name="tag"/> labels an envelope (not a payload, not a collective's message).</summary>
    public static bool IsEnvelope(MessageTag tag, out MessageEnvelope envelope) => TryRead(tag, out envelope, out bool payload) && !payload;
}
