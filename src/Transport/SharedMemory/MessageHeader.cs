using System.Buffers.Binary;

namespace Collectives.Transport.SharedMemory;

/// <summary>
/// What precedes each message in a ring: the 32-byte tag, the payload length, and 4 reserved
/// bytes. Payloads are padded to 8 bytes so every header starts 8-aligned.
/// </summary>
internal static class MessageHeader
{
    public const int Size = MessageTag.SizeInBytes + 8;

    public static void Write(Span<byte> destination, MessageTag tag, int length)
    {
        tag.WriteTo(destination);
        BinaryPrimitives.WriteInt32LittleEndian(destination[MessageTag.SizeInBytes..], length);
        BinaryPrimitives.WriteInt32LittleEndian(destination[(MessageTag.SizeInBytes + 4)..], 0);
    }

    public static int ReadLength(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadInt32LittleEndian(header[MessageTag.SizeInBytes..]);

    /// <summary>Bytes a payload of <paramref name="length"/> takes in the ring.</summary>
    public static int Padded(int length) => (length + 7) & ~7;
}
