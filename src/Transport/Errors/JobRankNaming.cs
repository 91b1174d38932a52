namespace Collectives.Transport;

/// <summary>
/// Renames the rank a failure names, for transports whose ranks are some of the job's (one host's
/// segment, numbered by place): a failure must name the job's rank, or a user is told about the
/// wrong process.
/// </summary>
internal static class JobRankNaming
{
    /// <summary>
    /// <paramref name="failure"/> as a peer failure or abort naming the job's rank instead of its
    /// place (<paramref name="jobRanks"/>, index = place); null when it names no rank, or none in range
    /// (it is then rethrown as it is).
    /// </summary>
    public static Exception? InJobRanks(Exception failure, int[] jobRanks) => failure switch
    {
        PeerFailedException failed when (uint)failed.Rank < (uint)jobRanks.Length => new PeerFailedException(jobRanks[failed.Rank], failed.Reason, failed),
        PeerAbortedException aborted when (uint)aborted.OriginRank < (uint)jobRanks.Length => new PeerAbortedException(jobRanks[aborted.OriginRank], aborted.Reason),
        _ => null,
    };
}
