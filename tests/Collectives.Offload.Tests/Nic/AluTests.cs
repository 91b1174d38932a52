using System.Runtime.InteropServices;
using Collectives.Offload.Building;
using Collectives.Offload.Descriptors;
using Collectives.Offload.Tests.Support;
using Collectives.Reduction;

namespace Collectives.Offload.Tests.Nic;

public sealed class AluTests
{
    [TestCase(ReduceOp.MinLoc)]
    [TestCase(ReduceOp.MaxLoc)]
    public void Location_ties_go_to_the_lowest_index_on_every_rank(ReduceOp op)
    {
        const int size = 6;
        var type = new DataType(ElementType.Float64, true);
        byte[][] inputs = [.. Enumerable.Range(0, size).Select(rank => Bytes([new ValueIndex<double>(2.5, 40 - rank), new ValueIndex<double>(rank % 2, rank)]))];
        var request = new OffloadRequest(CollectiveKind.Allreduce, op, type, 2, -1, 1);

        NetworkOutcome outcome = NicNetwork.Run(new DescriptorBuilder(size, TreeShape.KAry(3)), request, inputs, seed: 1);

        ValueIndex<double> second = op == ReduceOp.MinLoc ? new(0, 0) : new(1, 1);
        Assert.That(outcome.Results, Has.All.EqualTo(Bytes([new ValueIndex<double>(2.5, 35), second])));
    }

    [TestCase(ElementType.Int32)]
    [TestCase(ElementType.UInt32)]
    [TestCase(ElementType.Int64)]
    [TestCase(ElementType.UInt64)]
    public void An_integer_sum_that_wraps_sets_the_overflow_bit_on_every_rank_and_keeps_the_wrapped_bits(ElementType element)
    {
        var type = new DataType(element, false);
        byte[] large = new byte[type.Size];
        large.AsSpan().Fill(0xFF);
        large[^1] = element is ElementType.Int32 or ElementType.Int64 ? (byte)0x7F : (byte)0xFF;
        byte[][] inputs = [large, large, large];
        var request = new OffloadRequest(CollectiveKind.Allreduce, ReduceOp.Sum, type, 1, -1, 1);

        NetworkOutcome outcome = NicNetwork.Run(new DescriptorBuilder(3, TreeShape.Binomial), request, inputs, seed: 2);

        Assert.That(outcome.Errors, Has.All.EqualTo(AluErrors.IntegerOverflow));
        Assert.That(outcome.Results, Has.All.EqualTo(TreeFold.Reduce(new DescriptorBuilder(3, TreeShape.Binomial).TreeFor(0), ReduceOp.Sum, type, inputs)));
    }

    [Test]
    public void A_sum_that_stays_in_range_leaves_the_error_vector_clear()
    {
        var type = new DataType(ElementType.Int32, false);
        byte[][] inputs = [Bytes([int.MaxValue - 2]), Bytes([1]), Bytes([1])];
        var request = new OffloadRequest(CollectiveKind.Allreduce, ReduceOp.Sum, type, 1, -1, 1);

        NetworkOutcome outcome = NicNetwork.Run(new DescriptorBuilder(3, TreeShape.Binomial), request, inputs, seed: 3);

        Assert.That(outcome.Errors, Has.All.EqualTo(AluErrors.None));
    }

    [Test]
    public void A_nan_operand_sets_the_nan_bit()
    {
        var type = new DataType(ElementType.Float32, false);
        byte[][] inputs = [Bytes([1f, float.NaN]), Bytes([2f, 3f])];
        var request = new OffloadRequest(CollectiveKind.Allreduce, ReduceOp.Max, type, 2, -1, 1);

        NetworkOutcome outcome = NicNetwork.Run(new DescriptorBuilder(2, TreeShape.Binomial), request, inputs, seed: 4);

        Assert.That(outcome.Errors, Has.All.EqualTo(AluErrors.NaN));
    }

    [Test]
    public void A_float_sum_of_finite_values_that_overflows_sets_the_float_overflow_bit()
    {
        var type = new DataType(ElementType.Float64, false);
        byte[][] inputs = [Bytes([double.MaxValue]), Bytes([double.MaxValue])];
        var request = new OffloadRequest(CollectiveKind.Allreduce, ReduceOp.Sum, type, 1, -1, 1);

        NetworkOutcome outcome = NicNetwork.Run(new DescriptorBuilder(2, TreeShape.Binomial), request, inputs, seed: 5);

        Assert.That(outcome.Errors, Has.All.EqualTo(AluErrors.FloatOverflow));
    }

    private static byte[] Bytes<T>(T[] values)
        where T : unmanaged => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
}
