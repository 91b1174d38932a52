namespace Collectives.Catalog;

/// <summary>
/// Whether a message algorithm's own messages already prove that every rank made the same call,
/// so that a separate verification round would add a round trip and catch nothing more.
/// </summary>
/// <remarks>
/// Every message is checked against the receiver's signature before it is used, and a rank that
/// finds a mismatch stops (and aborts the job, which every rank then reports as the mismatch). So
/// a rank can only finish if, for every other rank, a chain of checked messages leads from that
/// rank to it: all signatures along such a chain are equal. A dissemination barrier is such an
/// exchange. An allreduce's result depends on every rank's data, carried by such chains, as long as
/// every step exchanges a message: always in recursive doubling (empty vectors travel as empty
/// messages), and in Rabenseifner and ring when every chunk holds at least one element. Broadcast
/// and Reduce never are: the root of a broadcast and the leaves of a reduce only send. Those pay
/// for a check of their own (<see cref="Execution.CallVerification"/>).
/// </remarks>
internal enum SelfVerification : byte
{
    /// <summary>Some rank may finish without hearing from every other rank.</summary>
    Never = 0,

    /// <summary>Every rank hears, through checked messages, from every other rank.</summary>
    Always = 1,

    /// <summary>As <see cref="Always"/> when the call has at least one element per rank (no chunk is empty).</summary>
    WhenNoChunkIsEmpty = 2,

    /// <summary>
    /// A node-aware algorithm that reduces to each host's leader, runs the collective among the
    /// leaders and hands the result back inside each host (host phases verify as they run: in the
    /// windows at their first step, as messages along a reduce's and a broadcast's trees): it
    /// verifies itself whenever the leaders' own algorithm does, for the call's count on one rank per host.
    /// </summary>
    WhenLeadersVerify = 3,

    /// <summary>
    /// A node-aware rooted algorithm (by host leaders) that, when the call is verified
    /// (<see cref="Execution.CallVerification.ByAlgorithm"/>), adds what makes every rank hear from
    /// every other: a meeting inside each host and signatures among the leaders alongside the data.
    /// </summary>
    WhenVerified = 4,
}
