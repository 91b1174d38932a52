using System.Numerics;
using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;

namespace Collectives.Algorithms;

/// <summary>
/// Recursive-doubling allgather (Thakur, Rabenseifner and Gropp 2005): in the step at distance
/// 2^k every rank holds the blocks of its aligned group of 2^k ranks and swaps them with the rank
/// whose number differs in bit k, so after log2(p) steps every rank holds every block. The held
/// blocks are always contiguous in the buffer, so it works in place without scratch.
/// <para>
/// Cost: log2(p) alpha + (p-1) n beta: the latency of a tree with the bandwidth of a ring, but the
/// last steps move half the buffer between distant ranks. On a rank count that is not a power of
/// two the groups do not pair up; there it runs <see cref="BruckAllgather"/>, which takes the same
/// ceil(log2 p) steps on any p (MPICH makes the same choice).
/// </para>
/// <para>
/// Every rank exchanges with a partner at every step, empty blocks included, so each hears from
/// every other rank through checked messages: the algorithm verifies the call itself.
/// </para>
/// </summary>
internal static class RecursiveDoublingAllgather
{
    /// <summary>Gathers in place: <paramref name="buffer"/> holds the blocks laid out as <paramref name="blocks"/> says, this rank's already at its place.</summary>
    public static ValueTask RunAsync(CollectiveContext context, BlockLayout blocks, Memory<byte> buffer)
        => BitOperations.IsPow2(context.Size) ? AmongPowerOfTwoAsync(context, blocks, buffer) : BruckAllgather.RunAsync(context, blocks, buffer);

    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    private static async ValueTask AmongPowerOfTwoAsync(CollectiveContext context, BlockLayout blocks, Memory<byte> buffer)
    {
        int rank = context.Rank;
        int step = 0;
        for (int distance = 1; distance < context.Size; distance <<= 1, step++)
        {
            int partner = rank ^ distance;
            Memory<byte> held = buffer[blocks.Of(GroupStart(rank, distance), distance)];
            Memory<byte> incoming = buffer[blocks.Of(GroupStart(partner, distance), distance)];
            await context.SendReceiveAsync(partner, held, partner, incoming, step).ConfigureAwait(false);
        }
    }

    /// <summary>The first rank of the aligned group of <paramref name="distance"/> ranks that holds <paramref name="rank"/>.</summary>
    private static int GroupStart(int rank, int distance) => rank & ~(distance - 1);
}
