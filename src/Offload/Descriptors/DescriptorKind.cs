namespace Collectives.Offload.Descriptors;

/// <summary>What a descriptor does when it fires.</summary>
internal enum DescriptorKind : byte
{
    /// <summary>
    /// Carries a contribution up the tree: when its threshold is reached its data is combined with
    /// the packets queued on its port, and the result is sent to its destination.
    /// </summary>
    Reduce = 1,

    /// <summary>
    /// Carries no data of its own: when triggered its data field is replaced by the port's result
    /// and it is sent down the tree to its destination.
    /// </summary>
    Broadcast = 2,

    /// <summary>
    /// The completion write: when triggered its data field is replaced by the port's result, which
    /// the NIC writes into host memory at <see cref="Descriptor.CompletionSlot"/>. Sends nothing.
    /// </summary>
    Put = 3,
}
