using System.Runtime.CompilerServices;

namespace Collectives.Offload.Descriptors;

/// <summary>The 48-byte data field of a descriptor, stored inline.</summary>
[InlineArray(Descriptor.MaxDataBytes)]
public struct DescriptorData
{
    private byte _element0;
}

/// <summary>The location field of a descriptor: one 32-bit index per element, stored inline.</summary>
[InlineArray(Descriptor.MaxElements)]
public struct DescriptorLocation
{
    private int _element0;
}
