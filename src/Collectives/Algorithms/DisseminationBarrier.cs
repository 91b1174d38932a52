using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;

namespace Collectives.Algorithms;

/// <summary>
/// Dissemination barrier (Hensgen, Finkel and Manber): in round k every rank signals rank + 2^k and
/// waits for rank - 2^k. After ceil(log2 p) rounds each rank has heard, directly or through others,
/// from every rank, for any p.
/// </summary>
internal static class DisseminationBarrier
{
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context)
    {
        int rank = context.Rank;
        int size = context.Size;
        int round = 0;
        for (int distance = 1; distance < size; distance <<= 1, round++)
        {
            await context.SendReceiveAsync(
                (rank + distance) % size, ReadOnlyMemory<byte>.Empty,
                (rank - distance + size) % size, Memory<byte>.Empty,
                round).ConfigureAwait(false);
        }
    }
}
