using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;

namespace Collectives.Algorithms;

/// <summary>
/// Ring allreduce (Patarasuk and Yuan 2009; NCCL's and Horovod's ring): the vector is cut into p
/// chunks; in p-1 reduce-scatter steps every rank passes a partial chunk to its successor, which adds
/// its own contribution, so chunk c is completed at rank c-1; in p-1 allgather steps the finished
/// chunks travel once more round the ring and are copied.
/// <para>
/// Cost: 2 (p-1) alpha + 2 (p-1)/p n beta + (p-1)/p n gamma. The bandwidth term is optimal and
/// every rank only ever talks to its two neighbours, but the latency term is linear in p, so it
/// suits large vectors. Works for any p without folding.
/// </para>
/// <para>
/// Chunks are whole elements, as even as possible; with fewer elements than ranks some chunks are
/// empty, and neither their sender nor their receiver (who agree on which chunk travels) posts a
/// message for them. Each chunk is reduced along a single chain and then only copied, so every
/// rank gets the same bits.
/// </para>
/// </summary>
internal static class RingAllreduce
{
    /// <summary>
    /// Reduces every rank's <paramref name="source"/> into every rank's <paramref name="buffer"/>;
    /// <paramref name="source"/> is the buffer itself or a same-length vector not overlapping it,
    /// only read: each chunk meets this rank's contribution exactly once, so it is read from there,
    /// and every chunk of the buffer is written by a combine or a receive.
    /// </summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, ReadOnlyMemory<byte> source, Memory<byte> buffer)
    {
        int rank = context.Rank;
        int size = context.Size;
        if (size == 1)
        {
            return;
        }

        int next = (rank + 1) % size;
        int previous = (rank - 1 + size) % size;
        var chunks = new ChunkLayout(buffer.Length, context.ElementSize, size);
        // The incoming partial arrives two segments at a time, not as a whole chunk.
        using ScratchBuffer scratch = context.RentScratch(context.CombiningScratchBytes(chunks.LargestChunkBytes));
        int step = PowerOfTwoFold.FirstStep;
        for (int round = 0; round < size - 1; round++, step++)
        {
            // The first chunk sent is this rank's own contribution; later ones are the partials
            // combined in the round before.
            Range outgoingChunk = chunks.Of(Wrap(rank - round, size));
            ReadOnlyMemory<byte> outgoing = round == 0 ? source[outgoingChunk] : buffer[outgoingChunk];
            Range accumulatorChunk = chunks.Of(Wrap(rank - round - 1, size));
            Memory<byte> accumulator = buffer[accumulatorChunk];
            if (accumulator.IsEmpty)
            {
                await ShiftAsync(context, next, outgoing, previous, Memory<byte>.Empty, step).ConfigureAwait(false);
                continue;
            }

            // The incoming partial carries the ranks before this one on the chunk's chain. The
            // chunk sent is another one, so combining while it goes out is safe.
            ValueTask send = outgoing.IsEmpty ? ValueTask.CompletedTask : context.SendAsync(next, step, outgoing);
            await context.ReceiveCombiningAsync(previous, step, source[accumulatorChunk], incomingIsLower: true, accumulator, scratch.Memory).ConfigureAwait(false);
            await send.ConfigureAwait(false);
        }

        for (int round = 0; round < size - 1; round++, step++)
        {
            Memory<byte> outgoing = buffer[chunks.Of(Wrap(rank + 1 - round, size))];
            Memory<byte> incoming = buffer[chunks.Of(Wrap(rank - round, size))];
            await ShiftAsync(context, next, outgoing, previous, incoming, step).ConfigureAwait(false);
        }
    }

    // Sender and receiver of a chunk compute the same length, so each skips an empty one alone.
    private static ValueTask ShiftAsync(CollectiveContext context, int next, ReadOnlyMemory<byte> outgoing, int previous, Memory<byte> incoming, int step)
    {
        if (outgoing.IsEmpty)
        {
            return incoming.IsEmpty ? ValueTask.CompletedTask : context.ReceiveAsync(previous, step, incoming);
        }

        return incoming.IsEmpty
            ? context.SendAsync(next, step, outgoing)
            : context.SendReceiveAsync(next, outgoing, previous, incoming, step);
    }

    private static int Wrap(int chunk, int size) => ((chunk % size) + size) % size;
}
