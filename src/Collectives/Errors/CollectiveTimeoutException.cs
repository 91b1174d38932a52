using Collectives.Diagnostics;
using Collectives.Transport;

namespace Collectives;

/// <summary>
/// A collective did not complete within the communicator's timeout because a rank never sent
/// what another rank was waiting for. Every rank of the call gets this exception.
/// </summary>
public sealed class CollectiveTimeoutException : CollectiveException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="waitingRank">The rank whose wait expired.</param>
    /// <param name="silentRank">The rank it was waiting for.</param>
    /// <param name="timeout">The timeout in force.</param>
    /// <param name="call">The call that timed out.</param>
    public CollectiveTimeoutException(int waitingRank, int silentRank, TimeSpan timeout, CollectiveSignature call)
        : base($"Collective {call} timed out after {timeout.TotalSeconds:0.###} s: rank {waitingRank} was waiting for rank {silentRank}.")
    {
        WaitingRank = waitingRank;
        SilentRank = silentRank;
        Timeout = timeout;
        Call = call;
    }

    /// <summary>The rank whose wait expired.</summary>
    public int WaitingRank { get; }

    /// <summary>The rank it was waiting for.</summary>
    public int SilentRank { get; }

    /// <summary>The timeout in force.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The call that timed out.</summary>
    public CollectiveSignature Call { get; }

    /// <summary>
    /// This rank's last calls on the communicator, oldest first, ending with the failed one, as its
    /// flight recorder kept them (<see cref="CommunicatorOptions.FlightRecorderCalls"/>); empty when
    /// the exception did not come from a communicator's call.
    /// </summary>
    public IReadOnlyList<FlightRecord> RecentCalls { get; internal set; } = [];
}
