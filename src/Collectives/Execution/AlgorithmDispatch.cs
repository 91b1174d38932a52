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
    /// <remarks>
    /// On one shared-memory segment, verification is one step in the windows (Barrier included, so
    /// a rank that chose a windows algorithm and one that chose messages still meet there).
    /// Otherwise it is a dissemination round, unless the call's own messages verify it.
    /// </remarks>
    public static ValueTask RunAsync(CollectiveContext context, CollectiveCall call, Memory<byte> send, Memory<byte> receive, bool verifyCall)
        => verifyCall && context.Size > 1 && !context.TryVerifyInWindows() && !VerifiesItself(call, context.Size)
            ? VerifyThenRunAsync(context, call, send, receive)
            : RunAlgorithmAsync(context, call, send, receive);

    /// <summary>
    /// Whether every rank that completes this call has, through its own messages, already checked
    /// that every other rank made the same call, so a separate verification round would add a
    /// round trip and catch nothing more.
    /// </summary>
    /// <remarks>
    /// Every message is checked against the receiver's signature before it is used, and a rank
    /// that finds a mismatch stops (and aborts the job, which every rank then reports as the
    /// mismatch). So a rank can only finish if, for every other rank, a chain of checked messages
    /// leads from that rank to it: all signatures along such a chain are equal. A Barrier is the
    /// dissemination exchange itself. An Allreduce's result depends on every rank's data, carried
    /// by such chains, as long as every step exchanges a message: always in recursive doubling
    /// (empty vectors travel as empty messages), and in Rabenseifner and ring when every chunk holds
    /// at least one element (count at least the rank count). Broadcast and Reduce are not: the
    /// root of a broadcast and the leaves of a reduce only send.
    /// </remarks>
    internal static bool VerifiesItself(CollectiveCall call, int size) => call.Kind switch
    {
        CollectiveKind.Barrier => true,
        CollectiveKind.Allreduce => (AllreduceAlgorithm)call.Algorithm == AllreduceAlgorithm.RecursiveDoubling || call.Count >= size,
        _ => false,
    };

    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private static async ValueTask VerifyThenRunAsync(CollectiveContext context, CollectiveCall call, Memory<byte> send, Memory<byte> receive)
    {
        await DisseminationBarrier.RunAsync(context, VerificationFirstStep).ConfigureAwait(false);
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
                ReadOnlyMemory<byte> contribution = Contribution(context, send, receive);
                NormalizeIfAlone(context, call, receive.Span);
                return (AllreduceAlgorithm)call.Algorithm switch
                {
                    AllreduceAlgorithm.RecursiveDoubling => RecursiveDoublingAllreduce.RunAsync(context, contribution, receive),
                    AllreduceAlgorithm.Rabenseifner => RabenseifnerAllreduce.RunAsync(context, contribution, receive),
                    AllreduceAlgorithm.Ring => RingAllreduce.RunAsync(context, contribution, receive),
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

    /// <summary>
    /// Where an Allreduce reads this rank's vector: a separate send buffer as it is (the
    /// algorithms' first combine writes into the receive buffer, so copying the whole vector first
    /// would only add a pass over memory: 4 MiB is ~0.3 ms here), otherwise the receive buffer,
    /// after copying the send buffer in when the two partly overlap.
    /// </summary>
    private static ReadOnlyMemory<byte> Contribution(CollectiveContext context, Memory<byte> send, Memory<byte> receive)
    {
        if (context.Size > 1 && !send.Span.Overlaps(receive.Span))
        {
            return send;
        }

        CopyUnlessSame(send, receive);
        return receive;
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
