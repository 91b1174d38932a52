namespace Collectives.Transport;

/// <summary>
/// A 32-byte label that travels with every message. Transports never interpret it: they carry it
/// verbatim and compare it for equality with the label a receiver expects. The layer above packs
/// whatever it needs to verify a message (sequence number, operation signature, step) into it.
/// </summary>
/// <param name="Word0">First 64-bit word of the label.</param>
/// <param name="Word1">Second 64-bit word of the label.</param>
/// <param name="Word2">Third 64-bit word of the label.</param>
/// <param name="Word3">Fourth 64-bit word of the label.</param>
public readonly record struct MessageTag(ulong Word0, ulong Word1, ulong Word2, ulong Word3)
{
    /// <summary>Size of a tag on the wire, in bytes.</summary>
    public const int SizeInBytes = 32;

    /// <summary>Writes the tag as four little-endian words.</summary>
    /// <param name="destination">At least <see cref="SizeInBytes"/> bytes.</param>
    public void WriteTo(Span<byte> destination)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(destination, Word0);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], Word1);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], Word2);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], Word3);
    }

    /// <summary>Reads a tag written by <see cref="WriteTo"/>.</summary>
    /// <param name="source">At least <see cref="SizeInBytes"/> bytes.</param>
    /// <returns>The tag.</returns>
    public static MessageTag ReadFrom(ReadOnlySpan<byte> source) => new(
        System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(source),
        System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(source[8..]),
        System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(source[16..]),
        System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(source[24..]));
}
