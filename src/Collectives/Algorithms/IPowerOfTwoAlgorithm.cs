using Collectives.Execution;

namespace Collectives.Algorithms;

/// <summary>
/// An algorithm written for a power-of-two number of ranks, which <see cref="PowerOfTwoFold.RunAsync"/>
/// runs on any rank count: it folds the extra ranks in first, runs the algorithm among the
/// participants, and (when the folded ranks need the result) folds them out at the end.
/// Implemented by structs, so the wrapper is specialised per algorithm and allocates nothing.
/// </summary>
internal interface IPowerOfTwoAlgorithm
{
    /// <summary>Whether every rank needs the result, so participants hand it back to the ranks folded out (allreduce), or not (reduce).</summary>
    static abstract bool FoldedRanksGetTheResult { get; }

    /// <summary>
    /// Bytes of scratch the algorithm needs for a vector of <paramref name="vectorBytes"/> bytes: by
    /// default what receiving and combining the partner's data two segments at a time needs
    /// (<see cref="CollectiveContext.ReceiveCombiningAsync"/>), which the fold-in needs too.
    /// </summary>
    static virtual int ScratchBytes(CollectiveContext context, int vectorBytes) => context.CombiningScratchBytes(vectorBytes);

    /// <summary>Runs among the participants (<see cref="PowerOfTwoFold.VirtualRank"/> numbers them).</summary>
    /// <param name="context">The call.</param>
    /// <param name="fold">This rank's place in the fold.</param>
    /// <param name="vector">This rank's vector after the fold-in: the source, or the buffer where it absorbed a folded rank's.</param>
    /// <param name="buffer">Where the result goes; the algorithm's first combine may write it while reading <paramref name="vector"/>.</param>
    /// <param name="scratch">Scratch space of at least <see cref="ScratchBytes"/> for the vector.</param>
    ValueTask RunAmongParticipantsAsync(CollectiveContext context, PowerOfTwoFold fold, ReadOnlyMemory<byte> vector, Memory<byte> buffer, Memory<byte> scratch);

    /// <summary>Runs on a rank that handed its vector to its partner and sat out, before any fold-out.</summary>
    ValueTask RunFoldedOutAsync(CollectiveContext context, PowerOfTwoFold fold, Memory<byte> buffer);
}
