using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;

namespace Collectives.Algorithms;

/// <summary>
/// Rabenseifner's reduce: the recursive-halving reduce-scatter of <see cref="RabenseifnerAllreduce"/>,
/// then a binomial gather of the reduced chunks to the root that replays the halving backwards
/// (each sender hands its block to the partner it split it with, and drops out).
/// <para>
/// Cost for p' = p: 2 log2(p) alpha + 2 (p-1)/p n beta + (p-1)/p n gamma, against log2(p) (alpha +
/// n beta + n gamma) for the binomial tree. Non-powers of two fold the extra ranks in first
/// (alpha + n beta + n gamma). When the root is one of the ranks folded out, the gather still
/// targets the participant that absorbed it, but every message addressed to that participant goes
/// straight to the root instead, and the participant sends it its own chunk: log2(p') + 1 messages
/// totalling n bytes reach the root, rather than a gather followed by a second full copy.
/// </para>
/// <para>
/// Chunks are whole elements, as even as possible; empty ones (fewer elements than participants)
/// are never sent. Like the allreduce it computes the in-order reduction ((r0 r1)(r2 r3))....
/// Buffers of non-root ranks are scratch space and end up holding partial results.
/// </para>
/// </summary>
internal static class RabenseifnerReduce
{
    public static ValueTask RunAsync(CollectiveContext context, Memory<byte> buffer, int root)
        => PowerOfTwoFold.RunAsync(context, buffer, buffer, new AmongParticipants(root, context.Size));

    /// <summary>The reduce-scatter and gather among the participants, and the folded-out root's part.</summary>
    private readonly struct AmongParticipants : IPowerOfTwoAlgorithm
    {
        private readonly int _root;

        // A folded-out (even) root handed its vector to the odd rank above it, which stands in for it.
        private readonly bool _rootFoldedOut;
        private readonly int _gatherRoot;

        public AmongParticipants(int root, int size)
        {
            var rootFold = new PowerOfTwoFold(root, size);
            _root = root;
            _rootFoldedOut = !rootFold.IsParticipant;
            _gatherRoot = _rootFoldedOut ? new PowerOfTwoFold(root + 1, size).VirtualRank : rootFold.VirtualRank;
        }

        /// <summary>Only the root needs the result, and the gather delivers it there.</summary>
        public static bool FoldedRanksGetTheResult => false;

        [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
        public async ValueTask RunAmongParticipantsAsync(CollectiveContext context, PowerOfTwoFold fold, ReadOnlyMemory<byte> vector, Memory<byte> buffer, Memory<byte> scratch)
        {
            await RabenseifnerAllreduce.ReduceScatterAsync(context, fold, vector, buffer, scratch).ConfigureAwait(false);
            await GatherAsync(context, fold, buffer, _gatherRoot, _rootFoldedOut ? _root : -1).ConfigureAwait(false);
        }

        public ValueTask RunFoldedOutAsync(CollectiveContext context, PowerOfTwoFold fold, Memory<byte> buffer)
            => context.Rank == _root ? ReceiveAtFoldedRootAsync(context, fold, buffer, _gatherRoot) : ValueTask.CompletedTask;
    }

    /// <summary>
    /// Binomial gather to participant <paramref name="gatherRoot"/>. At the step of distance mask a
    /// participant whose distance from the gather root has that bit set sends the block it kept
    /// at that halving step; its partner, holding the sibling block, receives it.
    /// <paramref name="foldedRoot"/>, when not -1, receives what would go to the gather root.
    /// </summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private static async ValueTask GatherAsync(CollectiveContext context, PowerOfTwoFold fold, Memory<byte> buffer, int gatherRoot, int foldedRoot)
    {
        int self = fold.VirtualRank;
        int participants = fold.PowerOfTwo;
        if (self == gatherRoot && foldedRoot >= 0)
        {
            await SendBlockAsync(context, foldedRoot, buffer, participants, self, participants >> 1, FinalStep(participants)).ConfigureAwait(false);
            return;
        }

        for (int mask = participants >> 1; mask > 0; mask >>= 1)
        {
            int partner = self ^ mask;
            int step = RabenseifnerAllreduce.GatherStep(mask, participants);
            if (((self ^ gatherRoot) & mask) != 0)
            {
                int destination = partner == gatherRoot && foldedRoot >= 0 ? foldedRoot : fold.RankOf(partner);
                await SendBlockAsync(context, destination, buffer, participants, self, mask, step).ConfigureAwait(false);
                return;
            }

            await ReceiveBlockAsync(context, fold.RankOf(partner), buffer, participants, partner, mask, step).ConfigureAwait(false);
        }
    }

    // The messages the gather root would have received, plus the gather root's own chunk.
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private static async ValueTask ReceiveAtFoldedRootAsync(CollectiveContext context, PowerOfTwoFold fold, Memory<byte> buffer, int gatherRoot)
    {
        int participants = fold.PowerOfTwo;
        for (int mask = participants >> 1; mask > 0; mask >>= 1)
        {
            int sender = gatherRoot ^ mask;
            await ReceiveBlockAsync(context, fold.RankOf(sender), buffer, participants, sender, mask, RabenseifnerAllreduce.GatherStep(mask, participants)).ConfigureAwait(false);
        }

        await ReceiveBlockAsync(context, fold.RankOf(gatherRoot), buffer, participants, gatherRoot, participants >> 1, FinalStep(participants)).ConfigureAwait(false);
    }

    private static ValueTask SendBlockAsync(CollectiveContext context, int destination, Memory<byte> buffer, int participants, int owner, int mask, int step)
    {
        Memory<byte> block = Block(context, buffer, participants, owner, mask);
        return block.IsEmpty ? ValueTask.CompletedTask : context.SendAsync(destination, step, block);
    }

    private static ValueTask ReceiveBlockAsync(CollectiveContext context, int source, Memory<byte> buffer, int participants, int owner, int mask, int step)
    {
        Memory<byte> block = Block(context, buffer, participants, owner, mask);
        return block.IsEmpty ? ValueTask.CompletedTask : context.ReceiveAsync(source, step, block);
    }

    // The chunks participant `owner` holds after the halving step at distance `mask`.
    private static Memory<byte> Block(CollectiveContext context, Memory<byte> buffer, int participants, int owner, int mask)
        => buffer[new ChunkLayout(buffer.Length, context.ElementSize, participants).Of(RabenseifnerAllreduce.KeptChunks(owner, participants, mask))];

    private static int FinalStep(int participants) => RabenseifnerAllreduce.GatherStep(participants, participants);
}
