using System.Buffers;

namespace Collectives.PointToPoint;

/// <summary>
/// Point-to-point messages that arrived before a receive wanted them: a receive for another tag,
/// a collective, or a receive with a buffer too small or of another type read them off the
/// stream they share. They wait here, in arrival order, until a receive that matches takes them.
/// Shared by every communicator over one transport on this rank, since they share its streams.
/// </summary>
internal sealed class UnexpectedMessages
{
    private readonly Lock _gate = new();
    private readonly List<(MessageEnvelope Envelope, byte[] Payload)> _messages = [];

    /// <summary>How many messages wait.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _messages.Count;
            }
        }
    }

    /// <summary>Keeps a message whose payload is in <paramref name="payload"/> (rented from <see cref="ArrayPool{T}.Shared"/>; this takes it over).</summary>
    public void Keep(MessageEnvelope envelope, byte[] payload)
    {
        lock (_gate)
        {
            _messages.Add((envelope, payload));
        }
    }

    /// <summary>
    /// The envelope of the oldest waiting message from <paramref name="sender"/> on communicator
    /// <paramref name="communicatorId"/> with <paramref name="tag"/>, if any, without taking it:
    /// messages with the same sender and tag are received in the order they were sent.
    /// </summary>
    public bool TryFind(uint communicatorId, int sender, int tag, out MessageEnvelope envelope)
    {
        lock (_gate)
        {
            int index = IndexOf(communicatorId, sender, tag);
            envelope = index >= 0 ? _messages[index].Envelope : default;
            return index >= 0;
        }
    }

    /// <summary>Takes the message <see cref="TryFind"/> found and copies its payload into <paramref name="destination"/> (at least its length).</summary>
    public void Take(uint communicatorId, int sender, int tag, Span<byte> destination)
    {
        byte[] payload;
        int length;
        lock (_gate)
        {
            int index = IndexOf(communicatorId, sender, tag);
            if (index < 0)
            {
                throw new InvalidOperationException($"No message from rank {sender} with tag {tag} waits.");
            }

            payload = _messages[index].Payload;
            length = destination.Length;
            _messages.RemoveAt(index);
        }

        payload.AsSpan(0, length).CopyTo(destination);
        ArrayPool<byte>.Shared.Return(payload);
    }

    /// <summary>Returns every waiting payload to the pool: the transport under them is closing.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            foreach ((_, byte[] payload) in _messages)
            {
                ArrayPool<byte>.Shared.Return(payload);
            }

            _messages.Clear();
        }
    }

    /// <summary>A loop, not a predicate: a capturing lambda would allocate on every receive.</summary>
    private int IndexOf(uint communicatorId, int sender, int tag)
    {
        for (int i = 0; i < _messages.Count; i++)
        {
            MessageEnvelope envelope = _messages[i].Envelope;
            if (envelope.CommunicatorId == communicatorId && envelope.Sender == sender && envelope.Tag == tag)
            {
                return i;
            }
        }

        return -1;
    }
}
