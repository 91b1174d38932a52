using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;

namespace Collectives.Algorithms;

/// <summary>
/// Ring reduce-scatter (MPICH's reduce_scatter_intra_ring, the first half of the ring allreduce):
/// in p-1 steps every rank sends its successor the partial block it combined in the step before
/// (in the first step, its own contribution to block r-1) and receives another partial from its
/// predecessor, into which it combines its own contribution. Block b's chain starts at rank b+1 and
/// ends at rank b, so after the last step rank r holds block r.
/// <para>
/// Cost: (p-1) alpha + (p-1) n beta + (p-1) n gamma for blocks of n bytes (with per-rank sizes,
/// each step waits for the largest block in flight). The bandwidth term is optimal and every rank
/// only ever talks to its two neighbours, but the latency term is linear in p, so it suits large
/// blocks. Works for any p.
/// </para>
/// <para>
/// Each block is combined along its one chain, the incoming partial (the ranks before this one on
/// the chain) first, so its bits do not depend on timing. Every step exchanges a message, empty
/// ones included, and what a rank sends carries everything it has received and checked, so every
/// rank hears from every other along the ring: the algorithm verifies the call itself.
/// </para>
/// </summary>
internal static class RingReduceScatter
{
    /// <summary>Writes this rank's block of the reduction of every rank's <paramref name="source"/> into <paramref name="result"/>.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, BlockLayout blocks, ReadOnlyMemory<byte> source, Memory<byte> result)
    {
        int rank = context.Rank;
        int size = context.Size;
        int next = (rank + 1) % size;
        int previous = (rank - 1 + size) % size;
        int largest = blocks.LargestBlockBytes;

        // The partial a step combines is sent in the next, and the send has completed (its buffer
        // may be reused) before that step combines into it again.
        using ScratchBuffer scratch = context.RentScratch(2 * largest);
        Memory<byte> incoming = scratch.Memory[..largest];
        Memory<byte> partial = scratch.Memory[largest..];
        for (int step = 0; step < size - 1; step++)
        {
            int sent = Wrap(rank - step - 1, size);
            int received = Wrap(rank - step - 2, size);
            ReadOnlyMemory<byte> outgoing = step == 0 ? source[blocks.Of(sent)] : partial[..BytesOf(blocks, sent)];
            Memory<byte> arrived = incoming[..BytesOf(blocks, received)];
            await context.SendReceiveAsync(next, outgoing, previous, arrived, step).ConfigureAwait(false);

            // The last block to arrive is this rank's own: it is combined straight into the result.
            Memory<byte> accumulator = step == size - 2 ? result : partial[..arrived.Length];
            context.Combine(arrived.Span, source[blocks.Of(received)].Span, accumulator.Span);
        }
    }

    private static int BytesOf(BlockLayout blocks, int block) => blocks.Start(block + 1) - blocks.Start(block);

    private static int Wrap(int block, int size) => ((block % size) + size) % size;
}
