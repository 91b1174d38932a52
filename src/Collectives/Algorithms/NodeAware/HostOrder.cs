using Collectives.Transport.Hybrid;

namespace Collectives.Algorithms.NodeAware;

/// <summary>
/// Moves an allgather-shaped buffer's blocks between rank order and host order (every host's
/// ranks' blocks together, hosts in order), for the node-aware block collectives on hosts whose
/// ranks are not consecutive; where they are, the two orders are the same and nothing moves.
/// </summary>
internal static class HostOrder
{
    /// <summary>Copies the blocks of <paramref name="byRank"/> (laid out by <paramref name="blocks"/>) into <paramref name="byHost"/>.</summary>
    public static void FromRankOrder(HostLayout layout, BlockLayout blocks, ReadOnlySpan<byte> byRank, Span<byte> byHost)
    {
        int offset = 0;
        for (int host = 0; host < layout.HostCount; host++)
        {
            foreach (int rank in layout.RanksOn(host))
            {
                ReadOnlySpan<byte> block = byRank[blocks.Of(rank)];
                block.CopyTo(byHost[offset..]);
                offset += block.Length;
            }
        }
    }

    /// <summary>Copies the blocks of <paramref name="byHost"/> to their ranks' places in <paramref name="byRank"/>.</summary>
    public static void ToRankOrder(HostLayout layout, BlockLayout blocks, ReadOnlySpan<byte> byHost, Span<byte> byRank)
    {
        int offset = 0;
        for (int host = 0; host < layout.HostCount; host++)
        {
            foreach (int rank in layout.RanksOn(host))
            {
                Span<byte> block = byRank[blocks.Of(rank)];
                byHost.Slice(offset, block.Length).CopyTo(block);
                offset += block.Length;
            }
        }
    }
}
