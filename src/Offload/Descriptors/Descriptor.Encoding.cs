using System.Buffers.Binary;
using Collectives.Reduction;

namespace Collectives.Offload.Descriptors;

internal partial struct Descriptor
{
    /// <summary>Bytes of an encoded descriptor (and of a NIC packet).</summary>
    public const int EncodedSize = 128;

    /// <summary>The layout version written in the first byte.</summary>
    public const byte FormatVersion = 1;

    private const int DataOffset = 32;
    private const int LocationOffset = DataOffset + MaxDataBytes;

    /// <summary>
    /// Writes the descriptor in its fixed little-endian layout: version, kind, flags, op, element
    /// type, width, count, branch, slot, errors (one byte each), two reserved bytes, CP, CPCnt
    /// (16-bit), sequence, completion slot, source, destination (32-bit), 48 data bytes, 12
    /// location indices (32-bit). Writes what it holds, even if malformed; decoding checks.
    /// </summary>
    /// <param name="destination">At least <see cref="EncodedSize"/> bytes.</param>
    public readonly void Encode(Span<byte> destination)
    {
        if (destination.Length < EncodedSize)
        {
            throw new ArgumentException($"A descriptor takes {EncodedSize} bytes; the destination has {destination.Length}.", nameof(destination));
        }

        destination[0] = FormatVersion;
        destination[1] = (byte)Kind;
        destination[2] = (byte)Flags;
        destination[3] = (byte)Op;
        destination[4] = (byte)ElementType;
        destination[5] = Width;
        destination[6] = Count;
        destination[7] = Branch;
        destination[8] = Slot;
        destination[9] = (byte)Errors;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[10..], 0);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[12..], Cp);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[14..], CpCnt);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[16..], Sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[20..], CompletionSlot);
        BinaryPrimitives.WriteInt32LittleEndian(destination[24..], Source);
        BinaryPrimitives.WriteInt32LittleEndian(destination[28..], Destination);
        ((ReadOnlySpan<byte>)_data).CopyTo(destination[DataOffset..]);
        for (int i = 0; i < MaxElements; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(destination[(LocationOffset + (i * sizeof(int)))..], _location[i]);
        }
    }

    /// <summary>Reads a descriptor written by <see cref="Encode"/> and checks it (<see cref="Validate"/>).</summary>
    /// <param name="source">At least <see cref="EncodedSize"/> bytes.</param>
    /// <returns>The descriptor.</returns>
    /// <exception cref="DescriptorFormatException">The bytes are malformed or inconsistent; the fault says how.</exception>
    public static Descriptor Decode(ReadOnlySpan<byte> source)
    {
        if (!TryDecode(source, out Descriptor descriptor, out DescriptorFault fault))
        {
            throw new DescriptorFormatException(fault, source.Length < EncodedSize
                ? $"A descriptor takes {EncodedSize} bytes; got {source.Length}."
                : source[0] != FormatVersion ? $"Descriptor format version {source[0]} is not {FormatVersion}."
                : descriptor.Describe(fault));
        }

        return descriptor;
    }

    /// <summary>Reads and checks a descriptor without throwing.</summary>
    /// <param name="source">The encoded bytes.</param>
    /// <param name="descriptor">The fields read (meaningful only when the result is true, or for the fault's message).</param>
    /// <param name="fault">Why it was rejected, or <see cref="DescriptorFault.None"/>.</param>
    /// <returns>Whether the descriptor is well formed.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> source, out Descriptor descriptor, out DescriptorFault fault)
    {
        descriptor = default;
        if (source.Length < EncodedSize)
        {
            fault = DescriptorFault.Truncated;
            return false;
        }

        if (source[0] != FormatVersion)
        {
            fault = DescriptorFault.UnknownVersion;
            return false;
        }

        descriptor.Kind = (DescriptorKind)source[1];
        descriptor.Flags = (DescriptorFlags)source[2];
        descriptor.Op = (ReduceOp)source[3];
        descriptor.ElementType = (ElementType)source[4];
        descriptor.Width = source[5];
        descriptor.Count = source[6];
        descriptor.Branch = source[7];
        descriptor.Slot = source[8];
        descriptor.Errors = (AluErrors)source[9];
        descriptor.Cp = BinaryPrimitives.ReadUInt16LittleEndian(source[12..]);
        descriptor.CpCnt = BinaryPrimitives.ReadUInt16LittleEndian(source[14..]);
        descriptor.Sequence = BinaryPrimitives.ReadUInt32LittleEndian(source[16..]);
        descriptor.CompletionSlot = BinaryPrimitives.ReadUInt32LittleEndian(source[20..]);
        descriptor.Source = BinaryPrimitives.ReadInt32LittleEndian(source[24..]);
        descriptor.Destination = BinaryPrimitives.ReadInt32LittleEndian(source[28..]);
        source.Slice(DataOffset, MaxDataBytes).CopyTo(descriptor._data);
        for (int i = 0; i < MaxElements; i++)
        {
            descriptor._location[i] = BinaryPrimitives.ReadInt32LittleEndian(source[(LocationOffset + (i * sizeof(int)))..]);
        }

        fault = BinaryPrimitives.ReadUInt16LittleEndian(source[10..]) != 0 ? DescriptorFault.StrayData : descriptor.Validate();
        return fault == DescriptorFault.None;
    }
}
