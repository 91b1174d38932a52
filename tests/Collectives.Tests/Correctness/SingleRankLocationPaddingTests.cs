using System.Runtime.InteropServices;
using Collectives.Tests.Support;

namespace Collectives.Tests.Correctness;

/// <summary>
/// MinLoc/MaxLoc on one rank. The contract (see <see cref="ReduceOp.MinLoc"/>) says the 4 padding
/// bytes after the index of a 64-bit value's pair are written as zero; with more ranks every combine
/// writes them, but with one rank nothing is combined, so an implementation that only zeroes them
/// inside its kernel hands back the caller's padding. Every reduction algorithm (message and
/// shared-memory), both ops, every padded pair type, both placements and API forms.
/// </summary>
public class SingleRankLocationPaddingTests
{
    private const int Count = 37;

    public static IEnumerable<TestCaseData> Cases() =>
        from transport in new[] { TestTransport.InProcess, TestTransport.SharedMemory }
        from algorithm in (transport == TestTransport.SharedMemory ? CollectiveAlgorithm.SharedMemory : CollectiveAlgorithm.All).Where(a => a.Reduces)
        from op in new[] { ReduceOp.MinLoc, ReduceOp.MaxLoc }
        from element in new[] { ElementPrimitive.Double, ElementPrimitive.Long, ElementPrimitive.ULong }
        from placement in Enum.GetValues<Placement>()
        from api in Enum.GetValues<ApiStyle>()
        let testCase = new CollectiveCase(algorithm, element, op, 1, Count, algorithm.IsRooted ? 0 : -1, placement, api, PairwiseMatrix.SegmentSize)
        select new TestCaseData(testCase, transport).SetName($"{testCase}_{transport}");

    [TestCaseSource(nameof(Cases))]
    public Task The_result_holds_the_input_pairs_with_zero_padding(CollectiveCase testCase, TestTransport transport) => testCase.Element switch
    {
        ElementPrimitive.Double => RunAndCheckAsync<double>(testCase, transport, i => (i * 1.5) - 7),
        ElementPrimitive.Long => RunAndCheckAsync<long>(testCase, transport, i => (i * 1_000_000_007L) - 3),
        ElementPrimitive.ULong => RunAndCheckAsync(testCase, transport, i => (ulong)i * 0x9E3779B97F4A7C15UL),
        _ => throw new ArgumentOutOfRangeException(nameof(testCase), testCase.Element, null),
    };

    private static async Task RunAndCheckAsync<TValue>(CollectiveCase testCase, TestTransport transport, Func<int, TValue> value)
        where TValue : unmanaged, IEquatable<TValue>
    {
        ValueIndex<TValue>[] input = [.. Enumerable.Range(0, Count).Select(i => new ValueIndex<TValue>(value(i), i * 3))];
        FillPadding(input, 0xEE);

        RankBuffers<ValueIndex<TValue>>[] ranks = await CaseRunner.RunAsync(testCase, [input], transport);
        ValueIndex<TValue>[] result = ranks[0].Receive;

        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(input), "values and indices come back as they went in");
            Assert.That(PaddingBytes(result), Is.All.EqualTo((byte)0), "padding is written as zero");
        });
    }

    // A pair of an 8-byte value and a 4-byte index is 16 bytes: bytes 12-15 are padding.
    private static void FillPadding<TValue>(ValueIndex<TValue>[] pairs, byte fill)
        where TValue : unmanaged, IEquatable<TValue>
    {
        Span<byte> bytes = MemoryMarshal.AsBytes(pairs.AsSpan());
        for (int offset = 12; offset < bytes.Length; offset += 16)
        {
            bytes.Slice(offset, 4).Fill(fill);
        }
    }

    private static byte[] PaddingBytes<TValue>(ValueIndex<TValue>[] pairs)
        where TValue : unmanaged, IEquatable<TValue>
    {
        Assert.That(MemoryMarshal.AsBytes(pairs.AsSpan()).Length, Is.EqualTo(16 * pairs.Length), "a pair of a 64-bit value is 16 bytes");
        byte[] bytes = MemoryMarshal.AsBytes(pairs.AsSpan()).ToArray();
        return [.. Enumerable.Range(0, pairs.Length).SelectMany(pair => bytes.AsSpan(16 * pair + 12, 4).ToArray())];
    }
}
