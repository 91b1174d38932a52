using System.Buffers;
using System.Buffers.Binary;

namespace Collectives.Transport.Tcp;

/// <summary>
/// The fixed 40-byte header in front of every frame, little-endian:
/// <c>[0]</c> magic and version (<see cref="MagicVersion"/>), <c>[1]</c> <see cref="FrameType"/>,
/// <c>[2..4)</c> reserved (zero), <c>[4..8)</c> payload length, <c>[8..40)</c> the
/// <see cref="MessageTag"/> (zero for control frames). The payload follows.
/// </summary>
/// <param name="Type">What the frame carries.</param>
/// <param name="PayloadLength">Bytes of payload after the header.</param>
/// <param name="Tag">The message's tag (data frames).</param>
internal readonly record struct FrameHeader(FrameType Type, int PayloadLength, MessageTag Tag)
{
    /// <summary>Size of the header on the wire.</summary>
    public const int Size = 8 + MessageTag.SizeInBytes;

    /// <summary>High nibble 0xC marks a Collectives frame, low nibble the frame-format version (1).</summary>
    public const byte MagicVersion = 0xC1;

    /// <summary>Largest reason an abort frame may carry (the <see cref="ITransport.Abort"/> contract).</summary>
    public const int MaxAbortReason = 64 * 1024;

    /// <summary>Header plus payload.</summary>
    public long FrameLength => Size + (long)PayloadLength;

    /// <summary>Writes the header into the first <see cref="Size"/> bytes of <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        destination[0] = MagicVersion;
        destination[1] = (byte)Type;
        destination[2] = 0;
        destination[3] = 0;
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], PayloadLength);
        Tag.WriteTo(destination[8..]);
    }

    /// <summary>
    /// Reads a header from the start of <paramref name="buffer"/> and checks it against the
    /// protocol. Returns false when fewer than <see cref="Size"/> bytes are present; throws
    /// <see cref="ProtocolException"/> when the bytes are not a valid header.
    /// </summary>
    public static bool TryRead(ReadOnlySequence<byte> buffer, int maxPayload, out FrameHeader header)
    {
        if (buffer.Length < Size)
        {
            header = default;
            return false;
        }

        Span<byte> bytes = stackalloc byte[Size];
        buffer.Slice(0, Size).CopyTo(bytes);
        header = Parse(bytes, maxPayload);
        return true;
    }

    /// <summary>Parses and validates exactly <see cref="Size"/> bytes.</summary>
    public static FrameHeader Parse(ReadOnlySpan<byte> bytes, int maxPayload)
    {
        if (bytes[0] != MagicVersion)
        {
            throw new ProtocolException((bytes[0] & 0xF0) == (MagicVersion & 0xF0)
                ? $"it sent a frame of format version {bytes[0] & 0x0F}; this build speaks version {MagicVersion & 0x0F}"
                : $"it sent a frame with bad magic byte 0x{bytes[0]:X2} (garbage or a desynchronised stream)");
        }

        var type = (FrameType)bytes[1];
        if (bytes[2] != 0 || bytes[3] != 0)
        {
            // Version 1 gives these bytes no meaning: non-zero ones are garbage, not a header.
            throw new ProtocolException($"it sent a frame whose reserved bytes are 0x{bytes[2]:X2}{bytes[3]:X2}, not zero (garbage or a desynchronised stream)");
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
        if (length < 0)
        {
            throw new ProtocolException($"it sent a {type} frame with negative length {length}");
        }

        switch (type)
        {
            case FrameType.Data when length > maxPayload:
                throw new ProtocolException($"it sent a frame of {length} bytes, more than the maximum of {maxPayload}");
            case FrameType.Abort when length > MaxAbortReason:
                throw new ProtocolException($"it sent an abort reason of {length} bytes, more than the maximum of {MaxAbortReason}");
            case FrameType.Heartbeat or FrameType.Goodbye when length != 0:
                throw new ProtocolException($"it sent a {type} frame with a {length}-byte payload; it must be empty");
            case FrameType.Data or FrameType.Abort or FrameType.Heartbeat or FrameType.Goodbye:
                break;
            default:
                throw new ProtocolException($"it sent a frame of unknown type {(byte)type}");
        }

        return new FrameHeader(type, length, MessageTag.ReadFrom(bytes[8..]));
    }
}
