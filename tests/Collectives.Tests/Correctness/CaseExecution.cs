using Collectives.Tests.Support;

namespace Collectives.Tests.Correctness;

/// <summary>Runs a <see cref="CollectiveCase"/> end to end: picks the element type, makes the inputs, runs the call, verifies.</summary>
internal static class CaseExecution
{
    public static Task RunAndVerifyAsync(CollectiveCase testCase, TestTransport transport = TestTransport.InProcess) => (testCase.Element, testCase.UsesValueIndex) switch
    {
        (ElementPrimitive.Float, false) => RunAndVerifyAsync<float>(testCase, transport),
        (ElementPrimitive.Double, false) => RunAndVerifyAsync<double>(testCase, transport),
        (ElementPrimitive.Int, false) => RunAndVerifyAsync<int>(testCase, transport),
        (ElementPrimitive.Long, false) => RunAndVerifyAsync<long>(testCase, transport),
        (ElementPrimitive.UInt, false) => RunAndVerifyAsync<uint>(testCase, transport),
        (ElementPrimitive.ULong, false) => RunAndVerifyAsync<ulong>(testCase, transport),
        (ElementPrimitive.Float, true) => RunAndVerifyAsync<ValueIndex<float>>(testCase, transport),
        (ElementPrimitive.Double, true) => RunAndVerifyAsync<ValueIndex<double>>(testCase, transport),
        (ElementPrimitive.Int, true) => RunAndVerifyAsync<ValueIndex<int>>(testCase, transport),
        (ElementPrimitive.Long, true) => RunAndVerifyAsync<ValueIndex<long>>(testCase, transport),
        (ElementPrimitive.UInt, true) => RunAndVerifyAsync<ValueIndex<uint>>(testCase, transport),
        (ElementPrimitive.ULong, true) => RunAndVerifyAsync<ValueIndex<ulong>>(testCase, transport),
        (ElementPrimitive.Half, false) => RunAndVerifyAsync<Half>(testCase, transport),
        (ElementPrimitive.BFloat16, false) => RunAndVerifyAsync<BFloat16>(testCase, transport),
        _ => throw new ArgumentOutOfRangeException(nameof(testCase), testCase.Element, null),
    };

    private static async Task RunAndVerifyAsync<T>(CollectiveCase testCase, TestTransport transport)
        where T : unmanaged
    {
        T[][] inputs = Inputs<T>(testCase);
        RankBuffers<T>[] ranks = await CaseRunner.RunAsync(testCase, inputs, transport);
        CaseVerifier.Verify(testCase, inputs, ranks);
    }

    /// <summary>Every rank's input for <paramref name="testCase"/>, index = rank.</summary>
    internal static T[][] Inputs<T>(CollectiveCase testCase)
        where T : unmanaged
    {
        // A broadcast's ranks start from different arbitrary data, so a rank the root's data never
        // reached still holds something else, and an allgather's or gather's blocks all differ, so a
        // block in the wrong place shows; a scatter's root holds a block for every rank (and the
        // others as much, never sent), as does every alltoall rank; reductions get inputs shaped for their operation.
        return [.. Enumerable.Range(0, testCase.Ranks).Select(rank => testCase.Kind switch
        {
            CollectiveKind.Broadcast or CollectiveKind.Allgather or CollectiveKind.Gather => ReductionInputs.Arbitrary<T>(rank, testCase.Count),
            CollectiveKind.Scatter or CollectiveKind.Alltoall => ReductionInputs.Arbitrary<T>(rank, testCase.Count * testCase.Ranks),
            _ => ReductionInputs.For<T>(testCase.Op, rank, testCase.Ranks, testCase.InputLength),
        })];
    }
}
