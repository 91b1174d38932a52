using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;

namespace Collectives.Algorithms;

/// <summary>
/// Recursive-doubling allreduce: in step k every rank exchanges its whole vector with the rank
/// whose number differs in bit k and combines, so after log2(p) steps all hold the result.
/// Non-powers of two fold the extra ranks in first and out at the end (<see cref="PowerOfTwoFold"/>).
/// Each pair combines lower rank's data first, so both partners produce the same bits.
/// </summary>
internal static class RecursiveDoublingAllreduce
{
    /// <summary>Reduces every rank's <paramref name="buffer"/> in place.</summary>
    public static ValueTask RunAsync(CollectiveContext context, Memory<byte> buffer) => RunAsync(context, buffer, buffer);

    /// <summary>
    /// Reduces every rank's <paramref name="source"/> into every rank's <paramref name="buffer"/>;
    /// <paramref name="source"/> is the buffer itself or a same-length vector not overlapping it,
    /// only read (the first step combines straight from it into the buffer).
    /// </summary>
    public static ValueTask RunAsync(CollectiveContext context, ReadOnlyMemory<byte> source, Memory<byte> buffer)
        => PowerOfTwoFold.RunAsync(context, source, buffer, default(AmongParticipants));

    private readonly struct AmongParticipants : IPowerOfTwoAlgorithm
    {
        public static bool FoldedRanksGetTheResult => true;

        /// <summary>
        /// The partner's whole vector: it arrives while this rank's own vector, which the combine
        /// overwrites (in place after the first step), may still be going out. (At least the
        /// fold-in's two segments, <see cref="CollectiveContext.CombiningScratchBytes"/>.)
        /// </summary>
        public static int ScratchBytes(CollectiveContext context, int vectorBytes) => vectorBytes;

        [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
        public async ValueTask RunAmongParticipantsAsync(CollectiveContext context, PowerOfTwoFold fold, ReadOnlyMemory<byte> vector, Memory<byte> buffer, Memory<byte> scratch)
        {
            int step = PowerOfTwoFold.FirstStep;
            for (int mask = 1; mask < fold.PowerOfTwo; mask <<= 1, step++, vector = buffer)
            {
                int partner = fold.RankOf(fold.VirtualRank ^ mask);
                await context.SendReceiveAsync(partner, vector, partner, scratch, step).ConfigureAwait(false);
                if (partner < context.Rank)
                {
                    context.Combine(scratch.Span, vector.Span, buffer.Span);
                }
                else
                {
                    context.Combine(vector.Span, scratch.Span, buffer.Span);
                }
            }
        }

        public ValueTask RunFoldedOutAsync(CollectiveContext context, PowerOfTwoFold fold, Memory<byte> buffer) => ValueTask.CompletedTask;
    }
}
