using System.Runtime.CompilerServices;
using Collectives.Execution;
using Collectives.Execution.Pooling;

namespace Collectives.Algorithms;

/// <summary>
/// Bruck's alltoall (Bruck et al. 1997; MPICH's alltoall_intra_brucks) on blocks of one size:
/// every rank first rotates its blocks so that place i holds its block for rank + i; in the step
/// at distance k = 1, 2, 4, ... it packs the places whose index has bit k set, sends them to
/// rank + k and unpacks what rank - k sent into the same places; afterwards place i holds rank -
/// i's block for it, and a last rotation puts every block in rank order.
/// <para>
/// Cost: ceil(log2 p) alpha + about (p/2) log2(p) n beta plus the packing: few messages, each block
/// travelling up to log2(p) times, so it suits small blocks on many ranks.
/// </para>
/// <para>
/// Every step exchanges a message (empty blocks too) and the messages spread as in a dissemination
/// barrier, so every rank hears from every other through checked messages: the algorithm verifies
/// the call itself.
/// </para>
/// </summary>
internal static class BruckAlltoall
{
    /// <summary>Sends block j of <paramref name="send"/> to rank j and receives rank i's block for this rank into block i of <paramref name="receive"/> (all blocks of <paramref name="blockBytes"/>).</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(CollectiveContext context, int blockBytes, ReadOnlyMemory<byte> send, Memory<byte> receive)
    {
        int rank = context.Rank;
        int size = context.Size;
        int total = blockBytes * size;
        int packedMost = blockBytes * (size / 2);

        // One scratch: the rotated blocks, then the outgoing and the incoming packed blocks.
        using ScratchBuffer scratch = context.RentScratch(total + (2 * packedMost));
        Memory<byte> rotated = scratch.Memory[..total];
        Memory<byte> outgoing = scratch.Memory.Slice(total, packedMost);
        Memory<byte> incoming = scratch.Memory.Slice(total + packedMost, packedMost);
        BlockLayout blocks = BlockLayout.Equal(blockBytes, size);
        RotatedBlocks.FromRankOrder(blocks, rank, send.Span, rotated.Span);

        int step = 0;
        for (int distance = 1; distance < size; distance <<= 1, step++)
        {
            int packed = Pack(rotated.Span, outgoing.Span, blockBytes, size, distance);
            await context.SendReceiveAsync((rank + distance) % size, outgoing[..packed], (rank - distance + size) % size, incoming[..packed], step).ConfigureAwait(false);
            Unpack(incoming.Span, rotated.Span, blockBytes, size, distance);
        }

        // Place i holds rank - i's block: block j of the result is place rank - j.
        for (int source = 0; source < size; source++)
        {
            rotated.Span.Slice(((rank - source + size) % size) * blockBytes, blockBytes).CopyTo(receive.Span.Slice(source * blockBytes, blockBytes));
        }
    }

    /// <summary>Copies the places whose index has bit <paramref name="distance"/> set into <paramref name="packed"/>; returns the bytes packed.</summary>
    private static int Pack(ReadOnlySpan<byte> rotated, Span<byte> packed, int blockBytes, int size, int distance)
    {
        int bytes = 0;
        for (int place = distance; place < size; place++)
        {
            if ((place & distance) != 0)
            {
                rotated.Slice(place * blockBytes, blockBytes).CopyTo(packed[bytes..]);
                bytes += blockBytes;
            }
        }

        return bytes;
    }

    /// <summary>The reverse of <see cref="Pack"/>.</summary>
    private static void Unpack(ReadOnlySpan<byte> packed, Span<byte> rotated, int blockBytes, int size, int distance)
    {
        int bytes = 0;
        for (int place = distance; place < size; place++)
        {
            if ((place & distance) != 0)
            {
                packed.Slice(bytes, blockBytes).CopyTo(rotated.Slice(place * blockBytes, blockBytes));
                bytes += blockBytes;
            }
        }
    }
}
