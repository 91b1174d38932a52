using Collectives.Offload.Descriptors;
using Collectives.Offload.Nic;
using Collectives.Reduction;
using Collectives.Testing.Fuzzing;
using CsCheck;

namespace Collectives.Offload.Tests.Fuzzing;

/// <summary>
/// <see cref="Descriptor.Decode"/> reads a descriptor or NIC packet that another node sent.
/// Whatever the bytes, it returns a descriptor that passes <see cref="Descriptor.Validate"/> or
/// throws <see cref="DescriptorFormatException"/> with the fault <see cref="Descriptor.TryDecode"/>
/// names for the same bytes.
/// </summary>
public class DescriptorFuzzTests
{
    // The element count (one byte) and the reserved bytes.
    private static readonly LengthField[] Counts = [new(6, 1), new(10, 2)];

    private static readonly ReduceOp[] Ops = Enum.GetValues<ReduceOp>();

    private static readonly Gen<Descriptor> Valid =
        (from kind in Gen.OneOf(DescriptorKind.Reduce, DescriptorKind.Broadcast, DescriptorKind.Put)
         from flags in Gen.OneOf(default(DescriptorFlags), DescriptorFlags.Swap, DescriptorFlags.Queue, DescriptorFlags.Swap | DescriptorFlags.Queue)
         from errors in Gen.Byte[0, 7]
         from elementType in Gen.Byte[0, 6].Select(type => (ElementType)type)
         from op in elementType == 0 ? Gen.Const(default(ReduceOp)) : Gen.OneOf(Ops.Where(op => AluOperations.Supports(op, elementType)).ToArray())
         let width = elementType == 0 ? (byte)0 : Descriptor.WidthOf(elementType)
         from count in elementType == 0 ? Gen.Const(0) : Gen.Int[0, Descriptor.MaxDataBytes * 8 / width]
         from branch in Gen.Int[1, 8]
         from slot in Gen.Int[0, branch - 1]
         from ports in Gen.Select(Gen.UShort, Gen.UShort, Gen.UInt, Gen.UInt)
         from nodes in Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue])
         from data in Gen.Byte.Array[count * width / 8]
         from locations in Gen.Int.Array[count]
         select Build(kind, flags, (AluErrors)errors, elementType, op, width, (byte)count, (byte)branch, (byte)slot, ports, nodes, data, locations))
        .Where(descriptor => descriptor.Validate() == DescriptorFault.None);

    private static readonly Gen<byte[]> Encoded = Valid.Select(Encode);

    [Test]
    public void Random_bytes_decode_to_a_valid_descriptor_or_a_DescriptorFormatException()
    {
        Fuzz.Check(Mutations.RandomBytes(Descriptor.EncodedSize + 16), AssertDecodesWithinTheFormat);
    }

    [Test]
    public void Random_bytes_of_the_current_version_decode_to_a_valid_descriptor_or_a_DescriptorFormatException()
    {
        // Random bytes almost never start with the version byte; these reach every field's check.
        Gen<byte[]> versioned = Gen.Byte.Array[Descriptor.EncodedSize - 1].Select(rest => (byte[])[Descriptor.FormatVersion, .. rest]);
        Fuzz.Check(versioned, AssertDecodesWithinTheFormat);
    }

    [Test]
    public void Mutated_descriptors_decode_to_a_valid_descriptor_or_a_DescriptorFormatException()
    {
        Fuzz.Check(Mutations.Of(Encoded, Counts), AssertDecodesWithinTheFormat);
    }

    [Test]
    public void Decode_throws_exactly_when_TryDecode_refuses_and_for_the_same_fault()
    {
        Fuzz.Check(Mutations.ValidOrMutated(Encoded, Counts), bytes =>
        {
            bool accepted = Descriptor.TryDecode(bytes, out _, out DescriptorFault fault);
            Decoded<Descriptor> decoded = Decode(bytes);

            Assert.That(decoded.Rejected, Is.EqualTo(!accepted));
            Assert.That((decoded.Rejection as DescriptorFormatException)?.Fault ?? DescriptorFault.None, Is.EqualTo(fault));
        });
    }

    [Test]
    public void A_descriptor_that_is_accepted_is_exactly_what_re_encoding_it_writes()
    {
        Fuzz.Check(Mutations.ValidOrMutated(Encoded, Counts), bytes =>
        {
            if (Decode(bytes) is { Rejected: false, Value: var descriptor })
            {
                Assert.That(Convert.ToHexString(Encode(descriptor)), Is.EqualTo(Convert.ToHexString(bytes, 0, Descriptor.EncodedSize)));
            }
        });
    }

    [Test]
    public void A_valid_descriptor_round_trips()
    {
        Fuzz.Check(Valid, descriptor =>
        {
            byte[] bytes = Encode(descriptor);
            Assert.That(Encode(Descriptor.Decode(bytes)), Is.EqualTo(bytes));
        }, descriptor => descriptor.ToString());
    }

    [Test]
    public void A_descriptor_claiming_any_element_count_costs_no_allocation_proportional_to_the_claim()
    {
        Gen<(byte[] Bytes, byte Count)> claims = Gen.Select(Encoded, Gen.Byte);
        Fuzz.Check(claims, claim =>
        {
            byte[] bytes = [.. claim.Bytes];
            bytes[6] = claim.Count;

            long allocated = Fuzz.BytesAllocatedBy(() => Decode(bytes));

            Assert.That(allocated, Is.LessThan(4_096), $"decoding a descriptor claiming {claim.Count} elements");
        }, claim => $"{Convert.ToHexString(claim.Bytes)} count {claim.Count}");
    }

    private static void AssertDecodesWithinTheFormat(byte[] bytes)
    {
        if (Decode(bytes) is { Rejected: false, Value: var descriptor })
        {
            Assert.That(descriptor.Validate(), Is.EqualTo(DescriptorFault.None));
        }
    }

    private static Decoded<Descriptor> Decode(byte[] bytes) => Fuzz.Decode<Descriptor, DescriptorFormatException>(() => Descriptor.Decode(bytes));

    private static byte[] Encode(Descriptor descriptor) => Support.Descriptors.Encode(descriptor);

    private static Descriptor Build(
        DescriptorKind kind, DescriptorFlags flags, AluErrors errors, ElementType elementType, ReduceOp op, byte width, byte count, byte branch, byte slot,
        (ushort Cp, ushort CpCnt, uint Sequence, uint CompletionSlot) ports, (int Source, int Destination) nodes, byte[] data, int[] locations)
    {
        Descriptor descriptor = default;
        descriptor.Kind = kind;
        descriptor.Flags = flags;
        descriptor.Errors = errors;
        descriptor.ElementType = elementType;
        descriptor.Op = op;
        descriptor.Width = width;
        descriptor.Count = count;
        descriptor.Branch = branch;
        descriptor.Slot = slot;
        (descriptor.Cp, descriptor.CpCnt, descriptor.Sequence, descriptor.CompletionSlot) = ports;
        descriptor.Source = nodes.Source;
        descriptor.Destination = kind == DescriptorKind.Put ? nodes.Source : nodes.Destination;
        data.CopyTo(descriptor.Data);
        if (descriptor.HasLocation)
        {
            locations.CopyTo(descriptor.Location);
        }

        return descriptor;
    }
}
