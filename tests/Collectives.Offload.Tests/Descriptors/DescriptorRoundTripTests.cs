using Collectives.Offload.Descriptors;
using Collectives.Offload.Tests.Support;
using Collectives.Reduction;

namespace Collectives.Offload.Tests.Descriptors;

public sealed class DescriptorRoundTripTests
{
    /// <summary>One field each, set to a value other than the starting descriptor's, and how to read it back.</summary>
    private static readonly (string Field, DescriptorEdit Edit, Func<Descriptor, object> Read)[] Fields =
    [
        ("Kind", (ref Descriptor d) => d.Kind = DescriptorKind.Broadcast, d => d.Kind),
        ("Flags", (ref Descriptor d) => d.Flags = DescriptorFlags.Swap | DescriptorFlags.Queue, d => d.Flags),
        ("Op", (ref Descriptor d) => d.Op = ReduceOp.BitwiseXor, d => d.Op),
        ("ElementType and Width", (ref Descriptor d) => { d.ElementType = ElementType.UInt64; d.Width = 64; }, d => (d.ElementType, d.Width)),
        ("Count", (ref Descriptor d) => { d.Count = 12; d.Data[44] = 9; }, d => d.Count),
        ("Branch", (ref Descriptor d) => d.Branch = 255, d => d.Branch),
        ("Slot", (ref Descriptor d) => d.Slot = 0, d => d.Slot),
        ("Errors", (ref Descriptor d) => d.Errors = AluErrors.IntegerOverflow | AluErrors.NaN | AluErrors.FloatOverflow, d => d.Errors),
        ("Cp", (ref Descriptor d) => d.Cp = ushort.MaxValue, d => d.Cp),
        ("CpCnt", (ref Descriptor d) => d.CpCnt = 0xBEEF, d => d.CpCnt),
        ("Sequence", (ref Descriptor d) => d.Sequence = 0xDEADBEEF, d => d.Sequence),
        ("CompletionSlot", (ref Descriptor d) => d.CompletionSlot = 0xCAFEF00D, d => d.CompletionSlot),
        ("Source", (ref Descriptor d) => d.Source = int.MaxValue, d => d.Source),
        ("Destination", (ref Descriptor d) => d.Destination = 123_456_789, d => d.Destination),
        ("Data", (ref Descriptor d) => { d.Count = 12; for (int i = 0; i < 48; i++) { d.Data[i] = (byte)(0xA0 + i); } }, d => Convert.ToHexString(d.Data)),
        ("Location", (ref Descriptor d) => { d.Op = ReduceOp.MaxLoc; for (int i = 0; i < 3; i++) { d.Location[i] = int.MinValue + i; } }, d => string.Join(",", d.Location.ToArray())),
    ];

    private static IEnumerable<string> FieldNames => Fields.Select(entry => entry.Field);

    [TestCaseSource(nameof(FieldNames))]
    public void Every_field_survives_encode_and_decode(string field)
    {
        var (_, edit, read) = Fields.Single(f => f.Field == field);
        Descriptor original = Support.Descriptors.IntSum();
        object before = read(original);
        edit(ref original);
        Assume.That(read(original), Is.Not.EqualTo(before), "the edit must change the field");
        Assume.That(original.Validate(), Is.EqualTo(DescriptorFault.None));

        Descriptor decoded = Descriptor.Decode(Support.Descriptors.Encode(original));

        Assert.That(read(decoded), Is.EqualTo(read(original)));
    }

    [Test]
    public void Decoding_then_encoding_gives_back_the_same_bytes()
    {
        Descriptor original = Support.Descriptors.IntSum();
        original.Errors = AluErrors.NaN;
        byte[] bytes = Support.Descriptors.Encode(original);

        byte[] again = Support.Descriptors.Encode(Descriptor.Decode(bytes));

        Assert.That(again, Is.EqualTo(bytes));
    }

    [Test]
    public void Layout_is_little_endian_at_fixed_offsets()
    {
        Descriptor original = Support.Descriptors.IntSum();
        original.Cp = 0x0102;
        original.Sequence = 0x03040506;
        original.Destination = 0x0708090A;

        byte[] bytes = Support.Descriptors.Encode(original);

        Assert.Multiple(() =>
        {
            Assert.That(bytes[0], Is.EqualTo(Descriptor.FormatVersion));
            Assert.That(bytes[1], Is.EqualTo((byte)DescriptorKind.Reduce));
            Assert.That(bytes[12..14], Is.EqualTo(new byte[] { 0x02, 0x01 }));
            Assert.That(bytes[16..20], Is.EqualTo(new byte[] { 0x06, 0x05, 0x04, 0x03 }));
            Assert.That(bytes[28..32], Is.EqualTo(new byte[] { 0x0A, 0x09, 0x08, 0x07 }));
            Assert.That(bytes[32], Is.EqualTo(1), "first data byte");
        });
    }
}
