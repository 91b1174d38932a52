namespace Collectives.Execution;

/// <summary>How a call checks that every rank made the same call (chosen once, when the call is planned).</summary>
internal enum CallVerification : byte
{
    /// <summary>Not verified: <see cref="CommunicatorOptions.VerifyCalls"/> is off, or there is one rank.</summary>
    Off = 0,

    /// <summary>The algorithm verifies it as it runs: its own messages, its first window step, or the offload engine's packets.</summary>
    ByAlgorithm = 1,

    /// <summary>One step in the shared-memory windows, signatures beside the flags, before the message algorithm runs.</summary>
    WindowStep = 2,

    /// <summary>A dissemination round of signed, empty messages before the message algorithm runs.</summary>
    DisseminationRound = 3,

    /// <summary>
    /// Every rank sends every other a signed, empty message before the message algorithm runs, and
    /// takes each peer's before the first data from that peer (the rest at the end): the check
    /// overlaps the data instead of preceding it (<see cref="CollectiveContext.SendSignaturesAsync"/>).
    /// A small first data message sent before anything else carries the signature in place of a
    /// message of its own (<see cref="Algorithms.SignatureFolds"/>).
    /// </summary>
    SignatureExchange = 4,

    /// <summary>
    /// A node-aware call: a barrier by host leaders under the call's signature before the algorithm
    /// runs (<see cref="Algorithms.NodeAware.NodeLeadersBarrier.VerifyAsync"/>): in each host's
    /// windows, then among one leader per host, then in the windows again.
    /// </summary>
    HostLeadersBarrier = 5,
}
