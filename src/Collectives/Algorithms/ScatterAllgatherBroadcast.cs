using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;
using Collectives.Topology;

namespace Collectives.Algorithms;

/// <summary>
/// Van de Geijn's broadcast (Barnett et al. 1994; MPICH's scatter_ring_allgather): the root's
/// vector is cut into p chunks, chunk i belonging to the rank i places after the root; a binomial
/// scatter gives every rank its chunk, then a ring allgather circulates the chunks.
/// <para>
/// Cost: (log2(p) + p - 1) alpha + 2 (p-1)/p n beta, against log2(p) (alpha + n beta) for the
/// binomial tree: for large vectors and more than a few ranks the bandwidth term wins.
/// </para>
/// <para>
/// In the scatter a rank's binomial subtree covers a contiguous run of relative ranks, so each
/// message is one contiguous slice of the buffer, received in place. In the ring the root already
/// holds everything, so its predecessor does not send to it; the root still feeds its successor.
/// Chunks are whole elements, as even as possible; empty ones (fewer elements than ranks) are
/// never sent, which sender and receiver decide alike. Works for any p.
/// </para>
/// </summary>
internal static class ScatterAllgatherBroadcast
{
    private const int ScatterStep = PowerOfTwoFold.FirstStep;
    private const int FirstRingStep = ScatterStep + 1;

    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, Memory<byte> buffer, int root)
    {
        if (context.Size == 1)
        {
            return;
        }

        await ScatterAsync(context, buffer, root).ConfigureAwait(false);
        await RingAllgatherAsync(context, buffer, root).ConfigureAwait(false);
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private static async ValueTask ScatterAsync(CollectiveContext context, Memory<byte> buffer, int root)
    {
        int size = context.Size;
        Tree tree = context.BinomialTree(root);
        int parent = tree.Parent(context.Rank);
        if (parent >= 0)
        {
            Memory<byte> mine = buffer[SubtreeBytes(context, buffer.Length, Relative(context.Rank, root, size))];
            if (!mine.IsEmpty)
            {
                await context.ReceiveAsync(parent, ScatterStep, mine).ConfigureAwait(false);
            }
        }

        // Largest subtree first: it has the longest chain of forwards still ahead of it.
        for (int i = 0; i < tree.Children(context.Rank).Length; i++)
        {
            int child = tree.Children(context.Rank)[i];
            Memory<byte> theirs = buffer[SubtreeBytes(context, buffer.Length, Relative(child, root, size))];
            if (!theirs.IsEmpty)
            {
                await context.SendAsync(child, ScatterStep, theirs).ConfigureAwait(false);
            }
        }
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private static async ValueTask RingAllgatherAsync(CollectiveContext context, Memory<byte> buffer, int root)
    {
        int size = context.Size;
        int self = Relative(context.Rank, root, size);
        int next = (context.Rank + 1) % size;
        int previous = (context.Rank - 1 + size) % size;
        var chunks = new ChunkLayout(buffer.Length, context.ElementSize, size);
        for (int round = 0; round < size - 1; round++)
        {
            int step = FirstRingStep + round;
            Memory<byte> outgoing = next == root ? Memory<byte>.Empty : buffer[chunks.Of(Wrap(self - round, size))];
            Memory<byte> incoming = self == 0 ? Memory<byte>.Empty : buffer[chunks.Of(Wrap(self - round - 1, size))];
            ValueTask send = outgoing.IsEmpty ? ValueTask.CompletedTask : context.SendAsync(next, step, outgoing);
            if (!incoming.IsEmpty)
            {
                await context.ReceiveAsync(previous, step, incoming).ConfigureAwait(false);
            }

            await send.ConfigureAwait(false);
        }
    }

    // The subtree of relative rank v in a binomial tree is relative ranks [v, v + lowest set bit of v),
    // clipped to the communicator; the root's (v = 0) is everything.
    private static Range SubtreeBytes(CollectiveContext context, int bytes, int relative)
    {
        int size = context.Size;
        int extent = relative == 0 ? size : Math.Min(relative & -relative, size - relative);
        return new ChunkLayout(bytes, context.ElementSize, size).Of(relative, extent);
    }

    // Chunk c holds elements [n c / p, n (c+1) / p): whole elements, sizes differing by at most one.
    private static int Relative(int rank, int root, int size) => (rank - root + size) % size;

    private static int Wrap(int chunk, int size) => ((chunk % size) + size) % size;
}
