using System.Runtime.CompilerServices;

namespace Collectives.Offload.Descriptors;

/// <summary>The 48-byte data field of a descriptor, stored inline.</summary>
[InlineArray(Descriptor.MaxDataBytes)]
internal struct DescriptorData
{
    private byte _element0;
}

/// <summary>The location field of a descriptor: one 32-bit index per element, stored inline.</summary>
[InlineArray(Descriptor.MaxElements)]
internal struct DescriptorLocation
{
    private int _element0;
}
