using Collectives.Tests.Correctness;
using Collectives.Tests.Support;

namespace Collectives.Tests.SubCommunicators;

/// <summary>
/// Runs a <see cref="CollectiveCase"/> of p ranks on a child of a larger job and verifies it as the
/// correctness matrix does: the job has p + 2 ranks; its first rank opts out of the split, its last
/// forms a communicator of one of its own, and the p between form the child in reverse order (keys
/// are minus the parent rank), so child rank r is parent rank p - r and every message is remapped.
/// </summary>
internal static class ChildCaseRunner
{
    /// <summary>The element types of the heart of the matrix, which the child matrix draws from.</summary>
    public static Task RunAndVerifyAsync(CollectiveCase testCase, TestTransport transport) => testCase.Element switch
    {
        ElementPrimitive.Float => RunAndVerifyAsync<float>(testCase, transport),
        ElementPrimitive.Int => RunAndVerifyAsync<int>(testCase, transport),
        _ => throw new ArgumentOutOfRangeException(nameof(testCase), testCase.Element, "The child matrix runs float and int cases."),
    };

    private static async Task RunAndVerifyAsync<T>(CollectiveCase testCase, TestTransport transport)
        where T : unmanaged
    {
        T[][] inputs = CaseExecution.Inputs<T>(testCase);
        RankBuffers<T>[] buffers = [.. Enumerable.Range(0, testCase.Ranks).Select(rank => RankBuffers<T>.Prepare(testCase, rank, inputs[rank]))];
        var options = new CommunicatorOptions { SegmentSize = testCase.SegmentSize, Timeout = CaseRunner.CallTimeout };
        int jobSize = testCase.Ranks + 2;
        await LocalJob.RunAsync(jobSize, options, async parent =>
        {
            int color = parent.Rank == 0 ? Communicator.NoColor : parent.Rank == jobSize - 1 ? 1 : 0;
            await using Communicator? child = await parent.SplitAsync(color, key: -parent.Rank);
            if (color != 0)
            {
                // The others' call runs without these ranks; a one-rank communicator runs a call of its own.
                await (child?.BarrierAsync() ?? ValueTask.CompletedTask);
                return;
            }

            if (testCase.Api == ApiStyle.Blocking)
            {
                CaseRunner.CallBlocking(testCase, child!, buffers[child!.Rank]);
            }
            else
            {
                await CaseRunner.CallAsync(testCase, child!, buffers[child!.Rank]);
            }
        }, transport);

        CaseVerifier.Verify(testCase, inputs, buffers);
    }
}
