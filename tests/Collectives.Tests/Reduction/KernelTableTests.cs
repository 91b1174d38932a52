using System.Runtime.CompilerServices;
using Collectives.Reduction;

namespace Collectives.Tests.Reduction;

/// <summary>Which (operation, element type) pairs have kernels, and how the others are refused.</summary>
public class KernelTableTests
{
    private static readonly DataType[] EveryDataType =
    [
        .. Enum.GetValues<ElementType>().Select(element => new DataType(element, false)),
        .. Enum.GetValues<ElementType>().Select(element => new DataType(element, true)),
    ];

    [Test]
    public void Table_holds_exactly_the_specified_combinations()
    {
        IEnumerable<string> registered = ReductionKernels.All.Select(kernel => $"{kernel.Op}<{kernel.DataType}>");

        Assert.That(registered, Is.EquivalentTo(KernelCases.All.Select(kernelCase => kernelCase.ToString())));
    }

    [TestCaseSource(typeof(KernelCases), nameof(KernelCases.AllKernels))]
    public void Get_returns_a_kernel_for_the_requested_op_and_type(KernelCase kernelCase)
    {
        ReductionKernel kernel = ReductionKernels.Get(kernelCase.Op, kernelCase.Type);

        Assert.That((kernel.Op, kernel.DataType), Is.EqualTo((kernelCase.Op, kernelCase.Type)));
    }

    [TestCaseSource(nameof(UnsupportedCombinations))]
    public void Get_of_an_unsupported_combination_throws_NotSupported_naming_op_and_type(ReduceOp op, DataType dataType)
    {
        Assert.That(
            () => ReductionKernels.Get(op, dataType),
            Throws.TypeOf<NotSupportedException>().With.Message.Contains(op.ToString()).And.Message.Contains(dataType.ToString()));
    }

    [TestCaseSource(nameof(UnsupportedCombinations))]
    public void TryGet_of_an_unsupported_combination_returns_null(ReduceOp op, DataType dataType)
    {
        Assert.That(ReductionKernels.TryGet(op, dataType), Is.Null);
    }

    [TestCase(ReduceOp.BitwiseAnd, ElementType.Float32, false, "integer types only")]
    [TestCase(ReduceOp.LogicalXor, ElementType.Float64, false, "integer types only")]
    [TestCase(ReduceOp.MinLoc, ElementType.Int32, false, "needs ValueIndex<T>")]
    [TestCase(ReduceOp.MaxLoc, ElementType.Float64, false, "needs ValueIndex<T>")]
    [TestCase(ReduceOp.Sum, ElementType.Float32, true, "support only MinLoc and MaxLoc")]
    [TestCase(ReduceOp.BitwiseOr, ElementType.Int64, true, "support only MinLoc and MaxLoc")]
    [TestCase(ReduceOp.BitwiseAnd, ElementType.Float16, false, "integer types only")]
    [TestCase(ReduceOp.LogicalOr, ElementType.BFloat16, false, "integer types only")]
    [TestCase(ReduceOp.MinLoc, ElementType.Float16, false, "pair only 32- and 64-bit values")]
    [TestCase(ReduceOp.MaxLoc, ElementType.BFloat16, true, "pair only 32- and 64-bit values")]
    public void Unsupported_combination_message_gives_the_reason(ReduceOp op, ElementType element, bool withIndex, string reason)
    {
        Assert.That(() => ReductionKernels.Get(op, new DataType(element, withIndex)), Throws.TypeOf<NotSupportedException>().With.Message.Contains(reason));
    }

    [Test]
    public void Unknown_operation_is_refused_with_its_number()
    {
        Assert.That(
            () => ReductionKernels.Get((ReduceOp)99, new DataType(ElementType.Int32, false)),
            Throws.TypeOf<NotSupportedException>().With.Message.Contains("Unknown reduction operation 99"));
    }

    [Test]
    public void Unknown_element_type_is_refused_with_its_number()
    {
        Assert.That(
            () => ReductionKernels.Get(ReduceOp.Sum, new DataType((ElementType)42, false)),
            Throws.TypeOf<NotSupportedException>().With.Message.Contains("Sum on unknown element type 42"));
    }

    [Test]
    public void Value_index_pairs_of_16_bit_floats_have_no_data_type()
        => Assert.That(new[] { DataType.Of<ValueIndex<Half>>(), DataType.Of<ValueIndex<BFloat16>>() }, Is.All.Null);

    [Test]
    public void Value_index_pairs_have_the_size_their_data_type_declares()
    {
        Assert.That(
            new[]
            {
                (Unsafe.SizeOf<ValueIndex<float>>(), DataType.Of<ValueIndex<float>>()?.Size),
                (Unsafe.SizeOf<ValueIndex<double>>(), DataType.Of<ValueIndex<double>>()?.Size),
                (Unsafe.SizeOf<ValueIndex<int>>(), DataType.Of<ValueIndex<int>>()?.Size),
                (Unsafe.SizeOf<ValueIndex<long>>(), DataType.Of<ValueIndex<long>>()?.Size),
                (Unsafe.SizeOf<ValueIndex<uint>>(), DataType.Of<ValueIndex<uint>>()?.Size),
                (Unsafe.SizeOf<ValueIndex<ulong>>(), DataType.Of<ValueIndex<ulong>>()?.Size),
            },
            Is.EqualTo(new (int, int?)[] { (8, 8), (16, 16), (8, 8), (16, 16), (8, 8), (16, 16) }));
    }

    private static IEnumerable<TestCaseData> UnsupportedCombinations()
    {
        var supported = KernelCases.All.Select(kernelCase => (kernelCase.Op, kernelCase.Type)).ToHashSet();
        return
            from op in Enum.GetValues<ReduceOp>()
            from dataType in EveryDataType
            where !supported.Contains((op, dataType))
            select new TestCaseData(op, dataType);
    }
}
