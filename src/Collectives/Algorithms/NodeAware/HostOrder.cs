using Collectives.Transport.Hybrid;

namespace Collectives.Algorithms.NodeAware;

/// <summary>
/// Moves an allgather-shaped buffer's blocks between rank order and host order (every host's
/// ranks' blocks together, hosts in order), for the node-aware block collectives on hosts whose
/// ranks are not consecutive; where they are, the two orders are the same and nothing moves. And
/// into place order (the blocks of every host's first rank, hosts in order, then of every host's
/// second rank, and so on), which the collectives by slices cut into one slice per place.
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

    /// <summary>Whether place order is rank order (one host, one rank per host, or ranks dealt to hosts in turn). Only for even layouts.</summary>
    public static bool IsPlaceOrder(HostLayout layout)
    {
        int next = 0;
        for (int place = 0; place < layout.LargestHost; place++)
        {
            for (int host = 0; host < layout.HostCount; host++)
            {
                if (layout.RanksOn(host)[place] != next++)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Copies the blocks of <paramref name="byRank"/> (laid out by <paramref name="blocks"/>) into
    /// <paramref name="byPlace"/> in place order. Only for even layouts (<see cref="HostLayout.IsEven"/>).
    /// </summary>
    public static void ToPlaceOrder(HostLayout layout, BlockLayout blocks, ReadOnlySpan<byte> byRank, Span<byte> byPlace)
    {
        int offset = 0;
        for (int place = 0; place < layout.LargestHost; place++)
        {
            for (int host = 0; host < layout.HostCount; host++)
            {
                ReadOnlySpan<byte> block = byRank[blocks.Of(layout.RanksOn(host)[place])];
                block.CopyTo(byPlace[offset..]);
                offset += block.Length;
            }
        }
    }
}
