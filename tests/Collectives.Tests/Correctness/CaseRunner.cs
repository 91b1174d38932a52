using Collectives.Tests.Support;

namespace Collectives.Tests.Correctness;

/// <summary>Runs one <see cref="CollectiveCase"/> on a job whose ranks live in this process, over the given transport: every rank makes the one call the case describes.</summary>
internal static class CaseRunner
{
    /// <summary>
    /// Per-call timeout of the test communicators: far above what any case needs, so that a hang
    /// (a library bug) fails the one case quickly rather than the whole run.
    /// </summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs the case on <paramref name="inputs"/> (index = rank) and returns every rank's buffers afterwards.</summary>
    public static async Task<RankBuffers<T>[]> RunAsync<T>(CollectiveCase testCase, IReadOnlyList<T[]> inputs, TestTransport transport)
        where T : unmanaged
    {
        RankBuffers<T>[] buffers = [.. Enumerable.Range(0, testCase.Ranks).Select(rank => RankBuffers<T>.Prepare(testCase, rank, inputs[rank]))];
        var options = new CommunicatorOptions { SegmentSize = testCase.SegmentSize, Timeout = CallTimeout };
        if (testCase.Api == ApiStyle.Blocking)
        {
            LocalJob.Run(testCase.Ranks, options, communicator => CallBlocking(testCase, communicator, buffers[communicator.Rank]), transport);
        }
        else
        {
            await LocalJob.RunAsync(testCase.Ranks, options, communicator => CallAsync(testCase, communicator, buffers[communicator.Rank]).AsTask(), transport);
        }

        return buffers;
    }

    internal static void CallBlocking<T>(CollectiveCase testCase, Communicator communicator, RankBuffers<T> buffers)
        where T : unmanaged
    {
        CollectiveAlgorithm algorithm = testCase.Algorithm;
        switch (testCase.Kind)
        {
            case CollectiveKind.Allreduce when buffers.InPlace:
                communicator.Allreduce(buffers.Receive.AsSpan(), testCase.Op, algorithm.Allreduce);
                break;
            case CollectiveKind.Allreduce:
                communicator.Allreduce<T>(buffers.Send, buffers.Receive, testCase.Op, algorithm.Allreduce);
                break;
            case CollectiveKind.Reduce when buffers.InPlace:
                communicator.Reduce(buffers.Receive.AsSpan(), testCase.Op, testCase.Root, algorithm.Reduce);
                break;
            case CollectiveKind.Reduce:
                communicator.Reduce<T>(buffers.Send, buffers.Receive, testCase.Op, testCase.Root, algorithm.Reduce);
                break;
            case CollectiveKind.Broadcast:
                communicator.Broadcast(buffers.Receive.AsSpan(), testCase.Root, algorithm.Broadcast);
                break;
            case CollectiveKind.Allgather when buffers.InPlace:
                communicator.Allgather(buffers.Receive.AsSpan(), algorithm.Allgather);
                break;
            case CollectiveKind.Allgather:
                communicator.Allgather<T>(buffers.Send, buffers.Receive, algorithm.Allgather);
                break;
            case CollectiveKind.ReduceScatter when buffers.InPlace:
                communicator.ReduceScatter(buffers.Receive.AsSpan(), testCase.Op, algorithm.ReduceScatter);
                break;
            case CollectiveKind.ReduceScatter:
                communicator.ReduceScatter<T>(buffers.Send, buffers.Receive, testCase.Op, algorithm.ReduceScatter);
                break;
            case CollectiveKind.Gather when buffers.InPlace:
                communicator.Gather(buffers.Receive.AsSpan(), testCase.Root, algorithm.Gather);
                break;
            case CollectiveKind.Gather:
                communicator.Gather<T>(buffers.Send, buffers.Receive, testCase.Root, algorithm.Gather);
                break;
            case CollectiveKind.Scatter when buffers.InPlace:
                communicator.Scatter(buffers.Receive.AsSpan(), testCase.Root, algorithm.Scatter);
                break;
            case CollectiveKind.Scatter:
                communicator.Scatter<T>(buffers.Send, buffers.Receive, testCase.Root, algorithm.Scatter);
                break;
            case CollectiveKind.Alltoall when buffers.InPlace:
                communicator.Alltoall(buffers.Receive.AsSpan(), algorithm.Alltoall);
                break;
            case CollectiveKind.Alltoall:
                communicator.Alltoall<T>(buffers.Send, buffers.Receive, algorithm.Alltoall);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(testCase), testCase.Kind, "Not a data collective.");
        }
    }

    // The asynchronous API's in-place overloads of the reductions always let the selection table
    // choose; to force an algorithm, "in place" passes the same memory as send and receive, which
    // the library detects. Allgather's, ReduceScatter's, Gather's and Scatter's in-place overloads take an algorithm.
    internal static ValueTask CallAsync<T>(CollectiveCase testCase, Communicator communicator, RankBuffers<T> buffers)
        where T : unmanaged
    {
        CollectiveAlgorithm algorithm = testCase.Algorithm;
        return testCase.Kind switch
        {
            CollectiveKind.Allreduce => communicator.AllreduceAsync<T>(buffers.Send, buffers.Receive, testCase.Op, algorithm.Allreduce),
            CollectiveKind.Reduce => communicator.ReduceAsync<T>(buffers.Send, buffers.Receive, testCase.Op, testCase.Root, algorithm.Reduce),
            CollectiveKind.Broadcast => communicator.BroadcastAsync<T>(buffers.Receive, testCase.Root, algorithm.Broadcast),
            CollectiveKind.Allgather when buffers.InPlace => communicator.AllgatherAsync<T>(buffers.Receive, algorithm.Allgather),
            CollectiveKind.Allgather => communicator.AllgatherAsync<T>(buffers.Send, buffers.Receive, algorithm.Allgather),
            CollectiveKind.ReduceScatter when buffers.InPlace => communicator.ReduceScatterAsync<T>(buffers.Receive, testCase.Op, algorithm.ReduceScatter),
            CollectiveKind.ReduceScatter => communicator.ReduceScatterAsync<T>(buffers.Send, buffers.Receive, testCase.Op, algorithm.ReduceScatter),
            CollectiveKind.Gather when buffers.InPlace => communicator.GatherAsync<T>(buffers.Receive, testCase.Root, algorithm.Gather),
            CollectiveKind.Gather => communicator.GatherAsync<T>(buffers.Send, buffers.Receive, testCase.Root, algorithm.Gather),
            CollectiveKind.Scatter when buffers.InPlace => communicator.ScatterAsync<T>(buffers.Receive, testCase.Root, algorithm.Scatter),
            CollectiveKind.Scatter => communicator.ScatterAsync<T>(buffers.Send, buffers.Receive, testCase.Root, algorithm.Scatter),
            CollectiveKind.Alltoall when buffers.InPlace => communicator.AlltoallAsync<T>(buffers.Receive, algorithm.Alltoall),
            CollectiveKind.Alltoall => communicator.AlltoallAsync<T>(buffers.Send, buffers.Receive, algorithm.Alltoall),
            _ => throw new ArgumentOutOfRangeException(nameof(testCase), testCase.Kind, "Not a data collective."),
        };
    }
}
