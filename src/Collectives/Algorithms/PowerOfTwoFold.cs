using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;

namespace Collectives.Algorithms;

/// <summary>
/// Reduces a non-power-of-two rank count p to the largest power of two p' &lt;= p, as MPICH does:
/// of the first 2(p - p') ranks, each even rank hands its vector to the odd rank above it and sits
/// out; the remaining p' ranks are renumbered 0..p'-1 (<see cref="VirtualRank"/>). At the end each
/// odd rank hands the result back to its even partner. <see cref="RunAsync"/> wraps an
/// <see cref="IPowerOfTwoAlgorithm"/> in this fold.
/// </summary>
internal readonly struct PowerOfTwoFold
{
    /// <summary>Step number of the fold-in message; algorithms number their own steps from <see cref="FirstStep"/>.</summary>
    public const int FoldInStep = 0;

    /// <summary>First step number free for the algorithm between fold-in and fold-out.</summary>
    public const int FirstStep = 1;

    /// <summary>Step number of the fold-out message.</summary>
    public const int FoldOutStep = 1_000_000;

    private readonly int _rank;
    private readonly int _extra;

    public PowerOfTwoFold(int rank, int size)
    {
        _rank = rank;
        PowerOfTwo = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)size + 1) >> 1;
        _extra = size - PowerOfTwo;
        VirtualRank = rank < 2 * _extra
            ? (rank % 2 == 0 ? -1 : rank / 2)
            : rank - _extra;
    }

    /// <summary>
    /// Runs <paramref name="algorithm"/> on any rank count: folds in, runs it among the
    /// participants (the others run its folded-out part), and folds out when every rank needs the result.
    /// </summary>
    /// <param name="context">The call.</param>
    /// <param name="source">This rank's vector: <paramref name="buffer"/> itself, or a same-length vector not overlapping it, only read.</param>
    /// <param name="buffer">Where the result goes.</param>
    /// <param name="algorithm">The algorithm and its per-call state.</param>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync<TAlgorithm>(CollectiveContext context, ReadOnlyMemory<byte> source, Memory<byte> buffer, TAlgorithm algorithm)
        where TAlgorithm : struct, IPowerOfTwoAlgorithm
    {
        var fold = new PowerOfTwoFold(context.Rank, context.Size);
        using ScratchBuffer scratch = context.RentScratch(TAlgorithm.ScratchBytes(context, buffer.Length));
        await fold.FoldInAsync(context, source, buffer, scratch.Memory).ConfigureAwait(false);
        await (fold.IsParticipant
            ? algorithm.RunAmongParticipantsAsync(context, fold, fold.VectorAfterFoldIn(source, buffer), buffer, scratch.Memory)
            : algorithm.RunFoldedOutAsync(context, fold, buffer)).ConfigureAwait(false);
        if (TAlgorithm.FoldedRanksGetTheResult)
        {
            await fold.FoldOutAsync(context, buffer).ConfigureAwait(false);
        }
    }

    /// <summary>p': the power of two that takes part.</summary>
    public int PowerOfTwo { get; }

    /// <summary>This rank's number among the p' participants, or -1 when it sits out.</summary>
    public int VirtualRank { get; }

    public bool IsParticipant => VirtualRank >= 0;

    /// <summary>The real rank of participant <paramref name="virtualRank"/>.</summary>
    public int RankOf(int virtualRank) => virtualRank < _extra ? virtualRank * 2 + 1 : virtualRank + _extra;

    /// <summary>
    /// The lowest real rank participant <paramref name="virtualRank"/> stands for: the even rank
    /// folded into it, else its own; for <see cref="PowerOfTwo"/>, the rank count. Participant v
    /// stands for ranks [FirstRankOf(v), FirstRankOf(v + 1)).
    /// </summary>
    public int FirstRankOf(int virtualRank) => virtualRank < _extra ? virtualRank * 2 : virtualRank + _extra;

    /// <summary>
    /// Even ranks among the first 2(p - p') send their vector (<paramref name="source"/>) up; the
    /// odd ones combine it with theirs into <paramref name="buffer"/>, segment by segment as it
    /// arrives, through <paramref name="scratch"/> (<see cref="CollectiveContext.CombiningScratchBytes"/>
    /// of the vector). <paramref name="source"/> may be <paramref name="buffer"/> itself; see
    /// <see cref="VectorAfterFoldIn"/>.
    /// </summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private async ValueTask FoldInAsync(CollectiveContext context, ReadOnlyMemory<byte> source, Memory<byte> buffer, Memory<byte> scratch)
    {
        if (_rank >= 2 * _extra)
        {
            return;
        }

        if (_rank % 2 == 0)
        {
            await context.SendAsync(_rank + 1, FoldInStep, source).ConfigureAwait(false);
        }
        else
        {
            // The folded rank is the lower one.
            await context.ReceiveCombiningAsync(_rank - 1, FoldInStep, source, incomingIsLower: true, buffer, scratch).ConfigureAwait(false);
        }
    }

    /// <summary>Where a participant's vector is after <see cref="FoldInAsync"/>: in the buffer where it combined a folded rank's, else still in the source.</summary>
    private ReadOnlyMemory<byte> VectorAfterFoldIn(ReadOnlyMemory<byte> source, Memory<byte> buffer)
        => _rank < 2 * _extra ? buffer : source;

    /// <summary>Odd ranks among the first 2(p - p') return the result to their even partner.</summary>
    private ValueTask FoldOutAsync(CollectiveContext context, Memory<byte> buffer)
    {
        if (_rank >= 2 * _extra)
        {
            return ValueTask.CompletedTask;
        }

        return _rank % 2 == 0
            ? context.ReceiveAsync(_rank + 1, FoldOutStep, buffer)
            : context.SendAsync(_rank - 1, FoldOutStep, buffer);
    }
}
