namespace Collectives.Offload.Nic;

/// <summary>Why the NIC refused a descriptor or a packet.</summary>
internal enum NicFault : byte
{
    /// <summary>A packet arrived that the receive queue has no room for: an overflow is an error, never a drop.</summary>
    ReceiveQueueOverflow = 1,

    /// <summary>A descriptor waits for more packets than the receive queue can hold.</summary>
    BranchExceedsQueueDepth,

    /// <summary>A descriptor posted on a node other than its source, or a packet delivered to a node other than its destination.</summary>
    WrongNode,

    /// <summary>A packet disagrees with the local descriptor on its port (operation, type, count or branch): the ranks made different calls.</summary>
    Mismatch,
}
