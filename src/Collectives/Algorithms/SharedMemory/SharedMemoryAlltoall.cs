using System.Buffers.Binary;
using Collectives.Execution;

namespace Collectives.Algorithms.SharedMemory;

/// <summary>
/// Alltoall in shared memory: per chunk, every rank copies its part of each outgoing block into its
/// window half, the part for rank r at a fixed place r (a chunk is a p-th of the half, after a
/// header), one step, then every rank copies its own part out of every other rank's half. One
/// synchronisation per chunk of the largest block; chunks alternate window halves, so a rank
/// copies chunk k+1 in while slower ranks still copy chunk k out.
/// <para>
/// The header holds each outgoing block's length, so a rank whose receive count for some rank
/// disagrees with that rank's send count to it (AlltoallV) throws
/// <see cref="CollectiveMismatchException"/> saying so, instead of reading the wrong bytes.
/// </para>
/// </summary>
internal static class SharedMemoryAlltoall
{
    /// <summary>Sends block j of <paramref name="send"/> to rank j and receives rank i's block for this rank into block i of <paramref name="receive"/>.</summary>
    public static void Run(SharedMemoryContext context, in CollectiveCall call, BlockLayout sendBlocks, ReadOnlySpan<byte> send, BlockLayout receiveBlocks, Span<byte> receive)
    {
        int size = context.Size;
        int rank = context.Rank;
        RotatedBlocks.CopyUnlessSame(send[sendBlocks.Of(rank)], receive[receiveBlocks.Of(rank)]);
        int header = HeaderBytes(size);
        int chunk = Math.Max(call.ElementSize, (context.HalfLength - header) / size / call.ElementSize * call.ElementSize);
        int largest = Math.Max(sendBlocks.LargestBlockBytes, receiveBlocks.LargestBlockBytes);

        // Every rank takes the same number of steps, at least one: the largest block of any rank
        // is not known here, so each rank's own largest decides, agreed through the header.
        int offset = 0;
        do
        {
            int half = context.NextHalf();
            Span<byte> mine = context.Half(rank, half);
            for (int peer = 0; peer < size; peer++)
            {
                ReadOnlySpan<byte> block = send[sendBlocks.Of(peer)];
                BinaryPrimitives.WriteInt32LittleEndian(mine.Slice(peer * sizeof(int)), block.Length);
                ReadOnlySpan<byte> part = SharedMemoryAllgather.ChunkOf(block, offset, chunk);
                part.CopyTo(mine.Slice(header + (peer * chunk), part.Length));
            }

            BinaryPrimitives.WriteInt32LittleEndian(mine.Slice(size * sizeof(int)), largest);
            context.Step();
            int agreedLargest = largest;
            for (int peer = 0; peer < size; peer++)
            {
                Span<byte> theirs = context.Half(peer, half);
                agreedLargest = Math.Max(agreedLargest, BinaryPrimitives.ReadInt32LittleEndian(theirs.Slice(size * sizeof(int))));
                if (peer == rank)
                {
                    continue;
                }

                Span<byte> block = receive[receiveBlocks.Of(peer)];
                int sent = BinaryPrimitives.ReadInt32LittleEndian(theirs.Slice(rank * sizeof(int)));
                if (sent != block.Length)
                {
                    throw new CollectiveMismatchException(
                        rank,
                        context.Signature,
                        peer,
                        context.Signature,
                        $"The calls agree, but rank {peer} sends this rank {sent / call.ElementSize} elements where this rank's receive count for rank {peer} is {block.Length / call.ElementSize}; rank {peer}'s send count for this rank and this rank's receive count for rank {peer} must be equal.");
                }

                Span<byte> part = SharedMemoryAllgather.ChunkOf(block, offset, chunk);
                theirs.Slice(header + (rank * chunk), part.Length).CopyTo(part);
            }

            largest = agreedLargest;
            offset += chunk;
        }
        while (offset < largest);
    }

    /// <summary>Each block's length (p ints), then the largest block of the rank, rounded up to 16 bytes so parts stay aligned.</summary>
    private static int HeaderBytes(int size) => ((size + 1) * sizeof(int) + 15) / 16 * 16;
}
