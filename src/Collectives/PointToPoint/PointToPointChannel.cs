using System.Buffers;
using System.Runtime.CompilerServices;
using Collectives.Execution.Pooling;
using Collectives.Reduction;
using Collectives.Transport;

namespace Collectives.PointToPoint;

/// <summary>
/// Tagged point-to-point messages of one communicator over its transport. Each message travels
/// as an envelope (no payload; its tag says communicator, sender, user tag, type and length)
/// followed by the payload, over the same ordered stream the collectives use. A receive takes the
/// oldest waiting message from its source with its tag: first among those set aside, then off the
/// stream, setting aside every message it reads that is not the one it wants.
/// </summary>
internal sealed class PointToPointChannel(ITransport transport, UnexpectedMessages unexpected, uint communicatorId)
{
    /// <summary>
    /// The length in bytes of the message the last <see cref="ReceiveAsync"/> received: a property
    /// rather than a result, so the receive's state machine comes from the allocation-free pool
    /// of result-less tasks (a communicator runs one call at a time).
    /// </summary>
    public int ReceivedLength { get; private set; }

    /// <summary>Sends <paramref name="payload"/> (elements of <paramref name="type"/>) to <paramref name="destination"/>; to this rank itself, sets a copy aside.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public async ValueTask SendAsync(int destination, int tag, DataType type, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var envelope = new MessageEnvelope(communicatorId, transport.Rank, tag, type.Code, payload.Length);
        if (destination == transport.Rank)
        {
            byte[] copy = ArrayPool<byte>.Shared.Rent(payload.Length);
            payload.Span.CopyTo(copy);
            unexpected.Keep(envelope, copy);
            return;
        }

        await transport.SendAsync(destination, envelope.ToTag(payload: false), ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        await transport.SendAsync(destination, envelope.ToTag(payload: true), payload, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Receives the oldest message from <paramref name="source"/> with <paramref name="tag"/> into
    /// the start of <paramref name="buffer"/>; its length in bytes is then <see cref="ReceivedLength"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The message is of another type or longer than the buffer; it stays set aside for a receive that fits.</exception>
    /// <exception cref="UnexpectedCollectiveMessageException">The source sent a collective's message: it called a collective this rank has not.</exception>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public async ValueTask ReceiveAsync(int source, int tag, DataType type, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (unexpected.TryFind(communicatorId, source, tag, out MessageEnvelope waiting))
            {
                RequireFits(waiting, type, buffer.Length);
                unexpected.Take(communicatorId, source, tag, buffer.Span[..waiting.Length]);
                ReceivedLength = waiting.Length;
                return;
            }

            if (source == transport.Rank)
            {
                throw new InvalidOperationException($"Rank {source} waits for a message from itself with tag {tag} that it has not sent: send to yourself before receiving from yourself.");
            }

            ReceivedMessage received = await transport.ReceiveAsync(source, default, Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
            if (!MessageEnvelope.IsEnvelope(received.Tag, out MessageEnvelope envelope))
            {
                throw new UnexpectedCollectiveMessageException(received.Tag);
            }

            if (envelope.CommunicatorId == communicatorId && envelope.Tag == tag && envelope.DataType == type.Code && envelope.Length <= buffer.Length)
            {
                ReceivedMessage payload = await transport.ReceiveAsync(source, envelope.ToTag(payload: true), buffer[..envelope.Length], cancellationToken).ConfigureAwait(false);
                ReceivedLength = payload.Delivered
                    ? envelope.Length
                    : throw new ProtocolException($"Rank {source} sent an envelope for {envelope.Length} bytes with tag {tag} but then a message of {payload.Length} bytes that is not its payload.");
                return;
            }

            // Another tag, another communicator over the same streams, or a message this buffer
            // cannot take: set aside whole, so a later receive finds it.
            await KeepAsync(source, envelope, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Receives the payload that follows <paramref name="envelope"/> from <paramref name="source"/>
    /// and sets the message aside. Collectives call this when they meet an envelope where they
    /// expected one of their own messages.
    /// </summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public async ValueTask KeepAsync(int source, MessageEnvelope envelope, CancellationToken cancellationToken)
    {
        byte[] payload = ArrayPool<byte>.Shared.Rent(envelope.Length);
        try
        {
            ReceivedMessage received = await transport.ReceiveAsync(source, envelope.ToTag(payload: true), payload.AsMemory(0, envelope.Length), cancellationToken).ConfigureAwait(false);
            if (!received.Delivered)
            {
                throw new ProtocolException($"Rank {source} sent an envelope for {envelope.Length} bytes with tag {envelope.Tag} but then a message of {received.Length} bytes that is not its payload.");
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(payload);
            throw;
        }

        unexpected.Keep(envelope, payload);
    }

    private static void RequireFits(MessageEnvelope envelope, DataType type, int bufferBytes)
    {
        if (envelope.DataType != type.Code)
        {
            string sent = DataType.TryFromCode(envelope.DataType, out DataType sentType) ? sentType.ToString() : $"type {envelope.DataType}";
            throw new ArgumentException($"The message from rank {envelope.Sender} with tag {envelope.Tag} holds {sent} elements, not {type}; it is kept for a receive of {sent}.", "buffer");
        }

        if (envelope.Length > bufferBytes)
        {
            throw new ArgumentException($"The message from rank {envelope.Sender} with tag {envelope.Tag} holds {envelope.Length / type.Size} elements but the buffer only {bufferBytes / type.Size}; it is kept for a receive with room for it.", "buffer");
        }
    }
}
