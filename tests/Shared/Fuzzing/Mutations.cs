using System.Buffers.Binary;
using CsCheck;

namespace Collectives.Testing.Fuzzing;

/// <summary>A length (or count) field of an encoding: where it sits and how wide it is (1, 2 or 4 bytes, little-endian).</summary>
/// <param name="Offset">Its first byte.</param>
/// <param name="Width">1, 2 or 4.</param>
internal readonly record struct LengthField(int Offset, int Width);

/// <summary>
/// Generators of hostile bytes: fully random ones, and valid encodings (made by our own encoder)
/// damaged the ways a broken or malicious peer would: bits flipped, bytes overwritten, cut short,
/// extended, and length fields set to extremes.
/// </summary>
internal static class Mutations
{
    /// <summary>Values a length field is set to: the extremes of a signed and an unsigned 32-bit field, and the values next to 0.</summary>
    public static readonly int[] ExtremeLengths = [int.MaxValue, int.MinValue, -1, 0, 1, int.MaxValue - 7, int.MinValue + 1, 0x7FFF, 0x8000, 0xFFFF, 0x10000];

    /// <summary>Random bytes, 0 to <paramref name="maxLength"/> of them.</summary>
    public static Gen<byte[]> RandomBytes(int maxLength) => Gen.Byte.Array[0, maxLength];

    /// <summary>A valid encoding damaged one of the ways listed above (the length fields only if any are named).</summary>
    public static Gen<byte[]> Of(Gen<byte[]> valid, params LengthField[] lengthFields)
    {
        var mutations = new List<Gen<byte[]>> { FlipBits(valid), Overwrite(valid), Truncate(valid), Extend(valid) };
        if (lengthFields.Length > 0)
        {
            mutations.Add(SetLength(valid, lengthFields));
        }

        return Gen.OneOf([.. mutations]);
    }

    /// <summary>Valid encodings as they are, and damaged ones, half and half.</summary>
    public static Gen<byte[]> ValidOrMutated(Gen<byte[]> valid, params LengthField[] lengthFields)
        => Gen.OneOf(valid, Of(valid, lengthFields));

    /// <summary>1 to 8 bits flipped anywhere.</summary>
    public static Gen<byte[]> FlipBits(Gen<byte[]> valid) =>
        from bytes in valid.Where(bytes => bytes.Length > 0)
        from bits in Gen.Int[0, (bytes.Length * 8) - 1].Array[1, 8]
        select Changed(bytes, copy =>
        {
            foreach (int bit in bits)
            {
                copy[bit / 8] ^= (byte)(1 << (bit % 8));
            }
        });

    /// <summary>One to four bytes replaced by random values.</summary>
    public static Gen<byte[]> Overwrite(Gen<byte[]> valid) =>
        from bytes in valid.Where(bytes => bytes.Length > 0)
        from edits in Gen.Select(Gen.Int[0, bytes.Length - 1], Gen.Byte).Array[1, 4]
        select Changed(bytes, copy =>
        {
            foreach ((int position, byte value) in edits)
            {
                copy[position] = value;
            }
        });

    /// <summary>Cut anywhere before its end, down to nothing.</summary>
    public static Gen<byte[]> Truncate(Gen<byte[]> valid) =>
        from bytes in valid.Where(bytes => bytes.Length > 0)
        from length in Gen.Int[0, bytes.Length - 1]
        select bytes[..length];

    /// <summary>1 to 64 random bytes appended.</summary>
    public static Gen<byte[]> Extend(Gen<byte[]> valid) =>
        from bytes in valid
        from tail in Gen.Byte.Array[1, 64]
        select (byte[])[.. bytes, .. tail];

    /// <summary>One of <paramref name="fields"/> set to an extreme (<see cref="ExtremeLengths"/>) or a random value.</summary>
    public static Gen<byte[]> SetLength(Gen<byte[]> valid, params LengthField[] fields) =>
        from bytes in valid
        from field in Gen.OneOf(fields.Where(field => field.Offset + field.Width <= bytes.Length).DefaultIfEmpty(new LengthField(-1, 0)).ToArray())
        from value in Gen.Frequency((3, Gen.OneOf(ExtremeLengths)), (1, Gen.Int))
        select field.Offset < 0 ? bytes : Changed(bytes, copy => WriteField(copy, field, value));

    /// <summary>Writes <paramref name="value"/> into <paramref name="field"/>, cut to its width.</summary>
    public static void WriteField(Span<byte> bytes, LengthField field, int value)
    {
        if (field.Width == 1)
        {
            bytes[field.Offset] = (byte)value;
        }
        else if (field.Width == 2)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes[field.Offset..], (ushort)value);
        }
        else
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes[field.Offset..], value);
        }
    }

    private static byte[] Changed(byte[] original, Action<byte[]> change)
    {
        byte[] copy = [.. original];
        change(copy);
        return copy;
    }
}
