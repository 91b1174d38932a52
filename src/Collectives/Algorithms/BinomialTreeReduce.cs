using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;
using Collectives.Topology;

namespace Collectives.Algorithms;

/// <summary>
/// Binomial-tree reduce, pipelined: for each segment a rank combines what its children send
/// (smallest subtree first, as those arrive first) into its own data and passes the partial result
/// to its parent. The root ends with the full reduction.
/// </summary>
/// <remarks>
/// When <see cref="CollectiveContext.OverlapsCombining"/> allows, each combine runs on the thread
/// pool while the next segment is received into a second buffer, so receiving (a copy out of the
/// socket) and combining use two cores instead of taking turns on one; a finished segment then
/// goes to the parent once its last combine is done, which is checked after the next receive. The
/// combines into a segment still run one after another in the same order, so the bits are those
/// of the plain loop.
/// </remarks>
internal static class BinomialTreeReduce
{
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, Memory<byte> buffer, int root)
    {
        Tree tree = context.BinomialTree(root);
        int parent = tree.Parent(context.Rank);
        int childCount = tree.Children(context.Rank).Length;
        int segments = context.SegmentCount(buffer.Length);
        bool overlap = childCount > 0 && context.OverlapsCombining(segments * childCount);
        int segmentBytes = childCount == 0 ? 0 : Math.Min(buffer.Length, context.SegmentBytes);
        using ScratchBuffer scratch = context.RentScratch(overlap ? 2 * segmentBytes : segmentBytes);
        ValueTask? combining = null;
        int unsent = -1;
        int receives = 0;
        try
        {
            for (int segment = 0; segment < segments; segment++)
            {
                Memory<byte> piece = buffer[context.SegmentRange(buffer.Length, segment)];
                for (int i = childCount - 1; i >= 0; i--)
                {
                    // Overlapped, two buffers in turn: the combine in flight reads the other one.
                    Memory<byte> received = scratch.Memory.Slice(overlap ? receives++ % 2 * segmentBytes : 0, piece.Length);
                    await context.ReceiveSegmentAsync(tree.Children(context.Rank)[i], 0, segment, received).ConfigureAwait(false);
                    if (combining is { } previous)
                    {
                        combining = null;
                        await previous.ConfigureAwait(false);
                    }

                    if (unsent >= 0)
                    {
                        await SendAsync(context, parent, buffer, unsent).ConfigureAwait(false);
                        unsent = -1;
                    }

                    if (overlap)
                    {
                        // accumulator = accumulator op incoming, as Combine(incoming, accumulator) does.
                        combining = context.CombineInBackground(piece, received, piece);
                    }
                    else
                    {
                        context.Combine(received.Span, piece.Span);
                    }
                }

                if (parent < 0)
                {
                    continue;
                }

                if (combining is null)
                {
                    await SendAsync(context, parent, buffer, segment).ConfigureAwait(false);
                }
                else
                {
                    unsent = segment;
                }
            }

            if (combining is { } last)
            {
                combining = null;
                await last.ConfigureAwait(false);
            }

            if (unsent >= 0)
            {
                await SendAsync(context, parent, buffer, unsent).ConfigureAwait(false);
            }
        }
        finally
        {
            // A failed receive returns only once no combine still reads the scratch or writes the buffer.
            await CollectiveContext.CompleteQuietlyAsync(combining).ConfigureAwait(false);
        }
    }

    private static ValueTask SendAsync(CollectiveContext context, int parent, Memory<byte> buffer, int segment)
        => context.SendSegmentAsync(parent, 0, segment, buffer[context.SegmentRange(buffer.Length, segment)]);
}
