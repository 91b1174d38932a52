using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;

namespace Collectives.Algorithms;

/// <summary>
/// Dissemination barrier (Hensgen, Finkel and Manber): in round k every rank signals rank + 2^k and
/// waits for rank - 2^k. After ceil(log2 p) rounds each rank has heard, directly or through others,
/// from every rank, for any p.
/// <para>
/// Because every message is checked against the receiver's call signature and a rank that finds a
/// mismatch stops forwarding, the same exchange doubles as call verification
/// (<see cref="CommunicatorOptions.VerifyCalls"/>): every path by which a rank could learn of a
/// mismatched rank starts with a receiver that checks it, so no rank completes it unless all agree.
/// </para>
/// </summary>
internal static class DisseminationBarrier
{
    /// <summary>Step numbers of the barrier when it verifies a call ahead of its algorithm, apart from every algorithm's own.</summary>
    private const int VerificationFirstStep = -64;

    /// <summary>Runs the barrier in front of a call's algorithm, as its verification, at step numbers no algorithm uses.</summary>
    public static ValueTask VerifyAsync(CollectiveContext context) => RunAsync(context, VerificationFirstStep);

    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, int firstStep = 0)
    {
        int rank = context.Rank;
        int size = context.Size;
        int round = firstStep;
        for (int distance = 1; distance < size; distance <<= 1, round++)
        {
            await context.SendReceiveAsync(
                (rank + distance) % size, ReadOnlyMemory<byte>.Empty,
                (rank - distance + size) % size, Memory<byte>.Empty,
                round).ConfigureAwait(false);
        }
    }
}
