using System.Globalization;
using System.Runtime.InteropServices;
using Collectives.Transport;
using Collectives.Transport.Hybrid;
using Collectives.Transport.SharedMemory;

namespace Collectives.SubCommunicators;

/// <summary>
/// Gives a sub-communicator whose ranks all share one host's shared memory windows of its own: a
/// segment for its members alone. The job's (or host's) segment cannot serve it: a window step
/// compares every rank's one sequence word, which calls of other communicators would move. Each new
/// communicator's rank 0 creates its segment and the parent's ranks all gather what those
/// announce, so every member opens its own communicator's; the parent's collective is one more
/// call of the split, made by every rank of the parent, members of any child or none.
/// </summary>
internal static class ChildSegment
{
    /// <summary>
    /// Whether splits over <paramref name="job"/> connect segments: when the whole job shares one
    /// segment, or when it spans hosts (some children may lie within one). Every rank answers alike.
    /// </summary>
    public static bool ConnectsChildren(ITransport job) => job is SharedMemoryTransport || job.GetFeature<HostLayout>() is not null;

    /// <summary>
    /// Where this rank of a new communicator of <paramref name="transportMembers"/> (the job's
    /// ranks, in the new order) maps a segment, and with which of its ranks: with all of them
    /// through the job's segment when the whole job shares one, or through this host's when every
    /// member runs on it; when the members span hosts, with this host's members alone, whose
    /// windows the node-aware algorithms' phases inside the host use. Null for none: no segment to
    /// map through, or a member alone on its host in a communicator that spans hosts.
    /// </summary>
    /// <param name="job">The job's transport.</param>
    /// <param name="transportMembers">The new communicator's ranks as the job's, index = new rank.</param>
    /// <param name="rank">This rank in the new communicator.</param>
    public static ChildSegmentPlan? PlanFor(ITransport job, int[] transportMembers, int rank)
    {
        if (job is SharedMemoryTransport whole)
        {
            return new ChildSegmentPlan(whole, [.. Enumerable.Range(0, transportMembers.Length)], SpansHosts: false);
        }

        HostLayout? layout = job.GetFeature<HostLayout>();
        SharedMemoryTransport? host = job.GetFeature<HostWindows>()?.Segment;
        if (layout is null || host is null)
        {
            return null;
        }

        int mine = layout.HostOf(transportMembers[rank]);
        int[] sharers = [.. Enumerable.Range(0, transportMembers.Length).Where(member => layout.HostOf(transportMembers[member]) == mine)];
        bool spans = sharers.Length < transportMembers.Length;
        return spans && sharers.Length == 1 ? null : new ChildSegmentPlan(host, sharers, spans);
    }

    /// <summary>
    /// Connects this rank's new communicator's segment, or returns null for a rank in none or a
    /// communicator without one. Every rank of the parent calls it, in the same call of the parent;
    /// each segment's first rank creates it and the parent's gather carries its announcement.
    /// </summary>
    /// <param name="segment">What this rank's segment is mapped through (<see cref="ChildSegmentPlan.Through"/>), or null for none.</param>
    /// <param name="allgather">The parent's Allgather of one announcement per rank (<see cref="SharedMemoryTransport.AnnouncementLength"/> bytes each, as whole 64-bit words).</param>
    /// <param name="members">The ranks sharing this rank's segment, as the parent's, in the new communicator's order (all its ranks, or its ranks on this host: <see cref="ChildSegmentPlan.Sharers"/>), or null for a rank with none.</param>
    /// <param name="parentRank">This rank in the parent.</param>
    /// <param name="parentSize">The parent's size.</param>
    /// <param name="id">The new communicator's identity (it names the segment).</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The communicator's own segment, or null.</returns>
    public static async ValueTask<SharedMemoryTransport?> ConnectAsync(
        SharedMemoryTransport? segment, Func<ulong[], ulong[], ValueTask> allgather, int[]? members, int parentRank, int parentSize, uint id, CancellationToken cancellationToken)
    {
        int rank = members is null ? -1 : Array.IndexOf(members, parentRank);
        bool connects = members is not null && segment is not null;
        // One communicator may map one segment per host: its first rank on the host names it.
        string group = members is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"comm-{id:x8}-{members[0]}");
        var store = new AnnouncementStore();
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<SharedMemoryTransport>? creating = connects && rank == 0 ? segment!.ConnectGroupAsync(0, members!.Length, group, store, abandon.Token) : null;
        // Gathered as 64-bit words, an element type the collectives take.
        ulong[] mine = new ulong[(SharedMemoryTransport.AnnouncementLength + sizeof(ulong) - 1) / sizeof(ulong)];
        if (creating is not null)
        {
            // Rank 0 announces once the segment exists, then waits in connecting for the others to map it.
            byte[] announced = await store.AnnouncedAsync(creating).ConfigureAwait(false);
            announced.CopyTo(MemoryMarshal.AsBytes(mine.AsSpan()));
        }

        ulong[] all = new ulong[mine.Length * parentSize];
        try
        {
            await allgather(mine, all).ConfigureAwait(false);
        }
        catch when (creating is not null)
        {
            // Nobody will map the new segment: stop waiting for them now, which removes its name
            // from /dev/shm, rather than when the connect timeout ends (or never, if the process exits first).
            await abandon.CancelAsync().ConfigureAwait(false);
            await AbandonAsync(creating).ConfigureAwait(false);
            throw;
        }

        if (!connects)
        {
            return null;
        }

        if (creating is not null)
        {
            return await creating.ConfigureAwait(false);
        }

        store.Announce(MemoryMarshal.AsBytes(all.AsSpan(members![0] * mine.Length, mine.Length))[..SharedMemoryTransport.AnnouncementLength].ToArray());
        return await segment!.ConnectGroupAsync(rank, members.Length, group, store, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for an abandoned segment's connecting to end, and closes the segment if it connected after all.</summary>
    private static async Task AbandonAsync(Task<SharedMemoryTransport> creating)
    {
        try
        {
            await (await creating.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or CollectiveException)
        {
            // Cancelled, as asked: connecting removed the segment on its way out.
        }
    }

    /// <summary>The one announcement of a group's segment: made by its rank 0, handed to the others after the parent's gather.</summary>
    private sealed class AnnouncementStore : IRendezvousStore
    {
        private readonly TaskCompletionSource<byte[]> _announced = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Announce(byte[] value) => _announced.TrySetResult(value);

        /// <summary>What rank 0 announced, or the failure of <paramref name="creating"/> if it fails first.</summary>
        public async Task<byte[]> AnnouncedAsync(Task<SharedMemoryTransport> creating)
        {
            await Task.WhenAny(_announced.Task, creating).ConfigureAwait(false);
            if (!_announced.Task.IsCompleted)
            {
                await creating.ConfigureAwait(false);
            }

            return await _announced.Task.ConfigureAwait(false);
        }

        public ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
        {
            Announce(value.ToArray());
            return ValueTask.CompletedTask;
        }

        public async ValueTask<byte[]> GetAsync(string key, CancellationToken cancellationToken)
            => await _announced.Task.WaitAsync(cancellationToken).ConfigureAwait(false);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
