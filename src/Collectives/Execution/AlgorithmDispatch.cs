using System.Runtime.CompilerServices;
using Collectives.Algorithms;
using Collectives.Execution.Pooling;

namespace Collectives.Execution;

/// <summary>
/// Prepares the working buffer of a call (copying the send buffer where the algorithm works in
/// place) and runs the chosen algorithm on it.
/// </summary>
internal static class AlgorithmDispatch
{
    /// <summary>Step numbers of the call-verification exchange, apart from every algorithm's own.</summary>
    private const int VerificationFirstStep = -64;

    /// <summary>Verifies the call across ranks when asked to, then runs it.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, CollectiveCall call, Memory<byte> send, Memory<byte> receive, bool verifyCall)
    {
        // On one shared-memory segment, verification is one step in the windows (Barrier included,
        // so a rank that chose a windows algorithm and one that chose messages still meet there).
        if (verifyCall && context.Size > 1 && !context.TryVerifyInWindows() && call.Kind != CollectiveKind.Barrier)
        {
            await DisseminationBarrier.RunAsync(context, VerificationFirstStep).ConfigureAwait(false);
        }

        await RunAlgorithmAsync(context, call, send, receive).ConfigureAwait(false);
    }

    private static ValueTask RunAlgorithmAsync(CollectiveContext context, CollectiveCall call, Memory<byte> send, Memory<byte> receive)
    {
        switch (call.Kind)
        {
            case CollectiveKind.Barrier:
                return DisseminationBarrier.RunAsync(context);

            case CollectiveKind.Broadcast:
                return (BroadcastAlgorithm)call.Algorithm switch
                {
                    BroadcastAlgorithm.BinomialTree => BinomialTreeBroadcast.RunAsync(context, receive, call.Root),
                    BroadcastAlgorithm.ScatterAllgather => ScatterAllgatherBroadcast.RunAsync(context, receive, call.Root),
                    _ => throw Unknown(call),
                };

            case CollectiveKind.Allreduce:
                CopyUnlessSame(send, receive);
                NormalizeIfAlone(context, call, receive.Span);
                return (AllreduceAlgorithm)call.Algorithm switch
                {
                    AllreduceAlgorithm.RecursiveDoubling => RecursiveDoublingAllreduce.RunAsync(context, receive),
                    AllreduceAlgorithm.Rabenseifner => RabenseifnerAllreduce.RunAsync(context, receive),
                    AllreduceAlgorithm.Ring => RingAllreduce.RunAsync(context, receive),
                    _ => throw Unknown(call),
                };

            case CollectiveKind.Reduce:
                return ReduceAsync(context, call, send, receive);

            default:
                throw Unknown(call);
        }
    }

    // Non-root ranks reduce into a pooled copy so that their send buffer is never modified.
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private static async ValueTask ReduceAsync(CollectiveContext context, CollectiveCall call, Memory<byte> send, Memory<byte> receive)
    {
        bool isRoot = context.Rank == call.Root;
        using ScratchBuffer scratch = isRoot ? default : context.RentScratch(send.Length);
        Memory<byte> work = isRoot ? receive : scratch.Memory;
        CopyUnlessSame(send, work);
        NormalizeIfAlone(context, call, work.Span);
        ValueTask run = (ReduceAlgorithm)call.Algorithm switch
        {
            ReduceAlgorithm.BinomialTree => BinomialTreeReduce.RunAsync(context, work, call.Root),
            ReduceAlgorithm.Rabenseifner => RabenseifnerReduce.RunAsync(context, work, call.Root),
            _ => throw Unknown(call),
        };
        await run.ConfigureAwait(false);
    }

    // With one rank nothing is combined, yet logical operations must still yield 1 or 0.
    private static void NormalizeIfAlone(CollectiveContext context, CollectiveCall call, Span<byte> result)
    {
        if (context.Size == 1)
        {
            call.Kernel?.Normalize(result);
        }
    }

    private static void CopyUnlessSame(Memory<byte> source, Memory<byte> destination)
    {
        if (!source.Span.Overlaps(destination.Span, out int offset) || offset != 0)
        {
            source.Span.CopyTo(destination.Span);
        }
    }

    private static InvalidOperationException Unknown(CollectiveCall call)
        => new($"No algorithm {call.Algorithm} for {call.Kind}.");
}
