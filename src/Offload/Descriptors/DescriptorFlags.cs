namespace Collectives.Offload.Descriptors;

/// <summary>The paper's per-descriptor switches.</summary>
[Flags]
internal enum DescriptorFlags : byte
{
    /// <summary>Neither switch.</summary>
    None = 0,

    /// <summary>
    /// SwpFlag: the request-send module swaps data into this descriptor (its data field is replaced
    /// by the port's result before it is sent). Set on broadcast and put descriptors.
    /// </summary>
    Swap = 1,

    /// <summary>
    /// SwpMp: the packet this descriptor sends goes into the destination's receive queue (rather
    /// than straight to its host). Set on reduce and broadcast descriptors.
    /// </summary>
    Queue = 2,
}
