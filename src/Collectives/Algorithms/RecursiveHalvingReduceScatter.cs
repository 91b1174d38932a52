using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;

namespace Collectives.Algorithms;

/// <summary>
/// Recursive-halving reduce-scatter (Thakur, Rabenseifner and Gropp 2005; MPICH's
/// reduce_scatter_intra_recursive_halving): among p' = 2^k participants, in step i every participant
/// exchanges with the one whose number differs in bit k-1-i (the highest first): each sends the
/// half of the blocks it still holds that the partner keeps, and combines the half it keeps with
/// the partner's partial. After k steps participant v holds its own blocks, fully reduced.
/// <para>
/// Cost: log2(p) alpha + (p-1)/p N beta + (p-1)/p N gamma for a vector of N bytes (p blocks):
/// the latency of recursive doubling with the bandwidth of the ring, so it suits small and
/// medium blocks. Other rank counts fold the extra ranks in first (<see cref="PowerOfTwoFold"/>,
/// 1 alpha + N beta more): a participant with a folded partner also reduces the partner's block,
/// and hands it back at the end.
/// </para>
/// <para>
/// Halving from the highest bit keeps each participant's blocks contiguous, so every message is
/// one run of blocks. Each combine puts the partial of the participant whose bit is clear first,
/// so every block is reduced along one fixed tree whatever the timing. Every exchange sends a
/// message, empty ones included, and each carries everything its sender has received and checked,
/// so every rank hears from every other: the algorithm verifies the call itself.
/// </para>
/// </summary>
internal static class RecursiveHalvingReduceScatter
{
    /// <summary>Writes this rank's block of the reduction of every rank's <paramref name="source"/> into <paramref name="result"/>.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, BlockLayout blocks, ReadOnlyMemory<byte> source, Memory<byte> result)
    {
        // The partial vector the halving combines into; never the caller's buffers, so an in-place
        // call reads its other blocks intact and only its own block is written. (The partner's
        // blocks need no such array: they arrive through two segments of scratch, see Halving.)
        using ScratchBuffer working = context.RentScratch(blocks.TotalBytes);
        await PowerOfTwoFold.RunAsync(context, source, working.Memory, new Halving(blocks, result)).ConfigureAwait(false);
    }

    /// <summary>The step of the exchange at distance <paramref name="mask"/> among <paramref name="participants"/>: the first (highest bit) is <see cref="PowerOfTwoFold.FirstStep"/>.</summary>
    private static int StepOf(int mask, int participants)
        => PowerOfTwoFold.FirstStep + System.Numerics.BitOperations.Log2((uint)participants) - 1 - System.Numerics.BitOperations.Log2((uint)mask);

    /// <summary>
    /// The bytes of the blocks participant <paramref name="virtualRank"/> still holds after the step
    /// at distance <paramref name="mask"/>: those of the <paramref name="mask"/> participants that
    /// share its bits from <paramref name="mask"/> up.
    /// </summary>
    private static Range HeldAfter(PowerOfTwoFold fold, BlockLayout blocks, int virtualRank, int mask)
    {
        int first = virtualRank & ~(mask - 1);
        return blocks.Start(fold.FirstRankOf(first))..blocks.Start(fold.FirstRankOf(first + mask));
    }

    private readonly struct Halving(BlockLayout blocks, Memory<byte> result) : IPowerOfTwoAlgorithm
    {
        /// <summary>Participants hand a folded rank only its own block, themselves (below), not the whole vector.</summary>
        public static bool FoldedRanksGetTheResult => false;

        [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
        public async ValueTask RunAmongParticipantsAsync(CollectiveContext context, PowerOfTwoFold fold, ReadOnlyMemory<byte> vector, Memory<byte> buffer, Memory<byte> scratch)
        {
            int self = fold.VirtualRank;
            int participants = fold.PowerOfTwo;
            for (int mask = participants >> 1; mask > 0; mask >>= 1, vector = buffer)
            {
                int partner = self ^ mask;
                Range kept = HeldAfter(fold, blocks, self, mask);
                ReadOnlyMemory<byte> given = vector[HeldAfter(fold, blocks, partner, mask)];
                int peer = fold.RankOf(partner);
                // The blocks given away never overlap those kept, so combining while they are sent is safe.
                bool lowerBlock = (self & mask) == 0;
                await context.SendReceiveCombiningAsync(
                    peer, given, peer, vector[kept], incomingIsLower: !lowerBlock, buffer[kept], scratch, StepOf(mask, participants)).ConfigureAwait(false);
            }

            buffer[blocks.Of(context.Rank)].CopyTo(result);
            int folded = fold.FirstRankOf(self);
            if (folded != context.Rank)
            {
                await context.SendAsync(folded, PowerOfTwoFold.FoldOutStep, buffer[blocks.Of(folded)]).ConfigureAwait(false);
            }
        }

        public ValueTask RunFoldedOutAsync(CollectiveContext context, PowerOfTwoFold fold, Memory<byte> buffer)
            => context.ReceiveAsync(context.Rank + 1, PowerOfTwoFold.FoldOutStep, result);
    }
}
