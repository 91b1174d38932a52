using Collectives.SubCommunicators;
using Collectives.Transport;
using Collectives.Transport.SharedMemory;

namespace Collectives;

public sealed partial class Communicator
{
    /// <summary>
    /// The color of a rank that joins no communicator in a <see cref="Split(int, int)"/> (MPI_UNDEFINED);
    /// any negative color does the same.
    /// </summary>
    public const int NoColor = -1;

    /// <summary>
    /// Splits the ranks into new communicators (MPI_Comm_split): the ranks that pass the same
    /// <paramref name="color"/> form one, ranked by <paramref name="key"/>, ties by their rank here.
    /// Every rank of this communicator must call it, as it calls any collective. Blocks until done.
    /// </summary>
    /// <remarks>
    /// <para>A new communicator numbers, signs and verifies its own calls, keeps its own flight
    /// record, and picks algorithms by its own size. It passes messages over this communicator's
    /// transport, whose streams it shares with every communicator over it: calls on communicators
    /// that share a rank must be made one at a time on that rank (a second one at once throws
    /// <see cref="InvalidOperationException"/>), in the same order on every rank. Ranks that make
    /// them in different orders get a <see cref="CollectiveMismatchException"/> (or, when one of them
    /// is a shared-memory window call, a <see cref="CollectiveTimeoutException"/>), never each other's data.</para>
    /// <para>It runs message algorithms, and the shared-memory window algorithms when all its ranks
    /// run on one host that gives them shared memory (a job on one host over shared memory, or a
    /// split of a job across hosts whose new communicator lies within one host): the new
    /// communicator then maps a segment of its own, which its rank 0 creates during the split. A
    /// new communicator whose ranks span hosts knows where they run and picks the node-aware
    /// algorithms as the job's communicator does, its ranks on each host working in a segment of
    /// their own. It has no offload engine. A failed
    /// call on any communicator breaks every communicator over the transport. Disposing this
    /// communicator leaves the new one working: the transport closes when the last one is disposed.</para>
    /// </remarks>
    /// <param name="color">Which communicator this rank joins: 0 or more, or negative (<see cref="NoColor"/>) to join none.</param>
    /// <param name="key">This rank's place in its new communicator: lower keys get lower ranks.</param>
    /// <returns>This rank's new communicator (dispose it when done), or null when <paramref name="color"/> is negative.</returns>
    /// <exception cref="CollectiveException">The split failed on some rank; see the derived types.</exception>
    public Communicator? Split(int color, int key)
    {
        int[] colorsAndKeys = new int[Size * SplitLayout.IntsPerRank];
        Allgather([color, key], colorsAndKeys.AsSpan());
        return CreateChildAsync(SplitLayout.MembersOf(colorsAndKeys, Rank), color, CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Asynchronous form of <see cref="Split(int, int)"/>.</summary>
    /// <param name="color">Which communicator this rank joins: 0 or more, or negative (<see cref="NoColor"/>) to join none.</param>
    /// <param name="key">This rank's place in its new communicator: lower keys get lower ranks.</param>
    /// <param name="cancellationToken">Cancels the split; cancelling breaks the communicator on every rank.</param>
    /// <returns>This rank's new communicator (dispose it when done), or null when <paramref name="color"/> is negative.</returns>
    /// <exception cref="CollectiveException">The split failed on some rank; see the derived types.</exception>
    public async ValueTask<Communicator?> SplitAsync(int color, int key, CancellationToken cancellationToken = default)
    {
        int[] colorsAndKeys = new int[Size * SplitLayout.IntsPerRank];
        await AllgatherAsync<int>(new[] { color, key }, colorsAndKeys, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await CreateChildAsync(SplitLayout.MembersOf(colorsAndKeys, Rank), color, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates a communicator of the same ranks in the same order whose calls are kept apart from
    /// this one's (MPI_Comm_dup), for a library that must not mix its calls with its caller's.
    /// Every rank must call it, as it calls any collective; it costs one barrier. The rules of
    /// <see cref="Split(int, int)"/> apply: one call at a time per rank over both, in the same order everywhere.
    /// </summary>
    /// <returns>The new communicator; dispose it when done.</returns>
    /// <exception cref="CollectiveException">The barrier failed on some rank; see the derived types.</exception>
    public Communicator Duplicate()
    {
        Barrier();
        return CreateChildAsync([.. Enumerable.Range(0, Size)], color: 0, CancellationToken.None).AsTask().GetAwaiter().GetResult()!;
    }

    /// <summary>Asynchronous form of <see cref="Duplicate"/>.</summary>
    /// <param name="cancellationToken">Cancels the barrier; cancelling breaks the communicator on every rank.</param>
    /// <returns>The new communicator; dispose it when done.</returns>
    /// <exception cref="CollectiveException">The barrier failed on some rank; see the derived types.</exception>
    public async ValueTask<Communicator> DuplicateAsync(CancellationToken cancellationToken = default)
    {
        await BarrierAsync(cancellationToken).ConfigureAwait(false);
        return (await CreateChildAsync([.. Enumerable.Range(0, Size)], color: 0, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// This rank's communicator of <paramref name="members"/> (ranks here, in their new order; null
    /// for a rank that joins none) over the job's transport, named after the call that just
    /// completed, numbered alike on every rank. Where this communicator works in shared-memory
    /// windows, every rank takes part in connecting the new communicators' own segments.
    /// </summary>
    private async ValueTask<Communicator?> CreateChildAsync(int[]? members, int color, CancellationToken cancellationToken)
    {
        uint id = CommunicatorIdentity.Derive(_id, _sequence, color);

        // Views of views are flattened: the new view maps its ranks straight onto the transport's.
        int[]? transportRanks = members is null ? null : _transport is RankMappedTransport view ? [.. members.Select(view.TransportRank)] : members;
        int rank = members is null ? -1 : Array.IndexOf(members, Rank);
        ChildSegmentPlan? plan = transportRanks is null ? null : ChildSegment.PlanFor(_owner.Transport, transportRanks, rank);
        SharedMemoryTransport? segment = ChildSegment.ConnectsChildren(_owner.Transport)
            ? await ChildSegment.ConnectAsync(
                plan?.Through,
                (mine, all) => AllgatherAsync<ulong>(mine, all, cancellationToken: cancellationToken),
                plan is null ? null : [.. plan.Sharers.Select(sharer => members![sharer])],
                Rank,
                Size,
                id,
                cancellationToken).ConfigureAwait(false)
            : null;
        if (members is null || transportRanks is null)
        {
            return null;
        }

        var transport = new RankMappedTransport(_owner.Transport, transportRanks, rank, segment, hostSharers: plan is { SpansHosts: true } ? plan.Sharers : null);
        _owner.Acquire();
        if (segment is not null)
        {
            _owner.AddSegment(segment);
        }

        // Flight records go to a file named by the job's rank, which the job's own communicator writes.
        return new Communicator(transport, _options with { Offload = null, FlightRecords = null }, _jobId, _owner, id);
    }
}
