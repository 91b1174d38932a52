using Collectives.Algorithms;

namespace Collectives.Execution;

/// <summary>
/// One call's blocks (one per rank, laid out as an allgather's) as the node-aware block
/// collectives move them: in rank order, as the caller's buffer holds them, and grouped by host
/// (every host's ranks' blocks together, hosts in order), as the phases between hosts carry them.
/// Made by <see cref="HostGroups.GroupBlocks"/>.
/// </summary>
/// <param name="ByRank">Each rank's block, in rank order.</param>
/// <param name="ByHost">Each host's blocks together, in host order.</param>
/// <param name="OwnHost">Where this rank's host's blocks lie in a buffer laid out as <paramref name="ByHost"/>.</param>
internal readonly record struct HostGroupedBlocks(BlockLayout ByRank, BlockLayout ByHost, Range OwnHost)
{
    /// <summary>Bytes of every block together.</summary>
    public int TotalBytes => ByRank.TotalBytes;

    /// <summary>Bytes of this rank's host's blocks together.</summary>
    public int OwnHostBytes => OwnHost.GetOffsetAndLength(TotalBytes).Length;
}
