using System.Buffers.Binary;

namespace Collectives.Transport.SharedMemory;

/// <summary>
/// What precedes each message in a ring: the 32-byte tag, the payload length, and 4 reserved
/// bytes (zero). Payloads are padded to 8 bytes so every header starts 8-aligned.
/// </summary>
internal static class MessageHeader
{
    public const int Size = MessageTag.SizeInBytes + 8;

    /// <summary>The longest payload a header may announce: the longest array .NET can hold, so padding it never overflows.</summary>
    public const int MaxLength = 0x7FFF_FFC7;

    private const int LengthOffset = MessageTag.SizeInBytes;
    private const int ReservedOffset = MessageTag.SizeInBytes + 4;

    public static void Write(Span<byte> destination, MessageTag tag, int length)
    {
        tag.WriteTo(destination);
        BinaryPrimitives.WriteInt32LittleEndian(destination[LengthOffset..], length);
        BinaryPrimitives.WriteInt32LittleEndian(destination[ReservedOffset..], 0);
    }

    /// <summary>
    /// Reads and checks a header that rank <paramref name="source"/> wrote: returns the payload
    /// length (0 to <see cref="MaxLength"/>) and the tag.
    /// </summary>
    /// <exception cref="ProtocolException">The length is negative or too long, or the reserved bytes are not zero.</exception>
    public static int Read(ReadOnlySpan<byte> header, int source, out MessageTag tag)
    {
        int length = BinaryPrimitives.ReadInt32LittleEndian(header[LengthOffset..]);
        if (length is < 0 or > MaxLength)
        {
            throw new ProtocolException($"Rank {source} wrote a message of {length} bytes into its shared-memory ring (the longest is {MaxLength}).");
        }

        int reserved = BinaryPrimitives.ReadInt32LittleEndian(header[ReservedOffset..]);
        if (reserved != 0)
        {
            throw new ProtocolException($"Rank {source} wrote a message header with reserved bytes 0x{reserved:X8}, not zero, into its shared-memory ring (garbage or a torn write).");
        }

        tag = MessageTag.ReadFrom(header);
        return length;
    }

    /// <summary>Bytes a payload of <paramref name="length"/> (0 to <see cref="MaxLength"/>) takes in the ring.</summary>
    public static int Padded(int length) => (length + 7) & ~7;
}
