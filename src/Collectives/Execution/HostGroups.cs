using Collectives.Algorithms;
using Collectives.Algorithms.SharedMemory;
using Collectives.Transport;
using Collectives.Transport.Hybrid;

namespace Collectives.Execution;

/// <summary>
/// A communicator's ranks grouped by host, as the node-aware algorithms use them: this host's
/// ranks (whose messages stay in shared memory), the ranks in this rank's place on every host
/// (each carries one slice of a large message between hosts), and one leader per host. Built once
/// per communicator; the groups are contexts over the same transport (see <see cref="CollectiveContext.Group"/>).
/// </summary>
internal sealed class HostGroups
{
    private readonly CollectiveContext _communicator;
    private readonly CollectiveContext?[] _leadersByRoot;
    private readonly int[] _localCounts;
    private readonly int[] _hostCounts;
    private CollectiveContext? _slices;

    /// <param name="communicator">The communicator's context.</param>
    /// <param name="layout">Where its ranks run.</param>
    /// <param name="hostWindows">This host's shared-memory windows, or null where its ranks reach each other otherwise (or it runs one rank).</param>
    public HostGroups(CollectiveContext communicator, HostLayout layout, ISharedMemoryWindows? hostWindows)
    {
        _communicator = communicator;
        Layout = layout;
        int rank = communicator.Rank;
        Host = layout.HostOf(rank);
        int[] localRanks = layout.RanksOn(Host).ToArray();
        Local = communicator.Group(localRanks, layout.LocalIndex(rank));
        LocalWindows = hostWindows is { } windows && windows.Size == localRanks.Length && windows.Rank == Local.Rank
            ? new SharedMemoryContext(windows, communicator.Waits, localRanks)
            : null;
        SliceOffsets = new BlockOffsets(Local.Size);
        LocalBlocks = new BlockOffsets(Local.Size);
        HostBlocks = new BlockOffsets(layout.HostCount);
        PlaceBlocks = new BlockOffsets(layout.HostCount);
        HostPairBlocks = new BlockOffsets(layout.HostCount);
        _localCounts = new int[Local.Size];
        _hostCounts = new int[layout.HostCount];
        _leadersByRoot = new CollectiveContext?[layout.Size];
    }

    /// <summary>Where every rank runs.</summary>
    public HostLayout Layout { get; }

    /// <summary>This rank's host.</summary>
    public int Host { get; }

    /// <summary>The ranks on this rank's host, in rank order.</summary>
    public CollectiveContext Local { get; }

    /// <summary>
    /// This host's shared-memory windows, where its ranks share a segment: the phases inside the
    /// host run there (one copy in, one out) rather than as messages through the rings.
    /// </summary>
    public SharedMemoryContext? LocalWindows { get; }

    /// <summary>Per-call layout of a message cut into one slice per local rank (<see cref="CutIntoSlices"/>).</summary>
    public BlockOffsets SliceOffsets { get; }

    /// <summary>Per-call element counts of this host's ranks' blocks (<see cref="GroupBlocks"/>).</summary>
    public BlockOffsets LocalBlocks { get; }

    /// <summary>Per-call element counts of every host's blocks together, in host order (<see cref="GroupBlocks"/>).</summary>
    public BlockOffsets HostBlocks { get; }

    /// <summary>Per-call element counts of the blocks of this rank's place on every host, in host order (<see cref="GroupBlocksByPlace"/>).</summary>
    public BlockOffsets PlaceBlocks { get; }

    /// <summary>Per-call element counts of the blocks an alltoall moves between this host's ranks and each host's, in host order (<see cref="PairBlocks"/>).</summary>
    public BlockOffsets HostPairBlocks { get; }

    /// <summary>
    /// The ranks that hold this rank's place (its local index) on every host, in host order. Only
    /// when every host runs as many ranks (<see cref="HostLayout.IsEven"/>): the node-aware
    /// algorithms that use it are offered for even layouts only.
    /// </summary>
    public CollectiveContext Slices => _slices ??= SlicesGroup();

    /// <summary>
    /// The leader of <paramref name="host"/> for a call rooted at <paramref name="root"/>: the root on its
    /// own host (so data starts or ends there without a detour), elsewhere the host's lowest rank.
    /// </summary>
    public int LeaderOf(int host, int root) => Layout.HostOf(root) == host ? root : Layout.RanksOn(host)[0];

    /// <summary>This host's leader for <paramref name="root"/>, as a rank of <see cref="Local"/>.</summary>
    public int LocalLeader(int root) => Layout.LocalIndex(LeaderOf(Host, root));

    /// <summary>
    /// The leaders of every host for a call rooted at <paramref name="root"/>, in host order (so the
    /// root is rank <c>HostOf(root)</c> of the group), or null when this rank is no leader.
    /// </summary>
    public CollectiveContext? Leaders(int root)
    {
        if (LeaderOf(Host, root) != _communicator.Rank)
        {
            return null;
        }

        // Every leader group but the root's host's own is the same; one per root keeps the lookup trivial.
        return _leadersByRoot[root] ??= _communicator.Group([.. Enumerable.Range(0, Layout.HostCount).Select(host => LeaderOf(host, root))], Host);
    }

    /// <summary>
    /// Cuts <paramref name="count"/> elements into <see cref="Local"/>'s size slices, the first
    /// <c>count % size</c> one element longer, into <see cref="SliceOffsets"/>.
    /// </summary>
    public BlockOffsets CutIntoSlices(int count)
    {
        int size = Local.Size;
        Span<int> counts = stackalloc int[size];
        for (int slice = 0; slice < size; slice++)
        {
            counts[slice] = count / size + (slice < count % size ? 1 : 0);
        }

        SliceOffsets.Set(counts);
        return SliceOffsets;
    }

    /// <summary>
    /// Groups an allgather's blocks (<paramref name="blocks"/>, one per communicator rank) by host:
    /// this host's ranks' counts into <see cref="LocalBlocks"/>, every host's total into <see cref="HostBlocks"/>.
    /// </summary>
    /// <returns>The blocks in rank order and grouped by host (<see cref="HostBlocks"/> as a layout), and where this host's lie among them.</returns>
    public HostGroupedBlocks GroupBlocks(BlockLayout blocks, int elementSize)
    {
        Array.Clear(_hostCounts);
        for (int rank = 0; rank < Layout.Size; rank++)
        {
            int count = (blocks.Start(rank + 1) - blocks.Start(rank)) / elementSize;
            int host = Layout.HostOf(rank);
            _hostCounts[host] += count;
            if (host == Host)
            {
                _localCounts[Layout.LocalIndex(rank)] = count;
            }
        }

        LocalBlocks.Set(_localCounts);
        HostBlocks.Set(_hostCounts);
        BlockLayout byHost = BlockLayout.Variable(HostBlocks.Elements, elementSize);
        return new HostGroupedBlocks(blocks, byHost, byHost.Of(Host));
    }

    /// <summary>
    /// Groups a reduce-scatter's blocks (<paramref name="blocks"/>, one per communicator rank) by
    /// place, for the collectives by slices on even layouts: every place's blocks together (one
    /// slice per local rank) into <see cref="SliceOffsets"/>, and the blocks of this rank's place,
    /// host by host, into <see cref="PlaceBlocks"/>.
    /// </summary>
    public void GroupBlocksByPlace(BlockLayout blocks, int elementSize)
    {
        Array.Clear(_localCounts);
        int place = Layout.LocalIndex(_communicator.Rank);
        for (int rank = 0; rank < Layout.Size; rank++)
        {
            int count = (blocks.Start(rank + 1) - blocks.Start(rank)) / elementSize;
            _localCounts[Layout.LocalIndex(rank)] += count;
            if (Layout.LocalIndex(rank) == place)
            {
                _hostCounts[Layout.HostOf(rank)] = count;
            }
        }

        SliceOffsets.Set(_localCounts);
        PlaceBlocks.Set(_hostCounts);
    }

    /// <summary>
    /// Counts the blocks of <paramref name="blockCount"/> elements an alltoall moves from this
    /// host's ranks to each host's (as many as come back): into <see cref="HostPairBlocks"/>.
    /// </summary>
    public BlockOffsets PairBlocks(int blockCount)
    {
        for (int host = 0; host < Layout.HostCount; host++)
        {
            _hostCounts[host] = Local.Size * Layout.RanksOn(host).Length * blockCount;
        }

        HostPairBlocks.Set(_hostCounts);
        return HostPairBlocks;
    }

    private CollectiveContext SlicesGroup()
    {
        if (!Layout.IsEven)
        {
            throw new InvalidOperationException($"Slices need every host to run as many ranks; this job runs {Layout}.");
        }

        int place = Layout.LocalIndex(_communicator.Rank);
        return _communicator.Group([.. Enumerable.Range(0, Layout.HostCount).Select(host => Layout.RanksOn(host)[place])], Host);
    }
}
