using System.Numerics;
using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;

namespace Collectives.Algorithms;

/// <summary>
/// Rabenseifner's allreduce (Thakur, Rabenseifner and Gropp 2005): a reduce-scatter by recursive
/// halving, after which each of the p' participants holds one fully reduced chunk, then an allgather
/// by recursive doubling that replays the halving backwards. Non-powers of two fold the extra ranks
/// in first and out at the end (<see cref="PowerOfTwoFold"/>).
/// <para>
/// Cost for p' = p: 2 log2(p) alpha + 2 (p-1)/p n beta + (p-1)/p n gamma, against log2(p) (alpha +
/// n beta + n gamma) for recursive doubling, so it wins once n beta dominates alpha. The fold adds
/// 2 alpha + 2 n beta + n gamma.
/// </para>
/// <para>
/// The vector is cut into p' chunks of whole elements, as even as possible; with fewer elements
/// than participants some chunks are empty and exchanges in which both directions are empty are
/// skipped by both partners. Each chunk is reduced by exactly one participant and then only copied,
/// so every rank gets the same bits. The reduce-scatter pairs partners at distance 1, 2, 4...,
/// so every combine joins two adjacent blocks of ranks, lower block first: the result is the
/// in-order reduction ((r0 r1)(r2 r3))..., whatever the element count.
/// </para>
/// </summary>
internal static class RabenseifnerAllreduce
{
    /// <summary>
    /// Reduces every rank's <paramref name="source"/> into every rank's <paramref name="buffer"/>.
    /// <paramref name="source"/> is either <paramref name="buffer"/> itself (in place) or a vector of
    /// the same length that does not overlap it; it is only read, and the first step writes its
    /// combined halves straight into <paramref name="buffer"/>, so a separate send buffer is never
    /// copied as a whole.
    /// </summary>
    public static ValueTask RunAsync(CollectiveContext context, ReadOnlyMemory<byte> source, Memory<byte> buffer)
        => PowerOfTwoFold.RunAsync(context, source, buffer, default(AmongParticipants));

    /// <summary>
    /// Recursive halving among the participants of <paramref name="fold"/>. Afterwards participant v
    /// holds the final value of exactly one chunk, <see cref="KeptChunks"/>(v, p', p'/2) (bit-reversed
    /// v, because the first split is by the lowest bit); the rest of its buffer holds partial results.
    /// The first step reads this rank's vector from <paramref name="vector"/> (the buffer itself, or
    /// a separate vector of the same length) and every step writes the kept half into
    /// <paramref name="buffer"/>. The partner's half arrives segment by segment through
    /// <paramref name="scratch"/>, which must hold <see cref="CollectiveContext.CombiningScratchBytes"/>
    /// of the buffer: two segments, not the half.
    /// </summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    internal static async ValueTask ReduceScatterAsync(CollectiveContext context, PowerOfTwoFold fold, ReadOnlyMemory<byte> vector, Memory<byte> buffer, Memory<byte> scratch)
    {
        int self = fold.VirtualRank;
        int participants = fold.PowerOfTwo;
        var chunks = new ChunkLayout(buffer.Length, context.ElementSize, participants);
        for (int mask = 1; mask < participants; mask <<= 1, vector = buffer)
        {
            int partner = self ^ mask;
            Range keptRange = chunks.Of(KeptChunks(self, participants, mask));
            ReadOnlyMemory<byte> ownHalf = vector[keptRange];
            Memory<byte> kept = buffer[keptRange];
            ReadOnlyMemory<byte> given = vector[chunks.Of(KeptChunks(partner, participants, mask))];
            if (given.IsEmpty && kept.IsEmpty)
            {
                continue;
            }

            // Both partials cover aligned blocks of `mask` adjacent ranks; the block with the bit
            // clear is the lower one, so the result is the in-order reduction. The half given
            // away never overlaps the half kept, so combining while it is sent is safe.
            bool lowerBlock = (self & mask) == 0;
            int peer = fold.RankOf(partner);
            await context.SendReceiveCombiningAsync(
                peer, given, peer, ownHalf, incomingIsLower: !lowerBlock, kept, scratch, ReduceScatterStep(mask)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The chunks participant <paramref name="virtualRank"/> keeps after the halving step at distance
    /// <paramref name="lastMask"/> (all chunks for 0): each step keeps the lower half when the rank's
    /// bit for that distance is clear. Participants differing only in bits above
    /// <paramref name="lastMask"/> keep the same chunks, which is what lets a pair merge its halves.
    /// </summary>
    internal static Range KeptChunks(int virtualRank, int participants, int lastMask)
    {
        int low = 0;
        int high = participants;
        for (int mask = 1; mask <= lastMask; mask <<= 1)
        {
            int middle = (low + high) / 2;
            if ((virtualRank & mask) == 0)
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }

        return low..high;
    }

    internal static int ReduceScatterStep(int mask) => PowerOfTwoFold.FirstStep + BitOperations.Log2((uint)mask);

    internal static int GatherStep(int mask, int participants)
        => PowerOfTwoFold.FirstStep + BitOperations.Log2((uint)participants) + BitOperations.Log2((uint)mask);

    /// <summary>
    /// Sends and receives in one step; partners compute the same two lengths (one's send is the
    /// other's receive), so skipping when both are empty is skipped on both sides.
    /// </summary>
    internal static ValueTask ExchangeAsync(CollectiveContext context, int peer, ReadOnlyMemory<byte> send, Memory<byte> receive, int step)
        => send.IsEmpty && receive.IsEmpty
            ? ValueTask.CompletedTask
            : context.SendReceiveAsync(peer, send, peer, receive, step);

    // Recursive doubling in the reverse order of the halving: at each step a pair holds the two
    // halves of the block it shared before the matching halving step, and swaps them.
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private static async ValueTask AllgatherAsync(CollectiveContext context, PowerOfTwoFold fold, Memory<byte> buffer)
    {
        int self = fold.VirtualRank;
        int participants = fold.PowerOfTwo;
        var chunks = new ChunkLayout(buffer.Length, context.ElementSize, participants);
        for (int mask = participants >> 1; mask > 0; mask >>= 1)
        {
            int partner = self ^ mask;
            Memory<byte> mine = buffer[chunks.Of(KeptChunks(self, participants, mask))];
            Memory<byte> theirs = buffer[chunks.Of(KeptChunks(partner, participants, mask))];
            await ExchangeAsync(context, fold.RankOf(partner), mine, theirs, GatherStep(mask, participants)).ConfigureAwait(false);
        }
    }

    private readonly struct AmongParticipants : IPowerOfTwoAlgorithm
    {
        public static bool FoldedRanksGetTheResult => true;

        [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
        public async ValueTask RunAmongParticipantsAsync(CollectiveContext context, PowerOfTwoFold fold, ReadOnlyMemory<byte> vector, Memory<byte> buffer, Memory<byte> scratch)
        {
            await ReduceScatterAsync(context, fold, vector, buffer, scratch).ConfigureAwait(false);
            await AllgatherAsync(context, fold, buffer).ConfigureAwait(false);
        }

        public ValueTask RunFoldedOutAsync(CollectiveContext context, PowerOfTwoFold fold, Memory<byte> buffer) => ValueTask.CompletedTask;
    }
}
