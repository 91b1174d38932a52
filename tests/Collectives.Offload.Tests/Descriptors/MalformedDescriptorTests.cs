using Collectives.Offload.Descriptors;
using Collectives.Offload.Tests.Support;
using Collectives.Reduction;

namespace Collectives.Offload.Tests.Descriptors;

public sealed class MalformedDescriptorTests
{
    /// <summary>One malformation each, applied to a well-formed descriptor, with the fault it must be rejected for.</summary>
    private static IEnumerable<TestCaseData> Malformations()
    {
        yield return Case("unknown kind", DescriptorFault.UnknownKind, (ref Descriptor d) => d.Kind = (DescriptorKind)9);
        yield return Case("reserved flag bit", DescriptorFault.UnknownFlags, (ref Descriptor d) => d.Flags |= (DescriptorFlags)0x80);
        yield return Case("unknown error bit", DescriptorFault.UnknownErrorBits, (ref Descriptor d) => d.Errors = (AluErrors)0x40);
        yield return Case("negative destination", DescriptorFault.NegativeNode, (ref Descriptor d) => d.Destination = -1);
        yield return Case("put to another node", DescriptorFault.PutElsewhere, (ref Descriptor d) => d.Kind = DescriptorKind.Put);
        yield return Case("unknown element type", DescriptorFault.UnknownElementType, (ref Descriptor d) => d.ElementType = (ElementType)42);
        yield return Case("a 16-bit float, which the ALU has no width for", DescriptorFault.UnknownElementType, (ref Descriptor d) => { d.ElementType = ElementType.Float16; d.Width = 16; });
        yield return Case("64-bit width on int32", DescriptorFault.WidthMismatch, (ref Descriptor d) => d.Width = 64);
        yield return Case("width 16", DescriptorFault.WidthMismatch, (ref Descriptor d) => d.Width = 16);
        yield return Case("width without a type", DescriptorFault.WidthMismatch, (ref Descriptor d) => d.ElementType = 0);
        yield return Case("data longer than 48 bytes", DescriptorFault.DataTooLong, (ref Descriptor d) => d.Count = 13);
        yield return Case("seven doubles", DescriptorFault.DataTooLong, (ref Descriptor d) => { d.ElementType = ElementType.Float64; d.Width = 64; d.Count = 7; });
        yield return Case("unknown operation", DescriptorFault.UnknownOperation, (ref Descriptor d) => d.Op = (ReduceOp)77);
        yield return Case("Prod is not in the ALU", DescriptorFault.UnsupportedOperation, (ref Descriptor d) => d.Op = ReduceOp.Prod);
        yield return Case("bitwise on floats", DescriptorFault.UnsupportedOperation, (ref Descriptor d) => { d.ElementType = ElementType.Float32; d.Op = ReduceOp.BitwiseOr; });
        yield return Case("data to combine but no operation", DescriptorFault.MissingOperation, (ref Descriptor d) => d.Op = 0);
        yield return Case("branch 0 on a reduce", DescriptorFault.BranchZero, (ref Descriptor d) => { d.Branch = 0; d.Slot = 0; });
        yield return Case("slot past the branch", DescriptorFault.SlotOutOfRange, (ref Descriptor d) => d.Slot = 2);
        yield return Case("bytes after the data", DescriptorFault.StrayData, (ref Descriptor d) => d.Data[47] = 1);
        yield return Case("location on a sum", DescriptorFault.StrayData, (ref Descriptor d) => d.Location[0] = 5);
    }

    [TestCaseSource(nameof(Malformations))]
    public void Decoding_rejects_it_with_its_reason(Malformation malformation)
    {
        Descriptor descriptor = Support.Descriptors.IntSum();
        malformation.Edit(ref descriptor);
        byte[] bytes = Support.Descriptors.Encode(descriptor);

        var exception = Assert.Throws<DescriptorFormatException>(() => Descriptor.Decode(bytes));

        Assert.That(exception!.Fault, Is.EqualTo(malformation.Fault), exception.Message);
    }

    [TestCaseSource(nameof(Malformations))]
    public void Validation_names_the_same_reason_before_encoding(Malformation malformation)
    {
        Descriptor descriptor = Support.Descriptors.IntSum();
        malformation.Edit(ref descriptor);

        Assert.That(descriptor.Validate(), Is.EqualTo(malformation.Fault));
    }

    [Test]
    public void A_truncated_descriptor_is_rejected()
    {
        byte[] bytes = Support.Descriptors.Encode(Support.Descriptors.IntSum());

        var exception = Assert.Throws<DescriptorFormatException>(() => Descriptor.Decode(bytes.AsSpan(0, Descriptor.EncodedSize - 1)));

        Assert.That(exception!.Fault, Is.EqualTo(DescriptorFault.Truncated));
    }

    [Test]
    public void An_unknown_format_version_is_rejected()
    {
        byte[] bytes = Support.Descriptors.Encode(Support.Descriptors.IntSum());
        bytes[0] = 2;

        var exception = Assert.Throws<DescriptorFormatException>(() => Descriptor.Decode(bytes));

        Assert.That(exception!.Fault, Is.EqualTo(DescriptorFault.UnknownVersion));
    }

    [Test]
    public void Non_zero_reserved_bytes_are_rejected()
    {
        byte[] bytes = Support.Descriptors.Encode(Support.Descriptors.IntSum());
        bytes[10] = 1;

        var exception = Assert.Throws<DescriptorFormatException>(() => Descriptor.Decode(bytes));

        Assert.That(exception!.Fault, Is.EqualTo(DescriptorFault.StrayData));
    }

    [Test]
    public void The_message_names_the_offending_value()
    {
        Descriptor descriptor = Support.Descriptors.IntSum();
        descriptor.Count = 13;

        var exception = Assert.Throws<DescriptorFormatException>(() => descriptor.ThrowIfInvalid());

        Assert.That(exception!.Message, Does.Contain("52 bytes").And.Contain("48"));
    }

    private static TestCaseData Case(string name, DescriptorFault fault, DescriptorEdit edit)
        => new TestCaseData(new Malformation(fault, edit)).SetName($"{{m}}({name})");
}
