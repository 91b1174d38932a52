using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;

namespace Collectives.Algorithms;

/// <summary>
/// Ring allgather (MPICH's allgather_intra_ring): in p-1 steps every rank sends its successor the
/// block it received in the step before (its own block first) and receives a new one from its
/// predecessor, so after step s rank r holds blocks r, r-1, ..., r-s-1.
/// <para>
/// Cost: (p-1) alpha + (p-1) n beta for blocks of n bytes (with per-rank sizes, each step waits for
/// the largest block in flight). The bandwidth term is optimal and every
/// rank only ever talks to its two neighbours, but the latency term is linear in p, so it suits
/// large blocks. Works for any p.
/// </para>
/// <para>
/// Every step exchanges a message, empty ones included, and a rank sends a block only after it has
/// received (and checked) it, so every rank hears from every other along the ring: the algorithm
/// verifies the call itself.
/// </para>
/// </summary>
internal static class RingAllgather
{
    /// <summary>Gathers in place: <paramref name="buffer"/> holds the blocks laid out as <paramref name="blocks"/> says, this rank's already at its place.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, BlockLayout blocks, Memory<byte> buffer)
    {
        int rank = context.Rank;
        int size = context.Size;
        int next = (rank + 1) % size;
        int previous = (rank - 1 + size) % size;
        for (int step = 0; step < size - 1; step++)
        {
            Memory<byte> outgoing = buffer[blocks.Of(Wrap(rank - step, size))];
            Memory<byte> incoming = buffer[blocks.Of(Wrap(rank - step - 1, size))];
            await context.SendReceiveAsync(next, outgoing, previous, incoming, step).ConfigureAwait(false);
        }
    }

    private static int Wrap(int block, int size) => ((block % size) + size) % size;
}
