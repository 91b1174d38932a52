using Collectives.Diagnostics;
using Collectives.Transport;

namespace Collectives;

/// <summary>
/// Ranks disagreed about a collective call: a different collective, operation, element type,
/// count, root, algorithm, or call order. Every rank of the call gets this exception.
/// </summary>
public sealed class CollectiveMismatchException : CollectiveException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="localRank">The rank that noticed the disagreement.</param>
    /// <param name="local">What <paramref name="localRank"/> called.</param>
    /// <param name="remoteRank">The rank whose message disagreed.</param>
    /// <param name="remote">What <paramref name="remoteRank"/> called.</param>
    /// <param name="detail">What differed, when the signatures alone do not say.</param>
    public CollectiveMismatchException(int localRank, CollectiveSignature local, int remoteRank, CollectiveSignature remote, string? detail = null)
        : base($"Collective mismatch: rank {localRank} called {local} but rank {remoteRank} called {remote}."
            + (detail is null ? string.Empty : " " + detail))
    {
        LocalRank = localRank;
        Local = local;
        RemoteRank = remoteRank;
        Remote = remote;
        Detail = detail;
    }

    /// <summary>What differed, when the signatures alone do not say; otherwise null.</summary>
    public string? Detail { get; }

    /// <summary>The rank that noticed the disagreement.</summary>
    public int LocalRank { get; }

    /// <summary>What <see cref="LocalRank"/> called.</summary>
    public CollectiveSignature Local { get; }

    /// <summary>The rank whose message disagreed.</summary>
    public int RemoteRank { get; }

    /// <summary>What <see cref="RemoteRank"/> called.</summary>
    public CollectiveSignature Remote { get; }

    /// <summary>
    /// This rank's last calls on the communicator, oldest first, ending with the failed one, as its
    /// flight recorder kept them (<see cref="CommunicatorOptions.FlightRecorderCalls"/>); empty when
    /// the exception did not come from a communicator's call.
    /// </summary>
    public IReadOnlyList<FlightRecord> RecentCalls { get; internal set; } = [];
}
