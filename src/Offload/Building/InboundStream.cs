namespace Collectives.Offload.Building;

/// <summary>Packets a rank's NIC receives from one peer during a call, in the order that peer sends them.</summary>
/// <param name="Rank">The sending rank.</param>
/// <param name="Packets">How many packets it sends.</param>
internal readonly record struct InboundStream(int Rank, int Packets);
