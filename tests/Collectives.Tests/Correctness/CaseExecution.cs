using Collectives.Tests.Support;

namespace Collectives.Tests.Correctness;

/// <summary>Runs a <see cref="CollectiveCase"/> end to end: picks the element type, makes the inputs, runs the call, verifies.</summary>
internal static class CaseExecution
{
    public static Task RunAndVerifyAsync(CollectiveCase testCase) => (testCase.Element, testCase.UsesValueIndex) switch
    {
        (ElementPrimitive.Float, false) => RunAndVerifyAsync<float>(testCase),
        (ElementPrimitive.Double, false) => RunAndVerifyAsync<double>(testCase),
        (ElementPrimitive.Int, false) => RunAndVerifyAsync<int>(testCase),
        (ElementPrimitive.Long, false) => RunAndVerifyAsync<long>(testCase),
        (ElementPrimitive.UInt, false) => RunAndVerifyAsync<uint>(testCase),
        (ElementPrimitive.ULong, false) => RunAndVerifyAsync<ulong>(testCase),
        (ElementPrimitive.Float, true) => RunAndVerifyAsync<ValueIndex<float>>(testCase),
        (ElementPrimitive.Double, true) => RunAndVerifyAsync<ValueIndex<double>>(testCase),
        (ElementPrimitive.Int, true) => RunAndVerifyAsync<ValueIndex<int>>(testCase),
        (ElementPrimitive.Long, true) => RunAndVerifyAsync<ValueIndex<long>>(testCase),
        (ElementPrimitive.UInt, true) => RunAndVerifyAsync<ValueIndex<uint>>(testCase),
        (ElementPrimitive.ULong, true) => RunAndVerifyAsync<ValueIndex<ulong>>(testCase),
        _ => throw new ArgumentOutOfRangeException(nameof(testCase), testCase.Element, null),
    };

    private static async Task RunAndVerifyAsync<T>(CollectiveCase testCase)
        where T : unmanaged
    {
        // A broadcast's ranks start from different arbitrary data, so a rank the root's data never
        // reached still holds something else; reductions get inputs shaped for their operation.
        T[][] inputs = [.. Enumerable.Range(0, testCase.Ranks).Select(rank => testCase.Kind == CollectiveKind.Broadcast
            ? ReductionInputs.Arbitrary<T>(rank, testCase.Count)
            : ReductionInputs.For<T>(testCase.Op, rank, testCase.Ranks, testCase.Count))];
        RankBuffers<T>[] ranks = await CaseRunner.RunAsync(testCase, inputs);
        CaseVerifier.Verify(testCase, inputs, ranks);
    }
}
