using Collectives.Reduction;

namespace Collectives.Tests.Reduction;

/// <summary>
/// Element types as the wire and the signatures see them: codes are fixed (a rank of another build
/// must read them alike), the 16-bit floats were appended after the six original types, and sizes
/// follow the type.
/// </summary>
public class DataTypeTests
{
    [Test]
    public void Element_type_codes_are_pinned_with_the_16_bit_floats_appended()
    {
        byte[] codes =
        [
            CodeOf<float>(), CodeOf<double>(), CodeOf<int>(), CodeOf<long>(), CodeOf<uint>(), CodeOf<ulong>(), CodeOf<Half>(), CodeOf<BFloat16>(),
        ];

        Assert.That(codes, Is.EqualTo(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }));
    }

    [Test]
    public void Half_and_BFloat16_are_two_byte_floating_point_types()
    {
        DataType[] types = [DataType.Of<Half>()!.Value, DataType.Of<BFloat16>()!.Value];

        Assert.That(types.Select(type => (type.Element, type.Size, type.IsFloatingPoint)), Is.EqualTo(new[] { (ElementType.Float16, 2, true), (ElementType.BFloat16, 2, true) }));
    }

    [TestCase((byte)7, true)]
    [TestCase((byte)8, true)]
    [TestCase((byte)9, false)]
    [TestCase((byte)0, false)]
    public void TryFromCode_knows_every_element_type_and_nothing_past_the_last(byte code, bool known)
        => Assert.That(DataType.TryFromCode(code, out _), Is.EqualTo(known));

    private static byte CodeOf<T>()
        where T : unmanaged
        => DataType.Of<T>()!.Value.Code;
}
