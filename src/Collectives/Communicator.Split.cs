using Collectives.SubCommunicators;
using Collectives.Transport;

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
    /// <para>It runs message algorithms only (no shared-memory windows, no offload engine). A failed
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
        return CreateSplit(colorsAndKeys, color);
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
        return CreateSplit(colorsAndKeys, color);
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
        return CreateDuplicate();
    }

    /// <summary>Asynchronous form of <see cref="Duplicate"/>.</summary>
    /// <param name="cancellationToken">Cancels the barrier; cancelling breaks the communicator on every rank.</param>
    /// <returns>The new communicator; dispose it when done.</returns>
    /// <exception cref="CollectiveException">The barrier failed on some rank; see the derived types.</exception>
    public async ValueTask<Communicator> DuplicateAsync(CancellationToken cancellationToken = default)
    {
        await BarrierAsync(cancellationToken).ConfigureAwait(false);
        return CreateDuplicate();
    }

    /// <summary>This rank's communicator of the split whose (color, key) pairs were just gathered, or null.</summary>
    private Communicator? CreateSplit(ReadOnlySpan<int> colorsAndKeys, int color)
        => SplitLayout.MembersOf(colorsAndKeys, Rank) is { } members ? CreateChild(members, color) : null;

    private Communicator CreateDuplicate() => CreateChild([.. Enumerable.Range(0, Size)], color: 0);

    /// <summary>
    /// A communicator of <paramref name="members"/> (ranks here, in their new order) over the job's
    /// transport, named after the call that created it: the one that just completed, numbered alike on every rank.
    /// </summary>
    private Communicator CreateChild(int[] members, int color)
    {
        uint id = CommunicatorIdentity.Derive(_id, _sequence, color);

        // Views of views are flattened: the new view maps its ranks straight onto the transport's.
        int[] transportRanks = _transport is RankMappedTransport view ? [.. members.Select(view.TransportRank)] : members;
        var transport = new RankMappedTransport(_owner.Transport, transportRanks, Array.IndexOf(members, Rank));
        _owner.Acquire();

        // Flight records go to a file named by the job's rank, which the job's own communicator writes.
        return new Communicator(transport, _options with { Offload = null, FlightRecords = null }, _jobId, _owner, id);
    }
}
